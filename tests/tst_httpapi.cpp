// The server API of SPEC §7 through real HTTP (QNetworkAccessManager) against a running hub:
// every call and its error statuses, the event path (cascade, routing, audit) a site without
// Redis drives, publishing to WebSocket subscribers, keys and clients. Keys and roles, the admin
// log, /metrics and malformed requests: tst_httpapiaccess.

#include "cache/cacheservice.h"
#include "support/askengine.h"
#include "support/httptesting.h"
#include "support/wssubscriber.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpSocket>

using kucun::CacheService;
using kucun::HubConfig;
using kucun::Result;
using kucun::test::HttpReply;
using kucun::test::jsonText;
using kucun::test::RunningHub;
using Subscriber = kucun::test::WsSubscriber;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

}  // namespace

class TestHttpApi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void healthAndReadiness();
    void routing_data();
    void routing();
    void publishReachesSubscribers();
    void publishBatchOfTenThousand();
    void badPublishChangesNothing_data();
    void badPublishChangesNothing();
    void eventsRunTheRedisPath_data();
    void eventsRunTheRedisPath();
    void badEventIs422AndAudited();
    void invalidate();
    void keys();
    void clientsAndDisconnect();
    void eventsPageAndStats();
    void demoFaultsAreSetAndRefused_data();
    void demoFaultsAreSetAndRefused();
    void demoStampedeThroughTheApi();

private:
    bool setKey(const QString &key, const QStringList &tags) { return m_hub->setKey(key, tags); }
    bool keyExists(const QString &key) { return m_hub->keyExists(key); }
    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return kucun::test::httpCall(m_network, method, m_hub->url(path), body);
    }

    std::unique_ptr<RunningHub> m_hub;
    QNetworkAccessManager m_network;
};

void TestHttpApi::init()
{
    m_hub = std::make_unique<RunningHub>();
    QVERIFY(m_hub->start());
    QVERIFY(!m_hub->host.httpUrl().isEmpty());
}

void TestHttpApi::cleanup()
{
    m_hub.reset();
}

void TestHttpApi::healthAndReadiness()
{
    const HttpReply health = call("GET", QStringLiteral("/healthz"));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json()[QStringLiteral("status")].toString(), QStringLiteral("ok"));
    QCOMPARE(health.contentType, QByteArray("application/json"));
    const HttpReply ready = call("GET", QStringLiteral("/readyz"));
    QCOMPARE(ready.status, 200);
    QCOMPARE(ready.json()[QStringLiteral("engine")].toString(), QStringLiteral("memory"));
    QCOMPARE(ready.json()[QStringLiteral("status")].toString(), QStringLiteral("ready"));
}

void TestHttpApi::routing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown") << QByteArray("GET") << "/nope" << 404 << "not_found";
    QTest::newRow("unknown api") << QByteArray("GET") << "/api/nope" << 404 << "not_found";
    QTest::newRow("trace of no event")
        << QByteArray("GET") << "/api/events/1/trace" << 404 << "not_found";
    QTest::newRow("post trace") << QByteArray("POST") << "/api/events/1/trace" << 405
                                << "method_not_allowed";
    // Without the upgrade headers the stream says what it wants.
    QTest::newRow("stream without upgrade")
        << QByteArray("GET") << "/api/stream" << 426 << "upgrade_required";
    QTest::newRow("post stream") << QByteArray("POST") << "/api/stream" << 405
                                 << "method_not_allowed";
    QTest::newRow("delete demo") << QByteArray("DELETE") << "/api/demo" << 405
                                 << "method_not_allowed";
    QTest::newRow("post health") << QByteArray("POST") << "/healthz" << 405 << "method_not_allowed";
    QTest::newRow("post demo page") << QByteArray("POST") << "/" << 405 << "method_not_allowed";
    QTest::newRow("delete client")
        << QByteArray("DELETE") << "/client/kucun-hub.js" << 405 << "method_not_allowed";
    QTest::newRow("no such file") << QByteArray("GET") << "/client/nope.js" << 404 << "not_found";
    QTest::newRow("get publish") << QByteArray("GET") << "/api/publish" << 405
                                 << "method_not_allowed";
    QTest::newRow("put stats") << QByteArray("PUT") << "/api/stats" << 405 << "method_not_allowed";
    QTest::newRow("bad query") << QByteArray("GET") << "/api/keys?count=abc" << 400
                               << "bad_request";
    QTest::newRow("page too big") << QByteArray("GET") << "/api/events?limit=100000" << 400
                                  << "bad_request";
}

