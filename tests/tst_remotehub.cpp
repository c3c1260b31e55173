// RemoteHub against a hub serving its HTTP side on loopback (SPEC §13): what an attached window
// reads and changes goes through the real API and /api/stream. The admin key reads and changes
// and is recorded with its address; the viewer key reads, is read-only in the link, and the hub
// refuses its changes with 403 all the same; a hub that goes away is reconnected to; a window
// that stops reading is cut while WebSocket clients go on; TLS is checked unless the user
// trusted that very certificate.

#include "engine/demosimulator.h"
#include "engine/remotehub.h"
#include "http/telemetrystream.h"
#include "support/httptesting.h"
#include "support/hublinktesting.h"
#include "support/hubprocess.h"
#include "support/tlsfiles.h"
#include "support/wssubscriber.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

using kucun::HubConfig;
using kucun::HubLink;
using kucun::RemoteHub;
using kucun::Result;
using kucun::test::answerOf;
using kucun::test::HttpReply;
using kucun::test::RunningHub;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("admin-key-0123456789abcdef");
const QByteArray kViewerKey = QByteArrayLiteral("viewer-key-0123456789abcdef");

HubConfig withKeys()
{
    HubConfig config;
    config.adminKey = kAdminKey;
    config.viewerKey = kViewerKey;
    return config;
}

bool attached(RemoteHub &hub)
{
    hub.start();
    return QTest::qWaitFor([&hub] { return hub.state() == HubLink::State::Running; }, 10000);
}

}  // namespace

class TestRemoteHub : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void adminSeesAndChangesTheRemoteHub();
    void adminActionsAreRecordedWithRoleAndAddress();
    void viewerIsReadOnly();
    void readOnlyWindowStaysSoWithTheAdminKey();
    void viewerChangesAreRefusedByTheHub_data();
    void viewerChangesAreRefusedByTheHub();
    void wrongKeyFailsWithTheHubsMessage();
    void restartedHubIsAttachedAgain();
    void windowThatStopsReadingIsCutWhileClientsGoOn();
    void attachedWindowsAreBounded();
    void tlsCertificateIsCheckedUnlessTrusted();

private:
    std::unique_ptr<RunningHub> m_hub;
    QNetworkAccessManager m_network;
};

void TestRemoteHub::init()
{
    m_hub = std::make_unique<RunningHub>(withKeys());
    QVERIFY(m_hub->start());
}

void TestRemoteHub::cleanup()
{
    m_hub.reset();
}

