#pragma once

#include "cache/cacheservice.h"

#include <QObject>

#include <functional>

namespace kucun {

// Where the Keys panel's keys come from: the engine's CacheService in the hub, a fake in tests.
class KeySource
{
public:
    using PageCallback = std::function<void(const Result<KeyPage> &page)>;

    virtual ~KeySource() = default;
    // One SCAN page of keys matching `pattern` (relative to the namespace, Redis glob), with
    // their details. `done` runs later, in `context`'s thread, unless `context` is gone.
    virtual void fetchPage(const QString &pattern, const QByteArray &cursor, int count,
                           QObject *context, PageCallback done)
        = 0;
    // The prefix of the full keys the pages carry ("kucun:"), which the tree leaves out.
    virtual QString keyPrefix() const = 0;
};

// KeySource over a CacheService (thread-safe; the answer comes back through the context).
class CacheKeySource : public KeySource
{
public:
    explicit CacheKeySource(CacheService &cache)
        : m_cache(cache)
    {
    }

    void fetchPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                   PageCallback done) override
    {
        m_cache.keysPage(pattern, cursor, count)
            .then(context, [done = std::move(done)](const Result<KeyPage> &page) { done(page); });
    }
    QString keyPrefix() const override { return m_cache.keyNamespace() + u':'; }

private:
    CacheService &m_cache;
};

}  // namespace kucun
