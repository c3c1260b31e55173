#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#include "events/auditlog.h"
#include "events/channelsink.h"
#include "events/eventrouter.h"
#include "events/invalidationannouncer.h"
#include "events/localbus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using kucun::EventRecord;

// Stands in for the WebSocket hub.
class FakeSink : public kucun::ChannelSink
{
public:
    QList<QPair<QString, QJsonValue>> delivered;
    void deliverToChannel(const QString &channel, const QJsonValue &data) override
    {
        delivered.append({channel, data});
    }
};

class TestEventRouter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void cascadeRemovesExactlyTheRoutedKeys_data();
    void cascadeRemovesExactlyTheRoutedKeys();
    void routesToTheWebSocketChannel_data();
    void routesToTheWebSocketChannel();
    void rejectedEventsAreCountedLoggedAndNotRouted();
    void wsChannelsPassThrough();
    void ownInvalidationIsNotAppliedTwice();
    void remoteInvalidationIsAppliedSilently();
    void anEventHeardTwiceIsHandledOnce_data();
    void anEventHeardTwiceIsHandledOnce();

private:
    // The channel of the marker: any ws: channel, which the router passes through.
    inline static const QString kMarkerChannel = QStringLiteral("ws:marker");
    void publishAndWait(const QString &channel, const QByteArray &payload);
    void publishMarker() { m_bus->publish(kMarkerChannel, R"({"marker":true})"); }
    QSet<QString> remainingKeys() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<kucun::MemoryStore> m_store;
    std::unique_ptr<kucun::LocalBus> m_bus;
    std::unique_ptr<kucun::InvalidationAnnouncer> m_announcer;
    std::unique_ptr<kucun::CacheService> m_cache;
    std::unique_ptr<kucun::AuditLog> m_audit;
    std::unique_ptr<kucun::EventRouter> m_router;
    FakeSink m_sink;
    QSet<QString> m_seeded;
};

namespace {

// One key per tag (named after it), plus untagged keys under products:list: and elsewhere.
const QStringList kTags{"inventory:summary:42",
                        "inventory:summary:43",
                        "products:42",
                        "products:43",
                        "dashboard:overview",
                        "products",
                        "products:list",
                        "products:search",
                        "sales-orders",
                        "sales-orders:list",
                        "suppliers",
                        "suppliers:list",
                        "suppliers:9",
                        "suppliers:8",
                        "finance",
                        "orders:unrelated"};
const QStringList kUntagged{"products:list:page1", "products:list:page2", "products:detail:1"};

}  // namespace

void TestEventRouter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    kucun::MemoryStore::Options options;
    options.shardCount = 4;
    m_store = std::make_unique<kucun::MemoryStore>(options);
    m_bus = std::make_unique<kucun::LocalBus>(QStringLiteral("hub-test"));
    m_announcer = std::make_unique<kucun::InvalidationAnnouncer>(*m_bus);
    m_cache = std::make_unique<kucun::CacheService>(*m_store, QStringLiteral("kucun"),
                                                    m_announcer.get());
    m_audit = std::make_unique<kucun::AuditLog>(
        kucun::AuditLog::Options{m_dir->filePath("audit.db"), 100000, 30, 50ms, 2000});
    QVERIFY(m_audit->isEnabled());
    m_router = std::make_unique<kucun::EventRouter>(*m_bus, m_cache.get(),
                                                    kucun::RoutingTable::builtIn(), m_audit.get());
    m_router->setChannelSink(&m_sink);
    m_sink.delivered.clear();
    m_seeded.clear();
    for (const QString &tag : kTags) {
        QVERIFY(m_cache->set("k:" + tag, "{}", 600s, {tag}).result().ok());
        m_seeded.insert("k:" + tag);
    }
    for (const QString &key : kUntagged) {
        QVERIFY(m_cache->set(key, "{}", 600s).result().ok());
        m_seeded.insert(key);
    }
}

void TestEventRouter::cleanup()
{
    m_router.reset();
    m_audit.reset();
    m_cache.reset();
    m_announcer.reset();
    m_bus.reset();
    m_store.reset();
    m_dir.reset();
}

void TestEventRouter::publishAndWait(const QString &channel, const QByteArray &payload)
{
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    m_bus->publish(channel, payload);
    QTRY_COMPARE(processed.size(), 1);
}

QSet<QString> TestEventRouter::remainingKeys() const
{
    QSet<QString> keys;
    for (const QString &key : m_seeded) {
        if (m_store->lookup(m_cache->fullKey(key).toStdString()))
            keys.insert(key);
    }
    return keys;
}

