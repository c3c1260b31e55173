#pragma once

#include "channelsink.h"
#include "eventsource.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace kucun {

// What one event did (SPEC §14), as the router saw it through: where it came from, whether it
// was valid, the rule that matched, what its cascade removed, and whom its WebSocket message
// reached and when. Kept with the event's row in the audit log, shown in the Events and Flow
// panels, answered by GET /api/events/{id}/trace. docs/events.md shows the JSON.
struct EventTrace
{
    static constexpr int kMaxNamedKeys = 50;

    struct Invalidation
    {
        bool isNamespace = false;  // false: a tag
        QString target;  // the tag, or the namespace pattern
        qint64 removed = -1;  // -1: not answered (yet), or failed
        QStringList keys;  // the first kMaxNamedKeys removed, relative to the key namespace
        QString error;  // why it failed, when it did
        friend bool operator==(const Invalidation &, const Invalidation &) = default;
    };

    QString eventId;
    qint64 receivedAtMs = 0;
    EventSource source = EventSource::Hub;
    QString channel;  // the bus channel it came on
    QString type;  // empty for a ws: message, or an event refused before its type was known
    bool accepted = false;
    QString reason;  // why it was refused
    QString rule;  // the routing rule that matched (RoutingTable::ruleName); empty: none
    QList<Invalidation> invalidations;
    QString wsChannel;  // empty: not forwarded
    ChannelDelivery delivery;
    // From receipt to the last invalidation's answer and to the last socket write; -1: none.
    qint64 cascadeMicros = -1;
    qint64 lastWriteMicros = -1;
    // False when the trace was written before everything answered (the hub stopped, or an
    // answer took longer than the router waits).
    bool complete = true;

    QJsonObject toJson() const;
    // Compact JSON for the audit log; over `maxBytes`, without the key and client names
    // (counts kept, "namesDropped": true).
    QByteArray storedText(qsizetype maxBytes) const;
    // What another hub or an older row wrote: missing or mistyped members read as empty.
    static EventTrace fromJson(const QJsonObject &json);
};

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::EventTrace)
