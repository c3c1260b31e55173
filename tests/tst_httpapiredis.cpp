// The server API of SPEC §7 on two hubs sharing one redis-server (SPEC §4-§6), as a site that
// outgrew one box runs them: an event posted to one hub or a message published on it reaches
// the subscribers of both hubs exactly once and the site on Redis exactly once; a refused event
// reaches nobody; /readyz follows Redis as it goes and comes back.

#include "cache/cacheservice.h"
#include "support/askengine.h"
#include "support/httptesting.h"
#include "support/redislistener.h"
#include "support/redisserver.h"
#include "support/wssubscriber.h"

#include <QJsonArray>
#include <QJsonObject>

using kucun::HubConfig;
using kucun::test::HttpReply;
using kucun::test::jsonText;
using kucun::test::RedisListener;
using kucun::test::RedisServer;
using kucun::test::RunningHub;
using kucun::test::WsSubscriber;

namespace {

// How long a test keeps listening after the last expected message, so that a duplicate
// delivered right behind it would be seen. Redis and the hubs forward within milliseconds on
// loopback; this bounds the wait, it times nothing.
constexpr int kDuplicateWindowMs = 300;
// What a site listens to: its events and ws:<channel> messages. The hubs' stamped copies on
// kucun:ws:<channel> (shared channel history, docs/scaling.md) are theirs.
const QList<QByteArray> kSitePatterns{QByteArrayLiteral("channel:*"), QByteArrayLiteral("ws:*")};

QJsonObject inventoryChange(const QString &productId, int oldQuantity, int newQuantity)
{
    return {{QStringLiteral("type"), QStringLiteral("inventory:change")},
            {QStringLiteral("productId"), productId},
            {QStringLiteral("oldQuantity"), oldQuantity},
            {QStringLiteral("newQuantity"), newQuantity},
            {QStringLiteral("reason"), QStringLiteral("销售出库")},
            {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()}};
}

// The `data` of each message a subscriber got on `channel`, in order.
QList<QJsonValue> dataOn(const WsSubscriber &subscriber, const QString &channel)
{
    QList<QJsonValue> data;
    for (const QJsonObject &message : subscriber.messagesOn(channel))
        data.append(message.value(QStringLiteral("data")));
    return data;
}

}  // namespace

class TestHttpApiRedis : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void eventReachesEveryHubAndTheSiteOnce();
    void publishReachesEveryHubOnce();
    void publishBatchReachesTheOtherHubInOrder();
    void refusedEventReachesNobody_data();
    void refusedEventReachesNobody();
    void readinessFollowsRedis();

private:
    // A subscriber to `channel` on each hub.
    bool subscribeOnBoth(WsSubscriber &onA, WsSubscriber &onB, const QString &channel)
    {
        return onA.open(m_hubA->host.wsUrl()) && onB.open(m_hubB->host.wsUrl())
               && onA.subscribe(channel) && onB.subscribe(channel);
    }
    HttpReply call(RunningHub &hub, const QByteArray &method, const QString &path,
                   const QByteArray &body = {})
    {
        return kucun::test::httpCall(m_network, method, hub.url(path), body);
    }
    // The hub's audit log through GET /api/events, newest first.
    QJsonArray auditRows(RunningHub &hub);
    qsizetype auditRowsOfType(RunningHub &hub, const QString &type);
    bool bothHubsListenOnRedis();

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<RunningHub> m_hubA;
    std::unique_ptr<RunningHub> m_hubB;
    QNetworkAccessManager m_network;
};

void TestHttpApiRedis::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY(m_redis->start());
    HubConfig config;
    config.redis = kucun::RedisUrl::parse(m_redis->url()).url;
    QVERIFY(config.redis);
    m_hubA = std::make_unique<RunningHub>(config);
    m_hubB = std::make_unique<RunningHub>(config);
    QVERIFY(m_hubA->start());
    QVERIFY(m_hubB->start());
    QCOMPARE(m_hubA->host.mode(), QStringLiteral("redis"));
    QCOMPARE(m_hubB->host.mode(), QStringLiteral("redis"));
    // Pub/Sub forgets what it sent before a hub subscribed: nothing is posted before then.
    QVERIFY(bothHubsListenOnRedis());
}

void TestHttpApiRedis::cleanup()
{
    m_hubA.reset();
    m_hubB.reset();
    m_redis.reset();
}

bool TestHttpApiRedis::bothHubsListenOnRedis()
{
    // Each hub's subscriber connection holds three patterns: channel:*, ws:* and kucun:ws:*.
    return QTest::qWaitFor(
        [this] {
            return m_redis->cli({"CLIENT", "LIST"}).count(QStringLiteral(" psub=3 ")) >= 2;
        },
        10000);
}