void TestRemoteHub::adminSeesAndChangesTheRemoteHub()
{
    QVERIFY(m_hub->setKey(QStringLiteral("products:detail:1"), {QStringLiteral("products")}));
    QVERIFY(m_hub->setKey(QStringLiteral("products:detail:2"), {QStringLiteral("products")}));
    QVERIFY(m_hub->setKey(QStringLiteral("orders:7")));
    RemoteHub hub({m_hub->host.httpUrl(), kAdminKey, {}});
    QSignalSpy reports(&hub, &HubLink::telemetry);
    QVERIFY(attached(hub));
    QCOMPARE(hub.role(), QStringLiteral("admin"));
    QVERIFY(!hub.isReadOnly());
    QCOMPARE(hub.mode(), QStringLiteral("memory"));
    QCOMPARE(hub.wsUrl(), m_hub->host.wsUrl());
    QCOMPARE(hub.keyNamespace(), QStringLiteral("kucun"));
    QVERIFY(hub.startedAtMs() > 0);

    // The panels' telemetry, with the hub's own figures.
    QVERIFY(QTest::qWaitFor(
        [&reports] {
            if (reports.isEmpty())
                return false;
            const auto report = reports.last().at(0).value<kucun::EngineTelemetryPtr>();
            return report->hasConnections && report->cache.store.keys >= 3;
        },
        10000));
    // Reads name keys with the namespace, as the engine here does.
    const Result<kucun::KeyPage> page = answerOf<kucun::KeyPage>([&hub](QObject *c, auto done) {
        hub.keysPage(QStringLiteral("products:*"), {}, 100, c, done);
    });
    QVERIFY2(page.ok(), qPrintable(page.error()));
    QStringList keys;
    for (const kucun::KeyDetails &details : page.value().keys)
        keys << QString::fromUtf8(details.key);
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("kucun:products:detail:1"),
                                QStringLiteral("kucun:products:detail:2")}));
    QCOMPARE(page.value().keys.front().tagKeys,
             QList<QByteArray>{QByteArrayLiteral("kucun:tag:products")});
    const auto value = answerOf<std::optional<QByteArray>>(
        [&hub](QObject *c, auto done) { hub.keyValue(QStringLiteral("orders:7"), c, done); });
    QVERIFY2(value.ok() && value.value(), qPrintable(value.error()));
    QCOMPARE(*value.value(), QByteArrayLiteral("{\"v\":1}"));
    const auto preview = answerOf<kucun::PatternMatch>([&hub](QObject *c, auto done) {
        hub.previewInvalidation({kucun::Invalidation::Kind::Tag, QStringLiteral("products")}, 20, c,
                                done);
    });
    QVERIFY(preview.ok());
    QCOMPARE(preview.value().count, 2);

    // Changes reach the hub.
    const auto removed = answerOf<qint64>([&hub](QObject *c, auto done) {
        hub.invalidate({kucun::Invalidation::Kind::Tag, QStringLiteral("products")}, c, done);
    });
    QVERIFY2(removed.ok(), qPrintable(removed.error()));
    QCOMPARE(removed.value(), 2);
    QVERIFY(!m_hub->keyExists(QStringLiteral("products:detail:1")));
    const auto ttlSet = answerOf<bool>(
        [&hub](QObject *c, auto done) { hub.setKeyTtl(QStringLiteral("orders:7"), 600, c, done); });
    QVERIFY(ttlSet.ok() && ttlSet.value());
    const auto deleted = answerOf<qint64>(
        [&hub](QObject *c, auto done) { hub.deleteKey(QStringLiteral("orders:7"), c, done); });
    QVERIFY(deleted.ok());
    QCOMPARE(deleted.value(), 1);
    QVERIFY(!m_hub->keyExists(QStringLiteral("orders:7")));
    const auto gone = answerOf<qint64>(
        [&hub](QObject *c, auto done) { hub.deleteKey(QStringLiteral("orders:7"), c, done); });
    QVERIFY(gone.ok());
    QCOMPARE(gone.value(), 0);

    // Demo traffic switched on from the window shows in the stream's next reports.
    hub.setDemoRate(20);
    QTRY_COMPARE_WITH_TIMEOUT(hub.demoRate(), 20, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_hub->host.demoRate(), 20, 10000);
    // And its faults: set on the hub, then said back by the stream.
    QSignalSpy faultsShown(&hub, &HubLink::demoFaultsChanged);
    kucun::DemoFaults faults;
    faults.burstEventsPerSecond = 30;
    faults.loaderLatencyMs = 100;
    const auto set = answerOf<bool>(
        [&hub, &faults](QObject *c, auto done) { hub.setDemoFaults(faults, c, done); });
    QVERIFY2(set.ok(), qPrintable(set.error()));
    QTRY_VERIFY_WITH_TIMEOUT(m_hub->host.demoFaults() == faults, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(hub.demoFaults() == faults, 10000);
    QCOMPARE(faultsShown.size(), 1);
    // A hub without Redis refuses the cut with its reason, and keeps what it had.
    kucun::DemoFaults cut = faults;
    cut.redisCut = true;
    const auto refused
        = answerOf<bool>([&hub, &cut](QObject *c, auto done) { hub.setDemoFaults(cut, c, done); });
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QStringLiteral("no Redis link to cut")),
             qPrintable(refused.error()));
    QVERIFY(m_hub->host.demoFaults() == faults);
    hub.setDemoFaults({});
    QTRY_VERIFY_WITH_TIMEOUT(!hub.demoFaults().any(), 10000);
}