void TestHttpApi::routing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpReply reply = call(method, path, method == "GET" ? QByteArray() : "{}");
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.errorCode(), error);
    QVERIFY(!reply.json()[QStringLiteral("message")].toString().isEmpty());
    if (status == 405)
        QVERIFY(!reply.header("Allow").isEmpty());
}

void TestHttpApi::publishReachesSubscribers()
{
    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(QStringLiteral("inventory")));
    const HttpReply reply = call("POST", QStringLiteral("/api/publish"),
                                 R"({"channel":"inventory","data":{"productId":"42","left":7}})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[QStringLiteral("channel")].toString(), QStringLiteral("inventory"));
    QCOMPARE(reply.json()[QStringLiteral("offset")].toInteger(), 1);
    QTRY_COMPARE(subscriber.messagesOn(QStringLiteral("inventory")).size(), 1);
    const QJsonObject message = subscriber.messagesOn(QStringLiteral("inventory")).front();
    QCOMPARE(message[QStringLiteral("offset")].toInteger(), 1);
    QCOMPARE(message[QStringLiteral("data")][QStringLiteral("left")].toInt(), 7);
}

void TestHttpApi::publishBatchOfTenThousand()
{
    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(QStringLiteral("bulk")));
    QJsonArray batch;
    for (int i = 0; i < 10000; ++i)
        batch.append(QJsonObject{{QStringLiteral("channel"), QStringLiteral("bulk")},
                                 {QStringLiteral("data"), i}});
    const HttpReply reply = call("POST", QStringLiteral("/api/publish"), jsonText(batch));
    QCOMPARE(reply.status, 200);
    const QJsonArray answers = reply.json().toArray();
    QCOMPARE(answers.size(), 10000);
    QCOMPARE(answers.first()[QStringLiteral("offset")].toInteger(), 1);
    QCOMPARE(answers.last()[QStringLiteral("offset")].toInteger(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.messagesOn(QStringLiteral("bulk")).size(), 10000, 20000);
    QCOMPARE(subscriber.messagesOn(QStringLiteral("bulk")).last()[QStringLiteral("data")].toInt(),
             9999);
    // One more is refused whole.
    batch.append(batch.first());
    const HttpReply tooMany = call("POST", QStringLiteral("/api/publish"), jsonText(batch));
    QCOMPARE(tooMany.status, 413);
    QCOMPARE(tooMany.errorCode(), QStringLiteral("too_large"));
}

void TestHttpApi::badPublishChangesNothing_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"channel\":") << 400 << "bad_json";
    QTest::newRow("empty body") << QByteArray() << 400 << "bad_json";
    QTest::newRow("scalar") << QByteArray("42") << 400 << "bad_json";
    QTest::newRow("channel a number")
        << QByteArray(R"({"channel":5,"data":1})") << 400 << "bad_json";
    QTest::newRow("bad channel name")
        << QByteArray(R"({"channel":"a b","data":1})") << 400 << "bad_json";
    QTest::newRow("no data") << QByteArray(R"({"channel":"news"})") << 400 << "bad_json";
    QTest::newRow("one bad element")
        << QByteArray(R"([{"channel":"news","data":1},{"channel":"news"}])") << 400 << "bad_json";
    QTest::newRow("too large for clients")
        << R"({"channel":"news","data":")" + QByteArray(70000, 'x') + R"("})" << 413 << "too_large";
    QTest::newRow("over 1 MiB") << R"({"channel":"news","data":")" + QByteArray(1100000, 'x')
                                       + R"("})"
                                << 413 << "too_large";
}

void TestHttpApi::badPublishChangesNothing()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(QStringLiteral("news")));
    const HttpReply reply = call("POST", QStringLiteral("/api/publish"), body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.errorCode(), error);
    // Nothing went out: the next good publish is the channel's first.
    const HttpReply good
        = call("POST", QStringLiteral("/api/publish"), R"({"channel":"news","data":"ok"})");
    QCOMPARE(good.json()[QStringLiteral("offset")].toInteger(), 1);
    QTRY_COMPARE(subscriber.messagesOn(QStringLiteral("news")).size(), 1);
    QTest::qWait(50);
    QCOMPARE(subscriber.messagesOn(QStringLiteral("news")).size(), 1);
}