QJsonArray TestHttpApiRedis::auditRows(RunningHub &hub)
{
    return call(hub, "GET", QStringLiteral("/api/events?limit=100"))
        .json()[QStringLiteral("events")]
        .toArray();
}

qsizetype TestHttpApiRedis::auditRowsOfType(RunningHub &hub, const QString &type)
{
    const QJsonArray rows = auditRows(hub);
    return std::count_if(rows.begin(), rows.end(), [&type](const QJsonValue &row) {
        return row[QStringLiteral("type")].toString() == type;
    });
}

void TestHttpApiRedis::eventReachesEveryHubAndTheSiteOnce()
{
    // Keys carrying the tags the cascade of inventory:change for product 42 removes, written
    // through either hub (with Redis both read the same keys), and one it must leave alone.
    const QStringList tags{"inventory:summary:42", "products:42", "dashboard:overview"};
    for (qsizetype i = 0; i < tags.size(); ++i) {
        RunningHub &writer = i % 2 == 0 ? *m_hubA : *m_hubB;
        QVERIFY(writer.setKey(QStringLiteral("k:") + tags[i], {tags[i]}));
    }
    QVERIFY(m_hubB->setKey(QStringLiteral("k:warehouses:1"), {QStringLiteral("warehouses:1")}));
    for (const QString &tag : tags) {
        QVERIFY(m_hubA->keyExists(QStringLiteral("k:") + tag));
        QVERIFY(m_hubB->keyExists(QStringLiteral("k:") + tag));
    }
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(subscribeOnBoth(onA, onB, QStringLiteral("inventory")));
    RedisListener site;
    QVERIFY(site.listen(m_redis->port(), kSitePatterns));

    QJsonObject event = inventoryChange(QStringLiteral("42"), 10, 7);
    event.insert(QStringLiteral("id"), QStringLiteral("ev-http-redis-1"));
    const HttpReply reply = call(*m_hubA, "POST", QStringLiteral("/api/events"), jsonText(event));
    QCOMPARE(reply.status, 202);
    // The 202 comes once the cascade is done: the tagged keys are gone from Redis already.
    for (const QString &tag : tags)
        QCOMPARE(m_redis->cli({"EXISTS", QStringLiteral("kucun:k:") + tag}), QStringLiteral("0"));
    QCOMPARE(reply.json()[QStringLiteral("id")].toString(), QStringLiteral("ev-http-redis-1"));
    QCOMPARE(reply.json()[QStringLiteral("status")].toString(), QStringLiteral("accepted"));

    QTRY_COMPARE(onA.messagesOn(QStringLiteral("inventory")).size(), 1);
    QTRY_COMPARE(onB.messagesOn(QStringLiteral("inventory")).size(), 1);
    QTRY_COMPARE(site.payloadsOn("channel:inventory:change").size(), 1);
    QTest::qWait(kDuplicateWindowMs);
    QCOMPARE(dataOn(onA, QStringLiteral("inventory")), QList<QJsonValue>{event});
    QCOMPARE(dataOn(onB, QStringLiteral("inventory")), QList<QJsonValue>{event});
    QCOMPARE(site.payloadsOn("channel:inventory:change").size(), 1);
    QCOMPARE(QJsonDocument::fromJson(site.payloadsOn("channel:inventory:change").front()).object(),
             event);
    QVERIFY2(site.protocolError().isEmpty(), site.protocolError().constData());

    // The shared cache lost the tagged keys, whichever hub looks, and Redis itself says so.
    for (const QString &tag : tags) {
        const QString key = QStringLiteral("k:") + tag;
        QTRY_VERIFY2(!m_hubA->keyExists(key), qPrintable(key));
        QVERIFY2(!m_hubB->keyExists(key), qPrintable(key));
        QCOMPARE(m_redis->cli({"EXISTS", QStringLiteral("kucun:") + key}), QStringLiteral("0"));
    }
    QVERIFY(m_hubB->keyExists(QStringLiteral("k:warehouses:1")));

    // Hub A audited the event it was given; hub B the one it heard on Redis; once each.
    const QString type = QStringLiteral("inventory:change");
    QTRY_COMPARE(auditRowsOfType(*m_hubA, type), 1);
    QTRY_COMPARE(auditRowsOfType(*m_hubB, type), 1);
    for (RunningHub *hub : {m_hubA.get(), m_hubB.get()}) {
        const QJsonObject row = auditRows(*hub).first().toObject();
        QCOMPARE(row[QStringLiteral("status")].toString(), QStringLiteral("accepted"));
        QCOMPARE(row[QStringLiteral("channel")].toString(),
                 QStringLiteral("channel:inventory:change"));
    }
}

