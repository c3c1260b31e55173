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
    DemoSimulator demo{cache, bus};
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

QTEST_GUILESS_MAIN(TestDemoSimulator)
#include "tst_demosimulator.moc"
