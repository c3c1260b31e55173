#pragma once

#include "cache/invalidationlistener.h"

namespace kucun {

class EventBus;

// Tells the other hubs (and this one's clients) of the invalidations people ask for: each one
// becomes a `cache:invalidate` event on `channel:cache:invalidate` (SPEC §3, §5). Cascades are
// not announced: every hub received the event that caused them and cascades on its own.
// Thread-safe, as EventBus::publish is; the bus outlives it.
class InvalidationAnnouncer final : public InvalidationListener
{
public:
    explicit InvalidationAnnouncer(EventBus &bus);

    void tagInvalidated(const QString &tag, qint64 removedKeys, InvalidationCause cause) override;
    void namespaceInvalidated(const QString &pattern, qint64 removedKeys,
                              InvalidationCause cause) override;

private:
    void announce(const QString &field, const QString &value, InvalidationCause cause);

    EventBus &m_bus;
};

}  // namespace kucun