void TestHttpApiRedis::publishReachesEveryHubOnce()
{
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(subscribeOnBoth(onA, onB, QStringLiteral("news")));
    RedisListener site;
    QVERIFY(site.listen(m_redis->port(), kSitePatterns));

    const QJsonObject data{{QStringLiteral("headline"), QStringLiteral("仓库盘点")},
                           {QStringLiteral("n"), 1}};
    const HttpReply reply
        = call(*m_hubA, "POST", QStringLiteral("/api/publish"),
               jsonText(QJsonObject{{QStringLiteral("channel"), QStringLiteral("news")},
                                    {QStringLiteral("data"), data}}));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[QStringLiteral("channel")].toString(), QStringLiteral("news"));
    QCOMPARE(reply.json()[QStringLiteral("offset")].toInteger(), 1);

    QTRY_COMPARE(onA.messagesOn(QStringLiteral("news")).size(), 1);
    QTRY_COMPARE(onB.messagesOn(QStringLiteral("news")).size(), 1);
    QTRY_COMPARE(site.payloadsOn("ws:news").size(), 1);
    QTest::qWait(kDuplicateWindowMs);
    QCOMPARE(dataOn(onA, QStringLiteral("news")), QList<QJsonValue>{data});
    QCOMPARE(dataOn(onB, QStringLiteral("news")), QList<QJsonValue>{data});
    QCOMPARE(site.payloadsOn("ws:news").size(), 1);

    // And the other way round: a publish on hub B reaches hub A's subscriber, once.
    const QJsonObject answer{{QStringLiteral("n"), 2}};
    QCOMPARE(call(*m_hubB, "POST", QStringLiteral("/api/publish"),
                  jsonText(QJsonObject{{QStringLiteral("channel"), QStringLiteral("news")},
                                       {QStringLiteral("data"), answer}}))
                 .status,
             200);
    QTRY_COMPARE(onA.messagesOn(QStringLiteral("news")).size(), 2);
    QTRY_COMPARE(onB.messagesOn(QStringLiteral("news")).size(), 2);
    QTest::qWait(kDuplicateWindowMs);
    QCOMPARE(dataOn(onA, QStringLiteral("news")), (QList<QJsonValue>{data, answer}));
    QCOMPARE(dataOn(onB, QStringLiteral("news")), (QList<QJsonValue>{data, answer}));
}

void TestHttpApiRedis::publishBatchReachesTheOtherHubInOrder()
{
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(subscribeOnBoth(onA, onB, QStringLiteral("bulk")));

    // Numbered messages, and a few that repeat an earlier one word for word: each is a message
    // of its own and is delivered as often as it was published.
    constexpr int kCount = 100;
    QJsonArray batch;
    QList<QJsonValue> sent;
    for (int i = 0; i < kCount; ++i) {
        const QJsonValue data = i % 25 == 24 ? QJsonValue(QStringLiteral("again")) : QJsonValue(i);
        batch.append(QJsonObject{{QStringLiteral("channel"), QStringLiteral("bulk")},
                                 {QStringLiteral("data"), data}});
        sent.append(data);
    }
    const HttpReply reply = call(*m_hubA, "POST", QStringLiteral("/api/publish"), jsonText(batch));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().toArray().size(), kCount);

    QTRY_COMPARE(onA.messagesOn(QStringLiteral("bulk")).size(), kCount);
    QTRY_COMPARE_WITH_TIMEOUT(onB.messagesOn(QStringLiteral("bulk")).size(), kCount, 10000);
    QTest::qWait(kDuplicateWindowMs);
    QCOMPARE(dataOn(onA, QStringLiteral("bulk")), sent);
    QCOMPARE(dataOn(onB, QStringLiteral("bulk")), sent);
}

void TestHttpApiRedis::refusedEventReachesNobody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");  // a word the 422's message must contain

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonObject missing = inventoryChange(QStringLiteral("42"), 10, 7);
    missing.remove(QStringLiteral("oldQuantity"));
    QTest::addRow("missing field") << jsonText(missing) << QStringLiteral("oldQuantity");
    QJsonObject wrongType = inventoryChange(QStringLiteral("42"), 10, 7);
    wrongType.insert(QStringLiteral("newQuantity"), QStringLiteral("many"));
    QTest::addRow("field of the wrong type")
        << jsonText(wrongType) << QStringLiteral("newQuantity");
    QTest::addRow("unknown type") << jsonText(
        QJsonObject{{"type", "stock:moved"}, {"timestamp", now}})
                                  << QStringLiteral("type");
    QTest::addRow("not an object")
        << jsonText(QJsonArray{inventoryChange("42", 10, 7)}) << QStringLiteral("object");
}