void TestEventRouter::cascadeRemovesExactlyTheRoutedKeys_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("removed");

    QTest::addRow("inventory:change 42")
        << "channel:inventory:change"
        << QByteArray(
               R"({"type":"inventory:change","productId":"42","oldQuantity":100,"newQuantity":95,"reason":"sale","timestamp":1700000000000})")
        << QStringList{"k:inventory:summary:42", "k:products:42", "k:dashboard:overview"};
    QTest::addRow("data:update products 42")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"products","id":"42","action":"update","timestamp":1700000000000})")
        << QStringList{"k:products",    "k:products:list",     "k:products:search",
                       "k:products:42", "products:list:page1", "products:list:page2"};
    QTest::addRow("data:update sales-orders")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"sales-orders","id":"SO-1","action":"create","timestamp":1700000000000})")
        << QStringList{"k:sales-orders", "k:sales-orders:list", "k:dashboard:overview"};
    QTest::addRow("data:update suppliers 9")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"suppliers","id":"9","action":"delete","timestamp":1700000000000})")
        << QStringList{"k:suppliers", "k:suppliers:list", "k:suppliers:9"};
    QTest::addRow("order:status")
        << "channel:order:status"
        << QByteArray(
               R"({"type":"order:status","orderId":"SO-1001","status":"shipped","timestamp":1700000000000})")
        << QStringList{"k:sales-orders:list", "k:dashboard:overview"};
    QTest::addRow("finance:change")
        << "channel:finance:change"
        << QByteArray(
               R"({"type":"finance:change","entity":"payment","id":"P-9","action":"create","amount":12.5,"timestamp":1700000000000})")
        << QStringList{"k:finance", "k:dashboard:overview"};
}

void TestEventRouter::cascadeRemovesExactlyTheRoutedKeys()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, json);
    QFETCH(QStringList, removed);
    publishAndWait(channel, json);
    QSet<QString> expected = m_seeded;
    for (const QString &key : removed)
        expected.remove(key);
    QCOMPARE(remainingKeys(), expected);
    const auto counts = m_router->counters().snapshot().value(
        {channel, QJsonDocument::fromJson(json).object().value("type").toString()});
    QCOMPARE(counts.accepted, 1);
    QCOMPARE(counts.invalidatedKeys, removed.size());
}

void TestEventRouter::routesToTheWebSocketChannel_data()
{
    cascadeRemovesExactlyTheRoutedKeys_data();
    QTest::addColumn<QString>("wsChannel");
}

void TestEventRouter::routesToTheWebSocketChannel()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, json);
    const QHash<QString, QString> expectedChannel{{"inventory:change 42", "inventory"},
                                                  {"data:update products 42", "products"},
                                                  {"data:update sales-orders", "orders"},
                                                  {"data:update suppliers 9", "suppliers"},
                                                  {"order:status", "orders"},
                                                  {"finance:change", "finance"}};
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    m_bus->publish(channel, json);
    QTRY_COMPARE(processed.size(), 1);
    QCOMPARE(m_sink.delivered.size(), 1);
    QCOMPARE(m_sink.delivered.first().first, expectedChannel.value(QTest::currentDataTag()));
    QCOMPARE(m_sink.delivered.first().second.toObject(), QJsonDocument::fromJson(json).object());
    const auto record = processed.first().first().value<EventRecord>();
    QVERIFY(record.accepted);
    QCOMPARE(record.routedTo, expectedChannel.value(QTest::currentDataTag()));
}

void TestEventRouter::rejectedEventsAreCountedLoggedAndNotRouted()
{
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    m_bus->publish("channel:inventory:change", "productId=42");
    m_bus->publish(
        "channel:inventory:change",
        R"({"type":"inventory:change","productId":"42","oldQuantity":1,"newQuantity":"2","reason":"x","timestamp":1})");
    QTRY_COMPARE(processed.size(), 2);
    QVERIFY(m_sink.delivered.isEmpty());
    QCOMPARE(remainingKeys(), m_seeded);  // nothing invalidated
    const auto first = processed.at(0).first().value<EventRecord>();
    QVERIFY(!first.accepted);
    QCOMPARE(first.reason, QStringLiteral("not JSON"));
    QCOMPARE(processed.at(1).first().value<EventRecord>().reason,
             QStringLiteral("newQuantity is not a number"));
    QCOMPARE(m_router->counters().total().rejected, 2);

    m_audit->flush();
    const auto rows = m_audit->query({}).result();
    QVERIFY(rows.ok());
    QCOMPARE(rows.value().size(), 2);
    QCOMPARE(rows.value().at(0).status, QStringLiteral("rejected: newQuantity is not a number"));
    QCOMPARE(rows.value().at(0).type, QStringLiteral("inventory:change"));
    QCOMPARE(rows.value().at(1).status, QStringLiteral("rejected: not JSON"));
    QCOMPARE(rows.value().at(1).payload, QStringLiteral("productId=42"));
}

