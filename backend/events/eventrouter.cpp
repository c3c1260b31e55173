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
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QTimer>

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
    , m_idPrefix(
          QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')))
    , m_staleTraceSweep(new QTimer(this))
{
    const auto deliver = [this](const QString &channel, const QByteArray &payload,
                                EventSource source) { handle(channel, payload, source); };
    m_subscriptions << m_bus.subscribeWithSource(QStringLiteral("channel:*"), this, deliver)
                    << m_bus.subscribeWithSource(QStringLiteral("ws:*"), this, deliver);
    connect(m_staleTraceSweep, &QTimer::timeout, this, &EventRouter::closeStaleTraces);
    m_staleTraceSweep->start(kMaxTraceWait / 4);
}

EventRouter::~EventRouter()
{
    for (const int id : std::as_const(m_subscriptions))
        m_bus.unsubscribe(id);
    // What still waits for answers is written as it is: the hub is stopping.
    while (!m_openTraces.empty())
        closeTrace(m_openTraces.begin(), false, false);
}

EventRecord EventRouter::received(const QString &channel, const QByteArray &payload,
                                  EventSource source) const
{
    EventRecord record;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    record.channel = channel;
    record.payload = payload;
    record.from = source;
    return record;
}

QString EventRouter::newEventId()
{
    return QStringLiteral("ev-") + m_idPrefix + u'-' + QString::number(++m_nextEventNumber, 36);
}

EventRecord EventRouter::handle(const QString &channel, const QByteArray &payload,
                                EventSource source, std::function<void()> cascaded,
                                const QString &key)
{
    EventRecord record = received(channel, payload, source);
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
        record.eventId = id;
        if (cascaded)
            cascaded();
        return record;
    }
    record.eventId = id.isEmpty() ? newEventId() : id;
    return route(*decoded.event, std::move(record), std::move(cascaded),
                 id.isEmpty() ? key : QStringLiteral("event:") + id);
}

EventRecord EventRouter::refuse(const QString &channel, const QByteArray &payload,
                                EventSource source, const QString &reason)
{
    EventRecord record = received(channel, payload, source);
    record.type = claimedType(payload);
    return reject(std::move(record), reason);
}

EventRecord EventRouter::reject(EventRecord record, const QString &reason)
{
    record.accepted = false;
    record.reason = reason;
    record.eventId = newEventId();
    m_counters.addRejected({record.channel, record.type});
    if (m_rejections.note(record.receivedAtMs)) {
        qCInfo(lcEvents).noquote().nospace()
            << "refused " << m_rejections.take() << " event(s); the last on " << record.channel
            << ": " << reason;
    }
    const quint64 trace = openTrace(record);
    return finish(std::move(record), trace);
}

EventRecord EventRouter::route(const HubEvent &event, EventRecord record,
                               std::function<void()> cascaded, const QString &messageKey)
{
    record.accepted = true;
    const EventCounters::Key key{record.channel, record.type};
    m_counters.addAccepted(key);
    const RouteAction action = m_table.actionFor(event);
    const quint64 trace = openTrace(record);
    if (OpenTrace *open = openTraceOf(trace))
        open->trace.rule = m_table.ruleName(action.rule);

    const bool ownInvalidation = event.type == EventType::CacheInvalidate && !event.source.isEmpty()
                                 && event.source == m_bus.instanceId();
    // `cascaded` runs once every invalidation has answered (the count starts at one for this
    // function itself, so that answers given at once cannot finish it early).
    const auto wait = std::make_shared<CascadeWait>();
    wait->done = std::move(cascaded);
    if (m_cache && !ownInvalidation) {
        const QPointer<EventRouter> self(this);
        // With a trace, each answer names the keys it removed there too.
        const auto answered = [self, key, wait, trace](int slot,
                                                       const Result<PatternMatch> &removed) {
            if (self) {
                self->m_counters.addInvalidatedKeys(key, removed.ok() ? removed.value().count : 0);
                if (trace)
                    self->noteInvalidation(trace, slot, removed);
            }
            wait->finishOne();
        };
        const int sample = trace ? EventTrace::kMaxNamedKeys : 0;
        for (const QString &tag : action.tags) {
            ++wait->pending;
            const int slot = traceInvalidation(trace, false, tag);
            whenReady(
                m_cache->invalidateTagSampled(tag, sample, InvalidationCause::Cascade),
                [answered, slot](const Result<PatternMatch> &removed) { answered(slot, removed); });
        }
        for (const QString &pattern : action.namespaces) {
            ++wait->pending;
            const int slot = traceInvalidation(trace, true, pattern);
            whenReady(
                m_cache->invalidateNamespace(pattern, false, sample, InvalidationCause::Cascade),
                [answered, slot](const Result<PatternMatch> &removed) { answered(slot, removed); });
        }
    }
    wait->finishOne();
    if (m_sink && !action.channel.isEmpty()) {
        deliver(action.channel, event.fields, messageKey, trace);
        m_counters.addRouted(key);
        record.routedTo = action.channel;
    }
    return finish(std::move(record), trace);
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
    record.eventId = newEventId();
    const EventCounters::Key key{record.channel, record.type};
    m_counters.addAccepted(key);
    const quint64 trace = openTrace(record);
    if (m_sink) {
        deliver(channel, *data, {}, trace);
        m_counters.addRouted(key);
        record.routedTo = channel;
    }
    return finish(std::move(record), trace);
}

void EventRouter::deliver(const QString &channel, const QJsonValue &data, const QString &messageKey,
                          quint64 trace)
{
    if (OpenTrace *open = openTraceOf(trace)) {
        open->trace.wsChannel = channel;
        ++open->pending;
        m_sink->deliverTraced(
            channel, data, messageKey,
            [self = QPointer<EventRouter>(this), trace](const ChannelDelivery &delivery) {
                if (self)
                    self->noteDelivery(trace, delivery);
            });
    } else if (messageKey.isEmpty()) {
        m_sink->deliverToChannel(channel, data);
    } else {
        m_sink->deliverKeyed(channel, data, messageKey);
    }
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

EventRecord EventRouter::finish(EventRecord record, quint64 trace)
{
    AuditRecord row;
    row.ts = record.receivedAtMs;
    row.channel = record.channel;
    row.type = record.type;
    row.source = record.source;
    row.payload = m_audit ? payloadText(record.payload) : QString();
    row.status = record.accepted ? QStringLiteral("accepted")
                                 : QStringLiteral("rejected: ") + record.reason;
    row.eventId = record.eventId;
    if (OpenTrace *open = openTraceOf(trace)) {
        open->row = std::move(row);  // written with the trace, once it is complete
        m_openTraceBytes += open->row.payload.size() * qint64(sizeof(QChar));
        emit eventProcessed(record);
        releaseTrace(trace);
        while (m_openTraceBytes > kMaxOpenTraceBytes && !m_openTraces.empty())
            closeTrace(m_openTraces.begin(), false, true);
        return record;
    }
    if (m_audit)
        m_audit->append(std::move(row));
    emit eventProcessed(record);
    return record;
}

}  // namespace kucun
