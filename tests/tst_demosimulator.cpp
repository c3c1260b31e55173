#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#include "engine/demosimulator.h"
#include "events/eventrouter.h"
#include "events/hubevent.h"
#include "events/invalidationannouncer.h"
#include "events/localbus.h"

#include <QSignalSpy>
#include <QTest>

using kucun::DemoSimulator;

class TestDemoSimulator : public QObject
{
    Q_OBJECT

private slots:
    void trafficMovesKeysHitRateAndEvents();
    void rateZeroStops();
    void slowLoadersShowAsLoadsInProgress();
    void failingLoadersCacheNothing();
    void stampedeMakesOneLoaderCall();
    void stampedeStandsOutAmongHundredsOfLoads();
    void burstPublishesOnTopOfTheTraffic();
    void goingAwayDoesNotWaitForSlowLoaders();
};

namespace {

// The engine's parts the simulator drives, with the real router behind the bus.
struct Warehouse
{
    kucun::MemoryStore store{kucun::MemoryStore::Options{}};
    kucun::LocalBus bus{QStringLiteral("hub-test")};
    kucun::InvalidationAnnouncer announcer{bus};
    kucun::CacheService cache{store, QStringLiteral("kucun"), &announcer};
    kucun::EventRouter router{bus, &cache, kucun::RoutingTable::builtIn(), nullptr};
    DemoSimulator demo{cache, store, bus};
};

}  // namespace

void TestDemoSimulator::trafficMovesKeysHitRateAndEvents()
{
    Warehouse warehouse;
    QSignalSpy events(&warehouse.router, &kucun::EventRouter::eventProcessed);
    warehouse.demo.setRate(400);
    QCOMPARE(warehouse.demo.rate(), 400);

    // Within seconds: keys of both kinds, reads that hit, and events of every demo type.
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.counters().hits > 20, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(events.size() > 30, 10000);
    // Some reads ask for deleted products: cached as null, then hit as null.
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.counters().nullHits > 0, 20000);
    warehouse.demo.setRate(0);

    QSet<QString> types;
    for (const QList<QVariant> &arguments : std::as_const(events)) {
        const auto record = arguments.at(0).value<kucun::EventRecord>();
        QVERIFY2(record.accepted, qPrintable(record.reason));  // the router found them valid
        types.insert(record.type);
    }
    QVERIFY(types.contains(QStringLiteral("inventory:change")));
    QVERIFY(types.contains(QStringLiteral("order:status")));

    const kucun::ScanPage page = warehouse.store.scan("kucun:*", {}, 1000).result().value();
    bool products = false;
    bool inventory = false;
    for (const QByteArray &key : page.keys) {
        products |= key.startsWith("kucun:products:detail:");
        inventory |= key.startsWith("kucun:inventory:summary:");
    }
    QVERIFY(products);
    QVERIFY(inventory);
    const kucun::CacheStats stats = warehouse.cache.counters();
    QVERIFY2(stats.hitRate() > 0.2, qPrintable(QString::number(stats.hitRate())));
    QVERIFY(stats.misses > 0);
}

void TestDemoSimulator::rateZeroStops()
{
    Warehouse warehouse;
    warehouse.demo.setRate(1000);
    QTRY_VERIFY(warehouse.cache.counters().misses > 0);
    warehouse.demo.setRate(0);
    QTest::qWait(100);  // whatever was on its way arrives
    const qint64 lookups = warehouse.cache.counters().hits + warehouse.cache.counters().misses;
    QTest::qWait(300);
    QCOMPARE(warehouse.cache.counters().hits + warehouse.cache.counters().misses, lookups);
    warehouse.demo.setRate(-5);
    QCOMPARE(warehouse.demo.rate(), 0);
    warehouse.demo.setRate(1'000'000);
    QCOMPARE(warehouse.demo.rate(), DemoSimulator::kMaxRate);
}

namespace {

kucun::DemoFaults faultsOf(const char *text)
{
    return kucun::DemoFaults::parse(QString::fromLatin1(text)).value();
}

bool hasKeyStartingWith(kucun::MemoryStore &store, const QByteArray &prefix)
{
    const kucun::ScanPage page = store.scan("kucun:*", {}, 10000).result().value();
    return std::any_of(page.keys.cbegin(), page.keys.cend(),
                       [&prefix](const QByteArray &key) { return key.startsWith(prefix); });
}

}  // namespace

void TestDemoSimulator::slowLoadersShowAsLoadsInProgress()
{
    Warehouse warehouse;
    warehouse.demo.setFaults(faultsOf("slow=1500"));
    warehouse.demo.setRate(50);
    // Loads pile up, each taking the chosen latency: listed in progress, older than a second,
    // and none done yet.
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flights().size() >= 5, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flights().first().ageMs >= 1000, 10000);
    QCOMPARE(warehouse.cache.flights().first().stage, kucun::FlightInfo::Stage::Loading);
    warehouse.demo.setRate(0);
    // Lifted: the loads in progress end.
    warehouse.demo.setFaults({});
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flights().isEmpty(), 30000);
    QVERIFY(warehouse.cache.counters().loads > 0);
}

