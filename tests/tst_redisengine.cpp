// The engine on a real redis-server: the ready line's mode, failover and return, events across
// Redis, and two hubs sharing one Redis (SPEC §3, §4, §5, §10).

#include "cache/cacheservice.h"
#include "engine/engine.h"
#include "events/eventrouter.h"
#include "support/redisserver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace std::chrono_literals;
using kucun::Engine;
using kucun::HubConfig;
using kucun::test::RedisServer;

namespace {

// Waits for a future while the event loop runs (the engine lives in this thread here).
template <typename T> T await(QFuture<T> future)
{
    const QDeadlineTimer deadline(10000);
    while (!future.isFinished() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!future.isFinished())
        qFatal("a cache operation did not finish within 10 s");
    return future.result();
}

}  // namespace

class TestRedisEngine : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void startsOnRedisWithTheSpecLayout();
    void startsDegradedWhenRedisDoesNotAnswer();
    void eventFromAnotherPublisherDrivesTheCascade();
    void ownEventsAreHandledOnce();
    void failsOverToMemoryAndComesBack();
    void demoLinkCutDegradesAndRestores();
    void stoppingDuringAStampedeOnRedis();
    void twoHubsShareLocksAndInvalidations();
    void routedEventsReachWebSocketSubscribers();
    void destroyingTheEngineAnswersEveryPendingRequest();
    void clientPublishesReachEveryHubOnce();
    void redisOutageUnderAStreamLosesNoLocalDelivery();

private:
    HubConfig config(quint16 redisPort) const;
    std::unique_ptr<Engine> startEngine(const HubConfig &config, const QString &expectedMode);
    bool waitForSubscriber(int subscribers = 1);

    std::unique_ptr<RedisServer> m_server;
    QTemporaryDir m_dir;
};

void TestRedisEngine::init()
{
    m_server = std::make_unique<RedisServer>();
    QVERIFY(m_server->start());
}

void TestRedisEngine::cleanup()
{
    m_server.reset();
}

HubConfig TestRedisEngine::config(quint16 redisPort) const
{
    HubConfig config;
    config.wsPort = 0;
    config.redis
        = kucun::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1").arg(redisPort)).url;
    config.redisPoolSize = 2;
    return config;
}

std::unique_ptr<Engine> TestRedisEngine::startEngine(const HubConfig &config,
                                                     const QString &expectedMode)
{
    auto engine = std::make_unique<Engine>(config);
    QSignalSpy started(engine.get(), &Engine::started);
    engine->start();
    if (!started.wait(10000) && started.isEmpty())
        return nullptr;
    if (started.first().at(1).toString() != expectedMode) {
        qWarning("engine started as %s", qPrintable(started.first().at(1).toString()));
        return nullptr;
    }
    return engine;
}

bool TestRedisEngine::waitForSubscriber(int subscribers)
{
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        // Each hub's subscriber connection holds three patterns: channel:*, ws:* and kucun:ws:*.
        if (m_server->cli({"CLIENT", "LIST"}).count(QStringLiteral(" psub=3 ")) >= subscribers)
            return true;
        QTest::qWait(20);
    }
    return false;
}

void TestRedisEngine::startsOnRedisWithTheSpecLayout()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    kucun::CacheService *cache = engine->cache();
    QVERIFY(await(cache->set("products:detail:1", R"({"id":"1"})", 60s, {"products:1"})).ok());
    QCOMPARE(m_server->cli({"GET", "kucun:products:detail:1"}), QStringLiteral(R"({"id":"1"})"));
    QCOMPARE(m_server->cli({"SMEMBERS", "kucun:tag:products:1"}),
             QStringLiteral("kucun:products:detail:1"));
    const auto loaded = await(cache->getOrSet("inventory:summary:1", 60s, [] {
        return kucun::LoadResult(std::optional<QByteArray>("{}"));
    }));
    QVERIFY(loaded.ok());
    QCOMPARE(m_server->cli({"GET", "kucun:inventory:summary:1"}), QStringLiteral("{}"));
}

void TestRedisEngine::startsDegradedWhenRedisDoesNotAnswer()
{
    auto engine = startEngine(config(kucun::test::freeLoopbackPort()), "degraded");
    QVERIFY(engine);
    kucun::CacheService *cache = engine->cache();
    QVERIFY(await(cache->set("products:detail:1", "v", 60s)).ok());  // on memory
    QCOMPARE(await(cache->get("products:detail:1")).value(), std::optional<QByteArray>("v"));
}

