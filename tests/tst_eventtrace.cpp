// Causal traces (SPEC §14): each §5 event type through the real router, cache and WebSocket hub
// names its rule, the exact keys its cascade removed, its channel and offset and the clients it
// reached, leaving out a client that subscribed later and listing one cut as a slow consumer;
// the trace is kept with the audit row. End to end on a running hub: POST /api/events answers
// the id, GET /api/events/{id}/trace answers the trace, before and after a restart, and a
// replayed event says so.

#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#include "events/auditlog.h"
#include "events/eventrouter.h"
#include "events/eventtrace.h"
#include "events/localbus.h"
#include "support/httptesting.h"
#include "support/wshubtesting.h"
#include "support/wssubscriber.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace std::chrono_literals;
using kucun::EventTrace;
using kucun::test::HttpReply;
using kucun::test::jsonText;
using kucun::test::RunningHub;
using Subscriber = kucun::test::WsSubscriber;

namespace {

// A client of the hub, with the id its welcome named.
struct Client
{
    Subscriber subscriber;
    QString id;

    bool open(const QUrl &url)
    {
        if (!subscriber.open(url))
            return false;
        id = QJsonDocument::fromJson(subscriber.received.front().at(0).toString().toUtf8())
                 .object()
                 .value(QStringLiteral("clientId"))
                 .toString();
        return !id.isEmpty();
    }
};

QStringList sorted(QStringList items)
{
    std::sort(items.begin(), items.end());
    return items;
}

// The queue bound of the hub below, and the size of a message that nearly fills it: a client
// that got one in this turn is cut by whatever comes next.
constexpr qint64 kQueueBytes = 16 * 1024;
constexpr qsizetype kFillerChars = 16200;

}  // namespace

class TestEventTrace : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void traceOfEachEventType_data();
    void traceOfEachEventType();
    void refusedEventIsTracedWithItsReason();
    void tracingOffWritesNoTrace();
    void storedTraceDropsNamesBeyondItsBound();
    void traceIsAnsweredByTheApiAcrossARestart();
    void replayedEventIsMarkedAsReplayed();

private:
    EventTrace handleAndTrace(const QString &channel, const QByteArray &payload,
                              const std::function<void()> &sameTurn = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<kucun::MemoryStore> m_store;
    std::unique_ptr<kucun::LocalBus> m_bus;
    std::unique_ptr<kucun::CacheService> m_cache;
    std::unique_ptr<kucun::AuditLog> m_audit;
    std::unique_ptr<kucun::WsHub> m_hub;
    std::unique_ptr<kucun::EventRouter> m_router;
};

void TestEventTrace::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    kucun::MemoryStore::Options options;
    options.shardCount = 4;
    m_store = std::make_unique<kucun::MemoryStore>(options);
    m_bus = std::make_unique<kucun::LocalBus>(QStringLiteral("hub-test"));
    m_cache = std::make_unique<kucun::CacheService>(*m_store, QStringLiteral("kucun"));
    m_audit = std::make_unique<kucun::AuditLog>(
        kucun::AuditLog::Options{m_dir->filePath("audit.db"), 100000, 30, 50ms, 2000});
    QVERIFY(m_audit->isEnabled());
    kucun::WsHub::Limits limits;
    limits.maxQueuedBytes = kQueueBytes;
    m_hub = std::make_unique<kucun::WsHub>(kucun::test::wsTestConfig(), limits);
    QVERIFY(!m_hub->listen());
    m_router = std::make_unique<kucun::EventRouter>(*m_bus, m_cache.get(),
                                                    kucun::RoutingTable::builtIn(), m_audit.get());
    m_router->setChannelSink(m_hub.get());
}

void TestEventTrace::cleanup()
{
    m_router.reset();
    m_hub.reset();
    m_audit.reset();
    m_cache.reset();
    m_bus.reset();
    m_store.reset();
    m_dir.reset();
}

EventTrace TestEventTrace::handleAndTrace(const QString &channel, const QByteArray &payload,
                                          const std::function<void()> &sameTurn)
{
    QSignalSpy traced(m_router.get(), &kucun::EventRouter::eventTraced);
    if (sameTurn)
        sameTurn();
    const kucun::EventRecord record = m_router->handle(channel, payload, kucun::EventSource::Redis);
    if (!QTest::qWaitFor([&traced] { return !traced.isEmpty(); }, 5000))
        return {};
    const EventTrace trace = traced.front().front().value<EventTrace>();
    if (trace.eventId != record.eventId)
        return {};
    return trace;
}