void TestHttpApi::eventsRunTheRedisPath_data()
{
    QTest::addColumn<QJsonObject>("event");
    QTest::addColumn<QStringList>("removed");  // keys tagged with what the cascade invalidates
    QTest::addColumn<QString>("wsChannel");
    QTest::addColumn<bool>("ownId");  // the answer carries the event's own id

    QTest::newRow("inventory:change")
        << QJsonObject{{"type", "inventory:change"}, {"productId", "42"},    {"oldQuantity", 10},
                       {"newQuantity", 7},           {"reason", "销售出库"}, {"id", "ev-inv-1"}}
        << QStringList{"inventory:summary:42", "products:42", "dashboard:overview"} << "inventory"
        << true;
    QTest::newRow("data:update products")
        << QJsonObject{{"type", "data:update"},
                       {"resource", "products"},
                       {"id", "42"},
                       {"action", "update"}}
        << QStringList{"products", "products:list", "products:search", "products:42"} << "products"
        << false;
    QTest::newRow("order:status") << QJsonObject{{"type", "order:status"},
                                                 {"orderId", "SO-1001"},
                                                 {"status", "shipped"}}
                                  << QStringList{"sales-orders:list", "dashboard:overview"}
                                  << "orders" << false;
    QTest::newRow("finance:change")
        << QJsonObject{{"type", "finance:change"},
                       {"entity", "payment"},
                       {"id", "P-9"},
                       {"action", "create"},
                       {"amount", 12.5}}
        << QStringList{"finance", "dashboard:overview"} << "finance" << false;
    QTest::newRow("cache:invalidate")
        << QJsonObject{{"type", "cache:invalidate"}, {"tag", "products:7"}}
        << QStringList{"products:7"} << "cache" << false;
}

void TestHttpApi::eventsRunTheRedisPath()
{
    QFETCH(QJsonObject, event);
    QFETCH(QStringList, removed);
    QFETCH(QString, wsChannel);
    QFETCH(bool, ownId);
    event.insert(QStringLiteral("timestamp"), nowMs());

    // One key per tag the cascade removes, and one it must leave alone.
    for (const QString &tag : removed)
        QVERIFY(setKey(QStringLiteral("k:") + tag, {tag}));
    QVERIFY(setKey(QStringLiteral("k:untouched"), {QStringLiteral("warehouses:1")}));
    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(wsChannel));

    const HttpReply reply = call("POST", QStringLiteral("/api/events"), jsonText(event));
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.json()[QStringLiteral("status")].toString(), QStringLiteral("accepted"));
    const QString id = reply.json()[QStringLiteral("id")].toString();
    QVERIFY(!id.isEmpty());
    if (ownId)
        QCOMPARE(id, event.value(QStringLiteral("id")).toString());
    else
        QVERIFY(id.startsWith(QStringLiteral("ev-")));

    for (const QString &tag : removed)
        QTRY_VERIFY2(!keyExists(QStringLiteral("k:") + tag), qPrintable(tag));
    QVERIFY(keyExists(QStringLiteral("k:untouched")));
    QTRY_COMPARE(subscriber.messagesOn(wsChannel).size(), 1);
    QCOMPARE(subscriber.messagesOn(wsChannel).front()[QStringLiteral("data")].toObject(), event);

    const QString type = event.value(QStringLiteral("type")).toString();
    const HttpReply audit = call("GET", QStringLiteral("/api/events?limit=10"));
    QTRY_VERIFY(call("GET", QStringLiteral("/api/events?limit=10"))
                    .json()[QStringLiteral("events")]
                    .toArray()
                    .size()
                == 1);
    const QJsonObject row = call("GET", QStringLiteral("/api/events?limit=10"))
                                .json()[QStringLiteral("events")][0]
                                .toObject();
    QCOMPARE(row[QStringLiteral("type")].toString(), type);
    QCOMPARE(row[QStringLiteral("status")].toString(), QStringLiteral("accepted"));
    QCOMPARE(row[QStringLiteral("channel")].toString(), QStringLiteral("channel:") + type);
    Q_UNUSED(audit);
}