void TestHttpApiRedis::refusedEventReachesNobody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    QVERIFY(m_hubA->setKey(QStringLiteral("k:products:42"), {QStringLiteral("products:42")}));
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(subscribeOnBoth(onA, onB, QStringLiteral("inventory")));
    RedisListener site;
    QVERIFY(site.listen(m_redis->port(), kSitePatterns));

    const HttpReply refused = call(*m_hubA, "POST", QStringLiteral("/api/events"), body);
    QCOMPARE(refused.status, 422);
    QCOMPARE(refused.errorCode(), QStringLiteral("invalid_event"));
    QVERIFY2(refused.json()[QStringLiteral("message")].toString().contains(reason),
             refused.body.constData());

    // A good event for another product behind it: Redis keeps one publisher's order, so once
    // hub B and the site have this one, anything sent before it has arrived too.
    const QJsonObject marker = inventoryChange(QStringLiteral("43"), 5, 4);
    QCOMPARE(call(*m_hubA, "POST", QStringLiteral("/api/events"), jsonText(marker)).status, 202);
    QTRY_COMPARE(onB.messagesOn(QStringLiteral("inventory")).size(), 1);
    QTRY_COMPARE(site.messages().size(), 1);
    QTest::qWait(kDuplicateWindowMs);
    QCOMPARE(dataOn(onA, QStringLiteral("inventory")), QList<QJsonValue>{marker});
    QCOMPARE(dataOn(onB, QStringLiteral("inventory")), QList<QJsonValue>{marker});
    QCOMPARE(site.messages().size(), 1);
    QCOMPARE(site.messages().front().channel, QByteArray("channel:inventory:change"));
    QCOMPARE(QJsonDocument::fromJson(site.messages().front().payload).object(), marker);
    // No cascade, on the shared cache.
    QVERIFY(m_hubB->keyExists(QStringLiteral("k:products:42")));

    // Hub A audited the refusal; hub B never heard of it.
    QTRY_COMPARE(auditRows(*m_hubA).size(), 2);
    QTRY_COMPARE(auditRows(*m_hubB).size(), 1);
    QVERIFY(auditRows(*m_hubA)[1][QStringLiteral("status")].toString().startsWith(
        QStringLiteral("rejected: ")));
    QCOMPARE(auditRows(*m_hubB)[0][QStringLiteral("status")].toString(),
             QStringLiteral("accepted"));
}

void TestHttpApiRedis::readinessFollowsRedis()
{
    for (RunningHub *hub : {m_hubA.get(), m_hubB.get()}) {
        const HttpReply ready = call(*hub, "GET", QStringLiteral("/readyz"));
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.json()[QStringLiteral("status")].toString(), QStringLiteral("ready"));
        QCOMPARE(ready.json()[QStringLiteral("engine")].toString(), QStringLiteral("redis"));
    }

    m_redis->kill();
    QTRY_COMPARE_WITH_TIMEOUT(m_hubA->host.mode(), QStringLiteral("degraded"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_hubB->host.mode(), QStringLiteral("degraded"), 10000);
    for (RunningHub *hub : {m_hubA.get(), m_hubB.get()}) {
        const HttpReply degraded = call(*hub, "GET", QStringLiteral("/readyz"));
        QCOMPARE(degraded.status, 200);  // still serving, from memory
        QCOMPARE(degraded.json()[QStringLiteral("status")].toString(), QStringLiteral("ready"));
        QCOMPARE(degraded.json()[QStringLiteral("engine")].toString(), QStringLiteral("degraded"));
    }
    // Serving indeed: a publish still reaches the hub's own subscriber.
    WsSubscriber onA;
    QVERIFY(onA.open(m_hubA->host.wsUrl()));
    QVERIFY(onA.subscribe(QStringLiteral("news")));
    QCOMPARE(call(*m_hubA, "POST", QStringLiteral("/api/publish"),
                  R"({"channel":"news","data":"while Redis is away"})")
                 .status,
             200);
    QTRY_COMPARE(dataOn(onA, QStringLiteral("news")),
                 QList<QJsonValue>{QStringLiteral("while Redis is away")});

    // Redis back on the same port: the hubs return to it by themselves (backoff from 100 ms).
    QVERIFY(m_redis->restart());
    QTRY_COMPARE_WITH_TIMEOUT(m_hubA->host.mode(), QStringLiteral("redis"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_hubB->host.mode(), QStringLiteral("redis"), 20000);
    for (RunningHub *hub : {m_hubA.get(), m_hubB.get()}) {
        const HttpReply back = call(*hub, "GET", QStringLiteral("/readyz"));
        QCOMPARE(back.status, 200);
        QCOMPARE(back.json()[QStringLiteral("engine")].toString(), QStringLiteral("redis"));
    }
}

QTEST_MAIN(TestHttpApiRedis)
#include "tst_httpapiredis.moc"