void TestEventTrace::traceOfEachEventType_data()
{
    QTest::addColumn<QJsonObject>("event");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QString>("wsChannel");

    QTest::newRow("inventory:change")
        << QJsonObject{{"type", "inventory:change"},
                       {"productId", "42"},
                       {"oldQuantity", 10},
                       {"newQuantity", 7},
                       {"reason", "销售出库"}}
        << "#2 inventory:change"
        << QStringList{"inventory:summary:42", "products:42", "dashboard:overview"} << "inventory";
    QTest::newRow("data:update products")
        << QJsonObject{{"type", "data:update"},
                       {"resource", "products"},
                       {"id", "42"},
                       {"action", "update"}}
        << "#3 data:update resource=products"
        << QStringList{"products", "products:list", "products:search", "products:42"} << "products";
    QTest::newRow("data:update sales-orders")
        << QJsonObject{{"type", "data:update"},
                       {"resource", "sales-orders"},
                       {"id", "SO-1"},
                       {"action", "create"}}
        << "#4 data:update resource=sales-orders"
        << QStringList{"sales-orders", "sales-orders:list", "dashboard:overview"} << "orders";
    QTest::newRow("order:status") << QJsonObject{{"type", "order:status"},
                                                 {"orderId", "SO-1001"},
                                                 {"status", "shipped"}}
                                  << "#6 order:status"
                                  << QStringList{"sales-orders:list", "dashboard:overview"}
                                  << "orders";
    QTest::newRow("finance:change")
        << QJsonObject{{"type", "finance:change"},
                       {"entity", "payment"},
                       {"id", "P-9"},
                       {"action", "create"}}
        << "#7 finance:change" << QStringList{"finance", "dashboard:overview"} << "finance";
    QTest::newRow("data:update another resource")
        << QJsonObject{{"type", "data:update"},
                       {"resource", "warehouses"},
                       {"id", "3"},
                       {"action", "delete"}}
        << "#5 data:update" << QStringList{"warehouses", "warehouses:list", "warehouses:3"}
        << "warehouses";
    QTest::newRow("cache:invalidate")
        << QJsonObject{{"type", "cache:invalidate"}, {"tag", "products:7"}} << "#1 cache:invalidate"
        << QStringList{"products:7"} << "cache";
}

void TestEventTrace::traceOfEachEventType()
{
    QFETCH(QJsonObject, event);
    QFETCH(QString, rule);
    QFETCH(QStringList, tags);
    QFETCH(QString, wsChannel);
    event.insert(QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch());
    const QString type = event.value(QStringLiteral("type")).toString();

    // Two keys under each tag of the cascade, one under a tag it leaves alone, and for
    // products the page the namespace invalidation takes.
    QMap<QString, QStringList> seeded;
    for (const QString &tag : tags) {
        for (const QString &key : {QStringLiteral("a:") + tag, QStringLiteral("b:") + tag}) {
            QVERIFY(m_cache->set(key, "{}", 600s, {tag}).result().ok());
            seeded[tag].append(key);
        }
    }
    QVERIFY(m_cache->set("untouched", "{}", 600s, {"warehouses:1"}).result().ok());
    const bool productsPage = rule.contains(u"resource=products");
    if (productsPage)
        QVERIFY(m_cache->set("products:list:page:1", "{}", 600s).result().ok());

    // Three readers of the channel; a fourth, also on `bulk`, nearly full when the event comes.
    std::array<Client, 3> readers;
    for (Client &reader : readers) {
        QVERIFY(reader.open(m_hub->serverUrl()));
        QVERIFY(reader.subscriber.subscribe(wsChannel));
    }
    Client slow;
    QVERIFY(slow.open(m_hub->serverUrl()));
    QVERIFY(slow.subscriber.subscribe(wsChannel));
    QVERIFY(slow.subscriber.subscribe(QStringLiteral("bulk")));
    Client late;
    QVERIFY(late.open(m_hub->serverUrl()));

    const EventTrace trace
        = handleAndTrace(QStringLiteral("channel:") + type, jsonText(event), [this] {
              m_hub->deliverToChannel(QStringLiteral("bulk"), QString(kFillerChars, u'x'));
          });
    QVERIFY(!trace.eventId.isEmpty());
    QVERIFY(late.subscriber.subscribe(wsChannel));  // after the event: not one of its readers

    QCOMPARE(trace.source, kucun::EventSource::Redis);
    QCOMPARE(trace.channel, QStringLiteral("channel:") + type);
    QCOMPARE(trace.type, type);
    QVERIFY(trace.accepted);
    QVERIFY(trace.complete);
    QCOMPARE(trace.rule, rule);
    // Each tag with exactly its two keys, in the routing table's order.
    QStringList tracedTags;
    for (const EventTrace::Invalidation &invalidation : trace.invalidations) {
        if (invalidation.isNamespace) {
            QCOMPARE(invalidation.target, QStringLiteral("products:list:"));
            QCOMPARE(invalidation.removed, 1);
            QCOMPARE(invalidation.keys, QStringList{"products:list:page:1"});
            continue;
        }
        tracedTags.append(invalidation.target);
        QCOMPARE(invalidation.removed, 2);
        QCOMPARE(sorted(invalidation.keys), seeded.value(invalidation.target));
        QVERIFY(invalidation.error.isEmpty());
    }
    QCOMPARE(tracedTags, tags);
    QCOMPARE(trace.invalidations.size(), tags.size() + (productsPage ? 1 : 0));
    QVERIFY(m_cache->ttl("untouched").result().value() > 0);
    QVERIFY(trace.cascadeMicros >= 0);

    // Delivered to the three readers at the offset they got; the slow one was cut.
    QCOMPARE(trace.wsChannel, wsChannel);
    QVERIFY(trace.delivery.known);
    for (Client &reader : readers)
        QTRY_COMPARE(reader.subscriber.messagesOn(wsChannel).size(), 1);
    QCOMPARE(trace.delivery.offset,
             readers[0].subscriber.messagesOn(wsChannel).front().value("offset").toInteger());
    QCOMPARE(trace.delivery.written, 3);
    QCOMPARE(sorted(trace.delivery.writtenTo),
             sorted({readers[0].id, readers[1].id, readers[2].id}));
    QCOMPARE(trace.delivery.skippedCount, 1);
    QCOMPARE(trace.delivery.skipped,
             (QList<kucun::ChannelDelivery::Skip>{{slow.id, "cut as a slow consumer"}}));
    QCOMPARE(trace.delivery.notSubscribed, 1);  // the late client
    QVERIFY(trace.lastWriteMicros >= 0);
    QVERIFY(!trace.delivery.writtenTo.contains(late.id));

    // Kept with the audit row, as the API reads it back.
    const auto found = m_audit->findEvent(trace.eventId).result();
    QVERIFY(found.ok() && found.value().has_value());
    QCOMPARE(found.value()->eventId, trace.eventId);
    QCOMPARE(found.value()->status, QStringLiteral("accepted"));
    const EventTrace stored
        = EventTrace::fromJson(QJsonDocument::fromJson(found.value()->trace).object());
    QCOMPARE(stored.toJson(), trace.toJson());
}

