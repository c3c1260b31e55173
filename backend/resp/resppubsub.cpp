#include "resppubsub.h"

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

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
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

bool RespPubSub::subscribe(qint64 id, const QByteArray &channel)
{
    if (m_clientChannels[id].contains(channel))
        return false;
    m_clientChannels[id].insert(channel);
    m_channelClients[channel].insert(id);
    return true;
}

bool RespPubSub::unsubscribe(qint64 id, const QByteArray &channel)
{
    auto mine = m_clientChannels.find(id);
    if (mine == m_clientChannels.end() || !mine->remove(channel))
        return false;
    if (mine->isEmpty())
        m_clientChannels.erase(mine);
    auto theirs = m_channelClients.find(channel);
    theirs->remove(id);
    if (theirs->isEmpty())
        m_channelClients.erase(theirs);
    return true;
}

bool RespPubSub::psubscribe(qint64 id, const QByteArray &pattern)
{
    if (m_clientPatterns[id].contains(pattern))
        return false;
    m_clientPatterns[id].insert(pattern);
    m_patternClients[pattern].insert(id);
    return true;
}

bool RespPubSub::punsubscribe(qint64 id, const QByteArray &pattern)
{
    auto mine = m_clientPatterns.find(id);
    if (mine == m_clientPatterns.end() || !mine->remove(pattern))
        return false;
    if (mine->isEmpty())
        m_clientPatterns.erase(mine);
    auto theirs = m_patternClients.find(pattern);
    theirs->remove(id);
    if (theirs->isEmpty())
        m_patternClients.erase(theirs);
    return true;
}

QList<QByteArray> RespPubSub::channelsOf(qint64 id) const
{
    return sorted(m_clientChannels.value(id));
}

QList<QByteArray> RespPubSub::patternsOf(qint64 id) const
{
    return sorted(m_clientPatterns.value(id));
}

qsizetype RespPubSub::subscriptionCount(qint64 id) const
{
    return m_clientChannels.value(id).size() + m_clientPatterns.value(id).size();
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
    qint64 receivers = m_channelClients.value(channel).size();
    for (auto pattern = m_patternClients.cbegin(); pattern != m_patternClients.cend(); ++pattern) {
        if (globMatches(view(pattern.key()), view(channel)))
            receivers += pattern->size();
    }
    return receivers;
}

qint64 RespPubSub::publish(const QByteArray &channel, const QByteArray &message)
{
    const qint64 receivers = receiversOf(channel);
    if (m_bus)
        m_bus->publish(QString::fromUtf8(channel), message);  // back here through the bus
    else
        deliver(channel, message);
    return receivers;
}

void RespPubSub::deliver(const QByteArray &channel, const QByteArray &message)
{
    // Copies (shared until changed): a delivery may cut a slow subscriber, whose subscriptions
    // then go while these are walked.
    const QSet<qint64> channelClients = m_channelClients.value(channel);
    const QHash<QByteArray, QSet<qint64>> patterns = m_patternClients;
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
        if (!globMatches(view(pattern.key()), view(channel)))
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
    for (auto channel = m_channelClients.cbegin(); channel != m_channelClients.cend(); ++channel) {
        if (pattern.isEmpty() || globMatches(view(pattern), view(channel.key())))
            channels.append(channel.key());
    }
    return channels;
}

qint64 RespPubSub::subscribersOf(const QByteArray &channel) const
{
    return m_channelClients.value(channel).size();
}

}  // namespace kucun