void TestHttpApi::badEventIs422AndAudited()
{
    QVERIFY(setKey(QStringLiteral("k:products:42"), {QStringLiteral("products:42")}));
    const HttpReply missingField
        = call("POST", QStringLiteral("/api/events"),
               jsonText(QJsonObject{
                   {"type", "inventory:change"}, {"productId", "42"}, {"timestamp", nowMs()}}));
    QCOMPARE(missingField.status, 422);
    QCOMPARE(missingField.errorCode(), QStringLiteral("invalid_event"));
    QVERIFY(missingField.json()[QStringLiteral("message")].toString().contains(
        QStringLiteral("oldQuantity")));
    QVERIFY(keyExists(QStringLiteral("k:products:42")));  // no cascade

    const HttpReply unknownType
        = call("POST", QStringLiteral("/api/events"), R"({"type":"stock:moved","timestamp":1})");
    QCOMPARE(unknownType.status, 422);
    const HttpReply notJson = call("POST", QStringLiteral("/api/events"), "type=x");
    QCOMPARE(notJson.status, 400);
    QCOMPARE(notJson.errorCode(), QStringLiteral("bad_json"));

    // Both refusals are in the audit log, newest first.
    QTRY_COMPARE(call("GET", QStringLiteral("/api/events"))
                     .json()[QStringLiteral("events")]
                     .toArray()
                     .size(),
                 2);
    const QJsonArray rows
        = call("GET", QStringLiteral("/api/events")).json()[QStringLiteral("events")].toArray();
    QVERIFY(rows[0][QStringLiteral("status")].toString().startsWith(QStringLiteral("rejected: ")));
    QCOMPARE(rows[0][QStringLiteral("channel")].toString(), QStringLiteral("http:/api/events"));
    QVERIFY(rows[1][QStringLiteral("status")].toString().contains(QStringLiteral("oldQuantity")));
}

void TestHttpApi::invalidate()
{
    for (int i = 0; i < 5; ++i)
        QVERIFY(setKey(QStringLiteral("products:list:page:%1").arg(i),
                       {QStringLiteral("products:list")}));
    QVERIFY(setKey(QStringLiteral("orders:1"), {QStringLiteral("orders")}));

    const HttpReply preview = call("POST", QStringLiteral("/api/invalidate"),
                                   R"({"tag":"products:list","dryRun":true})");
    QCOMPARE(preview.status, 200);
    QCOMPARE(preview.json()[QStringLiteral("count")].toInteger(), 5);
    QCOMPARE(preview.json()[QStringLiteral("sample")].toArray().size(), 5);
    QVERIFY(keyExists(QStringLiteral("products:list:page:0")));  // a dry run changes nothing

    const HttpReply byTag
        = call("POST", QStringLiteral("/api/invalidate"), R"({"tag":"products:list"})");
    QCOMPARE(byTag.json()[QStringLiteral("removed")].toInteger(), 5);
    QVERIFY(!keyExists(QStringLiteral("products:list:page:0")));

    const HttpReply namespacePreview = call("POST", QStringLiteral("/api/invalidate"),
                                            R"({"namespace":"orders:","dryRun":true})");
    QCOMPARE(namespacePreview.json()[QStringLiteral("count")].toInteger(), 1);
    // Named as /api/keys names them: without the namespace.
    QCOMPARE(namespacePreview.json()[QStringLiteral("sample")].toArray(), QJsonArray{"orders:1"});
    const HttpReply byNamespace
        = call("POST", QStringLiteral("/api/invalidate"), R"({"namespace":"orders:"})");
    QCOMPARE(byNamespace.json()[QStringLiteral("removed")].toInteger(), 1);
    QVERIFY(!keyExists(QStringLiteral("orders:1")));

    for (const QByteArray &body :
         {QByteArray(R"({})"), QByteArray(R"({"tag":"a","namespace":"b"})"),
          QByteArray(R"({"tag":""})"), QByteArray(R"({"tag":3})"),
          QByteArray(R"({"tag":"a","dryRun":"yes"})")}) {
        const HttpReply bad = call("POST", QStringLiteral("/api/invalidate"), body);
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), QStringLiteral("bad_json"));
    }
}