void TestEventRouter::wsChannelsPassThrough()
{
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    m_bus->publish("ws:orders", R"({"orderId":"SO-7","eta":"tomorrow"})");
    m_bus->publish("ws:bad channel", R"({"x":1})");
    m_bus->publish("ws:alerts", "not json");
    m_bus->publish("ws:ticker", "42");
    QTRY_COMPARE(processed.size(), 4);
    QCOMPARE(m_sink.delivered.size(), 2);
    QCOMPARE(m_sink.delivered.at(0).first, QStringLiteral("orders"));
    QCOMPARE(m_sink.delivered.at(0).second.toObject().value("orderId").toString(),
             QStringLiteral("SO-7"));
    QCOMPARE(m_sink.delivered.at(1).first, QStringLiteral("ticker"));
    QCOMPARE(m_sink.delivered.at(1).second.toInt(), 42);
    QCOMPARE(processed.at(1).first().value<EventRecord>().reason,
             QStringLiteral("not a channel name"));
    QCOMPARE(processed.at(2).first().value<EventRecord>().reason, QStringLiteral("not JSON"));
}

void TestEventRouter::ownInvalidationIsNotAppliedTwice()
{
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    QCOMPARE(m_cache->invalidateTag("products:42").result().value(), 1);
    QTRY_COMPARE(processed.size(), 1);  // the announcement comes back through the bus
    const auto record = processed.first().first().value<EventRecord>();
    QVERIFY(record.accepted);
    QCOMPARE(record.source, QStringLiteral("hub-test"));
    QCOMPARE(record.routedTo, QStringLiteral("cache"));
    // A marker published now arrives after anything the first event made the router publish
    // (the bus keeps order): if it is the next event, nothing looped.
    publishMarker();
    QTRY_COMPARE(processed.size(), 2);
    QCOMPARE(processed.at(1).first().value<EventRecord>().channel, kMarkerChannel);
    QCOMPARE(m_cache->stats().result().value().invalidations, 1);
}

void TestEventRouter::remoteInvalidationIsAppliedSilently()
{
    QSignalSpy processed(m_router.get(), &kucun::EventRouter::eventProcessed);
    m_bus->publish(
        "channel:cache:invalidate",
        R"({"type":"cache:invalidate","tag":"products:43","timestamp":1,"source":"hub-other"})");
    QTRY_COMPARE(processed.size(), 1);
    QVERIFY(!remainingKeys().contains("k:products:43"));
    publishMarker();  // applying it published nothing new: the marker comes next
    QTRY_COMPARE(processed.size(), 2);
    QCOMPARE(processed.at(1).first().value<EventRecord>().channel, kMarkerChannel);
}

void TestEventRouter::anEventHeardTwiceIsHandledOnce_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("deliveries");  // of the same text handled twice
    QTest::addRow("eventId") << QByteArray(
        R"({"type":"order:status","orderId":"SO-1","status":"paid","timestamp":1,"eventId":"ev-1"})")
                             << 1;
    QTest::addRow("id of an order:status") << QByteArray(
        R"({"type":"order:status","orderId":"SO-1","status":"paid","timestamp":1,"id":"ev-2"})")
                                           << 1;
    // Here `id` names the record: two updates of product 42 are two events.
    QTest::addRow("id of a data:update") << QByteArray(
        R"({"type":"data:update","resource":"products","id":"42","action":"update","timestamp":1})")
                                         << 2;
    QTest::addRow("no id") << QByteArray(
        R"({"type":"order:status","orderId":"SO-1","status":"paid","timestamp":1})")
                           << 2;
}

void TestEventRouter::anEventHeardTwiceIsHandledOnce()
{
    QFETCH(QByteArray, json);
    QFETCH(int, deliveries);
    const QString channel = QStringLiteral("channel:")
                            + QJsonDocument::fromJson(json).object().value("type").toString();
    // On Pub/Sub and on the reliable stream, say: the same text twice.
    int cascaded = 0;
    for (int i = 0; i < 2; ++i)
        QVERIFY(
            m_router->handle(channel, json, kucun::EventSource::Redis, [&cascaded] { ++cascaded; })
                .accepted);
    QTRY_COMPARE(cascaded, 2);  // the stream acknowledges either way
    QCOMPARE(m_sink.delivered.size(), deliveries);
    QCOMPARE(m_router->repeatsDropped(), 2 - deliveries);
}

QTEST_GUILESS_MAIN(TestEventRouter)
#include "tst_eventrouter.moc"
