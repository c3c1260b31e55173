#pragma once

#include "auditlog.h"
#include "cache/cachestore.h"
#include "core/throttledlog.h"
#include "eventcounters.h"
#include "eventsource.h"
#include "eventtrace.h"
#include "routingtable.h"

#include <QByteArray>
#include <QObject>

#include <chrono>
#include <deque>
#include <functional>
#include <map>

class QTimer;

namespace kucun {

class CacheService;
class ChannelSink;
class EventBus;

// One event as the router saw it, for the GUI's live stream.
struct EventRecord
{
    // Its own id (EventCodec::ownEventId), else one the router made up: what its trace is
    // found by (SPEC §14). Empty only for a repeat, which is dropped.
    QString eventId;
    qint64 receivedAtMs = 0;
    EventSource from = EventSource::Hub;
    QString channel;
    QString type;  // empty when the event was refused before its type was known
    QString source;
    QByteArray payload;
    bool accepted = false;
    QString reason;  // why it was refused
    QString routedTo;  // the WebSocket channel it went to, if any
};

// Applies the routing table to every event on the bus (SPEC §5): validates it, runs the cache
// cascade, forwards it to its WebSocket channel, passes `ws:<channel>` messages through, and
// records everything in the audit log and the counters. Lives in the engine thread.
//
// Cascade invalidations are not announced as cache:invalidate events of their own: every hub
// sees the originating event and cascades itself. A cache:invalidate that this hub published
// (its `source`) was applied when it was published and is only forwarded and logged.
//
// With tracing on (the default) every event's EventTrace is put together as its invalidations
// answer and its WebSocket message is written, and kept with its audit row, which is then
// written: a moment later than without tracing, once the trace is complete.
class EventRouter : public QObject
{
    Q_OBJECT

public:
    EventRouter(EventBus &bus, CacheService *cache, RoutingTable table, AuditLog *audit,
                QObject *parent = nullptr);
    ~EventRouter() override;

    // Not owned; may be set later (the WebSocket hub) or never.
    void setChannelSink(ChannelSink *sink) { m_sink = sink; }
    const EventCounters &counters() const { return m_counters; }
    // Events dropped because one with the same event id (EventCodec::ownEventId) was handled
    // within kRepeatWindowMs: the same event heard on Pub/Sub and on the reliable stream
    // (SPEC §5), or sent twice.
    qint64 repeatsDropped() const { return m_repeatsDropped; }
    static constexpr qint64 kRepeatWindowMs = 10 * 60 * 1000;
    static constexpr int kMaxRememberedIds = 100'000;

    // The same path bus messages take; public for tests, the Publish panel and the HTTP API,
    // which answers with what became of the event. `cascaded`, when given, runs once, after
    // every invalidation of the event's cascade has answered (at once for an event without one,
    // or refused): the API answers and tells the other hubs only then, so that whoever hears of
    // the event finds the cache clean.
    // `key`, when given, names the event on every hub where its own id does not (a reliable
    // stream's entry id): its WebSocket message is stamped once across hubs by it.
    EventRecord handle(const QString &channel, const QByteArray &payload, EventSource source,
                       std::function<void()> cascaded = {}, const QString &key = {});
    // An event refused before it had a channel (the HTTP API's, whose type names none):
    // counted, logged and audited like any refused event.
    EventRecord refuse(const QString &channel, const QByteArray &payload, EventSource source,
                       const QString &reason);

    // Causal traces (SPEC §14): on by default; off, the hot path does none of their work.
    void setTracing(bool on) { m_tracing = on; }
    bool tracing() const { return m_tracing; }
    // A trace is written as it is after this long without every answer (complete: false).
    static constexpr std::chrono::milliseconds kMaxTraceWait{10'000};
    // Traces waiting for answers at most; beyond, the oldest is written as it is.
    static constexpr int kMaxOpenTraces = 10'000;
    // And the payloads their rows hold at most (UTF-16 bytes): a slow Redis must not make the
    // router hold more than the audit log's own queue would.
    static constexpr qint64 kMaxOpenTraceBytes = 32LL << 20;
    int openTraceCount() const { return int(m_openTraces.size()); }

signals:
    void eventProcessed(const kucun::EventRecord &record);
    // Once an event's trace is complete (or given up on); only with tracing on.
    void eventTraced(const kucun::EventTrace &trace);

private:
    // A trace waiting for its invalidations' answers and its delivery report.
    struct OpenTrace
    {
        EventTrace trace;
        AuditRecord row;  // appended when the trace closes
        std::chrono::steady_clock::time_point openedAt;
        int pending = 1;  // the router's own share, released by finish()
    };

    EventRecord received(const QString &channel, const QByteArray &payload,
                         EventSource source) const;
    EventRecord reject(EventRecord record, const QString &reason);
    EventRecord route(const HubEvent &event, EventRecord record, std::function<void()> cascaded,
                      const QString &messageKey);
    EventRecord passThrough(const QString &channel, const QByteArray &payload, EventRecord record);
    // Hands the message to the sink, traced when `trace` is not 0.
    void deliver(const QString &channel, const QJsonValue &data, const QString &messageKey,
                 quint64 trace);
    EventRecord finish(EventRecord record, quint64 trace);
    QString newEventId();
    // True when an event with this id was handled within the window; remembers it otherwise.
    bool isRepeat(const QString &id, qint64 nowMs);

    // eventroutertrace.cpp. A trace is known by a serial number, 0 meaning none: answers that
    // come after it closed find nothing and are dropped.
    quint64 openTrace(const EventRecord &record);
    OpenTrace *openTraceOf(quint64 serial);
    int traceInvalidation(quint64 serial, bool isNamespace, const QString &target);
    void noteInvalidation(quint64 serial, int slot, const Result<PatternMatch> &removed);
    void noteDelivery(quint64 serial, const ChannelDelivery &delivery);
    void releaseTrace(quint64 serial);
    void closeTrace(std::map<quint64, OpenTrace>::iterator it, bool complete, bool announce);
    void closeStaleTraces();

    EventBus &m_bus;
    CacheService *const m_cache;
    const RoutingTable m_table;
    AuditLog *const m_audit;
    ChannelSink *m_sink = nullptr;
    EventCounters m_counters;
    ThrottledLog m_rejections;  // a publisher of garbage must not fill the log too
    QList<int> m_subscriptions;
    QHash<QString, qint64> m_recentIds;  // id -> when it was handled
    std::deque<std::pair<qint64, QString>> m_recentOrder;  // oldest first
    qint64 m_repeatsDropped = 0;
    const QString m_idPrefix;  // random per router: made-up ids differ across hubs and restarts
    quint64 m_nextEventNumber = 0;
    bool m_tracing = true;
    std::map<quint64, OpenTrace> m_openTraces;  // oldest first
    qint64 m_openTraceBytes = 0;
    quint64 m_nextTraceSerial = 1;
    QTimer *m_staleTraceSweep = nullptr;
};

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::EventRecord)
