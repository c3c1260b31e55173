// GET /metrics: the Prometheus text format 0.0.4 (docs/http.md lists the families).
#include "cache/cacheservice.h"
#include "cache/keyaccesssketch.h"
#include "core/whenready.h"
#include "events/eventrouter.h"
#include "events/eventstreamconsumer.h"
#include "httpapi.h"
#include "httpserver.h"
#include "redis/redisclient.h"
#include "telemetrystream.h"
#include "ws/wshub.h"

#include <QDateTime>

#include <map>

namespace kucun {

namespace {

// Label values escape backslash, double quote and line feed (the format's only rule).
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

class Exposition
{
public:
    // HELP and TYPE once per family, before its samples.
    void family(const char *name, const char *type, const char *help)
    {
        m_text += QByteArray("# HELP kucun_hub_") + name + ' ' + help + '\n';
        m_text += QByteArray("# TYPE kucun_hub_") + name + ' ' + type + '\n';
    }
    void sample(const char *name, double value, const QByteArray &labels = {})
    {
        m_text += QByteArray("kucun_hub_") + name;
        if (!labels.isEmpty())
            m_text += '{' + labels + '}';
        m_text += ' ' + QByteArray::number(value, 'g', 17) + '\n';
    }
    void single(const char *name, const char *type, const char *help, double value)
    {
        family(name, type, help);
        sample(name, value);
    }
    QByteArray take() { return std::move(m_text); }

private:
    QByteArray m_text;
};

QByteArray label(const char *name, const QString &value)
{
    return QByteArray(name) + "=\"" + labelValue(value) + '"';
}

void writeLatency(Exposition &out, const LatencyHistogram &histogram)
{
    out.family("publish_write_latency_seconds", "histogram",
               "Time from a message's delivery to the write to its subscribers' sockets.");
    qint64 cumulative = 0;
    for (size_t i = 0; i < LatencyHistogram::kBoundsSeconds.size(); ++i) {
        cumulative += histogram.countIn(i);
        out.sample("publish_write_latency_seconds_bucket", double(cumulative),
                   label("le", QString::number(LatencyHistogram::kBoundsSeconds[i])));
    }
    out.sample("publish_write_latency_seconds_bucket", double(histogram.count()),
               label("le", QStringLiteral("+Inf")));
    out.sample("publish_write_latency_seconds_sum", histogram.sum());
    out.sample("publish_write_latency_seconds_count", double(histogram.count()));
}

void writeCache(Exposition &out, const CacheStats &cache)
{
    out.single("cache_hits_total", "counter", "Cache lookups that found a value.",
               double(cache.hits));
    out.single("cache_misses_total", "counter", "Cache lookups that found nothing.",
               double(cache.misses));
    out.single("cache_null_hits_total", "counter",
               "Hits on a cached does-not-exist (counted in hits too).", double(cache.nullHits));
    out.single("cache_loads_total", "counter", "Loader calls that succeeded.", double(cache.loads));
    out.single("cache_load_errors_total", "counter", "Loader calls that failed.",
               double(cache.loadErrors));
    out.single("cache_lock_waits_total", "counter",
               "Loads left to another process holding the key's lock (getOrSetWithLock).",
               double(cache.lockWaits));
    out.single("cache_shared_loads_total", "counter",
               "Misses that waited for a load of the same key already in progress.",
               double(cache.sharedLoads));
    out.single("cache_evictions_total", "counter", "Keys evicted by the size bound.",
               double(std::max<qint64>(cache.store.evictions, 0)));
    out.single("cache_expirations_total", "counter", "Keys that expired.",
               double(std::max<qint64>(cache.store.expirations, 0)));
    out.single("cache_invalidations_total", "counter", "Tag and namespace invalidations.",
               double(cache.invalidations));
    out.single("cache_invalidated_keys_total", "counter", "Keys removed by invalidations.",
               double(cache.invalidatedKeys));
    out.single("cache_keys", "gauge", "Keys in the cache engine.", double(cache.store.keys));
    out.single("cache_bytes", "gauge", "Memory the cache engine uses, in bytes.",
               double(cache.store.usedBytes));
}

// The Redis-protocol front's key traffic: totals, hits and misses by first key segment (bounded
// by the sketch), and the TTLs written. Not one series per key: keys come and go, series should
// not.
void writeKeyAccess(Exposition &out, const KeyAccessSketch &sketch)
{
    const KeyAccessSketch::Snapshot snapshot = sketch.snapshot(0);
    out.single("resp_key_reads_total", "counter", "Key reads by Redis-protocol clients.",
               double(snapshot.reads));
    out.single("resp_key_writes_total", "counter", "Key writes by Redis-protocol clients.",
               double(snapshot.writes));
    out.single("resp_key_loads_total", "counter",
               "Misses followed by a write of the same key within a second.",
               double(snapshot.loads));
    out.family("resp_segment_lookups_total", "counter",
               "Key reads by Redis-protocol clients, by first key segment and result.");
    for (const KeyAccessSketch::SegmentCounts &segment : snapshot.segments) {
        out.sample("resp_segment_lookups_total", double(segment.hits),
                   label("segment", segment.segment) + ','
                       + label("result", QStringLiteral("hit")));
        out.sample("resp_segment_lookups_total", double(segment.misses),
                   label("segment", segment.segment) + ','
                       + label("result", QStringLiteral("miss")));
    }
    out.family("resp_written_ttl_total", "counter",
               "Key writes by Redis-protocol clients, by the TTL they set.");
    for (int bucket = 0; bucket < KeyAccessSketch::kTtlBuckets; ++bucket) {
        out.sample("resp_written_ttl_total", double(snapshot.ttlHistogram[size_t(bucket)]),
                   label("ttl", KeyAccessSketch::ttlBucketName(bucket)));
    }
}

}  // namespace

void HttpApi::metrics(const Respond &respond) const
{
    Exposition out;
    const QString mode = m_parts.mode();
    out.family("engine_state", "gauge", "1 for the engine the hub runs on now.");
    for (const char *state : {"memory", "redis", "degraded"})
        out.sample("engine_state", mode == QLatin1String(state) ? 1 : 0,
                   label("state", QString::fromLatin1(state)));
    out.single("start_time_seconds", "gauge", "When the engine started, in Unix seconds.",
               double(m_parts.startedAtMs) / 1000.0);

    const WsHub &hub = *m_parts.hub;
    out.single("ws_clients", "gauge", "WebSocket clients connected.", hub.clientCount());
    out.single("ws_channels", "gauge", "WebSocket channels with subscribers or history.",
               double(hub.channelInfos().size()));
    out.single("ws_shared_channels", "gauge",
               "WebSocket channels whose history is the one shared in Redis.",
               double(hub.sharedChannelCount()));
    out.single("ws_messages_in_total", "counter", "Requests read from WebSocket clients.",
               double(hub.messagesInTotal()));
    out.single("ws_messages_out_total", "counter", "Frames queued to WebSocket clients.",
               double(hub.deliveriesTotal()));
    out.family("ws_closes_total", "counter", "WebSocket clients gone, by close code.");
    const std::map<quint16, qint64> closes(hub.closesByCode().keyValueBegin(),
                                           hub.closesByCode().keyValueEnd());
    for (const auto &[code, count] : closes)
        out.sample("ws_closes_total", double(count), label("code", QString::number(code)));
    writeLatency(out, hub.writeLatency());

    out.family("events_total", "counter", "Events the router saw, by type and status.");
    std::map<std::pair<QString, QString>, qint64> events;
    const auto counts = m_parts.router->counters().snapshot();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const QString type = it.key().type.isEmpty() ? QStringLiteral("unknown") : it.key().type;
        events[{type, QStringLiteral("accepted")}] += it->accepted;
        events[{type, QStringLiteral("rejected")}] += it->rejected;
    }
    for (const auto &[key, count] : events) {
        out.sample("events_total", double(count),
                   label("type", key.first) + ',' + label("status", key.second));
    }

