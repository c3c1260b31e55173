#pragma once

#include <QString>

namespace kucun {

// Why keys were invalidated: a caller asked for it (the Invalidate panel, the API, the site's
// own code), or it cascades from an event that every hub receives and cascades on its own.
enum class InvalidationCause { Request, Cascade };

// The cache's port for what its invalidations mean to the world above it (STYLE.md: a lower
// floor owns its port). The cache calls it after an invalidation removed its keys; `events/`
// implements it (InvalidationAnnouncer publishes `cache:invalidate` for requests), so the cache
// knows neither the event format nor the channel.
//
// Called in the thread that finished the removal (the caller's with the memory engine, the
// engine thread with Redis); implementations are thread-safe.
class InvalidationListener
{
public:
    virtual ~InvalidationListener() = default;

    virtual void tagInvalidated(const QString &tag, qint64 removedKeys, InvalidationCause cause)
        = 0;
    // `pattern` as the caller gave it ("products:list:" or "inventory:*"), without the namespace.
    virtual void namespaceInvalidated(const QString &pattern, qint64 removedKeys,
                                      InvalidationCause cause)
        = 0;
};

}  // namespace kucun