void TestEventTrace::refusedEventIsTracedWithItsReason()
{
    const EventTrace trace
        = handleAndTrace(QStringLiteral("channel:inventory:change"),
                         R"({"type":"inventory:change","productId":"42","timestamp":1})");
    QVERIFY(!trace.eventId.isEmpty());
    QVERIFY(!trace.accepted);
    QVERIFY2(trace.reason.contains(u"oldQuantity"), qPrintable(trace.reason));
    QVERIFY(trace.rule.isEmpty());
    QVERIFY(trace.invalidations.isEmpty());
    QVERIFY(trace.wsChannel.isEmpty());
    const auto found = m_audit->findEvent(trace.eventId).result();
    QVERIFY(found.ok() && found.value().has_value());
    QVERIFY(found.value()->status.startsWith(u"rejected: "));
}

void TestEventTrace::tracingOffWritesNoTrace()
{
    m_router->setTracing(false);
    QSignalSpy traced(m_router.get(), &kucun::EventRouter::eventTraced);
    QVERIFY(m_cache->set("k", "{}", 600s, {"products:7"}).result().ok());
    const kucun::EventRecord record
        = m_router->handle(QStringLiteral("channel:cache:invalidate"),
                           R"({"type":"cache:invalidate","tag":"products:7","timestamp":1})",
                           kucun::EventSource::Redis);
    QVERIFY(record.accepted);
    QVERIFY(!record.eventId.isEmpty());  // still an id, found in the log without a trace
    QVERIFY(m_cache->ttl("k").result().value() < 0);
    const auto found = m_audit->findEvent(record.eventId).result();
    QVERIFY(found.ok() && found.value().has_value());
    QVERIFY(found.value()->trace.isEmpty());
    QCOMPARE(traced.size(), 0);
    QCOMPARE(m_router->openTraceCount(), 0);
}

void TestEventTrace::storedTraceDropsNamesBeyondItsBound()
{
    EventTrace trace;
    trace.eventId = QStringLiteral("ev-big");
    trace.accepted = true;
    EventTrace::Invalidation invalidation;
    invalidation.target = QStringLiteral("products");
    invalidation.removed = 5000;
    for (int i = 0; i < EventTrace::kMaxNamedKeys; ++i)
        invalidation.keys.append(QStringLiteral("products:detail:%1:").arg(i) + QString(900, u'k'));
    trace.invalidations.append(invalidation);
    const QByteArray whole = trace.storedText(1 << 20);
    QCOMPARE(EventTrace::fromJson(QJsonDocument::fromJson(whole).object()).toJson(),
             trace.toJson());
    const QByteArray stored = trace.storedText(kucun::AuditLog::kMaxTraceBytes);
    QVERIFY(stored.size() <= kucun::AuditLog::kMaxTraceBytes);
    const QJsonObject json = QJsonDocument::fromJson(stored).object();
    QVERIFY(json.value("namesDropped").toBool());
    const EventTrace counts = EventTrace::fromJson(json);
    QCOMPARE(counts.invalidations.front().removed, 5000);
    QVERIFY(counts.invalidations.front().keys.isEmpty());
}

