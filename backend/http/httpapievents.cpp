// Events and statistics of the server API: POST/GET /api/events, /api/stats.
#include "cache/cacheservice.h"
#include "cache/cachestatsjson.h"
#include "cache/keyaccesssketch.h"
#include "cache/memorystore.h"
#include "core/whenready.h"
#include "events/auditjson.h"
#include "events/auditlog.h"
#include "events/eventbus.h"
#include "events/eventrouter.h"
#include "events/hubevent.h"
#include "httpapi.h"
#include "httpapicall.h"
#include "ws/wshub.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace kucun {

namespace {

// Where an event that came through the API is said to have come from when its type names no
// channel (the audit log's `channel`).
const QString kApiEventChannel = QStringLiteral("http:/api/events");

// Why an event's `type` names no event, with the types there are.
QString unknownTypeReason(const QJsonObject &event)
{
    QStringList types;
    for (const EventType type :
         {EventType::CacheInvalidate, EventType::DataUpdate, EventType::InventoryChange,
          EventType::OrderStatus, EventType::FinanceChange})
        types.append(EventCodec::typeName(type));
    const QJsonValue type = event.value(QStringLiteral("type"));
    return type.isString() ? QStringLiteral("unknown type '%1' (one of %2)")
                                 .arg(type.toString().left(80), types.join(QStringLiteral(", ")))
                           : QStringLiteral("type is missing or not a string (one of %1)")
                                 .arg(types.join(QStringLiteral(", ")));
}

}  // namespace

void HttpApi::postEvent(const Call &call)
{
    const std::optional<QJsonValue> body = call.jsonBody();
    if (!body)
        return;
    const QByteArray payload = call.request.body;
    const std::optional<EventType> type
        = EventCodec::typeFromName(body->toObject().value(QStringLiteral("type")).toString());
    if (!body->isObject() || !type) {
        const QString reason = body->isObject() ? unknownTypeReason(body->toObject())
                                                : QStringLiteral("not a JSON object");
        m_parts.router->refuse(kApiEventChannel, payload, EventSource::Http, reason);
        call.fail(422, QStringLiteral("invalid_event"), reason);
        return;
    }
    // The path a message on the event's Redis channel takes: validation, cascade, routing,
    // audit. Once the cascade's invalidations have all answered (at once on the memory engine),
    // the other hubs and the site hear it on that channel and the caller gets its 202: whoever
    // acts on the event then finds the cache clean.
    // The answer names the event's id (SPEC §14: its own, else the one the router gave it), by
    // which GET /api/events/{id}/trace finds what it did.
    const QString channel = EventCodec::channelFor(*type);
    struct Progress
    {
        bool handled = false;  // handle() has returned, with an accepted event
        bool cascaded = false;
        QString eventId;
    };
    const auto progress = std::make_shared<Progress>();
    const auto announce
        = [self = QPointer<HttpApi>(this), respond = call.respond, channel, payload, progress] {
              if (!self)
                  return;
              if (self->m_parts.bus)
                  self->m_parts.bus->publishToOthers(channel, payload);
              respond(HttpResponse::json(
                  202, QJsonObject{{QStringLiteral("id"), progress->eventId},
                                   {QStringLiteral("status"), QStringLiteral("accepted")}}));
          };
    const EventRecord record
        = m_parts.router->handle(channel, payload, EventSource::Http, [progress, announce] {
              progress->cascaded = true;
              if (progress->handled)
                  announce();
          });
    if (!record.accepted) {
        call.fail(422, QStringLiteral("invalid_event"), record.reason);
        return;
    }
    progress->eventId = record.eventId;
    progress->handled = true;
    if (progress->cascaded)
        announce();
}

void HttpApi::events(const Call &call)
{
    const std::optional<AuditPage> page = auditPage(call);
    if (!page)
        return;
    AuditQuery query;
    query.beforeId = page->before;
    query.limit = page->limit;
    query.text = call.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded);
    // The audit log answers in its own thread; the answer is made in this one.
    m_parts.audit->query(query).then(
        this, [respond = call.respond](const Result<QList<AuditRecord>> &rows) {
            if (!rows.ok()) {
                respond(HttpResponse::error(503, QStringLiteral("unavailable"), rows.error()));
                return;
            }
            QJsonArray events;
            for (const AuditRecord &record : rows.value())
                events.append(auditRecordJson(record));
            QJsonObject answer{{QStringLiteral("events"), events}};
            // The next page is the one before the smallest id of this one.
            if (!rows.value().isEmpty())
                answer.insert(QStringLiteral("before"), rows.value().last().id);
            respond(HttpResponse::json(200, answer));
        });
}