void TestRemoteHub::adminActionsAreRecordedWithRoleAndAddress()
{
    QVERIFY(m_hub->setKey(QStringLiteral("inventory:1"), {QStringLiteral("stock")}));
    RemoteHub hub({m_hub->host.httpUrl(), kAdminKey, {}});
    QVERIFY(attached(hub));
    QVERIFY(answerOf<qint64>([&hub](QObject *c, auto done) {
                hub.invalidate({kucun::Invalidation::Kind::Tag, QStringLiteral("stock")}, c, done);
            }).ok());
    QVERIFY(answerOf<bool>([&hub](QObject *c, auto done) {
                hub.publish(QStringLiteral("ws:orders"), QByteArrayLiteral("{\"n\":1}"), c, done);
            }).ok());
    QVERIFY(answerOf<bool>([&hub](QObject *c, auto done) {
                hub.disconnectClient(QStringLiteral("no-such-client"), c, done);
            }).ok());

    QList<kucun::AdminAction> actions;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto page = answerOf<QList<kucun::AdminAction>>(
                [&hub](QObject *c, auto done) { hub.queryAdminLog(0, 100, c, done); });
            actions = page.ok() ? page.value() : QList<kucun::AdminAction>();
            return actions.size() >= 3;
        },
        10000));
    QStringList seen;
    for (const kucun::AdminAction &action : actions) {
        QCOMPARE(action.role, QStringLiteral("admin"));
        QCOMPARE(action.peer, QStringLiteral("127.0.0.1"));
        seen << action.action + u' ' + action.target + u' ' + action.result.left(3);
    }
    // Newest first.
    QCOMPARE(seen, (QStringList{QStringLiteral("disconnect no-such-client 404"),
                                QStringLiteral("publish orders 200"),
                                QStringLiteral("invalidate-tag stock 200")}));
}

void TestRemoteHub::viewerIsReadOnly()
{
    QVERIFY(m_hub->setKey(QStringLiteral("inventory:1"), {QStringLiteral("stock")}));
    RemoteHub hub({m_hub->host.httpUrl(), kViewerKey, {}});
    QSignalSpy readOnly(&hub, &HubLink::readOnlyChanged);
    QVERIFY(attached(hub));
    QCOMPARE(hub.role(), QStringLiteral("viewer"));
    QVERIFY(hub.isReadOnly());
    QCOMPARE(readOnly.size(), 1);
    QVERIFY(hub.readOnlyReason().contains(QStringLiteral("viewer key")));
    // Reads, previews included, work.
    const auto preview = answerOf<kucun::PatternMatch>([&hub](QObject *c, auto done) {
        hub.previewInvalidation({kucun::Invalidation::Kind::Tag, QStringLiteral("stock")}, 20, c,
                                done);
    });
    QVERIFY2(preview.ok(), qPrintable(preview.error()));
    QCOMPARE(preview.value().count, 1);
    // A change is refused by the link itself, with the reason.
    const auto refused = answerOf<qint64>([&hub](QObject *c, auto done) {
        hub.invalidate({kucun::Invalidation::Kind::Tag, QStringLiteral("stock")}, c, done);
    });
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error(), hub.readOnlyReason());
    QVERIFY(m_hub->keyExists(QStringLiteral("inventory:1")));
    // The window's own reason goes first, and lifting it leaves the key's.
    const QString viewer = hub.readOnlyReason();
    hub.setReadOnly(QStringLiteral("started with --read-only"));
    QCOMPARE(hub.readOnlyReason(), QStringLiteral("started with --read-only"));
    hub.setReadOnly(QString());
    QCOMPARE(hub.readOnlyReason(), viewer);
}

void TestRemoteHub::readOnlyWindowStaysSoWithTheAdminKey()
{
    QVERIFY(m_hub->setKey(QStringLiteral("inventory:1")));
    RemoteHub hub({m_hub->host.httpUrl(), kAdminKey, {}});
    hub.setReadOnly(QStringLiteral("started with --read-only"));
    QVERIFY(attached(hub));
    QCOMPARE(hub.role(), QStringLiteral("admin"));
    QCOMPARE(hub.readOnlyReason(), QStringLiteral("started with --read-only"));
    const auto refused = answerOf<qint64>(
        [&hub](QObject *c, auto done) { hub.deleteKey(QStringLiteral("inventory:1"), c, done); });
    QCOMPARE(refused.error(), QStringLiteral("started with --read-only"));
    QVERIFY(m_hub->keyExists(QStringLiteral("inventory:1")));
}

void TestRemoteHub::viewerChangesAreRefusedByTheHub_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("invalidate") << QByteArray("POST") << "/api/invalidate"
                                << QByteArray(R"({"tag":"stock"})");
    QTest::addRow("delete key") << QByteArray("DELETE") << "/api/keys/inventory:1" << QByteArray();
    QTest::addRow("set ttl") << QByteArray("PUT") << "/api/keys/inventory:1/ttl"
                             << QByteArray(R"({"ttl":5})");
    QTest::addRow("publish") << QByteArray("POST") << "/api/publish?record=1"
                             << QByteArray(R"({"channel":"orders","data":1})");
    QTest::addRow("disconnect") << QByteArray("DELETE") << "/api/clients/c1" << QByteArray();
    QTest::addRow("demo") << QByteArray("PUT") << "/api/demo" << QByteArray(R"({"rate":50})");
}

