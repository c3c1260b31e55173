#include "resppubsub.h"

#include "core/bytesview.h"
#include "core/globpattern.h"
#include "events/eventbus.h"
#include "respwriter.h"

#include <algorithm>

namespace kucun {

namespace {

QList<QByteArray> sorted(const QSet<QByteArray> &set)
{
    QList<QByteArray> list(set.cbegin(), set.cend());
    std::sort(list.begin(), list.end());
    return list;
}

}  // namespace

RespPubSub::RespPubSub(Deliver deliver, QObject *parent)
    : QObject(parent)
    , m_deliver(std::move(deliver))
{
}

RespPubSub::~RespPubSub()
{
    attachBus(nullptr);
}

void RespPubSub::attachBus(EventBus *bus)
{
    if (m_bus && m_busSubscription)
        m_bus->unsubscribe(m_busSubscription);
    m_bus = bus;
    m_busSubscription = 0;
    if (m_bus) {
        m_busSubscription = m_bus->subscribe(
            QStringLiteral("*"), this, [this](const QString &channel, const QByteArray &payload) {
                deliver(channel.toUtf8(), payload);
            });
    }
}

bool RespPubSub::Listeners::add(qint64 id, const QByteArray &name)
{
    QSet<QByteArray> &mine = names[id];
    if (mine.contains(name))
        return false;
    mine.insert(name);
    clients[name].insert(id);
    return true;
}

bool RespPubSub::Listeners::remove(qint64 id, const QByteArray &name)
{
    auto mine = names.find(id);
    if (mine == names.end() || !mine->remove(name))
        return false;
    if (mine->isEmpty())
        names.erase(mine);
    auto theirs = clients.find(name);
    theirs->remove(id);
    if (theirs->isEmpty())
        clients.erase(theirs);
    return true;
}

bool RespPubSub::subscribe(qint64 id, const QByteArray &channel)
{
    return m_channels.add(id, channel);
}

bool RespPubSub::unsubscribe(qint64 id, const QByteArray &channel)
{
    return m_channels.remove(id, channel);
}

bool RespPubSub::psubscribe(qint64 id, const QByteArray &pattern)
{
    return m_patterns.add(id, pattern);
}

bool RespPubSub::punsubscribe(qint64 id, const QByteArray &pattern)
{
    return m_patterns.remove(id, pattern);
}

QList<QByteArray> RespPubSub::channelsOf(qint64 id) const
{
    return sorted(m_channels.names.value(id));
}

QList<QByteArray> RespPubSub::patternsOf(qint64 id) const
{
    return sorted(m_patterns.names.value(id));
}

qsizetype RespPubSub::subscriptionCount(qint64 id) const
{
    return m_channels.names.value(id).size() + m_patterns.names.value(id).size();
}

void RespPubSub::forget(qint64 id)
{
    for (const QByteArray &channel : channelsOf(id))
        unsubscribe(id, channel);
    for (const QByteArray &pattern : patternsOf(id))
        punsubscribe(id, pattern);
}

qint64 RespPubSub::receiversOf(const QByteArray &channel) const
{
    qint64 receivers = m_channels.clients.value(channel).size();
    for (auto pattern = m_patterns.clients.cbegin(); pattern != m_patterns.clients.cend();
         ++pattern) {
        if (globMatches(bytesView(pattern.key()), bytesView(channel)))
            receivers += pattern->size();
    }
    return receivers;
}

qint64 RespPubSub::publish(const QByteArray &channel, const QByteArray &message)
{
    const qint64 receivers = receiversOf(channel);
    if (m_bus)
        m_bus->publish(QString::fromUtf8(channel), message,
                       EventSource::Resp);  // back here through the bus
    else
        deliver(channel, message);
    return receivers;
}

void RespPubSub::deliver(const QByteArray &channel, const QByteArray &message)
{
    // Copies (shared until changed): a delivery may cut a slow subscriber, whose subscriptions
    // then go while these are walked.
    const QSet<qint64> channelClients = m_channels.clients.value(channel);
    const QHash<QByteArray, QSet<qint64>> patterns = m_patterns.clients;
    // Channel subscribers first, then pattern subscribers, as Redis sends them.
    if (!channelClients.isEmpty()) {
        QByteArray frame;
        resp::appendArrayHeader(frame, 3);
        resp::appendBulk(frame, "message");
        resp::appendBulk(frame, channel);
        resp::appendBulk(frame, message);
        for (const qint64 id : channelClients)
            m_deliver(id, frame);
    }
    for (auto pattern = patterns.cbegin(); pattern != patterns.cend(); ++pattern) {
        if (!globMatches(bytesView(pattern.key()), bytesView(channel)))
            continue;
        QByteArray frame;
        resp::appendArrayHeader(frame, 4);
        resp::appendBulk(frame, "pmessage");
        resp::appendBulk(frame, pattern.key());
        resp::appendBulk(frame, channel);
        resp::appendBulk(frame, message);
        for (const qint64 id : *pattern)
            m_deliver(id, frame);
    }
}

QList<QByteArray> RespPubSub::activeChannels(const QByteArray &pattern) const
{
    QList<QByteArray> channels;
    for (auto channel = m_channels.clients.cbegin(); channel != m_channels.clients.cend();
         ++channel) {
        if (pattern.isEmpty() || globMatches(bytesView(pattern), bytesView(channel.key())))
            channels.append(channel.key());
    }
    return channels;
}

qint64 RespPubSub::subscribersOf(const QByteArray &channel) const
{
    return m_channels.clients.value(channel).size();
}

}  // namespace kucun
