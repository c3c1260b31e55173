#pragma once

#include "config/demofaults.h"
#include "demostampede.h"
#include "events/eventschema.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <random>

class QTimer;

namespace kucun {

class CacheService;
class CacheStore;
class EventBus;

// The demo of SPEC §8.3: warehouse traffic through the real engine, so that keys, TTLs, the hit
// rate, invalidations and events move within seconds. Each operation is one of: a product or
// inventory read through getOrSet (most of them, with popular products read far more often than
// others, so the hit rate climbs), an inventory change, an order changing status, a product
// edit. A few reads ask for products that were deleted: their loader finds nothing, which is
// cached as null (the penetration guard), so null hits show too.
//
// It also injects the faults of SPEC §14 (DemoFaults), all but the Redis link cut, which is the
// engine's. Lives in the engine thread.
class DemoSimulator : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultRate = 50;  // operations per second
    static constexpr int kMaxRate = 10000;
    static constexpr int kProducts = 200;

    // `store` is the one under `cache`: the stampede's other process shares it.
    DemoSimulator(CacheService &cache, CacheStore &store, EventBus &bus, QObject *parent = nullptr);
    ~DemoSimulator() override;

    // Operations per second; 0 stops the traffic. Clamped to kMaxRate.
    void setRate(int operationsPerSecond);
    int rate() const { return m_rate; }
    // Loader latency and failures apply to the loads that start from now on; a stampede starts
    // when its size is set or changed (unless one is still running) and again every
    // DemoFaults::kStampedeIntervalMs. `redisCut` is not the simulator's (Engine::setDemoFaults).
    void setFaults(const DemoFaults &faults);
    // For the hub's shutdown, before its store stops answering: the traffic stops, loaders still
    // sleeping their latency return at once, and the stampede's other process finishes its load.
    void quiesce();

signals:
    void stampedeFinished(const kucun::StampedeReport &report);

private:
    void updateTimer();
    void tick();
    void runOne();
    // A read through getOrSet, its value not waited for.
    void read(const QString &key, std::chrono::milliseconds ttl,
              std::function<Result<std::optional<QJsonValue>>()> loader,
              const GetOrSetOptions &options);
    void readProduct(int product);
    void readInventory(int product);
    void changeInventory(int product);
    void changeOrderStatus();
    void editProduct(int product);
    int pickProduct();
    // `loader` with the loader faults as they are now: it sleeps the latency, and a share of
    // calls fails instead (decided here, in the engine thread, where the random engine lives).
    std::function<Result<std::optional<QJsonValue>>()>
    withFaults(std::function<Result<std::optional<QJsonValue>>()> loader);
    // A §5 event built from the schema (EventCodec::build), on its channel.
    void publish(EventType type, const QJsonObject &fields);

    CacheService &m_cache;
    EventBus &m_bus;
    QTimer *m_timer = nullptr;
    int m_rate = 0;
    double m_owed = 0;  // operations due but not run yet (rates below the tick rate)
    double m_burstOwed = 0;  // the same for the burst's events
    DemoFaults m_faults;
    // Tells loaders still sleeping their latency that the demo is gone, so that the hub's
    // shutdown does not wait for them.
    const std::shared_ptr<std::atomic<bool>> m_gone = std::make_shared<std::atomic<bool>>(false);
    DemoStampede m_stampede;
    QTimer *m_stampedeTimer = nullptr;
    std::mt19937 m_random{20261122};
    QHash<int, int> m_stock;  // product -> quantity, so that changes follow each other
    int m_nextOrder = 1001;
};

}  // namespace kucun