    if (m_parts.keyAccess)
        writeKeyAccess(out, *m_parts.keyAccess);
    out.single("redis_reconnects_total", "counter", "Times the Redis link came back.",
               m_parts.redis ? double(m_parts.redis->reconnects()) : 0.0);
    if (const EventStreamConsumer *stream = m_parts.eventStream) {
        out.single("event_stream_lag", "gauge",
                   "Entries of the reliable event stream not yet read by this hub (-1: unknown).",
                   double(stream->lag()));
        out.single("event_stream_pending", "gauge",
                   "Entries of the reliable event stream read and not yet acknowledged.",
                   double(stream->pending()));
        out.single("event_stream_claimed_total", "counter",
                   "Entries a killed run left unacknowledged, claimed and handled.",
                   double(stream->claimed()));
    }
    if (m_parts.redis && m_parts.redis->sentinelCount() > 0) {
        out.single("redis_sentinels_answering", "gauge",
                   "Sentinels that named the master when last asked.",
                   double(m_parts.redis->sentinelsAnswering()));
        out.single("redis_master_switches_total", "counter",
                   "Failovers the hub followed to a new master.",
                   double(m_parts.redis->masterSwitches()));
    }
    out.single("http_auth_failures_total", "counter", "API calls with a missing or wrong key.",
               double(m_access.authFailures()));
    out.single("stream_windows", "gauge", "Windows attached through /api/stream.",
               double(m_stream->windowCount()));
    out.single("stream_cut_total", "counter",
               "Attached windows cut for not reading their telemetry.",
               double(m_stream->cutTotal()));
    out.family("http_requests_total", "counter", "HTTP requests answered, by route and status.");
    const std::map<std::pair<QString, int>, qint64> requests = [this] {
        std::map<std::pair<QString, int>, qint64> sorted;
        for (auto it = m_requestCounts.cbegin(); it != m_requestCounts.cend(); ++it)
            sorted[{it.key().route, it.key().status}] = it.value();
        // Refused before routing: unreadable, too large, too many connections.
        if (m_server) {
            for (auto it = m_server->refusals().cbegin(); it != m_server->refusals().cend(); ++it)
                sorted[{QStringLiteral("refused"), it.key()}] = it.value();
        }
        return sorted;
    }();
    for (const auto &[key, count] : requests) {
        out.sample("http_requests_total", double(count),
                   label("route", key.first) + ',' + label("status", QString::number(key.second)));
    }

    auto text = std::make_shared<QByteArray>(out.take());
    whenReady(m_parts.cache->stats(), [respond, text](const Result<CacheStats> &cache) {
        Exposition tail;
        if (cache.ok())
            writeCache(tail, cache.value());
        HttpResponse response;
        response.contentType = QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
        response.body = *text + tail.take();
        respond(response);
    });
}

}  // namespace kucun
