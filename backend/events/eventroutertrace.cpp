// The causal traces of EventRouter (SPEC §14): opened when an event is received, filled in as
// its invalidations answer and its WebSocket message is written, closed (written with the
// event's audit row, and announced) once nothing more is awaited.

#include "cache/cacheservice.h"
#include "eventrouter.h"

namespace kucun {

namespace {

qint64 microsSince(std::chrono::steady_clock::time_point start,
                   std::chrono::steady_clock::time_point end)
{
    return std::max<qint64>(
        0, std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
}

}  // namespace

quint64 EventRouter::openTrace(const EventRecord &record)
{
    if (!m_tracing)
        return 0;
    if (m_openTraces.size() >= size_t(kMaxOpenTraces))
        closeTrace(m_openTraces.begin(), false, true);
    const quint64 serial = m_nextTraceSerial++;
    OpenTrace &open = m_openTraces[serial];
    open.openedAt = std::chrono::steady_clock::now();
    EventTrace &trace = open.trace;
    trace.eventId = record.eventId;
    trace.receivedAtMs = record.receivedAtMs;
    trace.source = record.from;
    trace.channel = record.channel;
    trace.type = record.type;
    trace.accepted = record.accepted;
    trace.reason = record.reason;
    return serial;
}

EventRouter::OpenTrace *EventRouter::openTraceOf(quint64 serial)
{
    if (serial == 0)
        return nullptr;
    const auto it = m_openTraces.find(serial);
    return it == m_openTraces.end() ? nullptr : &it->second;
}

int EventRouter::traceInvalidation(quint64 serial, bool isNamespace, const QString &target)
{
    OpenTrace *open = openTraceOf(serial);
    if (!open)
        return -1;
    EventTrace::Invalidation invalidation;
    invalidation.isNamespace = isNamespace;
    invalidation.target = target;
    open->trace.invalidations.append(invalidation);
    ++open->pending;
    return int(open->trace.invalidations.size() - 1);
}

void EventRouter::noteInvalidation(quint64 serial, int slot, const Result<PatternMatch> &removed)
{
    OpenTrace *open = openTraceOf(serial);
    if (!open || slot < 0 || slot >= open->trace.invalidations.size())
        return;
    EventTrace::Invalidation &invalidation = open->trace.invalidations[slot];
    if (removed.ok()) {
        invalidation.removed = removed.value().count;
        // Tag samples come relative to the namespace; namespace samples as full keys.
        const QString prefix = m_cache ? m_cache->keyNamespace() + u':' : QString();
        for (const QByteArray &key : removed.value().sample) {
            if (invalidation.keys.size() >= EventTrace::kMaxNamedKeys)
                break;
            const QString name = QString::fromUtf8(key);
            invalidation.keys.append(invalidation.isNamespace && name.startsWith(prefix)
                                         ? name.mid(prefix.size())
                                         : name);
        }
    } else {
        invalidation.error = removed.error();
    }
    open->trace.cascadeMicros = microsSince(open->openedAt, std::chrono::steady_clock::now());
    releaseTrace(serial);
}

void EventRouter::noteDelivery(quint64 serial, const ChannelDelivery &delivery)
{
    OpenTrace *open = openTraceOf(serial);
    if (!open)
        return;
    open->trace.delivery = delivery;
    if (delivery.written > 0 && delivery.lastWriteAt != std::chrono::steady_clock::time_point{})
        open->trace.lastWriteMicros = microsSince(open->openedAt, delivery.lastWriteAt);
    releaseTrace(serial);
}

void EventRouter::releaseTrace(quint64 serial)
{
    const auto it = m_openTraces.find(serial);
    if (it != m_openTraces.end() && --it->second.pending <= 0)
        closeTrace(it, true, true);
}

void EventRouter::closeTrace(std::map<quint64, OpenTrace>::iterator it, bool complete,
                             bool announce)
{
    OpenTrace open = std::move(it->second);
    m_openTraces.erase(it);
    m_openTraceBytes -= open.row.payload.size() * qint64(sizeof(QChar));
    open.trace.complete = complete;
    // finish() has set the row by the time anything else can close a trace: it runs in the
    // same call of the router that opened it.
    if (m_audit) {
        open.row.trace = open.trace.storedText(AuditLog::kMaxTraceBytes);
        m_audit->append(std::move(open.row));
    }
    if (announce)
        emit eventTraced(open.trace);
}

void EventRouter::closeStaleTraces()
{
    const auto now = std::chrono::steady_clock::now();
    while (!m_openTraces.empty() && now - m_openTraces.begin()->second.openedAt >= kMaxTraceWait)
        closeTrace(m_openTraces.begin(), false, true);
}

}  // namespace kucun