void TestRemoteHub::viewerChangesAreRefusedByTheHub()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QVERIFY(m_hub->setKey(QStringLiteral("inventory:1"), {QStringLiteral("stock")}));
    const HttpReply reply
        = kucun::test::httpCall(m_network, method, m_hub->url(path), body, kViewerKey);
    QCOMPARE(reply.status, 403);
    QCOMPARE(reply.errorCode(), QStringLiteral("forbidden"));
    // Nothing changed: the key, its TTL, the demo, and nothing in the admin log.
    QVERIFY(m_hub->keyExists(QStringLiteral("inventory:1")));
    QCOMPARE(m_hub->host.demoRate(), 0);
    const HttpReply log
        = kucun::test::httpCall(m_network, "GET", m_hub->url("/api/admin-log"), {}, kViewerKey);
    QCOMPARE(log.status, 200);
    QCOMPARE(log.json()[QStringLiteral("actions")].toArray().size(), 0);
}

void TestRemoteHub::wrongKeyFailsWithTheHubsMessage()
{
    RemoteHub hub({m_hub->host.httpUrl(), QByteArrayLiteral("not-the-key-0123456789"), {}});
    hub.start();
    QTRY_COMPARE_WITH_TIMEOUT(hub.state(), HubLink::State::Failed, 10000);
    QVERIFY2(hub.failureReason().contains(QStringLiteral("the key is not valid")),
             qPrintable(hub.failureReason()));
}

void TestRemoteHub::restartedHubIsAttachedAgain()
{
    QTemporaryDir home;
    const quint16 port = kucun::test::freeLoopbackPort();
    QProcessEnvironment env = kucun::test::HubProcess::cleanEnvironment(home.path());
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("HTTP_PORT"), QString::number(port));
    env.insert(QStringLiteral("HUB_DATA_DIR"), home.filePath(QStringLiteral("data")));
    auto first = std::make_unique<kucun::test::HubProcess>();
    QVERIFY(first->start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env));
    QVERIFY(first->waitForReady().isValid());

    RemoteHub hub({QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), {}, {}});
    QSignalSpy started(&hub, &HubLink::started);
    QVERIFY(attached(hub));
    QCOMPARE(hub.role(), QStringLiteral("local"));  // loopback, no keys
    const qint64 firstStart = hub.startedAtMs();

    QVERIFY(first->stop());
    QTRY_COMPARE_WITH_TIMEOUT(hub.state(), HubLink::State::Reconnecting, 10000);
    QVERIFY(!hub.failureReason().isEmpty());

    kucun::test::HubProcess second;
    QVERIFY(second.start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env));
    QVERIFY(second.waitForReady().isValid());
    QTRY_COMPARE_WITH_TIMEOUT(hub.state(), HubLink::State::Running, 20000);
    QCOMPARE(started.size(), 2);
    QVERIFY(hub.startedAtMs() > firstStart);
    QSignalSpy reports(&hub, &HubLink::telemetry);
    QVERIFY(reports.wait(5000));
    QVERIFY(second.stop());
}