void TestRedisEngine::eventFromAnotherPublisherDrivesTheCascade()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    QVERIFY(waitForSubscriber());
    kucun::CacheService *cache = engine->cache();
    QVERIFY(await(cache->set("inventory:summary:42", "{}", 60s, {"inventory:summary:42"})).ok());
    QVERIFY(await(cache->set("products:detail:43", "{}", 60s, {"products:43"})).ok());
    QSignalSpy processed(engine->router(), &kucun::EventRouter::eventProcessed);
    m_server->cli(
        {"PUBLISH", "channel:inventory:change",
         R"({"type":"inventory:change","productId":"42","oldQuantity":100,"newQuantity":95,"reason":"sale","timestamp":1700000000000})"});
    QTRY_COMPARE(processed.size(), 1);
    QTRY_COMPARE(m_server->cli({"EXISTS", "kucun:inventory:summary:42"}), QStringLiteral("0"));
    QCOMPARE(m_server->cli({"EXISTS", "kucun:products:detail:43"}), QStringLiteral("1"));
}

void TestRedisEngine::ownEventsAreHandledOnce()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    auto other = startEngine(config(m_server->port()), "redis");  // sends the marker below
    QVERIFY(engine && other);
    QVERIFY(waitForSubscriber(2));
    QSignalSpy processed(engine->router(), &kucun::EventRouter::eventProcessed);
    QSignalSpy processedByOther(other->router(), &kucun::EventRouter::eventProcessed);
    QVERIFY(await(engine->cache()->invalidateTag("products:1")).ok());
    QTRY_COMPARE(processed.size(), 1);
    // Once the other hub has it, Redis has sent it to every subscriber, this hub included: a
    // marker the other hub publishes now reaches this hub after that echo.
    QTRY_COMPARE(processedByOther.size(), 1);
    other->publish(QStringLiteral("ws:marker"), R"({"marker":1})");
    QTRY_COMPARE(processed.size(), 2);
    QCOMPARE(processed.at(1).first().value<kucun::EventRecord>().channel,
             QStringLiteral("ws:marker"));  // the echo of its own event was not handled again
}

void TestRedisEngine::failsOverToMemoryAndComesBack()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    QSignalSpy modes(engine.get(), &Engine::modeChanged);
    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 1, 10000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("degraded"));

    kucun::CacheService *cache = engine->cache();
    const QDeadlineTimer quick(3000);
    QVERIFY(await(cache->set("orders:1", "on-memory", 60s)).ok());
    QCOMPARE(await(cache->get("orders:1")).value(), std::optional<QByteArray>("on-memory"));
    QVERIFY(!quick.hasExpired());  // no operation hangs while Redis is away

    QVERIFY(m_server->restart());
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 2, 20000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("redis"));
    QVERIFY(!await(cache->get("orders:1")).value().has_value());  // back on the (empty) Redis
    // Subscriptions are back too.
    QVERIFY(waitForSubscriber());
    QVERIFY(await(cache->set("inventory:summary:5", "{}", 60s, {"inventory:summary:5"})).ok());
    m_server->cli(
        {"PUBLISH", "channel:inventory:change",
         R"({"type":"inventory:change","productId":"5","oldQuantity":1,"newQuantity":0,"reason":"sale","timestamp":1})"});
    QTRY_COMPARE(m_server->cli({"EXISTS", "kucun:inventory:summary:5"}), QStringLiteral("0"));
}

