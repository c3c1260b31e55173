#pragma once

#include "cache/cacheservice.h"
#include "cache/cachestats.h"
#include "cache/keyaccesssketch.h"
#include "events/eventflow.h"
#include "events/eventrouter.h"
#include "ws/channelregistry.h"
#include "ws/wsclient.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace kucun {

// What the engine tells the GUI every 50 ms (SPEC §8.2): totals the GUI turns into rates, the
// events since the previous report, and (every 500 ms) the WebSocket clients and channels.
// Built in the engine thread, read in the GUI thread, never changed once sent.
struct EngineTelemetry
{
    qint64 atMs = 0;  // wall clock
    QString mode;  // memory, redis or degraded
    CacheStats cache;  // `store` is refreshed about once a second
    qint64 eventsTotal = 0;  // every event the router saw, accepted or not
    qint64 wsDeliveriesTotal = 0;  // frames written to WebSocket clients
    int wsClientCount = 0;
    // Times Redis cut the subscriber (RedisClient::subscriberResets()); -1 without Redis.
    qint64 redisSubscriberResets = -1;
    // host:port of the Redis server in use (through Sentinel, the master it named); empty
    // without Redis. With Sentinel: how many sentinels there are and answered when last asked.
    QString redisServer;
    int sentinels = 0;
    int sentinelsAnswering = 0;
    // With HUB_EVENT_STREAM: entries not yet read by this instance, and read but not yet
    // acknowledged; -1 without a stream or before Redis answered.
    qint64 eventStreamLag = -1;
    qint64 eventStreamPending = -1;

    QList<EventRecord> events;  // new since the previous report, oldest first
    qint64 eventsNotShown = 0;  // beyond what one report carries (the rest are still counted)

    // The Flow panel's (SPEC §14), while the hub traces events: the edges they went along since
    // the previous report, and some of their traces (the rest counted).
    bool tracing = false;
    QList<FlowEdgeCount> flow;
    QList<EventTrace> traces;
    qint64 tracesNotShown = 0;

    bool hasConnections = false;  // `clients` and `channels` are in this report
    QList<WsClientInfo> clients;
    QList<ChannelRegistry::ChannelInfo> channels;
    // With `clients`: the Redis-protocol front's key traffic (the Hot keys panel); null when
    // the front is off.
    std::shared_ptr<const KeyAccessSketch::Snapshot> keyAccess;
    // With `clients`: the single-flight loads in progress, oldest first (at most
    // TelemetryCollector::kMaxFlightsPerReport, the most waited for), and how many there are.
    QList<FlightInfo> flights;
    int flightsTotal = 0;
};

using EngineTelemetryPtr = std::shared_ptr<const EngineTelemetry>;

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::EngineTelemetryPtr)