void HttpApi::eventTrace(const QString &eventId, const Call &call)
{
    if (!m_parts.audit || !m_parts.audit->isEnabled()) {
        call.respond(HttpResponse::error(503, QStringLiteral("unavailable"),
                                         QStringLiteral("the audit log is off")));
        return;
    }
    m_parts.audit->findEvent(eventId).then(
        this, [respond = call.respond, eventId](const Result<std::optional<AuditRecord>> &found) {
            if (!found.ok()) {
                respond(HttpResponse::error(503, QStringLiteral("unavailable"), found.error()));
                return;
            }
            const std::optional<AuditRecord> &row = found.value();
            if (!row) {
                respond(HttpResponse::error(
                    404, QStringLiteral("not_found"),
                    QStringLiteral("no event with the id '%1' in the audit log").arg(eventId)));
                return;
            }
            const QJsonObject trace = QJsonDocument::fromJson(row->trace).object();
            if (trace.isEmpty()) {
                respond(HttpResponse::error(
                    404, QStringLiteral("not_found"),
                    QStringLiteral("the event '%1' has no trace: it was handled with "
                                   "HUB_EVENT_TRACE off, or by an older hub")
                        .arg(eventId)));
                return;
            }
            respond(HttpResponse::json(200,
                                       QJsonObject{{QStringLiteral("event"), auditRecordJson(*row)},
                                                   {QStringLiteral("trace"), trace}}));
        });
}

namespace {

constexpr int kHotKeysShown = 20;

// What the Redis-protocol front's clients did with their keys: the Hot keys panel's figures.
QJsonObject keyAccessJson(const KeyAccessSketch &sketch)
{
    const KeyAccessSketch::Snapshot snapshot = sketch.snapshot(kHotKeysShown);
    const qint64 now = MemoryStore::nowMs();
    const auto rate = [](qint64 hits, qint64 misses) {
        return hits + misses > 0 ? double(hits) / double(hits + misses) : 0.0;
    };
    QJsonArray hotKeys;
    for (const KeyAccessSketch::KeyCounts &key : snapshot.top) {
        hotKeys.append(QJsonObject{{QStringLiteral("key"), QString::fromUtf8(key.key)},
                                   {QStringLiteral("accesses"), key.count},
                                   {QStringLiteral("overcount"), key.error},
                                   {QStringLiteral("reads"), key.reads},
                                   {QStringLiteral("hits"), key.hits},
                                   {QStringLiteral("misses"), key.misses},
                                   {QStringLiteral("hitRate"), rate(key.hits, key.misses)},
                                   {QStringLiteral("writes"), key.writes},
                                   {QStringLiteral("loads"), key.loads},
                                   {QStringLiteral("idleMs"), now - key.lastAccessMs}});
    }
    QJsonObject segments;
    for (const KeyAccessSketch::SegmentCounts &segment : snapshot.segments) {
        segments.insert(segment.segment, QJsonObject{{QStringLiteral("hits"), segment.hits},
                                                     {QStringLiteral("misses"), segment.misses},
                                                     {QStringLiteral("hitRate"),
                                                      rate(segment.hits, segment.misses)}});
    }
    QJsonObject ttls;
    for (int bucket = 0; bucket < KeyAccessSketch::kTtlBuckets; ++bucket)
        ttls.insert(KeyAccessSketch::ttlBucketName(bucket), snapshot.ttlHistogram[size_t(bucket)]);
    return {{QStringLiteral("reads"), snapshot.reads}, {QStringLiteral("writes"), snapshot.writes},
            {QStringLiteral("loads"), snapshot.loads}, {QStringLiteral("hotKeys"), hotKeys},
            {QStringLiteral("segments"), segments},    {QStringLiteral("ttlHistogram"), ttls}};
}

}  // namespace

void HttpApi::stats(const Respond &respond)
{
    const EventCounts events = m_parts.router->counters().total();
    QJsonObject hub{{QStringLiteral("clients"), m_parts.hub->clientCount()},
                    {QStringLiteral("messagesIn"), m_parts.hub->messagesInTotal()},
                    {QStringLiteral("messagesOut"), m_parts.hub->deliveriesTotal()},
                    {QStringLiteral("channels"), int(m_parts.hub->channelInfos().size())}};
    QJsonObject eventCounts{{QStringLiteral("accepted"), events.accepted},
                            {QStringLiteral("rejected"), events.rejected},
                            {QStringLiteral("routed"), events.routed},
                            {QStringLiteral("invalidatedKeys"), events.invalidatedKeys}};
    QJsonObject head{
        {QStringLiteral("engine"), m_parts.mode()},
        {QStringLiteral("uptimeMs"), QDateTime::currentMSecsSinceEpoch() - m_parts.startedAtMs},
        {QStringLiteral("websocket"), hub},
        {QStringLiteral("events"), eventCounts}};
    if (m_parts.keyAccess)
        head.insert(QStringLiteral("redisProtocol"), keyAccessJson(*m_parts.keyAccess));
    whenReady(m_parts.cache->stats(), [respond, head](const Result<CacheStats> &cache) {
        QJsonObject answer = head;
        if (!cache.ok()) {
            answer.insert(QStringLiteral("cacheError"), cache.error());
            respond(HttpResponse::json(200, answer));
            return;
        }
        answer.insert(QStringLiteral("cache"), cacheStatsJson(cache.value()));
        respond(HttpResponse::json(200, answer));
    });
}

}  // namespace kucun
