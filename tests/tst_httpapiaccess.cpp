// The server API of SPEC §7 as operations see it, against a running hub: who may call what (keys
// and roles, over HTTP), the admin log of what they did, /metrics checked by promtool, and a
// flood of malformed requests after which the hub still answers. The calls themselves:
// tst_httpapi.

#include "support/httptesting.h"
#include "support/respclient.h"
#include "support/wssubscriber.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpSocket>

using kucun::HubConfig;
using kucun::test::HttpReply;
using kucun::test::jsonText;
using kucun::test::RunningHub;
using Subscriber = kucun::test::WsSubscriber;

class TestHttpApiAccess : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void adminActionsAreLogged();
    void keysAndRoles_data();
    void keysAndRoles();
    void metricsPassPromtool();
    void malformedRequestsLeaveTheHubAnswering();

private:
    bool setKey(const QString &key, const QStringList &tags) { return m_hub->setKey(key, tags); }
    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return kucun::test::httpCall(m_network, method, m_hub->url(path), body);
    }

    std::unique_ptr<RunningHub> m_hub;
    QNetworkAccessManager m_network;
};

void TestHttpApiAccess::init()
{
    m_hub = std::make_unique<RunningHub>();
    QVERIFY(m_hub->start());
}

void TestHttpApiAccess::cleanup()
{
    m_hub.reset();
}

void TestHttpApiAccess::adminActionsAreLogged()
{
    QVERIFY(setKey(QStringLiteral("products:1"), {QStringLiteral("products")}));
    QVERIFY(setKey(QStringLiteral("products:2"), {QStringLiteral("products")}));
    QCOMPARE(call("POST", QStringLiteral("/api/invalidate"), R"({"tag":"products","dryRun":true})")
                 .status,
             200);  // a look, not an action
    QCOMPARE(call("PUT", QStringLiteral("/api/keys/products:1/ttl"), R"({"ttl":30})").status, 200);
    QCOMPARE(call("DELETE", QStringLiteral("/api/keys/nope")).status, 404);
    QCOMPARE(call("POST", QStringLiteral("/api/invalidate"), R"({"tag":"products"})").status, 200);

    const HttpReply log = call("GET", QStringLiteral("/api/admin-log"));
    QCOMPARE(log.status, 200);
    const QJsonArray actions = log.json()[QStringLiteral("actions")].toArray();
    QCOMPARE(actions.size(), 3);
    QCOMPARE(actions[0][QStringLiteral("action")].toString(), QStringLiteral("invalidate-tag"));
    QCOMPARE(actions[0][QStringLiteral("target")].toString(), QStringLiteral("products"));
    QCOMPARE(actions[0][QStringLiteral("result")].toString(),
             QStringLiteral("200 {\"removed\":2}"));
    QCOMPARE(actions[0][QStringLiteral("role")].toString(), QStringLiteral("local"));
    QCOMPARE(actions[0][QStringLiteral("peer")].toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(actions[1][QStringLiteral("action")].toString(), QStringLiteral("delete-key"));
    QVERIFY(actions[1][QStringLiteral("result")].toString().startsWith(QStringLiteral("404 ")));
    QCOMPARE(actions[2][QStringLiteral("action")].toString(), QStringLiteral("set-ttl"));
    const HttpReply older = call("GET", QStringLiteral("/api/admin-log?limit=1&before=%1")
                                            .arg(actions[1][QStringLiteral("id")].toInteger()));
    QCOMPARE(older.json()[QStringLiteral("actions")][0][QStringLiteral("action")].toString(),
             QStringLiteral("set-ttl"));
}

void TestHttpApiAccess::keysAndRoles_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("status");

    const QByteArray admin = "admin-key-for-the-tests";
    const QByteArray viewer = "viewer-key-for-the-tests";
    QTest::newRow("health without key") << QByteArray("GET") << "/healthz" << QByteArray() << 200;
    QTest::newRow("metrics without key") << QByteArray("GET") << "/metrics" << QByteArray() << 200;
    QTest::newRow("demo page without key") << QByteArray("GET") << "/" << QByteArray() << 200;
    QTest::newRow("client without key")
        << QByteArray("GET") << "/client/kucun-hub.js" << QByteArray() << 200;
    QTest::newRow("stats without key") << QByteArray("GET") << "/api/stats" << QByteArray() << 401;
    QTest::newRow("stats wrong key")
        << QByteArray("GET") << "/api/stats" << QByteArray("wrong-key-wrong-key") << 401;
    QTest::newRow("stats viewer") << QByteArray("GET") << "/api/stats" << viewer << 200;
    QTest::newRow("stats admin") << QByteArray("GET") << "/api/stats" << admin << 200;
    QTest::newRow("publish viewer") << QByteArray("POST") << "/api/publish" << viewer << 403;
    QTest::newRow("publish admin") << QByteArray("POST") << "/api/publish" << admin << 200;
    QTest::newRow("invalidate viewer") << QByteArray("POST") << "/api/invalidate" << viewer << 403;
    QTest::newRow("delete key viewer") << QByteArray("DELETE") << "/api/keys/a" << viewer << 403;
    QTest::newRow("ttl viewer") << QByteArray("PUT") << "/api/keys/a/ttl" << viewer << 403;
    QTest::newRow("disconnect viewer") << QByteArray("DELETE") << "/api/clients/x" << viewer << 403;
    QTest::newRow("event viewer") << QByteArray("POST") << "/api/events" << viewer << 403;
    QTest::newRow("admin log viewer") << QByteArray("GET") << "/api/admin-log" << viewer << 200;
}