void TestRemoteHub::windowThatStopsReadingIsCutWhileClientsGoOn()
{
    // A window that asks for the stream and never reads: its receive buffer kept small so that
    // the hub's queue for it fills soon.
    QTcpSocket stalled;
    stalled.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    stalled.connectToHost(QHostAddress::LocalHost, quint16(m_hub->host.httpUrl().port()));
    QVERIFY(stalled.waitForConnected(5000));
    stalled.write("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
                  + kViewerKey + "\r\n\r\n");
    QVERIFY(stalled.waitForBytesWritten(5000));
    stalled.setReadBufferSize(1);  // Qt takes no more than this off the socket for us
    const auto metric = [this](const QByteArray &name) {
        const HttpReply metrics = kucun::test::httpCall(m_network, "GET", m_hub->url("/metrics"));
        for (const QByteArray &line : metrics.body.split('\n')) {
            if (line.startsWith("kucun_hub_" + name + ' '))
                return line.mid(name.size() + 11).toDouble();
        }
        return -1.0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(metric("stream_windows"), 1.0, 10000);

    kucun::test::WsSubscriber client;
    QVERIFY(client.open(m_hub->host.wsUrl()));
    QVERIFY(client.subscribe(QStringLiteral("orders")));
    // Heavy traffic fills the stalled window's queue with events.
    m_hub->host.setDemoRate(kucun::DemoSimulator::kMaxRate);
    QTRY_VERIFY_WITH_TIMEOUT(metric("stream_cut_total") >= 1.0, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(metric("stream_windows"), 0.0, 10000);
    m_hub->host.setDemoRate(0);

    // The hub went on delivering to its WebSocket clients.
    const HttpReply published = kucun::test::httpCall(
        m_network, "POST", m_hub->url("/api/publish"),
        QByteArrayLiteral(R"({"channel":"orders","data":{"after":"cut"}})"), kAdminKey);
    QCOMPARE(published.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&client] {
            for (const QJsonObject &message : client.messagesOn(QStringLiteral("orders"))) {
                if (message.value(QStringLiteral("data"))
                        .toObject()
                        .contains(QStringLiteral("after")))
                    return true;
            }
            return false;
        }(),
        10000);
}

void TestRemoteHub::attachedWindowsAreBounded()
{
    const QByteArray upgrade
        = "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
          + kViewerKey + "\r\n\r\n";
    const auto attach = [&](QTcpSocket &socket) {
        socket.connectToHost(QHostAddress::LocalHost, quint16(m_hub->host.httpUrl().port()));
        if (!socket.waitForConnected(5000))
            return QByteArray();
        socket.write(upgrade);
        QByteArray head;
        while (!head.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
            head += socket.readAll();
        return head.left(head.indexOf("\r\n"));
    };
    std::vector<std::unique_ptr<QTcpSocket>> windows;
    for (int i = 0; i < kucun::TelemetryStream::kMaxWindows; ++i) {
        windows.push_back(std::make_unique<QTcpSocket>());
        QCOMPARE(attach(*windows.back()), QByteArrayLiteral("HTTP/1.1 101 Switching Protocols"));
    }
    QTcpSocket oneTooMany;
    QCOMPARE(attach(oneTooMany), QByteArrayLiteral("HTTP/1.1 503 Service Unavailable"));
    // One goes: there is room again (once the hub has seen it go).
    windows.pop_back();
    QVERIFY(QTest::qWaitFor(
        [&] {
            QTcpSocket next;
            return attach(next) == QByteArrayLiteral("HTTP/1.1 101 Switching Protocols");
        },
        10000));
}

void TestRemoteHub::tlsCertificateIsCheckedUnlessTrusted()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("this Qt has no TLS backend");
    QTemporaryDir files;
    kucun::test::TlsFiles pair;
    kucun::test::TlsFiles other;
    QString error;
    QVERIFY2(pair.make(files.path(), QStringLiteral("hub"), &error), qPrintable(error));
    QVERIFY2(other.make(files.path(), QStringLiteral("other"), &error), qPrintable(error));
    HubConfig config = withKeys();
    QVERIFY(!config.tls.loadCertificates(pair.certificate));
    QVERIFY(!config.tls.loadKey(pair.key));
    RunningHub tlsHub(config);
    QVERIFY(tlsHub.start());
    const QUrl url = tlsHub.host.httpUrl();
    QCOMPARE(url.scheme(), QStringLiteral("https"));
    const QByteArray hubDigest
        = RemoteHub::certificateDigest(QSslCertificate::fromPath(pair.certificate).front());
    const QByteArray otherDigest
        = RemoteHub::certificateDigest(QSslCertificate::fromPath(other.certificate).front());

    // Not trusted: refused, with what is wrong and the certificate to trust.
    {
        RemoteHub hub({url, kAdminKey, {otherDigest}});
        QSignalSpy refused(&hub, &RemoteHub::certificateRefused);
        hub.start();
        QTRY_COMPARE_WITH_TIMEOUT(hub.state(), HubLink::State::Failed, 10000);
        QVERIFY2(
            hub.failureReason().contains(QStringLiteral("not trusted"))
                && hub.failureReason().contains(QStringLiteral("self-signed"), Qt::CaseInsensitive),
            qPrintable(hub.failureReason()));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(RemoteHub::certificateDigest(refused.front().at(0).value<QSslCertificate>()),
                 hubDigest);
    }
    // Trusted explicitly: attached over TLS, stream included.
    RemoteHub hub({url, kAdminKey, {hubDigest}});
    QSignalSpy reports(&hub, &HubLink::telemetry);
    QVERIFY(attached(hub));
    QVERIFY(reports.wait(5000));
    QCOMPARE(hub.role(), QStringLiteral("admin"));
}

QTEST_MAIN(TestRemoteHub)
#include "tst_remotehub.moc"
