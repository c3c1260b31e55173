#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#include "engine/telemetrycollector.h"
#include "events/invalidationannouncer.h"
#include "events/localbus.h"
#include "ws/wshub.h"

#include <QPromise>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using kucun::EngineTelemetryPtr;
using kucun::TelemetryCollector;

class TestTelemetryCollector : public QObject
{
    Q_OBJECT

private slots:
    void reportsCountersEventsAndConnections();
    void eventsBeyondOneReportAreCounted();
    void flowCountsEveryTracedEventAndSamplesTraces();
    void stampedeShowsAsOneLoadWithItsWaiters();
    void connectionsAreGatheredOnlyWhenWanted();
};

namespace {

struct Engine
{
    Engine()
    {
        config.wsPort = 0;
        router.setChannelSink(&hub);
    }
    kucun::HubConfig config;
    kucun::MemoryStore store{kucun::MemoryStore::Options{}};
    kucun::LocalBus bus{QStringLiteral("hub-test")};
    kucun::InvalidationAnnouncer announcer{bus};
    kucun::CacheService cache{store, QStringLiteral("kucun"), &announcer};
    kucun::EventRouter router{bus, &cache, kucun::RoutingTable::builtIn(), nullptr};
    kucun::WsHub hub{config};
    TelemetryCollector collector{cache, router, hub, [] { return QStringLiteral("memory"); }};
};

EngineTelemetryPtr reportAt(const QSignalSpy &reports, qsizetype index)
{
    return reports.at(index).at(0).value<EngineTelemetryPtr>();
}

const QByteArray kOrderEvent
    = R"({"type":"order:status","orderId":"SO-1","status":"paid","timestamp":1700000000000})";

}  // namespace

