#include "telemetrycollector.h"

#include "cache/cacheservice.h"
#include "events/eventstreamconsumer.h"
#include "redis/redisclient.h"
#include "ws/wshub.h"

#include <QDateTime>
#include <QTimer>

namespace kucun {

namespace {
constexpr int kHotKeysShown = 50;  // rows of the Hot keys panel
}  // namespace

TelemetryCollector::TelemetryCollector(CacheService &cache, EventRouter &router, WsHub &hub,
                                       std::function<QString()> mode, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
    , m_hub(hub)
    , m_mode(std::move(mode))
    , m_timer(new QTimer(this))
    , m_router(router)
{
    connect(&router, &EventRouter::eventProcessed, this, [this](const EventRecord &record) {
        ++m_eventsTotal;
        if (m_events.size() < kMaxEventsPerReport)
            m_events.append(record);
        else
            ++m_eventsNotShown;
    });
    connect(&router, &EventRouter::eventTraced, this, [this](const EventTrace &trace) {
        m_flow.add(trace);
        if (m_traces.size() < kMaxTracesPerReport)
            m_traces.append(trace);
        else
            ++m_tracesNotShown;
    });
    connect(m_timer, &QTimer::timeout, this, &TelemetryCollector::collect);
}

void TelemetryCollector::start(int intervalMs)
{
    m_timer->start(intervalMs);
}

void TelemetryCollector::collect()
{
    auto telemetry = std::make_shared<EngineTelemetry>();
    telemetry->atMs = QDateTime::currentMSecsSinceEpoch();
    telemetry->mode = m_mode();
    telemetry->eventsTotal = m_eventsTotal;
    telemetry->wsDeliveriesTotal = m_hub.deliveriesTotal();
    telemetry->wsClientCount = m_hub.clientCount();
    if (m_redis) {
        telemetry->redisSubscriberResets = m_redis->subscriberResets();
        telemetry->redisServer = m_redis->server();
        telemetry->sentinels = m_redis->sentinelCount();
        telemetry->sentinelsAnswering = m_redis->sentinelsAnswering();
    }
    if (m_eventStream) {
        telemetry->eventStreamLag = m_eventStream->lag();
        telemetry->eventStreamPending = m_eventStream->pending();
    }
    telemetry->events.swap(m_events);
    telemetry->eventsNotShown = std::exchange(m_eventsNotShown, 0);
    telemetry->tracing = m_router.tracing();
    telemetry->flow = m_flow.take();
    telemetry->traces.swap(m_traces);
    telemetry->tracesNotShown = std::exchange(m_tracesNotShown, 0);

    if (m_reports % kStoreStatsEvery == 0) {
        // Redis answers later; the figure rides along from the next report on.
        m_cache.stats().then(this, [this](const Result<CacheStats> &stats) {
            if (stats.ok())
                m_storeStats = stats.value().store;
        });
    }
    if (m_reports % kConnectionsEvery == 0 && (!m_connectionsWanted || m_connectionsWanted())) {
        telemetry->hasConnections = true;
        telemetry->clients = m_hub.clientInfos();
        telemetry->channels = m_hub.channelInfos();
        telemetry->flights = m_cache.flights(kMaxFlightsPerReport);
        telemetry->flightsTotal = std::max(m_cache.flightCount(), int(telemetry->flights.size()));
        if (m_keyAccess)
            telemetry->keyAccess = std::make_shared<const KeyAccessSketch::Snapshot>(
                m_keyAccess->snapshot(kHotKeysShown));
    }
    ++m_reports;
    // CacheService::stats() also asks the store; the counters alone are immediate.
    telemetry->cache = m_cache.counters();
    telemetry->cache.store = m_storeStats;
    emit report(telemetry);
}

}  // namespace kucun
