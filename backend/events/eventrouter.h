#pragma once

#include "core/throttledlog.h"
#include "eventcounters.h"
#include "routingtable.h"

#include <QByteArray>
#include <QObject>

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

    // The same path bus messages take; public for tests and the Publish panel.
    void handle(const QString &channel, const QByteArray &payload);

signals:
    void eventProcessed(const kucun::EventRecord &record);

private:
    void reject(EventRecord record, const QString &reason);
    void route(const HubEvent &event, EventRecord record);
    void passThrough(const QString &channel, const QByteArray &payload, EventRecord record);
    void finish(EventRecord record);

    EventBus &m_bus;
    CacheService *const m_cache;
    const RoutingTable m_table;
    AuditLog *const m_audit;
    ChannelSink *m_sink = nullptr;
    EventCounters m_counters;
    ThrottledLog m_rejections;  // a publisher of garbage must not fill the log too
    QList<int> m_subscriptions;
};

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::EventRecord)