void TestEventTrace::traceIsAnsweredByTheApiAcrossARestart()
{
    RunningHub hub;
    QVERIFY(hub.start());
    QNetworkAccessManager network;
    const auto call
        = [&](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
              return kucun::test::httpCall(network, method, hub.url(path), body);
          };
    QVERIFY(hub.setKey(QStringLiteral("k:products:9"), {QStringLiteral("products:9")}));
    Client reader;
    QVERIFY(reader.open(hub.host.wsUrl()));
    QVERIFY(reader.subscriber.subscribe(QStringLiteral("cache")));

    const HttpReply posted
        = call("POST", QStringLiteral("/api/events"),
               jsonText(QJsonObject{
                   {"type", "cache:invalidate"}, {"tag", "products:9"}, {"timestamp", 1}}));
    QCOMPARE(posted.status, 202);
    const QString id = posted.json().toObject().value("id").toString();
    QVERIFY(id.startsWith(u"ev-"));
    QTRY_COMPARE(reader.subscriber.messagesOn(QStringLiteral("cache")).size(), 1);

    const QString path = QStringLiteral("/api/events/%1/trace").arg(id);
    QTRY_COMPARE(call("GET", path).status, 200);
    const QJsonObject answer = call("GET", path).json().toObject();
    QCOMPARE(answer.value("event").toObject().value("eventId").toString(), id);
    const QJsonObject trace = answer.value("trace").toObject();
    QCOMPARE(trace.value("source").toString(), QStringLiteral("http"));
    QCOMPARE(trace.value("rule").toString(), QStringLiteral("#1 cache:invalidate"));
    QCOMPARE(trace.value("invalidations").toArray().at(0).toObject().value("keys").toArray(),
             QJsonArray{"k:products:9"});
    const QJsonObject delivery = trace.value("delivery").toObject();
    QCOMPARE(delivery.value("written").toInt(), 1);
    QCOMPARE(delivery.value("clients").toArray(), QJsonArray{reader.id});
    // The event list names the id too.
    QCOMPARE(call("GET", QStringLiteral("/api/events?limit=1"))
                 .json()
                 .toObject()
                 .value("events")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value("eventId")
                 .toString(),
             id);

    const HttpReply unknown = call("GET", QStringLiteral("/api/events/ev-none/trace"));
    QCOMPARE(unknown.status, 404);
    QVERIFY(unknown.json().toObject().value("message").toString().contains(u"ev-none"));

    // After a restart (another hub on the same data folder), from the database.
    QSignalSpy finished(&hub.host, &kucun::EngineHost::finished);
    hub.host.stop();
    QVERIFY(finished.wait(10000));
    kucun::EngineHost restarted(RunningHub::configured({}, hub.dir.path()));
    restarted.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarted.state(), kucun::EngineHost::State::Running, 10000);
    const HttpReply again
        = kucun::test::httpCall(network, "GET", restarted.httpUrl().resolved(QUrl(path)));
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().toObject().value("trace").toObject(), trace);
}

void TestEventTrace::replayedEventIsMarkedAsReplayed()
{
    QSignalSpy traced(m_router.get(), &kucun::EventRouter::eventTraced);
    m_bus->publish(QStringLiteral("channel:order:status"),
                   R"({"type":"order:status","orderId":"SO-7","status":"paid","timestamp":1})",
                   kucun::EventSource::Replay);
    m_bus->publish(QStringLiteral("ws:orders"), R"({"note":"by hand"})", kucun::EventSource::Resp);
    QTRY_COMPARE(traced.size(), 2);
    QCOMPARE(traced[0].front().value<EventTrace>().source, kucun::EventSource::Replay);
    const EventTrace passed = traced[1].front().value<EventTrace>();
    QCOMPARE(passed.source, kucun::EventSource::Resp);
    QCOMPARE(passed.wsChannel, QStringLiteral("orders"));
    QCOMPARE(passed.delivery.written, 0);
    QCOMPARE(passed.toJson().value("source").toString(), QStringLiteral("resp"));
}

QTEST_GUILESS_MAIN(TestEventTrace)
#include "tst_eventtrace.moc"