void TestHttpApi::keys()
{
    QVERIFY(setKey(QStringLiteral("products:1"), {QStringLiteral("products")}));
    QVERIFY(setKey(QStringLiteral("products:2"), {}));
    QVERIFY(setKey(QStringLiteral("orders:1"), {}));

    const HttpReply page = call("GET", QStringLiteral("/api/keys?match=products:*&count=100"));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json()[QStringLiteral("cursor")].toString(), QStringLiteral("0"));
    QStringList names;
    for (const QJsonValue &row : page.json()[QStringLiteral("keys")].toArray())
        names.append(row[QStringLiteral("key")].toString());
    names.sort();
    QCOMPARE(names, (QStringList{"products:1", "products:2"}));

    const HttpReply one = call("GET", QStringLiteral("/api/keys/products:1"));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json()[QStringLiteral("value")][QStringLiteral("v")].toInt(), 1);
    QCOMPARE(one.json()[QStringLiteral("tags")].toArray(), QJsonArray{"products"});
    QVERIFY(one.json()[QStringLiteral("ttlMs")].toInteger() > 50000);

    const HttpReply ttl = call("PUT", QStringLiteral("/api/keys/products:1/ttl"), R"({"ttl":5})");
    QCOMPARE(ttl.status, 200);
    QVERIFY(call("GET", QStringLiteral("/api/keys/products:1"))
                .json()[QStringLiteral("ttlMs")]
                .toInteger()
            <= 5000);
    QCOMPARE(call("PUT", QStringLiteral("/api/keys/products:1/ttl"), R"({"ttl":-1})").status, 400);
    QCOMPARE(call("PUT", QStringLiteral("/api/keys/nope/ttl"), R"({"ttl":5})").status, 404);

    QCOMPARE(call("DELETE", QStringLiteral("/api/keys/products:1")).status, 200);
    QCOMPARE(call("GET", QStringLiteral("/api/keys/products:1")).status, 404);
    QCOMPARE(call("DELETE", QStringLiteral("/api/keys/products:1")).status, 404);
    // A key with a slash travels percent-encoded.
    QVERIFY(setKey(QStringLiteral("files:a/b"), {}));
    QCOMPARE(call("GET", QStringLiteral("/api/keys/files:a%2Fb")).status, 200);
}

void TestHttpApi::clientsAndDisconnect()
{
    Subscriber subscriber;
    QVERIFY(subscriber.open(m_hub->host.wsUrl()));
    QVERIFY(subscriber.subscribe(QStringLiteral("orders")));
    const HttpReply list = call("GET", QStringLiteral("/api/clients"));
    QCOMPARE(list.status, 200);
    const QJsonArray clients = list.json()[QStringLiteral("clients")].toArray();
    QCOMPARE(clients.size(), 1);
    QCOMPARE(clients[0][QStringLiteral("subscriptions")].toArray(), QJsonArray{"orders"});
    const HttpReply channels = call("GET", QStringLiteral("/api/channels"));
    QCOMPARE(channels.json()[QStringLiteral("channels")][0][QStringLiteral("name")].toString(),
             QStringLiteral("orders"));

    QSignalSpy closed(&subscriber.socket, &QWebSocket::disconnected);
    const QString id = clients[0][QStringLiteral("id")].toString();
    QCOMPARE(call("DELETE", QStringLiteral("/api/clients/") + id).status, 200);
    QTRY_COMPARE(closed.size(), 1);  // maybe while the call was still being answered
    QCOMPARE(int(subscriber.socket.closeCode()), 4003);
    QCOMPARE(call("DELETE", QStringLiteral("/api/clients/") + id).status, 404);
}

void TestHttpApi::eventsPageAndStats()
{
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(call("POST", QStringLiteral("/api/events"),
                      jsonText(QJsonObject{{"type", "order:status"},
                                           {"orderId", QStringLiteral("SO-%1").arg(i)},
                                           {"status", "paid"},
                                           {"timestamp", nowMs()}}))
                     .status,
                 202);
    }
    QTRY_COMPARE(call("GET", QStringLiteral("/api/events"))
                     .json()[QStringLiteral("events")]
                     .toArray()
                     .size(),
                 5);
    const HttpReply first = call("GET", QStringLiteral("/api/events?limit=3"));
    QCOMPARE(first.json()[QStringLiteral("events")].toArray().size(), 3);
    const qint64 before = first.json()[QStringLiteral("before")].toInteger();
    const HttpReply second
        = call("GET", QStringLiteral("/api/events?limit=3&before=%1").arg(before));
    QCOMPARE(second.json()[QStringLiteral("events")].toArray().size(), 2);
    const HttpReply search = call("GET", QStringLiteral("/api/events?q=SO-3"));
    QCOMPARE(search.json()[QStringLiteral("events")].toArray().size(), 1);

    const HttpReply stats = call("GET", QStringLiteral("/api/stats"));
    QCOMPARE(stats.status, 200);
    QCOMPARE(stats.json()[QStringLiteral("engine")].toString(), QStringLiteral("memory"));
    QCOMPARE(stats.json()[QStringLiteral("events")][QStringLiteral("accepted")].toInteger(), 5);
    QVERIFY(stats.json()[QStringLiteral("cache")].isObject());
    QVERIFY(stats.json()[QStringLiteral("uptimeMs")].toInteger() >= 0);
}

