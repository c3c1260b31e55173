#include "eventrouter.h"

#include "auditlog.h"
#include "cache/cacheservice.h"
#include "channelsink.h"
#include "core/jsonvalue.h"
#include "core/whenready.h"
#include "eventbus.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QStringDecoder>

namespace kucun {

Q_LOGGING_CATEGORY(lcEvents, "kucun.events")

namespace {

const QString kWsPrefix = QStringLiteral("ws:");

// The invalidations of one event still on their way, and what to do once none is.
struct CascadeWait
{
    int pending = 1;
    std::function<void()> done;

    void finishOne()
    {
        if (--pending == 0 && done)
            done();
    }
};

// The `type` a refused event claimed, when it got that far, for counters and the stream.
QString claimedType(const QByteArray &payload)
{
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    const QString type = document.object().value(QStringLiteral("type")).toString();
    return EventCodec::typeFromName(type) ? type : QString();
}

// The payload as text for the audit log; bytes that are not UTF-8 become U+FFFD.
QString payloadText(const QByteArray &payload)
{
    return QString::fromUtf8(payload.left(EventCodec::kMaxPayloadBytes));
}

}  // namespace

EventRouter::EventRouter(EventBus &bus, CacheService *cache, RoutingTable table, AuditLog *audit,
                         QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_cache(cache)
    , m_table(std::move(table))
    , m_audit(audit)
{
    const auto deliver
        = [this](const QString &channel, const QByteArray &payload) { handle(channel, payload); };
    m_subscriptions << m_bus.subscribe(QStringLiteral("channel:*"), this, deliver)
                    << m_bus.subscribe(QStringLiteral("ws:*"), this, deliver);
}

EventRouter::~EventRouter()
{
    for (const int id : std::as_const(m_subscriptions))
        m_bus.unsubscribe(id);
}

EventRecord EventRouter::handle(const QString &channel, const QByteArray &payload,
                                std::function<void()> cascaded, const QString &key)
{
    EventRecord record;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    record.channel = channel;
    record.payload = payload;
    if (channel.startsWith(kWsPrefix)) {
        EventRecord passed = passThrough(channel.mid(kWsPrefix.size()), payload, std::move(record));
        if (cascaded)
            cascaded();
        return passed;
    }
    const EventDecodeResult decoded = EventCodec::decode(channel, payload);
    if (!decoded.event) {
        record.type = claimedType(payload);
        EventRecord refused = reject(std::move(record), decoded.reason);
        if (cascaded)
            cascaded();
        return refused;
    }
    record.type = EventCodec::typeName(decoded.event->type);
    record.source = decoded.event->source;
    const QString id = EventCodec::ownEventId(decoded.event->type, decoded.event->fields);
    if (!id.isEmpty() && isRepeat(id, record.receivedAtMs)) {
        // Handled already, heard the other way: nothing more to do, nothing to show again.
        ++m_repeatsDropped;
        record.accepted = true;
        if (cascaded)
            cascaded();
        return record;
    }
    return route(*decoded.event, std::move(record), std::move(cascaded),
                 id.isEmpty() ? key : QStringLiteral("event:") + id);
}

EventRecord EventRouter::refuse(const QString &channel, const QByteArray &payload,
                                const QString &reason)
{
    EventRecord record;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    record.channel = channel;
    record.payload = payload;
    record.type = claimedType(payload);
    return reject(std::move(record), reason);
}

EventRecord EventRouter::reject(EventRecord record, const QString &reason)
{
    record.accepted = false;
    record.reason = reason;
    m_counters.addRejected({record.channel, record.type});
    if (m_rejections.note(record.receivedAtMs)) {
        qCInfo(lcEvents).noquote().nospace()
            << "refused " << m_rejections.take() << " event(s); the last on " << record.channel
            << ": " << reason;
    }
    return finish(std::move(record));
}

EventRecord EventRouter::route(const HubEvent &event, EventRecord record,
                               std::function<void()> cascaded, const QString &messageKey)
{
    record.accepted = true;
    const EventCounters::Key key{record.channel, record.type};
    m_counters.addAccepted(key);
    const RouteAction action = m_table.actionFor(event);

    const bool ownInvalidation = event.type == EventType::CacheInvalidate && !event.source.isEmpty()
                                 && event.source == m_bus.instanceId();
    // `cascaded` runs once every invalidation has answered (the count starts at one for this
    // function itself, so that answers given at once cannot finish it early).
    const auto wait = std::make_shared<CascadeWait>();
    wait->done = std::move(cascaded);
    if (m_cache && !ownInvalidation) {
        const QPointer<EventRouter> self(this);
        const auto countRemoved = [self, key, wait](qint64 removed) {
            if (self)
                self->m_counters.addInvalidatedKeys(key, removed);
            wait->finishOne();
        };
        for (const QString &tag : action.tags) {
            ++wait->pending;
            whenReady(m_cache->invalidateTag(tag, InvalidationCause::Cascade),
                      [countRemoved](const Result<qint64> &removed) {
                          countRemoved(removed.ok() ? removed.value() : 0);
                      });
        }
        for (const QString &pattern : action.namespaces) {
            ++wait->pending;
            whenReady(m_cache->invalidateNamespace(pattern, false, 0, InvalidationCause::Cascade),
                      [countRemoved](const Result<PatternMatch> &match) {
                          countRemoved(match.ok() ? match.value().count : 0);
                      });
        }
    }
    wait->finishOne();
    if (m_sink && !action.channel.isEmpty()) {
        if (messageKey.isEmpty())
            m_sink->deliverToChannel(action.channel, event.fields);
        else
            m_sink->deliverKeyed(action.channel, event.fields, messageKey);
        m_counters.addRouted(key);
        record.routedTo = action.channel;
    }
    return finish(std::move(record));
}

EventRecord EventRouter::passThrough(const QString &channel, const QByteArray &payload,
                                     EventRecord record)
{
    if (!EventCodec::isValidChannelName(channel))
        return reject(std::move(record), QStringLiteral("not a channel name"));
    if (payload.size() > EventCodec::kMaxPayloadBytes) {
        return reject(std::move(record),
                      QStringLiteral("larger than %1 bytes").arg(EventCodec::kMaxPayloadBytes));
    }
    // Any JSON value is fine on ws:<channel>, scalars included.
    const std::optional<QJsonValue> data = parseJsonValue(payload);
    if (!data) {
        return reject(std::move(record), QStringLiteral("not JSON"));
    }
    record.accepted = true;
    const EventCounters::Key key{record.channel, record.type};
    m_counters.addAccepted(key);
    if (m_sink) {
        m_sink->deliverToChannel(channel, *data);
        m_counters.addRouted(key);
        record.routedTo = channel;
    }
    return finish(std::move(record));
}

bool EventRouter::isRepeat(const QString &id, qint64 nowMs)
{
    while (!m_recentOrder.empty()
           && (nowMs - m_recentOrder.front().first > kRepeatWindowMs
               || m_recentOrder.size() > size_t(kMaxRememberedIds))) {
        const auto &[at, oldId] = m_recentOrder.front();
        if (const auto it = m_recentIds.find(oldId); it != m_recentIds.end() && *it == at)
            m_recentIds.erase(it);
        m_recentOrder.pop_front();
    }
    if (m_recentIds.contains(id))
        return true;
    m_recentIds.insert(id, nowMs);
    m_recentOrder.emplace_back(nowMs, id);
    return false;
}

EventRecord EventRouter::finish(EventRecord record)
{
    if (m_audit) {
        m_audit->append({0, record.receivedAtMs, record.channel, record.type, record.source,
                         payloadText(record.payload),
                         record.accepted ? QStringLiteral("accepted")
                                         : QStringLiteral("rejected: ") + record.reason});
    }
    emit eventProcessed(record);
    return record;
}

}  // namespace kucun