void TestRedisEngine::demoLinkCutDegradesAndRestores()
{
    // The demo's fault (SPEC §14): the same degraded mode as a real outage, with Redis still up,
    // and back when the cut is lifted.
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    QSignalSpy modes(engine.get(), &Engine::modeChanged);
    QSignalSpy faults(engine.get(), &Engine::demoFaultsChanged);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is cut on purpose")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("degraded")));
    kucun::DemoFaults cut;
    cut.redisCut = true;
    QVERIFY(!engine->setDemoFaults(cut));
    QCOMPARE(faults.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 1, 10000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("degraded"));
    QCOMPARE(engine->mode(), QStringLiteral("degraded"));
    kucun::CacheService *cache = engine->cache();
    QVERIFY(await(cache->set("orders:1", "on-memory", 60s)).ok());
    QCOMPARE(m_server->cli({"EXISTS", "kucun:orders:1"}), QStringLiteral("0"));  // not on Redis

    QVERIFY(!engine->setDemoFaults({}));
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 2, 10000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("redis"));
    QVERIFY(waitForSubscriber());
    QVERIFY(await(cache->set("orders:2", "on-redis", 60s)).ok());
    QCOMPARE(m_server->cli({"GET", "kucun:orders:2"}), QStringLiteral("on-redis"));

    // The embedded engine refuses the cut and keeps what it had.
    HubConfig memory;
    memory.wsPort = 0;
    auto embedded = std::make_unique<Engine>(memory);
    QSignalSpy started(embedded.get(), &Engine::started);
    embedded->start();
    QTRY_COMPARE(started.size(), 1);
    kucun::DemoFaults some;
    some.stampedeReaders = 4;
    QVERIFY(!embedded->setDemoFaults(some));
    const auto refusal = embedded->setDemoFaults(cut);
    QVERIFY(refusal);
    QVERIFY2(refusal->contains(QStringLiteral("no Redis link")), qPrintable(*refusal));
    QVERIFY(embedded->demoFaults() == some);
}

void TestRedisEngine::stoppingDuringAStampedeOnRedis()
{
    // The stampede's second cache client has requests on their way to Redis while its loader
    // sleeps: the hub going away then answers them into a client that still exists (ASan's
    // part), and does not wait for the loader's latency.
    for (int round = 0; round < 3; ++round) {
        auto engine = startEngine(config(m_server->port()), "redis");
        QVERIFY(engine);
        QSignalSpy faults(engine.get(), &Engine::demoFaultsChanged);
        kucun::DemoFaults stampede;
        stampede.stampedeReaders = 32;
        stampede.loaderLatencyMs = 10000;
        QVERIFY(!engine->setDemoFaults(stampede));
        engine->setDemoRate(500);
        // The other process holds the lock in Redis and loads.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({"EXISTS", "kucun:lock:products:detail:0"})
                                     == QStringLiteral("1"),
                                 10000);
        QTest::qWait(50 * round);  // a little further each round
        QElapsedTimer clock;
        clock.start();
        engine.reset();
        QVERIFY2(clock.elapsed() < 9000, qPrintable(QString::number(clock.elapsed())));
    }
}

void TestRedisEngine::twoHubsShareLocksAndInvalidations()
{
    auto first = startEngine(config(m_server->port()), "redis");
    auto second = startEngine(config(m_server->port()), "redis");
    QVERIFY(first && second);
    QVERIFY(waitForSubscriber(2));

    // The first hub loads slowly under the lock; the second waits and reads its value.
    int secondLoads = 0;
    auto firstResult = first->cache()->getOrSetWithLock("dashboard:stats", 60s, []() {
        auto promise = std::make_shared<QPromise<kucun::LoadResult>>();
        promise->start();
        QTimer::singleShot(300, [promise] {
            promise->addResult(kucun::LoadResult(std::optional<QByteArray>("from-first")));
            promise->finish();
        });
        return promise->future();
    });
    QTRY_COMPARE(m_server->cli({"EXISTS", "kucun:lock:dashboard:stats"}), QStringLiteral("1"));
    auto secondResult = second->cache()->getOrSetWithLock("dashboard:stats", 60s, [&secondLoads] {
        ++secondLoads;
        return kucun::LoadResult(std::optional<QByteArray>("from-second"));
    });
    QCOMPARE(await(firstResult).value(), std::optional<QByteArray>("from-first"));
    QCOMPARE(await(secondResult).value(), std::optional<QByteArray>("from-first"));
    QCOMPARE(secondLoads, 0);
    QCOMPARE(await(second->cache()->stats()).value().lockWaits, 1);

    // An invalidation on the first reaches the second as cache:invalidate.
    QSignalSpy seenBySecond(second->router(), &kucun::EventRouter::eventProcessed);
    QVERIFY(await(first->cache()->invalidateTag("products:9")).ok());
    QTRY_COMPARE(seenBySecond.size(), 1);
    const auto record = seenBySecond.first().first().value<kucun::EventRecord>();
    QCOMPARE(record.type, QStringLiteral("cache:invalidate"));
    QCOMPARE(record.source, first->instanceId());
}

