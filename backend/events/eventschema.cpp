#include "eventschema.h"

#include <QtGlobal>

#include <array>
#include <cstring>

namespace kucun {

namespace {

using enum FieldKind;
using enum FieldPresence;

constexpr std::array<EventFieldSchema, 2> kCacheInvalidate{{
    {"tag", QT_TRANSLATE_NOOP("kucun::EventSchema", "Tag"), Text, OneOf},
    {"namespace", QT_TRANSLATE_NOOP("kucun::EventSchema", "Namespace"), Text, OneOf},
}};

constexpr std::array<EventFieldSchema, 3> kDataUpdate{{
    {"resource", QT_TRANSLATE_NOOP("kucun::EventSchema", "Resource"), ResourceName, Required},
    {"id", QT_TRANSLATE_NOOP("kucun::EventSchema", "Id"), Text, Required},
    {"action", QT_TRANSLATE_NOOP("kucun::EventSchema", "Action"), Action, Required},
}};

constexpr std::array<EventFieldSchema, 5> kInventoryChange{{
    {"productId", QT_TRANSLATE_NOOP("kucun::EventSchema", "Product id"), Text, Required},
    {"variantId", QT_TRANSLATE_NOOP("kucun::EventSchema", "Variant id"), Text, Optional},
    {"oldQuantity", QT_TRANSLATE_NOOP("kucun::EventSchema", "Old quantity"), Number, Required},
    {"newQuantity", QT_TRANSLATE_NOOP("kucun::EventSchema", "New quantity"), Number, Required},
    {"reason", QT_TRANSLATE_NOOP("kucun::EventSchema", "Reason"), Text, Required},
}};

constexpr std::array<EventFieldSchema, 3> kOrderStatus{{
    {"orderId", QT_TRANSLATE_NOOP("kucun::EventSchema", "Order id"), Text, Required},
    {"status", QT_TRANSLATE_NOOP("kucun::EventSchema", "Status"), Text, Required},
    {"previousStatus", QT_TRANSLATE_NOOP("kucun::EventSchema", "Previous status"), Text, Optional},
}};

constexpr std::array<EventFieldSchema, 4> kFinanceChange{{
    {"entity", QT_TRANSLATE_NOOP("kucun::EventSchema", "Entity"), Text, Required},
    {"id", QT_TRANSLATE_NOOP("kucun::EventSchema", "Id"), Text, Required},
    {"action", QT_TRANSLATE_NOOP("kucun::EventSchema", "Action"), Action, Required},
    {"amount", QT_TRANSLATE_NOOP("kucun::EventSchema", "Amount"), Number, Optional},
}};

// In the order of the EventType enumerators: eventSchema() indexes by it.
constexpr std::array<EventTypeSchema, 5> kSchemas{{
    {EventType::CacheInvalidate, "cache:invalidate", "channel:cache:invalidate", kCacheInvalidate},
    {EventType::DataUpdate, "data:update", "channel:data:update", kDataUpdate},
    {EventType::InventoryChange, "inventory:change", "channel:inventory:change", kInventoryChange},
    {EventType::OrderStatus, "order:status", "channel:order:status", kOrderStatus},
    {EventType::FinanceChange, "finance:change", "channel:finance:change", kFinanceChange},
}};

}  // namespace

bool EventTypeSchema::declares(const char *field) const
{
    for (const EventFieldSchema &declared : fields) {
        if (std::strcmp(declared.name, field) == 0)
            return true;
    }
    return false;
}

std::span<const EventTypeSchema> eventSchemas()
{
    return kSchemas;
}

const EventTypeSchema &eventSchema(EventType type)
{
    return kSchemas[static_cast<size_t>(type)];
}

QStringList actionNames()
{
    return {QStringLiteral("create"), QStringLiteral("update"), QStringLiteral("delete")};
}

}  // namespace kucun
