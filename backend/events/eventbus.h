#pragma once

#include "eventsource.h"

#include <QByteArray>
#include <QString>

#include <functional>

class QObject;

namespace kucun {

// Pub/Sub between the hub's parts and, with Redis, between hubs (SPEC §5). Channels are the
// seed's names (`channel:inventory:change`, `ws:<channel>`, …); payloads are JSON text.
// Implementations: LocalBus (in-process) and, with Redis, RedisBus.
class EventBus
{
public:
    using Handler = std::function<void(const QString &channel, const QByteArray &payload)>;
    // The same, told where the message came from (for traces and the Flow panel).
    using SourcedHandler = std::function<void(const QString &channel, const QByteArray &payload,
                                              EventSource source)>;

    virtual ~EventBus() = default;

    // Thread-safe. Delivery is always later, never inside publish(): a handler that publishes
    // cannot recurse. `source` says who publishes; the other hubs hear it as EventSource::Redis.
    virtual void publish(const QString &channel, const QByteArray &payload, EventSource source) = 0;
    void publish(const QString &channel, const QByteArray &payload)
    {
        publish(channel, payload, EventSource::Hub);
    }
    // To the other hubs only (the caller has delivered here already). Thread-safe.
    virtual void publishToOthers(const QString &channel, const QByteArray &payload) = 0;
    // Calls `handler` in `context`'s thread for every message on a channel matching `pattern`
    // (Redis glob), until `context` is destroyed or unsubscribe() is called. Returns an id.
    virtual int subscribe(const QString &pattern, QObject *context, Handler handler) = 0;
    virtual int subscribeWithSource(const QString &pattern, QObject *context,
                                    SourcedHandler handler)
        = 0;
    virtual void unsubscribe(int subscriptionId) = 0;
    // This hub's id, sent as `source` in the events it publishes, so that it can recognise its
    // own events when Redis echoes them back.
    virtual QString instanceId() const = 0;
};

}  // namespace kucun