void TestRedisEngine::routedEventsReachWebSocketSubscribers()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    QVERIFY(waitForSubscriber());
    QWebSocket browser;
    QSignalSpy received(&browser, &QWebSocket::textMessageReceived);
    browser.open(engine->wsUrl());
    QTRY_COMPARE(received.size(), 1);
    browser.sendTextMessage(R"({"type":"subscribe","channel":"inventory"})");
    QTRY_COMPARE(received.size(), 2);

    // The site publishes on Redis; the browser gets it on its channel.
    m_server->cli(
        {"PUBLISH", "channel:inventory:change",
         R"({"type":"inventory:change","productId":"42","oldQuantity":100,"newQuantity":95,"reason":"sale","timestamp":1700000000000})"});
    QTRY_COMPARE(received.size(), 3);
    const QJsonObject message
        = QJsonDocument::fromJson(received.at(2).at(0).toString().toUtf8()).object();
    QCOMPARE(message.value("channel").toString(), QStringLiteral("inventory"));
    QCOMPARE(message.value("offset").toInteger(), 1);
    QCOMPARE(message.value("data").toObject().value("newQuantity").toInt(), 95);

    // So does a ws:<channel> message, as it is.
    browser.sendTextMessage(R"({"type":"subscribe","channel":"alerts"})");
    QTRY_COMPARE(received.size(), 4);
    m_server->cli({"PUBLISH", "ws:alerts", R"({"level":"low-stock","sku":"BOLT-M8"})"});
    QTRY_COMPARE(received.size(), 5);
    QCOMPARE(QJsonDocument::fromJson(received.at(4).at(0).toString().toUtf8())
                 .object()
                 .value("data")
                 .toObject()
                 .value("sku")
                 .toString(),
             QStringLiteral("BOLT-M8"));
}

void TestRedisEngine::destroyingTheEngineAnswersEveryPendingRequest()
{
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    kucun::CacheService *cache = engine->cache();
    QList<QFuture<kucun::LoadResult>> pending;
    for (int i = 0; i < 200; ++i) {
        pending.append(cache->getOrSet(QStringLiteral("products:detail:%1").arg(i), 60s, [] {
            return kucun::LoadResult(std::optional<QByteArray>("v"));
        }));
    }
    engine.reset();  // with requests on the wire and loads in progress
    for (QFuture<kucun::LoadResult> &future : pending) {
        QVERIFY(future.isFinished());
        QCOMPARE(future.resultCount(), 1);  // an answer (a value or an error), never nothing
    }
}

void TestRedisEngine::clientPublishesReachEveryHubOnce()
{
    auto first = startEngine(config(m_server->port()), "redis");
    auto second = startEngine(config(m_server->port()), "redis");
    QVERIFY(first && second);
    QVERIFY(waitForSubscriber(2));
    QWebSocket onFirst;
    QWebSocket onSecond;
    QSignalSpy firstReceived(&onFirst, &QWebSocket::textMessageReceived);
    QSignalSpy secondReceived(&onSecond, &QWebSocket::textMessageReceived);
    onFirst.open(first->wsUrl());
    onSecond.open(second->wsUrl());
    QTRY_COMPARE(firstReceived.size(), 1);
    QTRY_COMPARE(secondReceived.size(), 1);
    onFirst.sendTextMessage(R"({"type":"subscribe","channel":"orders"})");
    onSecond.sendTextMessage(R"({"type":"subscribe","channel":"orders"})");
    QTRY_COMPARE(firstReceived.size(), 2);
    QTRY_COMPARE(secondReceived.size(), 2);

    onFirst.sendTextMessage(R"({"type":"publish","channel":"orders","data":{"orderId":"SO-9"}})");
    QTRY_COMPARE(firstReceived.size(), 4);  // "published" and the message itself
    QTRY_COMPARE(secondReceived.size(), 3);  // the message, through Redis
    // Markers from the other side of each hub come through Redis after any duplicate of SO-9
    // would have: once both are in, every hub has had SO-9 exactly once.
    onSecond.sendTextMessage(R"({"type":"publish","channel":"orders","data":{"orderId":"M2"}})");
    QTRY_COMPARE(firstReceived.size(), 5);  // M2, through Redis
    onFirst.sendTextMessage(R"({"type":"publish","channel":"orders","data":{"orderId":"M1"}})");
    QTRY_VERIFY(secondReceived.size() >= 6);  // "published" and M2 here, then M1 through Redis
    QTRY_VERIFY(firstReceived.size() >= 7);
    const auto orderIds = [](const QSignalSpy &spy) {
        QStringList ids;
        for (const QList<QVariant> &message : spy) {
            ids << QJsonDocument::fromJson(message.at(0).toString().toUtf8())
                       .object()
                       .value("data")
                       .toObject()
                       .value("orderId")
                       .toString();
        }
        ids.removeAll(QString());
        return ids;
    };
    QCOMPARE(orderIds(firstReceived), QStringList({"SO-9", "M2", "M1"}));
    QCOMPARE(orderIds(secondReceived).count("SO-9"), 1);
    QCOMPARE(orderIds(secondReceived).size(), 3);
    QCOMPARE(firstReceived.size(), 7);
    QCOMPARE(secondReceived.size(), 6);
    const QJsonObject remote
        = QJsonDocument::fromJson(secondReceived.at(2).at(0).toString().toUtf8()).object();
    QCOMPARE(remote.value("channel").toString(), QStringLiteral("orders"));
    QCOMPARE(remote.value("data").toObject().value("orderId").toString(), QStringLiteral("SO-9"));
}

