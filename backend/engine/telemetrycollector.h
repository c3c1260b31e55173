#pragma once

#include "enginetelemetry.h"

#include <QObject>

#include <functional>

class QTimer;

namespace kucun {

class EventStreamConsumer;

class CacheService;
class KeyAccessSketch;
class RedisClient;
class WsHub;

// Gathers the engine's telemetry in the engine thread and reports it every `interval`: a
// queued signal per event would swamp the GUI at 10 000 events/s, one report per 50 ms does
// not. At most `maxEventsPerReport` events ride along in a report; the rest are counted.
class TelemetryCollector : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultIntervalMs = 50;
    static constexpr int kConnectionsEvery = 10;  // reports: clients and channels every 500 ms
    static constexpr int kStoreStatsEvery = 20;  // reports: store figures about once a second
    static constexpr int kMaxEventsPerReport = 2000;
    // Traces in a report: enough for the Flow panel's pulses and its list; the flow counts
    // cover every event.
    static constexpr int kMaxTracesPerReport = 50;
    static constexpr int kMaxFlightsPerReport = 100;

    TelemetryCollector(CacheService &cache, EventRouter &router, WsHub &hub,
                       std::function<QString()> mode, QObject *parent = nullptr);

    void start(int intervalMs = kDefaultIntervalMs);
    // Reports its subscriber resets from now on. The client must outlive the collector.
    void setRedisClient(const RedisClient *client) { m_redis = client; }
    void setKeyAccess(const KeyAccessSketch *sketch) { m_keyAccess = sketch; }
    void setEventStream(const EventStreamConsumer *stream) { m_eventStream = stream; }
    // Whether anyone reads the clients, channels, loads in progress and hot keys (a window,
    // here or attached), asked every kConnectionsEvery reports: gathering them walks every
    // client, which a headless hub with tens of thousands would do for nobody. Unset: always.
    void setConnectionsWanted(std::function<bool()> wanted)
    {
        m_connectionsWanted = std::move(wanted);
    }

signals:
    void report(const kucun::EngineTelemetryPtr &telemetry);

private:
    void collect();

    CacheService &m_cache;
    WsHub &m_hub;
    const RedisClient *m_redis = nullptr;
    const KeyAccessSketch *m_keyAccess = nullptr;
    const EventStreamConsumer *m_eventStream = nullptr;
    const std::function<QString()> m_mode;
    std::function<bool()> m_connectionsWanted;
    QTimer *m_timer = nullptr;
    EventRouter &m_router;
    QList<EventRecord> m_events;
    FlowTally m_flow;
    QList<EventTrace> m_traces;
    qint64 m_tracesNotShown = 0;
    qint64 m_eventsNotShown = 0;
    qint64 m_eventsTotal = 0;
    int m_reports = 0;
    StoreStats m_storeStats;
};

}  // namespace kucun
