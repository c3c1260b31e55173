#include "redisbus.h"

#include "localbus.h"
#include "redis/redisclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace kucun {

namespace {

const QByteArray kEventPattern = QByteArrayLiteral("channel:*");
const QByteArray kMessagePattern = QByteArrayLiteral("ws:*");

size_t messageHash(const QByteArray &channel, const QByteArray &payload)
{
    return qHashMulti(0, channel, payload);
}

}  // namespace

RedisBus::RedisBus(RedisClient &client, LocalBus &local, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_local(local)
{
    connect(&m_client, &RedisClient::messageReceived, this, &RedisBus::received);
    m_client.psubscribe({kEventPattern, kMessagePattern});
}

RedisBus::~RedisBus() = default;

QString RedisBus::instanceId() const
{
    return m_local.instanceId();
}

void RedisBus::publish(const QString &channel, const QByteArray &payload, EventSource source)
{
    m_local.publish(channel, payload, source);
    publishToOthers(channel, payload);
}

void RedisBus::publishToOthers(const QString &channel, const QByteArray &payload)
{
    const QByteArray name = channel.toUtf8();
    {
        std::lock_guard lock(m_mutex);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const size_t hash = messageHash(name, payload);
        m_sent.push_back({now, hash});
        ++m_sentCounts[hash];
    }
    const auto send = [this, name, payload] {
        // In order: the other hubs deliver a channel's messages (and events after the messages
        // they follow) as this hub sent them.
        m_client.commandInOrder({QByteArrayLiteral("PUBLISH"), name, payload}, this,
                                [](const RedisReply &) {});
    };
    if (QThread::currentThread() == thread())
        send();
    else
        QMetaObject::invokeMethod(this, send, Qt::QueuedConnection);
}

bool RedisBus::isOwnEcho(const QByteArray &channel, const QByteArray &payload)
{
    std::lock_guard lock(m_mutex);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_sent.empty() && now - m_sent.front().atMs > kEchoMemoryMs) {
        const size_t hash = m_sent.front().hash;
        if (--m_sentCounts[hash] <= 0)
            m_sentCounts.remove(hash);
        m_sent.pop_front();
    }
    const size_t hash = messageHash(channel, payload);
    if (const auto it = m_sentCounts.find(hash); it != m_sentCounts.end()) {
        // One echo per publish: the same message published twice comes back twice.
        if (--it.value() <= 0)
            m_sentCounts.erase(it);
        for (auto sent = m_sent.begin(); sent != m_sent.end(); ++sent) {
            if (sent->hash == hash) {
                m_sent.erase(sent);
                break;
            }
        }
        return true;
    }
    if (channel.startsWith("channel:")) {
        const QJsonObject event = QJsonDocument::fromJson(payload).object();
        return event.value(QStringLiteral("source")).toString() == m_local.instanceId();
    }
    return false;
}

void RedisBus::received(const QByteArray &pattern, const QByteArray &channel,
                        const QByteArray &payload)
{
    if (pattern != kEventPattern && pattern != kMessagePattern)
        return;  // another part's subscription (shared channel history)
    if (isOwnEcho(channel, payload)) {
        std::lock_guard lock(m_mutex);
        ++m_echoesDropped;
        return;
    }
    m_local.publish(QString::fromUtf8(channel), payload, EventSource::Redis);
}

int RedisBus::subscribe(const QString &pattern, QObject *context, Handler handler)
{
    return m_local.subscribe(pattern, context, std::move(handler));
}

int RedisBus::subscribeWithSource(const QString &pattern, QObject *context, SourcedHandler handler)
{
    return m_local.subscribeWithSource(pattern, context, std::move(handler));
}

void RedisBus::unsubscribe(int subscriptionId)
{
    m_local.unsubscribe(subscriptionId);
}

qint64 RedisBus::echoesDropped() const
{
    std::lock_guard lock(m_mutex);
    return m_echoesDropped;
}

}  // namespace kucun
