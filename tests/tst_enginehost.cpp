#include "cache/cacheservice.h"
#include "engine/enginehost.h"
#include "events/auditlog.h"
#include "support/askengine.h"
#include "support/hublinktesting.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

using kucun::EngineHost;
using kucun::HubConfig;
using kucun::test::answerOf;
using kucun::test::askCache;
using kucun::test::cacheNamespace;

class TestEngineHost : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void runsInItsOwnThreadAndStopsCleanly();
    void stopClosesClientsWithGoingAway();
    void reportsAFailedStart();
    void destructorStopsARunningEngine();
    void redisConfiguredRunsDegraded();
    void ownsACacheSizedByTheSettings();
    void restartSwitchesSettingsWithoutFinishing();
    void windowChangesAreInTheAdminLog();
    void readOnlyRefusesChangesAndRecordsNothing();
    void clientListsAreGatheredOnlyWhileSomeoneReceivesThem();

private:
    static HubConfig testConfig();
};

void TestEngineHost::init()
{
    // Thread-affinity mistakes show up as Qt warnings; none is acceptable.
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("QObject|QSocketNotifier|thread|Timers")));
}

namespace {

// A running host whose audit log (and so admin log) is in a folder of its own.
struct LoggingHost
{
    static HubConfig configured(const QString &dataDir)
    {
        HubConfig config;
        config.wsPort = 0;
        config.dataDir = dataDir;
        return config;
    }
    bool start()
    {
        host.start();
        return QTest::qWaitFor([this] { return host.state() == EngineHost::State::Running; },
                               10000);
    }

    QTemporaryDir data;
    EngineHost host{configured(data.path())};
};

QStringList adminLogOf(EngineHost &host)
{
    const auto page = answerOf<QList<kucun::AdminAction>>(
        [&host](QObject *c, auto done) { host.queryAdminLog(0, 100, c, done); });
    QStringList rows;
    for (const kucun::AdminAction &action : page.value()) {
        rows << QStringList{action.role, action.peer, action.action, action.target, action.result}
                    .join(u'|');
    }
    return rows;
}

}  // namespace

HubConfig TestEngineHost::testConfig()
{
    HubConfig config;
    config.wsPort = 0;
    return config;
}

void TestEngineHost::runsInItsOwnThreadAndStopsCleanly()
{
    EngineHost host(testConfig());
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy finished(&host, &EngineHost::finished);
    QSignalSpy states(&host, &EngineHost::stateChanged);
    host.start();
    QCOMPARE(host.state(), EngineHost::State::Starting);
    QTRY_COMPARE(started.size(), 1);
    QCOMPARE(host.state(), EngineHost::State::Running);
    QCOMPARE(host.mode(), QStringLiteral("memory"));
    QVERIFY(host.engineThread()->isRunning());
    QVERIFY(host.engineThread() != QThread::currentThread());
    const QUrl url = started.at(0).at(0).toUrl();
    QCOMPARE(url.scheme(), QStringLiteral("ws"));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(url.port() > 0);
    QCOMPARE(host.wsUrl(), url);

    host.stop();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(host.state(), EngineHost::State::Stopped);
    QVERIFY(host.engineThread()->isFinished());
    QCOMPARE(states.size(), 4);  // starting, running, stopping, stopped

    // The port is free again once the engine has stopped.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, static_cast<quint16>(url.port())));
}

void TestEngineHost::stopClosesClientsWithGoingAway()
{
    EngineHost host(testConfig());
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy clients(&host, &EngineHost::clientCountChanged);
    host.start();
    QTRY_COMPARE(started.size(), 1);

    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(host.wsUrl());
    QTRY_COMPARE(messages.size(), 1);
    const QJsonObject welcome
        = QJsonDocument::fromJson(messages.at(0).at(0).toString().toUtf8()).object();
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QTRY_COMPARE(host.clientCount(), 1);

    QSignalSpy finished(&host, &EngineHost::finished);
    host.stop();
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(clients.size() >= 1);
}

void TestEngineHost::reportsAFailedStart()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    HubConfig config = testConfig();
    config.wsPort = occupier.serverPort();

    EngineHost host(config);
    QSignalSpy failed(&host, &EngineHost::startFailed);
    QSignalSpy finished(&host, &EngineHost::finished);
    host.start();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(host.state(), EngineHost::State::Failed);
    QVERIFY(failed.at(0).at(0).toString().contains(QString::number(config.wsPort)));
    QCOMPARE(host.failureReason(), failed.at(0).at(0).toString());

    host.stop();  // nothing to stop: no second finished()
    QTest::qWait(0);
    QCOMPARE(finished.size(), 1);
}

