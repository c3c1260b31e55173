#pragma once

#include "eventbus.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <mutex>

namespace kucun {

class LocalBus;
class RedisClient;

// EventBus across hubs (SPEC §5): publish() delivers to this hub's subscribers at once, through
// the local bus, and PUBLISHes to Redis for the others, all on one connection so that they hear
// this hub's messages in the order it sent them; what arrives from Redis (PSUBSCRIBE
// `channel:*` and `ws:*`) is delivered locally unless it is this hub's own message coming back.
// While Redis is down only the local half works. Lives in the engine thread; publish() is
// thread-safe.
//
// Own messages are recognised by a `source` field equal to this hub's instance id (events), and
// otherwise by remembering what was published in the last few seconds (ws:<channel> payloads
// carry no source).
class RedisBus final : public QObject, public EventBus
{
    Q_OBJECT

public:
    static constexpr qint64 kEchoMemoryMs = 10'000;

    RedisBus(RedisClient &client, LocalBus &local, QObject *parent = nullptr);
    ~RedisBus() override;

    using EventBus::publish;
    void publish(const QString &channel, const QByteArray &payload, EventSource source) override;
    void publishToOthers(const QString &channel, const QByteArray &payload) override;
    int subscribe(const QString &pattern, QObject *context, Handler handler) override;
    int subscribeWithSource(const QString &pattern, QObject *context,
                            SourcedHandler handler) override;
    void unsubscribe(int subscriptionId) override;
    QString instanceId() const override;

    qint64 echoesDropped() const;

private:
    void received(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    bool isOwnEcho(const QByteArray &channel, const QByteArray &payload);

    RedisClient &m_client;
    LocalBus &m_local;
    mutable std::mutex m_mutex;
    struct Sent
    {
        qint64 atMs;
        size_t hash;
    };
    std::deque<Sent> m_sent;
    QHash<size_t, int> m_sentCounts;
    qint64 m_echoesDropped = 0;
};

}  // namespace kucun
