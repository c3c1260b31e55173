#pragma once

#include "cache/cacheservice.h"
#include "engine/enginehost.h"

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

// KeySource over the engine's CacheService, asked through the host: the pages are made in the
// engine thread and answered in the GUI thread (EngineHost::askCache).
class EngineKeySource : public KeySource
{
public:
    explicit EngineKeySource(EngineHost &engine)
        : m_engine(engine)
    {
    }

    void fetchPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                   PageCallback done) override
    {
        m_engine.askCache<KeyPage>(
            context,
            [pattern, cursor, count](CacheService &cache) {
                return cache.keysPage(pattern, cursor, count);
            },
            std::move(done));
    }
    QString keyPrefix() const override { return m_engine.config().keyNamespace + u':'; }

private:
    EngineHost &m_engine;
};

}  // namespace kucun
