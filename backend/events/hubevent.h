#pragma once

#include "core/result.h"
#include "eventschema.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace kucun {

// A validated event. `fields` holds the event's JSON exactly as received (extra fields are kept
// and travel on to WebSocket clients and the audit log); the typed accessors below read the
// fields validation guarantees.
struct HubEvent
{
    EventType type = EventType::DataUpdate;
    QString channel;  // the Pub/Sub channel it came on, e.g. "channel:inventory:change"
    qint64 timestamp = 0;  // ms since the epoch, from the event
    QString source;  // the publishing hub's instance id; empty when absent
    QJsonObject fields;

    QString text(const QString &field) const { return fields.value(field).toString(); }
    double number(const QString &field) const { return fields.value(field).toDouble(); }
    // A field as it appears in a tag or channel template: strings as they are, numbers in
    // their shortest form; empty when absent.
    QString templateValue(const QString &field) const;
};

// The outcome of decoding one message: an event, or why it was refused (one short phrase such
// as "missing field productId" or "newQuantity is not a number").
struct EventDecodeResult
{
    std::optional<HubEvent> event;
    QString reason;
};

// JSON codec and validation of the §5 events (rules in docs/events.md), read from the schema
// table of eventschema.h. Pure and thread-safe.
class EventCodec
{
public:
    static constexpr qsizetype kMaxPayloadBytes = 64 * 1024;
    static constexpr qsizetype kMaxTextLength = 256;

    // WebSocket channel names (SPEC §6): ^[A-Za-z0-9_.:-]{1,64}$.
    static bool isValidChannelName(const QString &channel);

    static QString typeName(EventType type);
    static std::optional<EventType> typeFromName(const QString &name);
    // "channel:inventory:change" for EventType::InventoryChange.
    static QString channelFor(EventType type);
    static std::optional<EventType> typeForChannel(const QString &channel);

    static EventDecodeResult decode(const QString &channel, const QByteArray &payload);
    // The event's own id (SPEC §5, §14), empty when it has none: `eventId` when it is a
    // non-empty string, else `id` for the types that do not use `id` to name a record
    // (data:update and finance:change do).
    static QString ownEventId(EventType type, const QJsonObject &event);
    static QByteArray encode(const HubEvent &event);
    // A new event of `type` from its own fields (the schema's), as JSON text to publish on
    // channelFor(type): `type`, `timestamp` and, when given, `source` are added. Checked exactly
    // like an incoming event, so what it builds every hub accepts; else the reason.
    static Result<QByteArray> build(EventType type, const QJsonObject &fields,
                                    const QString &source, qint64 timestampMs);
};

}  // namespace kucun