void TestRedisEngine::redisOutageUnderAStreamLosesNoLocalDelivery()
{
    // SPEC §10: Redis stopped and restarted while clients receive a steady stream. They stay
    // connected, local deliveries go on through the outage with nothing lost, and Redis
    // deliveries resume by themselves.
    auto engine = startEngine(config(m_server->port()), "redis");
    QVERIFY(engine);
    QVERIFY(waitForSubscriber());
    QSignalSpy modes(engine.get(), &Engine::modeChanged);
    QWebSocket reader;
    QWebSocket writer;
    QSignalSpy received(&reader, &QWebSocket::textMessageReceived);
    QSignalSpy readerGone(&reader, &QWebSocket::disconnected);
    QSignalSpy writerGone(&writer, &QWebSocket::disconnected);
    reader.open(engine->wsUrl());
    writer.open(engine->wsUrl());
    QTRY_COMPARE(received.size(), 1);
    reader.sendTextMessage(R"({"type":"subscribe","channel":"inventory"})");
    QTRY_COMPARE(received.size(), 2);
    QTRY_VERIFY(writer.state() == QAbstractSocket::ConnectedState);

    // A publish every 20 ms from a local client, numbered.
    int sent = 0;
    QTimer stream;
    connect(&stream, &QTimer::timeout, &writer, [&] {
        writer.sendTextMessage(
            QStringLiteral(R"({"type":"publish","channel":"inventory","data":{"seq":%1}})")
                .arg(sent++));
    });
    stream.start(20);
    QTRY_VERIFY(sent >= 10);

    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 1, 10000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("degraded"));
    const int sentBeforeRestart = sent + 10;
    QTRY_VERIFY(sent >= sentBeforeRestart);  // the stream goes on while Redis is away
    QVERIFY(m_server->restart());
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 2, 20000);
    QCOMPARE(modes.last().first().toString(), QStringLiteral("redis"));
    const int sentAfterRestart = sent + 10;
    QTRY_VERIFY(sent >= sentAfterRestart);
    stream.stop();

    // Redis deliveries resume: a site's PUBLISH reaches the client again (the subscriber may
    // take a moment to subscribe again; bounded retries).
    QVERIFY(waitForSubscriber());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            m_server->cli({"PUBLISH", "ws:inventory", R"({"from":"site"})"});
            QTest::qWait(50);
            for (const QList<QVariant> &message : received) {
                if (message.at(0).toString().contains(QStringLiteral("\"from\":\"site\"")))
                    return true;
            }
            return false;
        }(),
        10000);

    // Every numbered message arrived, once and in order; nobody was disconnected.
    const auto numbered = [&received] {
        QList<int> seqs;
        for (const QList<QVariant> &message : received) {
            const QJsonObject data = QJsonDocument::fromJson(message.at(0).toString().toUtf8())
                                         .object()
                                         .value("data")
                                         .toObject();
            if (data.contains("seq"))
                seqs.append(data.value("seq").toInt());
        }
        return seqs;
    };
    QTRY_COMPARE(numbered().size(), sent);
    const QList<int> seqs = numbered();
    for (int i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), i);
    QCOMPARE(readerGone.size(), 0);
    QCOMPARE(writerGone.size(), 0);
}

QTEST_GUILESS_MAIN(TestRedisEngine)
#include "tst_redisengine.moc"
