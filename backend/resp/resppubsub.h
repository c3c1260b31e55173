#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace kucun {

class EventBus;

// Who of the Redis-protocol front's clients listens to what (SPEC §12): the channels and
// patterns of SUBSCRIBE and PSUBSCRIBE, PUBLISH's count of receivers, PUBSUB's answers, and the
// delivery of each message to its receivers as Redis frames it. With the hub's bus attached, a
// PUBLISH goes through the bus like any message of the hub (§5: `channel:*` events reach the
// router, `ws:*` the WebSocket hub), and what anyone publishes on the bus reaches the
// subscribers here; without it (tests) a PUBLISH is delivered here directly. Engine thread.
class RespPubSub : public QObject
{
    Q_OBJECT

public:
    // Writes a message frame to client `id`.
    using Deliver = std::function<void(qint64 id, const QByteArray &frame)>;

    explicit RespPubSub(Deliver deliver, QObject *parent = nullptr);
    ~RespPubSub() override;

    // Messages travel through `bus` from now on (nullptr: delivered here only).
    void attachBus(EventBus *bus);

    // Each returns whether the client's set changed.
    bool subscribe(qint64 id, const QByteArray &channel);
    bool unsubscribe(qint64 id, const QByteArray &channel);
    bool psubscribe(qint64 id, const QByteArray &pattern);
    bool punsubscribe(qint64 id, const QByteArray &pattern);
    // The client's subscriptions, sorted (UNSUBSCRIBE with no channel ends them in this order).
    QList<QByteArray> channelsOf(qint64 id) const;
    QList<QByteArray> patternsOf(qint64 id) const;
    qsizetype subscriptionCount(qint64 id) const;
    void forget(qint64 id);

    // PUBLISH: the number of receivers as Redis counts them (each channel subscriber, plus each
    // matching pattern of each client), and the message on its way to them.
    qint64 publish(const QByteArray &channel, const QByteArray &message);

    // PUBSUB CHANNELS / NUMSUB / NUMPAT.
    QList<QByteArray> activeChannels(const QByteArray &pattern) const;
    qint64 subscribersOf(const QByteArray &channel) const;
    qint64 patternCount() const { return m_patterns.clients.size(); }

    // Frames a message for this front's subscribers of `channel` and hands it to them.
    void deliver(const QByteArray &channel, const QByteArray &message);

private:
    qint64 receiversOf(const QByteArray &channel) const;

    const Deliver m_deliver;
    EventBus *m_bus = nullptr;
    int m_busSubscription = 0;
    // Who listens to a name and what a client listens to, kept together: one for channels,
    // one for patterns.
    struct Listeners
    {
        QHash<QByteArray, QSet<qint64>> clients;  // by channel or pattern
        QHash<qint64, QSet<QByteArray>> names;  // by client
        bool add(qint64 id, const QByteArray &name);
        bool remove(qint64 id, const QByteArray &name);
    };
    Listeners m_channels;
    Listeners m_patterns;
};

}  // namespace kucun