void TestHttpApiAccess::keysAndRoles()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, key);
    QFETCH(int, status);
    HubConfig config;
    config.adminKey = "admin-key-for-the-tests";
    config.viewerKey = "viewer-key-for-the-tests";
    RunningHub hub(config);
    QVERIFY(hub.start());
    const QByteArray body = path == u"/api/publish" ? R"({"channel":"c","data":1})" : "{}";
    const HttpReply reply = kucun::test::httpCall(m_network, method, hub.url(path),
                                                  method == "GET" ? QByteArray() : body, key);
    QCOMPARE(reply.status, status);
    if (status == 401 || status == 403)
        QVERIFY(!reply.errorCode().isEmpty());
    if (status == 401)
        QVERIFY(reply.header("WWW-Authenticate").startsWith("Bearer"));
    // A refused call changes nothing: the channel was not published to.
    if (status == 403 && path == u"/api/publish") {
        const HttpReply channels = kucun::test::httpCall(m_network, "GET", hub.url("/api/channels"),
                                                         {}, config.adminKey);
        QCOMPARE(channels.json()[QStringLiteral("channels")].toArray().size(), 0);
    }
}

void TestHttpApiAccess::metricsPassPromtool()
{
    // A site's traffic on the Redis-protocol front: one key written, read twice, one miss.
    kucun::test::RespClient site;
    QVERIFY(site.connectTo(quint16(m_hub->host.respUrl().port())));
    QCOMPARE(site.command({"SET", "kucun:orders:1", "{}", "EX", "30"}), QByteArray("+OK\r\n"));
    QCOMPARE(site.command({"GET", "kucun:orders:1"}), QByteArray("$2\r\n{}\r\n"));
    QCOMPARE(site.command({"GET", "kucun:orders:1"}), QByteArray("$2\r\n{}\r\n"));
    QCOMPARE(site.command({"GET", "kucun:orders:2"}), QByteArray("$-1\r\n"));
    const QJsonObject front = call("GET", QStringLiteral("/api/stats"))
                                  .json()[QStringLiteral("redisProtocol")]
                                  .toObject();
    const QJsonObject hottest = front[QStringLiteral("hotKeys")][0].toObject();
    QCOMPARE(hottest[QStringLiteral("key")].toString(), QStringLiteral("kucun:orders:1"));
    QCOMPARE(hottest[QStringLiteral("reads")].toInt(), 2);
    QCOMPARE(hottest[QStringLiteral("writes")].toInt(), 1);
    QCOMPARE(hottest[QStringLiteral("hitRate")].toDouble(), 1.0);
    QCOMPARE(front[QStringLiteral("segments")][QStringLiteral("orders")][QStringLiteral("misses")]
                 .toInt(),
             1);
    QCOMPARE(front[QStringLiteral("ttlHistogram")][QStringLiteral("<60s")].toInt(), 1);

    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(QStringLiteral("orders")));
    QCOMPARE(
        call("POST", QStringLiteral("/api/publish"), R"({"channel":"orders","data":1})").status,
        200);
    QCOMPARE(call("POST", QStringLiteral("/api/events"),
                  jsonText(QJsonObject{{"type", "order:status"},
                                       {"orderId", "SO-1"},
                                       {"status", "paid"},
                                       {"timestamp", QDateTime::currentMSecsSinceEpoch()}}))
                 .status,
             202);
    QCOMPARE(call("POST", QStringLiteral("/api/events"), R"({"type":"order:status"})").status, 422);
    QCOMPARE(call("GET", QStringLiteral("/nope")).status, 404);
    const QString id = call("GET", QStringLiteral("/api/clients"))
                           .json()[QStringLiteral("clients")][0][QStringLiteral("id")]
                           .toString();
    QCOMPARE(call("DELETE", QStringLiteral("/api/clients/") + id).status, 200);
    QTRY_COMPARE(call("GET", QStringLiteral("/api/stats"))
                     .json()[QStringLiteral("websocket")][QStringLiteral("clients")]
                     .toInt(),
                 0);

    // A request refused before any call saw it is counted too.
    QTcpSocket bomb;
    bomb.connectToHost(QHostAddress::LocalHost, m_hub->host.httpUrl().port());
    QVERIFY(bomb.waitForConnected(5000));
    bomb.write("GET /healthz HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'b') + "\r\n\r\n");
    QTRY_COMPARE(bomb.state(), QAbstractSocket::UnconnectedState);

    const HttpReply metrics = call("GET", QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.contentType.startsWith("text/plain; version=0.0.4"));
    const QByteArray text = metrics.body;
    for (const char *family : {"engine_state gauge",
                               "ws_clients gauge",
                               "ws_channels gauge",
                               "ws_messages_in_total counter",
                               "ws_messages_out_total counter",
                               "ws_closes_total counter",
                               "publish_write_latency_seconds histogram",
                               "events_total counter",
                               "cache_hits_total counter",
                               "cache_misses_total counter",
                               "cache_null_hits_total counter",
                               "cache_loads_total counter",
                               "cache_load_errors_total counter",
                               "cache_shared_loads_total counter",
                               "cache_lock_waits_total counter",
                               "cache_evictions_total counter",
                               "cache_expirations_total counter",
                               "cache_invalidations_total counter",
                               "cache_keys gauge",
                               "cache_bytes gauge",
                               "redis_reconnects_total counter",
                               "http_requests_total counter",
                               "http_auth_failures_total counter",
                               "resp_key_reads_total counter",
                               "resp_key_writes_total counter",
                               "resp_key_loads_total counter",
                               "resp_segment_lookups_total counter",
                               "resp_written_ttl_total counter"}) {
        QVERIFY2(text.contains(QByteArray("# TYPE kucun_hub_") + family), family);
    }
    QVERIFY(text.contains("kucun_hub_engine_state{state=\"memory\"} 1\n"));
    QVERIFY(text.contains("kucun_hub_events_total{type=\"order:status\",status=\"accepted\"} 1\n"));
    QVERIFY(text.contains("kucun_hub_events_total{type=\"order:status\",status=\"rejected\"} 1\n"));
    QVERIFY(
        text.contains("kucun_hub_http_requests_total{route=\"/api/publish\",status=\"200\"} 1\n"));
    QVERIFY(text.contains("kucun_hub_http_requests_total{route=\"other\",status=\"404\"} 1\n"));
    QVERIFY(text.contains("kucun_hub_ws_closes_total{code=\"4003\"} 1\n"));
    QVERIFY(text.contains("kucun_hub_http_requests_total{route=\"refused\",status=\"431\"} 1\n"));
    // The publish and the routed event were each timed to their write.
    QVERIFY(text.contains("kucun_hub_publish_write_latency_seconds_count 2\n"));
    QVERIFY(text.contains("kucun_hub_publish_write_latency_seconds_bucket{le=\"+Inf\"} 2\n"));

    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        QSKIP("promtool is not installed (scripts/test installs it: Debian package prometheus)");
    QProcess check;
    check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(check.waitForStarted(10000));
    check.write(text);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(30000));
    const QByteArray findings = check.readAllStandardOutput() + check.readAllStandardError();
    QVERIFY2(check.exitCode() == 0 && findings.trimmed().isEmpty(), findings.constData());
}

