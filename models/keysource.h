#pragma once

#include "cache/cacheservice.h"
#include "engine/hublink.h"

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

// KeySource over the hub the window shows (the engine here, or a remote hub's API).
class HubKeySource : public KeySource
{
public:
    explicit HubKeySource(HubLink &hub)
        : m_hub(hub)
    {
    }

    void fetchPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                   PageCallback done) override
    {
        m_hub.keysPage(pattern, cursor, count, context, std::move(done));
    }
    QString keyPrefix() const override { return m_hub.keyNamespace() + u':'; }

private:
    HubLink &m_hub;
};

}  // namespace kucun
