#pragma once

#include "events/eventschema.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <random>

class QTimer;

namespace kucun {

class CacheService;
class EventBus;

// The demo of SPEC §8.3: warehouse traffic through the real engine, so that keys, TTLs, the hit
// rate, invalidations and events move within seconds. Each operation is one of: a product or
// inventory read through getOrSet (most of them, with popular products read far more often than
// others, so the hit rate climbs), an inventory change, an order changing status, a product
// edit. Lives in the engine thread.
class DemoSimulator : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultRate = 50;  // operations per second
    static constexpr int kMaxRate = 10000;
    static constexpr int kProducts = 200;

    DemoSimulator(CacheService &cache, EventBus &bus, QObject *parent = nullptr);

    // Operations per second; 0 stops the traffic. Clamped to kMaxRate.
    void setRate(int operationsPerSecond);
    int rate() const { return m_rate; }

private:
    void tick();
    void runOne();
    void readProduct(int product);
    void readInventory(int product);
    void changeInventory(int product);
    void changeOrderStatus();
    void editProduct(int product);
    int pickProduct();
    // A §5 event built from the schema (EventCodec::build), on its channel.
    void publish(EventType type, const QJsonObject &fields);

    CacheService &m_cache;
    EventBus &m_bus;
    QTimer *m_timer = nullptr;
    int m_rate = 0;
    double m_owed = 0;  // operations due but not run yet (rates below the tick rate)
    std::mt19937 m_random{20261122};
    QHash<int, int> m_stock;  // product -> quantity, so that changes follow each other
    int m_nextOrder = 1001;
};

}  // namespace kucun
