#include "telemetrycodec.h"

#include "cache/cachestatsjson.h"
#include "telemetrycollector.h"
#include "ws/wsinfojson.h"

#include <QJsonArray>

#include <algorithm>
#include <climits>

namespace kucun::TelemetryCodec {

namespace {

// What a window holds of one remote report at most, beyond the events: as many rows as the
// hub's own limits allow.
constexpr qsizetype kMaxClients = 100000;
constexpr qsizetype kMaxChannels = 100000;
constexpr qsizetype kMaxHotKeys = 1000;

QJsonObject eventJson(const EventRecord &event)
{
    QJsonObject json{{QStringLiteral("at"), event.receivedAtMs},
                     {QStringLiteral("channel"), event.channel},
                     {QStringLiteral("type"), event.type},
                     {QStringLiteral("source"), event.source},
                     {QStringLiteral("payload"), QString::fromUtf8(event.payload)},
                     {QStringLiteral("accepted"), event.accepted}};
    if (!event.reason.isEmpty())
        json.insert(QStringLiteral("reason"), event.reason);
    if (!event.routedTo.isEmpty())
        json.insert(QStringLiteral("routedTo"), event.routedTo);
    if (!event.eventId.isEmpty())
        json.insert(QStringLiteral("eventId"), event.eventId);
    json.insert(QStringLiteral("from"), EventSources::name(event.from));
    return json;
}

EventRecord eventFromJson(const QJsonObject &json)
{
    EventRecord event;
    event.receivedAtMs = json.value(QStringLiteral("at")).toInteger();
    event.channel = json.value(QStringLiteral("channel")).toString();
    event.type = json.value(QStringLiteral("type")).toString();
    event.source = json.value(QStringLiteral("source")).toString();
    event.payload = json.value(QStringLiteral("payload")).toString().toUtf8();
    event.accepted = json.value(QStringLiteral("accepted")).toBool();
    event.reason = json.value(QStringLiteral("reason")).toString();
    event.routedTo = json.value(QStringLiteral("routedTo")).toString();
    event.eventId = json.value(QStringLiteral("eventId")).toString();
    event.from = EventSources::fromName(json.value(QStringLiteral("from")).toString())
                     .value_or(EventSource::Hub);
    return event;
}

const QString kFlightStages[] = {QStringLiteral("loading"), QStringLiteral("holding-lock"),
                                 QStringLiteral("waiting-for-lock")};

QJsonArray flowJson(const QList<FlowEdgeCount> &edges)
{
    QJsonArray json;
    for (const FlowEdgeCount &edge : edges) {
        json.append(QJsonObject{{QStringLiteral("from"), edge.from},
                                {QStringLiteral("to"), edge.to},
                                {QStringLiteral("count"), edge.count}});
    }
    return json;
}

QList<FlowEdgeCount> flowFromJson(const QJsonArray &json)
{
    QList<FlowEdgeCount> edges;
    for (const QJsonValue &value : json) {
        // A tally holds kMaxEdges and the folded edges beyond (one per source and rule).
        if (edges.size() >= 2 * FlowTally::kMaxEdges)
            break;
        const QJsonObject edge = value.toObject();
        edges.append({edge.value(QStringLiteral("from")).toString(),
                      edge.value(QStringLiteral("to")).toString(),
                      std::max<qint64>(0, edge.value(QStringLiteral("count")).toInteger())});
    }
    return edges;
}

QJsonArray flightsJson(const QList<FlightInfo> &flights)
{
    QJsonArray json;
    for (const FlightInfo &flight : flights) {
        json.append(QJsonObject{{QStringLiteral("key"), flight.key},
                                {QStringLiteral("waiters"), flight.waiters},
                                {QStringLiteral("stage"), kFlightStages[int(flight.stage)]},
                                {QStringLiteral("ageMs"), flight.ageMs}});
    }
    return json;
}

QList<FlightInfo> flightsFromJson(const QJsonArray &json)
{
    QList<FlightInfo> flights;
    for (const QJsonValue &value : json) {
        if (flights.size() >= TelemetryCollector::kMaxFlightsPerReport)
            break;
        const QJsonObject flight = value.toObject();
        FlightInfo info;
        info.key = flight.value(QStringLiteral("key")).toString();
        info.waiters = flight.value(QStringLiteral("waiters")).toInt();
        const QString stage = flight.value(QStringLiteral("stage")).toString();
        for (int i = 0; i < 3; ++i) {
            if (stage == kFlightStages[i])
                info.stage = FlightInfo::Stage(i);
        }
        info.ageMs = flight.value(QStringLiteral("ageMs")).toInteger();
        flights.append(info);
    }
    return flights;
}

QJsonObject keyAccessJson(const KeyAccessSketch::Snapshot &snapshot)
{
    QJsonArray top;
    for (const KeyAccessSketch::KeyCounts &key : snapshot.top) {
        top.append(QJsonObject{{QStringLiteral("key"), QString::fromUtf8(key.key)},
                               {QStringLiteral("count"), key.count},
                               {QStringLiteral("error"), key.error},
                               {QStringLiteral("reads"), key.reads},
                               {QStringLiteral("hits"), key.hits},
                               {QStringLiteral("misses"), key.misses},
                               {QStringLiteral("writes"), key.writes},
                               {QStringLiteral("loads"), key.loads},
                               {QStringLiteral("lastAccessMs"), key.lastAccessMs}});
    }
    QJsonArray segments;
    for (const KeyAccessSketch::SegmentCounts &segment : snapshot.segments) {
        segments.append(QJsonObject{{QStringLiteral("segment"), segment.segment},
                                    {QStringLiteral("hits"), segment.hits},
                                    {QStringLiteral("misses"), segment.misses}});
    }
    QJsonArray ttls;
    for (const qint64 count : snapshot.ttlHistogram)
        ttls.append(count);
    return {{QStringLiteral("top"), top},
            {QStringLiteral("segments"), segments},
            {QStringLiteral("ttlHistogram"), ttls},
            {QStringLiteral("reads"), snapshot.reads},
            {QStringLiteral("writes"), snapshot.writes},
            {QStringLiteral("loads"), snapshot.loads}};
}

KeyAccessSketch::Snapshot keyAccessFromJson(const QJsonObject &json)
{
    KeyAccessSketch::Snapshot snapshot;
    for (const QJsonValue &value : json.value(QStringLiteral("top")).toArray()) {
        if (snapshot.top.size() >= kMaxHotKeys)
            break;
        const QJsonObject key = value.toObject();
        KeyAccessSketch::KeyCounts counts;
        counts.key = key.value(QStringLiteral("key")).toString().toUtf8();
        counts.count = key.value(QStringLiteral("count")).toInteger();
        counts.error = key.value(QStringLiteral("error")).toInteger();
        counts.reads = key.value(QStringLiteral("reads")).toInteger();
        counts.hits = key.value(QStringLiteral("hits")).toInteger();
        counts.misses = key.value(QStringLiteral("misses")).toInteger();
        counts.writes = key.value(QStringLiteral("writes")).toInteger();
        counts.loads = key.value(QStringLiteral("loads")).toInteger();
        counts.lastAccessMs = key.value(QStringLiteral("lastAccessMs")).toInteger();
        snapshot.top.append(counts);
    }
    for (const QJsonValue &value : json.value(QStringLiteral("segments")).toArray()) {
        if (snapshot.segments.size() >= kMaxHotKeys)
            break;
        const QJsonObject segment = value.toObject();
        snapshot.segments.append({segment.value(QStringLiteral("segment")).toString(),
                                  segment.value(QStringLiteral("hits")).toInteger(),
                                  segment.value(QStringLiteral("misses")).toInteger()});
    }
    const QJsonArray ttls = json.value(QStringLiteral("ttlHistogram")).toArray();
    for (size_t bucket = 0; bucket < snapshot.ttlHistogram.size(); ++bucket)
        snapshot.ttlHistogram[bucket] = ttls.at(qsizetype(bucket)).toInteger();
    snapshot.reads = json.value(QStringLiteral("reads")).toInteger();
    snapshot.writes = json.value(QStringLiteral("writes")).toInteger();
    snapshot.loads = json.value(QStringLiteral("loads")).toInteger();
    return snapshot;
}

}  // namespace

QJsonObject encode(const EngineTelemetry &telemetry)
{
    QJsonArray events;
    for (const EventRecord &event : telemetry.events)
        events.append(eventJson(event));
    QJsonObject json{{QStringLiteral("type"), QStringLiteral("telemetry")},
                     {QStringLiteral("at"), telemetry.atMs},
                     {QStringLiteral("mode"), telemetry.mode},
                     {QStringLiteral("cache"), cacheStatsJson(telemetry.cache)},
                     {QStringLiteral("eventsTotal"), telemetry.eventsTotal},
                     {QStringLiteral("wsDeliveriesTotal"), telemetry.wsDeliveriesTotal},
                     {QStringLiteral("wsClients"), telemetry.wsClientCount},
                     {QStringLiteral("redisSubscriberResets"), telemetry.redisSubscriberResets},
                     {QStringLiteral("redisServer"), telemetry.redisServer},
                     {QStringLiteral("sentinels"), telemetry.sentinels},
                     {QStringLiteral("sentinelsAnswering"), telemetry.sentinelsAnswering},
                     {QStringLiteral("eventStreamLag"), telemetry.eventStreamLag},
                     {QStringLiteral("eventStreamPending"), telemetry.eventStreamPending},
                     {QStringLiteral("events"), events},
                     {QStringLiteral("eventsNotShown"), telemetry.eventsNotShown},
                     {QStringLiteral("tracing"), telemetry.tracing},
                     {QStringLiteral("flow"), flowJson(telemetry.flow)},
                     {QStringLiteral("tracesNotShown"), telemetry.tracesNotShown}};
    QJsonArray traces;
    for (const EventTrace &trace : telemetry.traces)
        traces.append(trace.toJson());
    json.insert(QStringLiteral("traces"), traces);
    if (telemetry.hasConnections) {
        QJsonArray clients;
        for (const WsClientInfo &client : telemetry.clients)
            clients.append(clientInfoJson(client));
        QJsonArray channels;
        for (const ChannelRegistry::ChannelInfo &channel : telemetry.channels)
            channels.append(channelInfoJson(channel));
        json.insert(QStringLiteral("clients"), clients);
        json.insert(QStringLiteral("channels"), channels);
        if (telemetry.keyAccess)
            json.insert(QStringLiteral("keyAccess"), keyAccessJson(*telemetry.keyAccess));
        json.insert(QStringLiteral("flights"), flightsJson(telemetry.flights));
        json.insert(QStringLiteral("flightsTotal"), telemetry.flightsTotal);
    }
    return json;
}

EngineTelemetry decode(const QJsonObject &message)
{
    const auto number = [&message](const char *name, qint64 fallback = 0) {
        return message.value(QLatin1StringView(name)).toInteger(fallback);
    };
    EngineTelemetry telemetry;
    telemetry.atMs = number("at");
    telemetry.mode = message.value(QStringLiteral("mode")).toString();
    telemetry.cache = cacheStatsFromJson(message.value(QStringLiteral("cache")).toObject());
    telemetry.eventsTotal = number("eventsTotal");
    telemetry.wsDeliveriesTotal = number("wsDeliveriesTotal");
    telemetry.wsClientCount = int(number("wsClients"));
    telemetry.redisSubscriberResets = number("redisSubscriberResets", -1);
    telemetry.redisServer = message.value(QStringLiteral("redisServer")).toString();
    telemetry.sentinels = int(number("sentinels"));
    telemetry.sentinelsAnswering = int(number("sentinelsAnswering"));
    telemetry.eventStreamLag = number("eventStreamLag", -1);
    telemetry.eventStreamPending = number("eventStreamPending", -1);
    const QJsonArray events = message.value(QStringLiteral("events")).toArray();
    for (const QJsonValue &event : events) {
        if (telemetry.events.size() >= TelemetryCollector::kMaxEventsPerReport * 2)
            break;
        telemetry.events.append(eventFromJson(event.toObject()));
    }
    telemetry.eventsNotShown
        = std::max<qint64>(0, number("eventsNotShown")) + (events.size() - telemetry.events.size());
    telemetry.tracing = message.value(QStringLiteral("tracing")).toBool();
    telemetry.flow = flowFromJson(message.value(QStringLiteral("flow")).toArray());
    const QJsonArray traces = message.value(QStringLiteral("traces")).toArray();
    for (const QJsonValue &trace : traces) {
        if (telemetry.traces.size() >= TelemetryCollector::kMaxTracesPerReport * 2)
            break;
        telemetry.traces.append(EventTrace::fromJson(trace.toObject()));
    }
    telemetry.tracesNotShown
        = std::max<qint64>(0, number("tracesNotShown")) + (traces.size() - telemetry.traces.size());
    telemetry.hasConnections = message.value(QStringLiteral("clients")).isArray();
    if (telemetry.hasConnections) {
        for (const QJsonValue &client : message.value(QStringLiteral("clients")).toArray()) {
            if (telemetry.clients.size() >= kMaxClients)
                break;
            telemetry.clients.append(clientInfoFromJson(client.toObject()));
        }
        for (const QJsonValue &channel : message.value(QStringLiteral("channels")).toArray()) {
            if (telemetry.channels.size() >= kMaxChannels)
                break;
            telemetry.channels.append(channelInfoFromJson(channel.toObject()));
        }
        telemetry.flights = flightsFromJson(message.value(QStringLiteral("flights")).toArray());
        telemetry.flightsTotal = int(std::clamp<qint64>(
            number("flightsTotal", telemetry.flights.size()), telemetry.flights.size(), INT_MAX));
        if (message.value(QStringLiteral("keyAccess")).isObject()) {
            telemetry.keyAccess = std::make_shared<const KeyAccessSketch::Snapshot>(
                keyAccessFromJson(message.value(QStringLiteral("keyAccess")).toObject()));
        }
    }
    return telemetry;
}

void merge(EngineTelemetry &into, const EngineTelemetry &newer)
{
    QList<EventRecord> events = std::move(into.events);
    qint64 eventsNotShown = into.eventsNotShown + newer.eventsNotShown;
    for (const EventRecord &event : newer.events) {
        if (events.size() < TelemetryCollector::kMaxEventsPerReport)
            events.append(event);
        else
            ++eventsNotShown;
    }
    QList<EventTrace> traces = std::move(into.traces);
    qint64 tracesNotShown = into.tracesNotShown + newer.tracesNotShown;
    for (const EventTrace &trace : newer.traces) {
        if (traces.size() < TelemetryCollector::kMaxTracesPerReport)
            traces.append(trace);
        else
            ++tracesNotShown;
    }
    // The edges of both, added up, in the order first seen.
    QList<FlowEdgeCount> flow = std::move(into.flow);
    for (const FlowEdgeCount &edge : newer.flow) {
        const auto same = std::find_if(flow.begin(), flow.end(), [&edge](const FlowEdgeCount &e) {
            return e.from == edge.from && e.to == edge.to;
        });
        if (same != flow.end())
            same->count += edge.count;
        else
            flow.append(edge);
    }
    const bool hadConnections = into.hasConnections;
    QList<WsClientInfo> clients = std::move(into.clients);
    QList<ChannelRegistry::ChannelInfo> channels = std::move(into.channels);
    auto keyAccess = std::move(into.keyAccess);
    QList<FlightInfo> flights = std::move(into.flights);
    const int flightsTotal = into.flightsTotal;
    into = newer;
    into.events = std::move(events);
    into.eventsNotShown = eventsNotShown;
    into.traces = std::move(traces);
    into.tracesNotShown = tracesNotShown;
    into.flow = std::move(flow);
    if (!newer.hasConnections && hadConnections) {
        into.hasConnections = true;
        into.clients = std::move(clients);
        into.channels = std::move(channels);
        into.keyAccess = std::move(keyAccess);
        into.flights = std::move(flights);
        into.flightsTotal = flightsTotal;
    }
}

}  // namespace kucun::TelemetryCodec