void TestHttpApi::demoFaultsAreSetAndRefused_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");  // the start of the refusal's
    QTest::newRow("too slow") << QByteArray(R"({"faults":{"slowLoaderMs":20000}})") << 400
                              << "faults: slowLoaderMs: 20000 is not a number from 0 to 10000";
    QTest::newRow("unknown fault")
        << QByteArray(R"({"faults":{"meteor":true}})") << 400 << "faults: 'meteor' is not a fault";
    QTest::newRow("faults not an object")
        << QByteArray(R"({"faults":[1]})") << 400 << "expected {\"rate\":N}";
    QTest::newRow("neither") << QByteArray(R"({})") << 400 << "expected {\"rate\":N}";
    QTest::newRow("a misspelt member")
        << QByteArray(R"({"rate":5,"fault":{"burstEventsPerSecond":1}})") << 400
        << "expected {\"rate\":N}";
    QTest::newRow("a good rate, a bad fault")
        << QByteArray(R"({"rate":40,"faults":{"failingLoadersPercent":101}})") << 400
        << "faults: failingLoadersPercent: 101";
    QTest::newRow("no Redis to cut") << QByteArray(R"({"faults":{"redisCut":true}})") << 409
                                     << "faults: the embedded engine has no Redis link to cut";
}

void TestHttpApi::demoFaultsAreSetAndRefused()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    const QJsonObject set{
        {QStringLiteral("rate"), 0},
        {QStringLiteral("faults"), QJsonObject{{QStringLiteral("slowLoaderMs"), 300},
                                               {QStringLiteral("burstEventsPerSecond"), 5}}}};
    const HttpReply taken = call("PUT", QStringLiteral("/api/demo"), jsonText(set));
    QCOMPARE(taken.status, 200);
    const QJsonObject faults = taken.json()[QStringLiteral("faults")].toObject();
    QCOMPARE(faults[QStringLiteral("slowLoaderMs")].toInt(), 300);
    QCOMPARE(faults[QStringLiteral("burstEventsPerSecond")].toInt(), 5);
    QCOMPARE(faults[QStringLiteral("stampedeReaders")].toInt(), 0);
    QTRY_COMPARE(m_hub->host.demoFaults().text(), QStringLiteral("slow=300,burst=5"));

    const HttpReply refused = call("PUT", QStringLiteral("/api/demo"), body);
    QCOMPARE(refused.status, status);
    const QString said = refused.json()[QStringLiteral("message")].toString();
    QVERIFY2(said.startsWith(message), qPrintable(said));
    // Nothing changed: neither the faults nor the rate.
    const HttpReply after = call("GET", QStringLiteral("/api/demo"));
    QCOMPARE(after.status, 200);
    QCOMPARE(after.json()[QStringLiteral("faults")].toObject(), faults);
    QCOMPARE(after.json()[QStringLiteral("rate")].toInt(), 0);
}

void TestHttpApi::demoStampedeThroughTheApi()
{
    QSignalSpy stampedes(&m_hub->host, &kucun::HubLink::demoStampedeFinished);
    const HttpReply taken
        = call("PUT", QStringLiteral("/api/demo"), R"({"faults":{"stampedeReaders":32}})");
    QCOMPARE(taken.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(stampedes.size(), 1, 20000);
    const auto report = stampedes.first().at(0).value<kucun::StampedeReport>();
    QCOMPARE(report.readers, 32);
    QCOMPARE(report.loaderCalls, 1);
    QCOMPARE(report.answered, 32);
    // Recorded as an admin action, with what was set.
    const HttpReply log = call("GET", QStringLiteral("/api/admin-log?limit=1"));
    const QJsonObject row = log.json()[QStringLiteral("actions")].toArray().first().toObject();
    QCOMPARE(row[QStringLiteral("action")].toString(), QStringLiteral("demo"));
    QCOMPARE(row[QStringLiteral("target")].toString(), QStringLiteral("off, faults stampede=32"));
    QVERIFY(call("PUT", QStringLiteral("/api/demo"), R"({"faults":{"stampedeReaders":0}})").status
            == 200);
}

QTEST_MAIN(TestHttpApi)
#include "tst_httpapi.moc"