void TestTelemetryCollector::reportsCountersEventsAndConnections()
{
    Engine engine;
    QCOMPARE(engine.hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy welcomed(&client, &QWebSocket::textMessageReceived);
    client.open(engine.hub.serverUrl());
    QTRY_COMPARE(welcomed.size(), 1);
    client.sendTextMessage(QStringLiteral(R"({"type":"subscribe","channel":"orders"})"));
    QTRY_COMPARE(welcomed.size(), 2);

    QVERIFY(engine.cache.set(QStringLiteral("a"), "1", std::chrono::seconds(60)).result().ok());
    engine.cache.get(QStringLiteral("a")).waitForFinished();
    engine.cache.get(QStringLiteral("missing")).waitForFinished();
    engine.bus.publish(QStringLiteral("channel:order:status"), kOrderEvent);
    engine.bus.publish(QStringLiteral("channel:order:status"), "not json");

    QSignalSpy reports(&engine.collector, &TelemetryCollector::report);
    engine.collector.start(20);
    QTRY_VERIFY(reports.size() >= 1);
    // The events arrive in one report, in order; totals add up over reports.
    QList<kucun::EventRecord> events;
    QTRY_VERIFY([&] {
        events.clear();
        for (qsizetype i = 0; i < reports.size(); ++i)
            events += reportAt(reports, i)->events;
        return events.size() == 2;
    }());
    QVERIFY(events[0].accepted);
    QCOMPARE(events[0].type, QStringLiteral("order:status"));
    QVERIFY(!events[1].accepted);

    const EngineTelemetryPtr first = reportAt(reports, 0);
    QCOMPARE(first->mode, QStringLiteral("memory"));
    QCOMPARE(first->cache.hits, 1);
    QCOMPARE(first->cache.misses, 1);
    QVERIFY(first->hasConnections);  // the first report carries them
    QCOMPARE(first->wsClientCount, 1);
    QCOMPARE(first->clients.size(), 1);
    QCOMPARE(first->clients.first().subscriptions, QStringList{QStringLiteral("orders")});

    // The routed event went to the subscriber: the delivery total says so.
    QTRY_VERIFY(reportAt(reports, reports.size() - 1)->wsDeliveriesTotal >= 3);
    QTRY_COMPARE(reportAt(reports, reports.size() - 1)->eventsTotal, 2);
    // Connections ride along every tenth report only.
    QTRY_VERIFY(reports.size() >= 3);
    QVERIFY(!reportAt(reports, 1)->hasConnections);
}

void TestTelemetryCollector::eventsBeyondOneReportAreCounted()
{
    Engine engine;
    const int published = TelemetryCollector::kMaxEventsPerReport + 50;
    for (int i = 0; i < published; ++i)
        engine.bus.publish(QStringLiteral("channel:order:status"), kOrderEvent);
    QSignalSpy processed(&engine.router, &kucun::EventRouter::eventProcessed);
    QTRY_COMPARE(processed.size(), published);

    QSignalSpy reports(&engine.collector, &TelemetryCollector::report);
    engine.collector.start(20);
    QTRY_VERIFY(reports.size() >= 1);
    const EngineTelemetryPtr report = reportAt(reports, 0);
    QCOMPARE(report->events.size(), TelemetryCollector::kMaxEventsPerReport);
    QCOMPARE(report->eventsNotShown, 50);
    QCOMPARE(report->eventsTotal, published);
}

void TestTelemetryCollector::flowCountsEveryTracedEventAndSamplesTraces()
{
    Engine engine;
    for (int i = 0; i < 3; ++i) {
        QVERIFY(engine.cache
                    .set(QStringLiteral("list:%1").arg(i), "1", std::chrono::seconds(60),
                         {QStringLiteral("sales-orders:list")})
                    .result()
                    .ok());
    }
    const int published = 120;
    for (int i = 0; i < published; ++i) {
        engine.bus.publish(QStringLiteral("channel:order:status"), kOrderEvent,
                           kucun::EventSource::Demo);
    }
    engine.bus.publish(QStringLiteral("channel:order:status"), "not json",
                       kucun::EventSource::Resp);
    QSignalSpy traced(&engine.router, &kucun::EventRouter::eventTraced);
    QTRY_COMPARE(traced.size(), published + 1);

    QSignalSpy reports(&engine.collector, &TelemetryCollector::report);
    engine.collector.start(20);
    QTRY_VERIFY(reports.size() >= 1);
    const EngineTelemetryPtr report = reportAt(reports, 0);
    QVERIFY(report->tracing);
    // Every event is in the counts; a sample of the traces rides along, the rest counted.
    QCOMPARE(report->traces.size(), TelemetryCollector::kMaxTracesPerReport);
    QCOMPARE(report->traces.size() + report->tracesNotShown, published + 1);
    const auto count = [&report](const QString &from, const QString &to) {
        for (const kucun::FlowEdgeCount &edge : report->flow) {
            if (edge.from == from && edge.to == to)
                return edge.count;
        }
        return qint64(-1);
    };
    const QString rule = QStringLiteral("rule:#6 order:status");
    QCOMPARE(count(QStringLiteral("source:demo"), QStringLiteral("bus")), published);
    QCOMPARE(count(QStringLiteral("source:resp"), QStringLiteral("bus")), 1);
    QCOMPARE(count(QStringLiteral("bus"), QStringLiteral("refused")), 1);
    QCOMPARE(count(QStringLiteral("bus"), rule), published);
    // The three keys went with the first event; the cascade ran 120 times.
    QCOMPARE(count(rule, QStringLiteral("cache:sales-orders:list")), 3);
    QCOMPARE(count(rule, QStringLiteral("cache:dashboard:overview")), 0);
    QCOMPARE(count(rule, QStringLiteral("channel:orders")), published);
    QCOMPARE(count(QStringLiteral("channel:orders"), QStringLiteral("clients")), 0);
    // The next report starts again.
    QTRY_VERIFY(reports.size() >= 2);
    QVERIFY(reportAt(reports, 1)->flow.isEmpty());
}

void TestTelemetryCollector::stampedeShowsAsOneLoadWithItsWaiters()
{
    // 64 concurrent misses on one key: one loader runs, the others wait on it (single flight),
    // and the Flow panel's list of loads says so while it runs.
    Engine engine;
    std::atomic<int> loaderCalls = 0;
    QPromise<kucun::LoadResult> slow;
    slow.start();
    QList<QFuture<kucun::LoadResult>> callers;
    for (int i = 0; i < 64; ++i) {
        callers.append(engine.cache.getOrSet(QStringLiteral("products:detail:7"),
                                             std::chrono::seconds(60), kucun::Loader([&] {
                                                 ++loaderCalls;
                                                 return slow.future();
                                             })));
    }
    QSignalSpy reports(&engine.collector, &TelemetryCollector::report);
    engine.collector.start(20);
    QTRY_VERIFY(reports.size() >= 1);
    const QList<kucun::FlightInfo> flights = reportAt(reports, 0)->flights;
    QCOMPARE(flights.size(), 1);
    QCOMPARE(flights.first().key, QStringLiteral("products:detail:7"));
    QCOMPARE(flights.first().waiters, 64);
    QCOMPARE(flights.first().stage, kucun::FlightInfo::Stage::Loading);
    QCOMPARE(loaderCalls.load(), 1);

    slow.addResult(kucun::LoadResult(std::optional<QByteArray>("{}")));
    slow.finish();
    for (QFuture<kucun::LoadResult> &caller : callers)
        QCOMPARE(caller.result().value(), std::optional<QByteArray>("{}"));
    QCOMPARE(loaderCalls.load(), 1);
    QVERIFY(engine.cache.flights().isEmpty());
}

void TestTelemetryCollector::connectionsAreGatheredOnlyWhenWanted()
{
    Engine engine;
    QCOMPARE(engine.hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy welcomed(&client, &QWebSocket::textMessageReceived);
    client.open(engine.hub.serverUrl());
    QTRY_COMPARE(welcomed.size(), 1);

    bool wanted = false;
    engine.collector.setConnectionsWanted([&wanted] { return wanted; });
    QSignalSpy reports(&engine.collector, &TelemetryCollector::report);
    engine.collector.start(5);
    // Three rounds of connections' reports, with nobody to read them: none carries them, while
    // the rest of each report goes on.
    QTRY_VERIFY_WITH_TIMEOUT(reports.size() >= 3 * TelemetryCollector::kConnectionsEvery + 1,
                             20000);
    for (qsizetype i = 0; i < reports.size(); ++i) {
        QVERIFY(!reportAt(reports, i)->hasConnections);
        QVERIFY(reportAt(reports, i)->clients.isEmpty());
    }
    QCOMPARE(reportAt(reports, reports.size() - 1)->wsClientCount, 1);

    // A reader comes: within a round, the lists do too.
    wanted = true;
    const qsizetype before = reports.size();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (qsizetype i = before; i < reports.size(); ++i) {
                if (reportAt(reports, i)->hasConnections)
                    return reportAt(reports, i)->clients.size() == 1;
            }
            return false;
        }(),
        20000);
}

QTEST_GUILESS_MAIN(TestTelemetryCollector)
#include "tst_telemetrycollector.moc"