void TestEngineHost::destructorStopsARunningEngine()
{
    QWebSocket client;
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    {
        EngineHost host(testConfig());
        QSignalSpy started(&host, &EngineHost::started);
        host.start();
        QTRY_COMPARE(started.size(), 1);
        QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
        client.open(host.wsUrl());
        QTRY_COMPARE(messages.size(), 1);
    }
    // The engine is gone with its thread; the client notices.
    QTRY_COMPARE(disconnected.size(), 1);
}

void TestEngineHost::redisConfiguredRunsDegraded()
{
    HubConfig config = testConfig();
    config.redis = kucun::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:1")).url;
    EngineHost host(config);
    QSignalSpy started(&host, &EngineHost::started);
    host.start();
    QTRY_COMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("degraded"));
}

void TestEngineHost::ownsACacheSizedByTheSettings()
{
    HubConfig config = testConfig();
    config.cacheMaxMb = 8;
    config.keyNamespace = QStringLiteral("shop");
    EngineHost host(config);
    QCOMPARE(cacheNamespace(host).error(), QStringLiteral("the engine is not running"));
    QSignalSpy started(&host, &EngineHost::started);
    host.start();
    QTRY_COMPARE(started.size(), 1);

    QCOMPARE(cacheNamespace(host).value(), QStringLiteral("shop"));
    QThread *asked = nullptr;
    const auto stored = askCache<bool>(host, [&asked](kucun::CacheService &cache) {
        asked = QThread::currentThread();
        return cache.set(QStringLiteral("products:detail:1"), "{}", std::chrono::seconds(60));
    });
    QVERIFY(stored.ok());
    QCOMPARE(asked, host.engineThread());  // the cache work ran where the cache lives
    const auto stats = askCache<kucun::CacheStats>(
        host, [](kucun::CacheService &cache) { return cache.stats(); });
    QCOMPARE(stats.value().store.keys, 1);
    QCOMPARE(stats.value().store.maxBytes, qint64(8) << 20);

    QSignalSpy finished(&host, &EngineHost::finished);
    host.stop();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(cacheNamespace(host).error(), QStringLiteral("the engine is not running"));
}

void TestEngineHost::restartSwitchesSettingsWithoutFinishing()
{
    HubConfig first = testConfig();
    first.keyNamespace = QStringLiteral("one");
    EngineHost host(first);
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy finished(&host, &EngineHost::finished);
    host.setDemoRate(5);
    host.start();
    QTRY_COMPARE(started.size(), 1);
    QTRY_COMPARE(host.demoRate(), 5);
    QCOMPARE(cacheNamespace(host).value(), QStringLiteral("one"));

    // A client of the old engine is told to go away (it may reconnect to the new one).
    QWebSocket client;
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QSignalSpy welcomed(&client, &QWebSocket::textMessageReceived);
    client.open(host.wsUrl());
    QTRY_COMPARE(welcomed.size(), 1);

    HubConfig second = testConfig();
    second.keyNamespace = QStringLiteral("two");
    host.restart(second);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 10000);
    QCOMPARE(host.state(), EngineHost::State::Running);
    QCOMPARE(finished.size(), 0);  // the owner (the app) must not take it for a quit
    QCOMPARE(cacheNamespace(host).value(), QStringLiteral("two"));
    QCOMPARE(host.config().keyNamespace, QStringLiteral("two"));
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(host.demoRate(), 5);  // the demo goes on in the new engine

    host.stop();
    QTRY_COMPARE(finished.size(), 1);
    // A stopped host starts again with the settings it is given.
    host.restart(first);
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 3, 10000);
    QCOMPARE(cacheNamespace(host).value(), QStringLiteral("one"));
}