void TestHttpApiAccess::malformedRequestsLeaveTheHubAnswering()
{
    // A few thousand requests made of random bytes, of valid requests cut short or garbled,
    // over raw sockets, many at once; then the hub still answers.
    QRandomGenerator random(20261128);
    const QList<QByteArray> seeds{
        "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /api/publish HTTP/1.1\r\nHost: h\r\nContent-Length: 30\r\n\r\n"
        "{\"channel\":\"x\",\"data\":[1,2,3]}",
        "POST /api/events HTTP/1.1\r\nContent-Length: 17\r\n\r\n{\"type\":\"order:s",
        "GET /api/keys?match=%ZZ&count=-1 HTTP/1.1\r\n\r\n",
        "DELETE /api/keys/%00%FF HTTP/1.0\r\n\r\n"};
    int sent = 0;
    for (int round = 0; round < 60; ++round) {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 50; ++i, ++sent) {
            QByteArray bytes = seeds[random.bounded(int(seeds.size()))];
            switch (random.bounded(4)) {
            case 0:  // random bytes
                bytes.resize(random.bounded(1, 400));
                for (char &c : bytes)
                    c = char(random.bounded(256));
                break;
            case 1:  // cut short
                bytes.truncate(random.bounded(int(bytes.size())));
                break;
            case 2:  // a few bytes flipped
                for (int flips = 0; flips < 3; ++flips)
                    bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
                break;
            default:  // as it is
                break;
            }
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QHostAddress::LocalHost, m_hub->host.httpUrl().port());
            socket->write(bytes);
            sockets.push_back(std::move(socket));
        }
        QTest::qWait(20);
    }
    QCOMPARE(sent, 3000);
    const HttpReply health = call("GET", QStringLiteral("/healthz"));
    QCOMPARE(health.status, 200);
    QCOMPARE(m_hub->host.state(), kucun::EngineHost::State::Running);
}

QTEST_MAIN(TestHttpApiAccess)
#include "tst_httpapiaccess.moc"
