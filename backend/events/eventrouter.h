#pragma once

#include "core/throttledlog.h"
#include "eventcounters.h"
#include "routingtable.h"

#include <QByteArray>
#include <QObject>

#include <deque>
#include <functional>

namespace kucun {

class AuditLog;
class CacheService;
class ChannelSink;
class EventBus;

// One event as the router saw it, for the GUI's live stream.
struct EventRecord
{
    qint64 receivedAtMs = 0;
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
    EventRecord handle(const QString &channel, const QByteArray &payload,
                       std::function<void()> cascaded = {}, const QString &key = {});
    // An event refused before it had a channel (the HTTP API's, whose type names none):
    // counted, logged and audited like any refused event.
    EventRecord refuse(const QString &channel, const QByteArray &payload, const QString &reason);

signals:
    void eventProcessed(const kucun::EventRecord &record);

private:
    EventRecord reject(EventRecord record, const QString &reason);
    EventRecord route(const HubEvent &event, EventRecord record, std::function<void()> cascaded,
                      const QString &messageKey);
    EventRecord passThrough(const QString &channel, const QByteArray &payload, EventRecord record);
    EventRecord finish(EventRecord record);
    // True when an event with this id was handled within the window; remembers it otherwise.
    bool isRepeat(const QString &id, qint64 nowMs);

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
};

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::EventRecord)