void TestEngineHost::windowChangesAreInTheAdminLog()
{
    LoggingHost running;
    QVERIFY(running.start());
    EngineHost &host = running.host;
    QSignalSpy started(&host, &EngineHost::started);
    for (const QString &key : {QStringLiteral("a:1"), QStringLiteral("a:2")}) {
        QVERIFY(askCache<bool>(host, [key](kucun::CacheService &cache) {
                    return cache.set(key, "{}", std::chrono::seconds(60), {QStringLiteral("t")});
                }).ok());
    }
    const auto removed = answerOf<qint64>([&host](QObject *c, auto done) {
        host.invalidate({kucun::Invalidation::Kind::Tag, QStringLiteral("t")}, c, done);
    });
    QCOMPARE(removed.value(), 2);
    QCOMPARE(answerOf<qint64>([&host](QObject *c, auto done) {
                 host.deleteKey(QStringLiteral("a:1"), c, done);
             }).value(),
             0);
    QVERIFY(answerOf<bool>([&host](QObject *c, auto done) {
                host.publish(QStringLiteral("ws:orders"), "{}", c, done);
            }).ok());
    QVERIFY(!answerOf<bool>([&host](QObject *c, auto done) {
                 host.disconnectClient(QStringLiteral("nobody"), c, done);
             }).value());
    host.setDemoRate(7);
    QTRY_COMPARE(host.demoRate(), 7);
    // A settings change is recorded with what changed (by the engine that then stops).
    HubConfig changed = host.config();
    changed.effective[size_t(kucun::SettingId::CacheMaxMb)].displayValue = QStringLiteral("16");
    host.applySettings(changed);
    QTRY_COMPARE(started.size(), 1);

    // The role is local and there is no peer address: the window of this process.
    const QStringList expected{
        QStringLiteral("local||settings|HUB_CACHE_MAX_MB|restarted: HUB_CACHE_MAX_MB  -> 16"),
        QStringLiteral("local||demo|on|7 ops/s"),
        QStringLiteral("local||disconnect|nobody|no such client"),
        QStringLiteral("local||publish|ws:orders|published 2 bytes"),
        QStringLiteral("local||delete-key|a:1|removed 0"),
        QStringLiteral("local||invalidate-tag|t|removed 2")};
    QTRY_COMPARE_WITH_TIMEOUT(adminLogOf(host), expected, 10000);
}

void TestEngineHost::readOnlyRefusesChangesAndRecordsNothing()
{
    LoggingHost running;
    QVERIFY(running.start());
    EngineHost &host = running.host;
    QVERIFY(askCache<bool>(host, [](kucun::CacheService &cache) {
                return cache.set(QStringLiteral("a:1"), "{}", std::chrono::seconds(60));
            }).ok());
    host.setReadOnly(QStringLiteral("started with --read-only"));
    const auto refused = answerOf<qint64>(
        [&host](QObject *c, auto done) { host.deleteKey(QStringLiteral("a:1"), c, done); });
    QCOMPARE(refused.error(), QStringLiteral("started with --read-only"));
    host.setDemoRate(9);
    const auto ttl = askCache<qint64>(
        host, [](kucun::CacheService &cache) { return cache.ttl(QStringLiteral("a:1")); });
    QVERIFY(ttl.value() > 0);

    // Lifted, one change goes through: once it is in the admin log, it is all there is, and the
    // demo asked for meanwhile never started.
    host.setReadOnly(QString());
    QVERIFY(answerOf<bool>([&host](QObject *c, auto done) {
                host.publish(QStringLiteral("ws:orders"), "{}", c, done);
            }).ok());
    QTRY_COMPARE_WITH_TIMEOUT(
        adminLogOf(host), QStringList{QStringLiteral("local||publish|ws:orders|published 2 bytes")},
        10000);
    QCOMPARE(host.demoRate(), 0);
}

void TestEngineHost::clientListsAreGatheredOnlyWhileSomeoneReceivesThem()
{
    // A headless hub has no receiver of telemetry(): its engine walks no client lists.
    EngineHost host(testConfig());
    QSignalSpy started(&host, &EngineHost::started);
    host.start();
    QTRY_COMPARE(started.size(), 1);
    QVERIFY(!host.telemetryWatched());
    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    const auto connectClient = [&] {
        messages.clear();
        client.open(host.wsUrl());
        return QTest::qWaitFor([&] { return messages.size() == 1; }, 5000);
    };
    // A report in `reports` from `from` on carries the lists, with the one client in them (a
    // report gathered before the client was in lists none).
    const auto listsCame = [](const QSignalSpy &reports, qsizetype from) {
        for (qsizetype i = from; i < reports.size(); ++i) {
            const auto telemetry = reports.at(i).at(0).value<kucun::EngineTelemetryPtr>();
            if (telemetry->hasConnections && telemetry->clients.size() == 1)
                return true;
        }
        return false;
    };
    QVERIFY(connectClient());

    {
        // A panel connects: the lists come.
        QSignalSpy reports(&host, &kucun::HubLink::telemetry);
        QVERIFY(host.telemetryWatched());
        QTRY_VERIFY_WITH_TIMEOUT(listsCame(reports, 0), 10000);

        // The engine that a restart builds knows of the panel too.
        host.restart(testConfig());
        QTRY_COMPARE(started.size(), 2);
        QTRY_COMPARE(disconnected.size(), 1);  // 1001: the hub restarted
        const qsizetype afterRestart = reports.size();
        QVERIFY(connectClient());
        QTRY_VERIFY_WITH_TIMEOUT(listsCame(reports, afterRestart), 10000);
    }
    QVERIFY(!host.telemetryWatched());  // the panel went
}

QTEST_GUILESS_MAIN(TestEngineHost)
#include "tst_enginehost.moc"
