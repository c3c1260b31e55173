#pragma once

#include <QStringList>

#include <span>

namespace kucun {

// The five events of SPEC §5, as their `type` strings.
enum class EventType { CacheInvalidate, DataUpdate, InventoryChange, OrderStatus, FinanceChange };

// What one field holds, and so how it is checked and edited.
enum class FieldKind {
    Text,  // a non-empty string of at most EventCodec::kMaxTextLength characters
    Number,  // a finite JSON number
    Action,  // "create", "update" or "delete"
    ResourceName,  // 1-64 of A-Z a-z 0-9 _ . - (it becomes part of tags and channels)
};

enum class FieldPresence {
    Required,
    Optional,
    OneOf,  // exactly one of the type's OneOf fields is present
};

struct EventFieldSchema
{
    const char *name;
    // How the GUI shows it: English, translated in the "kucun::EventSchema" context.
    const char *label;
    FieldKind kind;
    FieldPresence presence;
};

// One event type of SPEC §5: the single declaration that the validator, the Publish forms,
// the demo simulator and the cache's announcements read. Adding a field is one edit here.
// Besides these fields every event carries `type`, `timestamp` (ms, required) and optionally
// `source`; `id` is an optional event id unless the type declares its own `id` field.
struct EventTypeSchema
{
    EventType type;
    const char *name;  // "inventory:change"
    const char *channel;  // the Pub/Sub channel it travels on: "channel:inventory:change"
    std::span<const EventFieldSchema> fields;

    bool declares(const char *field) const;
};

// All five, in SPEC §5's order.
std::span<const EventTypeSchema> eventSchemas();
const EventTypeSchema &eventSchema(EventType type);
// The values a FieldKind::Action field takes.
QStringList actionNames();

}  // namespace kucun