void TestDemoSimulator::failingLoadersCacheNothing()
{
    Warehouse warehouse;
    warehouse.demo.setFaults(faultsOf("fail=100"));
    warehouse.demo.setRate(400);
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.counters().loadErrors > 20, 10000);
    warehouse.demo.setRate(0);
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flights().isEmpty(), 10000);
    QCOMPARE(warehouse.cache.counters().loads, 0);
    QVERIFY(!hasKeyStartingWith(warehouse.store, "kucun:products:detail:"));
    QVERIFY(!hasKeyStartingWith(warehouse.store, "kucun:inventory:summary:"));

    // A share: some loads fail, the others store their value.
    warehouse.demo.setFaults(faultsOf("fail=30"));
    warehouse.demo.setRate(400);
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.counters().loads > 20, 10000);
    warehouse.demo.setRate(0);
    QVERIFY(hasKeyStartingWith(warehouse.store, "kucun:products:detail:"));
}

void TestDemoSimulator::stampedeMakesOneLoaderCall()
{
    Warehouse warehouse;
    QSignalSpy finished(&warehouse.demo, &DemoSimulator::stampedeFinished);
    warehouse.demo.setRate(100);  // with the usual traffic around it
    warehouse.demo.setFaults(faultsOf("stampede=64,slow=1500"));
    // While the other process loads: one load in progress here, shared by the 64 readers,
    // waiting on the other's lock.
    const auto stampedeFlight = [&warehouse]() -> std::optional<kucun::FlightInfo> {
        for (const kucun::FlightInfo &flight : warehouse.cache.flights())
            if (flight.key == kucun::DemoStampede::kKey)
                return flight;
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(stampedeFlight() && stampedeFlight()->waiters == 64, 10000);
    QCOMPARE(stampedeFlight()->stage, kucun::FlightInfo::Stage::WaitingForLock);

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    const auto report = finished.first().at(0).value<kucun::StampedeReport>();
    QCOMPARE(report.key, kucun::DemoStampede::kKey);
    QCOMPARE(report.readers, 64);
    QCOMPARE(report.loaderCalls, 1);
    QCOMPARE(report.answered, 64);
    QCOMPARE(report.failed, 0);
    QCOMPARE(report.lockWaits, 1);
    QCOMPARE(report.sharedBy, 64);
    QVERIFY(report.elapsedMs >= 1000);  // the readers waited for the slow load
    QVERIFY(hasKeyStartingWith(warehouse.store, "kucun:products:detail:0"));
    warehouse.demo.setRate(0);
    warehouse.demo.setFaults({});
}

void TestDemoSimulator::stampedeStandsOutAmongHundredsOfLoads()
{
    // Slow loaders under heavy traffic: far more loads in progress than a list shows. The
    // stampede's one load, with its 64 readers, is still the one listed and reported.
    Warehouse warehouse;
    warehouse.demo.setFaults(faultsOf("slow=4000"));
    warehouse.demo.setRate(2000);
    QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flightCount() > 150, 10000);
    QSignalSpy finished(&warehouse.demo, &DemoSimulator::stampedeFinished);
    warehouse.demo.setFaults(faultsOf("slow=4000,stampede=64"));
    const auto listed = [&warehouse] {
        for (const kucun::FlightInfo &flight : warehouse.cache.flights(100))
            if (flight.key == kucun::DemoStampede::kKey)
                return flight.waiters;
        return 0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(listed(), 64, 10000);
    QVERIFY(warehouse.cache.flightCount() > 100);
    warehouse.demo.setRate(0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto report = finished.first().at(0).value<kucun::StampedeReport>();
    QCOMPARE(report.sharedBy, 64);
    QCOMPARE(report.loaderCalls, 1);
    QCOMPARE(report.answered, 64);
}

void TestDemoSimulator::burstPublishesOnTopOfTheTraffic()
{
    Warehouse warehouse;
    QSignalSpy events(&warehouse.router, &kucun::EventRouter::eventProcessed);
    warehouse.demo.setFaults(faultsOf("burst=2000"));  // no other traffic
    QTRY_VERIFY_WITH_TIMEOUT(events.size() >= 500, 10000);
    warehouse.demo.setFaults({});
    QTest::qWait(100);  // whatever was on its way arrives
    const qsizetype seen = events.size();
    for (const QList<QVariant> &arguments : std::as_const(events)) {
        const auto record = arguments.at(0).value<kucun::EventRecord>();
        QVERIFY2(record.accepted, qPrintable(record.reason));
        QCOMPARE(record.type, QStringLiteral("inventory:change"));
    }
    QTest::qWait(300);
    QCOMPARE(events.size(), seen);  // off again
}

void TestDemoSimulator::goingAwayDoesNotWaitForSlowLoaders()
{
    QElapsedTimer clock;
    {
        Warehouse warehouse;
        warehouse.demo.setFaults(faultsOf("slow=10000,stampede=8"));
        warehouse.demo.setRate(400);
        QTRY_VERIFY_WITH_TIMEOUT(warehouse.cache.flights().size() >= 16, 10000);
        clock.start();
    }
    // The loads each had ten seconds to go; the demo told them to stop.
    QVERIFY2(clock.elapsed() < 9000, qPrintable(QString::number(clock.elapsed())));
}

QTEST_GUILESS_MAIN(TestDemoSimulator)
#include "tst_demosimulator.moc"
