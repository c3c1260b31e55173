#include "channelregistry.h"

#include "core/jsonvalue.h"
#include "wsframe.h"

#include <QUuid>

namespace kucun {

namespace {

// A channel name as a JSON string. Names are checked to be plain ASCII where they come in;
// anything else takes the JSON writer's escaping.
QByteArray channelText(const QString &channel)
{
    for (const QChar c : channel) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'"' || c == u'\\')
            return jsonValueText(channel);
    }
    return '"' + channel.toLatin1() + '"';
}

// {"channel":…,"data":…,"offset":…,"ts":…}, the keys in the order QJsonObject writes them.
// Put together as text: writing `data` out once more per message was a fifth of a publish.
QByteArray envelope(const QString &channel, const QByteArray &dataText, qint64 offset,
                    qint64 timestampMs)
{
    QByteArray json;
    json.reserve(dataText.size() + channel.size() + 64);
    json += "{\"channel\":";
    json += channelText(channel);
    json += ",\"data\":";
    json += dataText;
    json += ",\"offset\":";
    json += QByteArray::number(offset);
    json += ",\"ts\":";
    json += QByteArray::number(timestampMs);
    json += '}';
    return json;
}

QString newEpoch()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(16);
}

// What one kept message costs beside its frame: its slot in the deque, the byte array's header
// and allocation, its place in the budget's bookkeeping.
constexpr qint64 kEntryOverheadBytes = 64;

qint64 costOf(const QByteArray &frame)
{
    return frame.size() + kEntryOverheadBytes;
}

}  // namespace

ChannelRegistry::Channel &ChannelRegistry::channel(const QString &name)
{
    auto it = m_channels.find(name);
    if (it == m_channels.end()) {
        // A new stream: a new epoch. History lives in memory only, so a restarted hub starts
        // every channel afresh and recovery across the restart answers recovered:false.
        Channel fresh;
        fresh.position.epoch = newEpoch();
        it = m_channels.insert(name, fresh);
    }
    return *it;
}

void ChannelRegistry::dropOldestHistory()
{
    const QString name = m_oldest.begin()->second;
    const auto it = m_channels.find(name);
    Q_ASSERT(it != m_channels.end());
    clearHistory(name, *it);
    if (it->subscribers.isEmpty())
        m_channels.erase(it);  // its next message starts a new epoch
}

void ChannelRegistry::popOldest(const QString &name, Channel &entry)
{
    m_oldest.erase({entry.history.front().sequence, name});
    m_historyBytes -= costOf(entry.history.front().frame);
    entry.history.pop_front();
    if (!entry.history.empty())
        m_oldest.insert({entry.history.front().sequence, name});
}

void ChannelRegistry::append(const QString &name, Channel &entry, Stamped message)
{
    if (entry.history.empty())
        m_oldest.insert({message.sequence, name});
    m_historyBytes += costOf(message.frame);
    entry.history.push_back(std::move(message));
    while (entry.history.size() > size_t(m_historyLimits.messages))
        popOldest(name, entry);
    // Over the budget: the oldest messages anywhere go, this one last of all.
    while (m_historyBytes > m_historyLimits.totalBytes && !m_oldest.empty()) {
        const QString oldestChannel = m_oldest.begin()->second;
        const auto oldest = m_channels.find(oldestChannel);
        Q_ASSERT(oldest != m_channels.end());
        popOldest(oldestChannel, *oldest);
        ++m_evictedForBytes;
    }
}

ChannelRegistry::Position ChannelRegistry::subscribe(const QString &name, WsConnection *client)
{
    Channel &entry = channel(name);
    entry.subscribers.insert(client);
    QStringList &mine = m_byClient[client];
    if (!mine.contains(name))
        mine.append(name);
    return entry.position;
}

bool ChannelRegistry::unsubscribe(const QString &name, WsConnection *client)
{
    const auto it = m_channels.find(name);
    if (it == m_channels.end() || !it->subscribers.remove(client))
        return false;
    it->joiners.remove(client);
    if (const auto subscriptions = m_byClient.find(client); subscriptions != m_byClient.end()) {
        subscriptions->removeOne(name);
        if (subscriptions->isEmpty())
            m_byClient.erase(subscriptions);
    }
    return true;
}

void ChannelRegistry::forget(WsConnection *client)
{
    for (const QString &name : m_byClient.take(client)) {
        if (const auto it = m_channels.find(name); it != m_channels.end()) {
            it->subscribers.remove(client);
            it->joiners.remove(client);
        }
    }
}

QStringList ChannelRegistry::channelsOf(WsConnection *client) const
{
    return m_byClient.value(client);
}

void ChannelRegistry::dropAged(const QString &name, Channel &entry, qint64 nowMs)
{
    const qint64 oldestKept = nowMs - qint64(m_historyLimits.age.count());
    while (!entry.history.empty() && entry.history.front().timestampMs < oldestKept)
        popOldest(name, entry);
}

std::optional<QList<QByteArray>>
ChannelRegistry::missedSince(const QString &name, const StreamPosition &since, qint64 nowMs)
{
    const auto it = m_channels.find(name);
    if (it == m_channels.end() || it->position.epoch != since.epoch
        || since.offset > it->position.offset)
        return std::nullopt;
    dropAged(name, *it, nowMs);
    const qint64 missed = it->position.offset - since.offset;
    if (missed > qint64(it->history.size()))
        return std::nullopt;  // the first missed message is gone
    QList<QByteArray> frames;
    frames.reserve(missed);
    for (auto message = it->history.end() - missed; message != it->history.end(); ++message)
        frames.append(message->frame);
    return frames;
}

ChannelRegistry::Message ChannelRegistry::stamp(const QString &name, const QJsonValue &data,
                                                qint64 timestampMs)
{
    return stamp(name, jsonValueText(data), timestampMs);
}

ChannelRegistry::Message ChannelRegistry::stamp(const QString &name, const QByteArray &dataText,
                                                qint64 timestampMs)
{
    makeRoomForHistory(name);
    Channel &entry = channel(name);
    const qint64 offset = ++entry.position.offset;
    const QByteArray frame = textFrame(envelope(name, dataText, offset, timestampMs));

    if (m_historyLimits.messages > 0)
        append(name, entry, {offset, timestampMs, m_nextSequence++, frame});
    countMessage(entry, timestampMs);
    return {frame, entry.subscribers, offset};
}

void ChannelRegistry::makeRoomForHistory(const QString &name)
{
    if (m_historyLimits.messages <= 0)
        return;
    // One more channel is to hold history: beyond the cap, the one whose history is the oldest
    // loses it (never this one, which has none). Before the channel's entry is taken: dropping
    // a channel moves others in the hash.
    const auto existing = m_channels.constFind(name);
    if (existing == m_channels.constEnd() || existing->history.empty()) {
        while (m_oldest.size() >= size_t(std::max(1, m_historyLimits.maxChannels)))
            dropOldestHistory();
    }
}

void ChannelRegistry::countMessage(Channel &entry, qint64 timestampMs)
{
    ++entry.messagesTotal;
    const qint64 second = timestampMs / 1000;
    if (second != entry.currentSecond) {
        entry.countLastSecond = second == entry.currentSecond + 1 ? entry.countThisSecond : 0;
        entry.currentSecond = second;
        entry.countThisSecond = 0;
    }
    ++entry.countThisSecond;
}

std::optional<ChannelRegistry::Position> ChannelRegistry::positionOf(const QString &name) const
{
    const auto it = m_channels.constFind(name);
    if (it == m_channels.constEnd())
        return std::nullopt;
    return it->position;
}

void ChannelRegistry::clearHistory(const QString &name, Channel &entry)
{
    while (!entry.history.empty())
        popOldest(name, entry);
}

namespace {

// {"type":"subscribed",…,"recovered":false}: the client's stream changed under it.
QByteArray streamNotice(const QString &channel, const ChannelRegistry::Position &position)
{
    return textFrame("{\"type\":\"subscribed\",\"channel\":" + channelText(channel)
                     + ",\"offset\":" + QByteArray::number(position.offset)
                     + ",\"epoch\":" + jsonValueText(position.epoch) + ",\"recovered\":false}");
}

}  // namespace

ChannelRegistry::SharedDelivery ChannelRegistry::deliverShared(const SharedMessage &message)
{
    makeRoomForHistory(message.channel);
    Channel &entry = channel(message.channel);
    const bool sameStream = entry.shared && entry.position.epoch == message.epoch;
    if (sameStream && message.offset <= entry.position.offset)
        return {};  // had it already
    const bool continuous = sameStream && message.offset == entry.position.offset + 1;
    if (!sameStream) {
        // Another stream: what this hub kept of the old one recovers nothing in the new.
        clearHistory(message.channel, entry);
        entry.position.epoch = message.epoch;
        entry.shared = true;
    }
    entry.position.offset = message.offset;
    SharedDelivery delivery;
    delivery.frame = textFrame(message.envelope);
    if (m_historyLimits.messages > 0) {
        append(message.channel, entry,
               {message.offset, message.timestampMs, m_nextSequence++, delivery.frame});
    }
    countMessage(entry, message.timestampMs);
    if (continuous && entry.joiners.isEmpty()) {
        delivery.subscribers = entry.subscribers;
        return delivery;
    }
    // Whoever's stream does not go on from the message before this one hears so first.
    const Position before{message.offset - 1, message.epoch};
    delivery.notice = streamNotice(message.channel, before);
    for (WsConnection *subscriber : std::as_const(entry.subscribers)) {
        bool followsOn = continuous;
        if (const auto joiner = entry.joiners.find(subscriber); joiner != entry.joiners.end()) {
            if (joiner->epoch == message.epoch && message.offset <= joiner->offset)
                continue;  // it was told of this one already
            followsOn = joiner->epoch == message.epoch && message.offset == joiner->offset + 1;
            entry.joiners.erase(joiner);
        }
        if (!followsOn)
            delivery.noticed.append(subscriber);
        delivery.subscribers.insert(subscriber);
    }
    return delivery;
}

void ChannelRegistry::joinShared(const QString &name, WsConnection *client, const Position &told)
{
    subscribe(name, client);
    Channel &entry = m_channels[name];
    if (entry.shared && entry.position.epoch == told.epoch && entry.position.offset == told.offset)
        entry.joiners.remove(client);
    else
        entry.joiners.insert(client, told);
}

QList<ChannelRegistry::Notice> ChannelRegistry::leaveShared()
{
    QList<Notice> notices;
    for (auto it = m_channels.begin(); it != m_channels.end(); ++it) {
        if (!it->shared) {
            // Clients told a position of the shared stream that this hub never followed: they
            // hear that the channel goes on here, on its own stream.
            if (!it->joiners.isEmpty()) {
                QSet<WsConnection *> told;
                for (auto joiner = it->joiners.cbegin(); joiner != it->joiners.cend(); ++joiner)
                    told.insert(joiner.key());
                it->joiners.clear();
                notices.append({streamNotice(it.key(), it->position), told});
            }
            continue;
        }
        it->shared = false;
        it->joiners.clear();
        clearHistory(it.key(), *it);
        it->position.epoch = newEpoch();
        if (!it->subscribers.isEmpty())
            notices.append({streamNotice(it.key(), it->position), it->subscribers});
    }
    return notices;
}

int ChannelRegistry::sharedChannelCount() const
{
    return int(std::count_if(m_channels.cbegin(), m_channels.cend(),
                             [](const Channel &entry) { return entry.shared; }));
}

void ChannelRegistry::prune(qint64 nowMs)
{
    for (auto it = m_channels.begin(); it != m_channels.end();) {
        dropAged(it.key(), *it, nowMs);
        if (it->subscribers.isEmpty() && it->history.empty())
            it = m_channels.erase(it);
        else
            ++it;
    }
}

QList<ChannelRegistry::ChannelInfo> ChannelRegistry::snapshot(qint64 nowMs) const
{
    const qint64 second = nowMs / 1000;
    QList<ChannelInfo> channels;
    channels.reserve(m_channels.size());
    for (auto it = m_channels.constBegin(); it != m_channels.constEnd(); ++it) {
        qint64 perSecond = 0;
        if (second == it->currentSecond)
            perSecond = it->countLastSecond;
        else if (second == it->currentSecond + 1)
            perSecond = it->countThisSecond;
        channels.append({it.key(), int(it->subscribers.size()), it->position.offset,
                         it->position.epoch, int(it->history.size()), perSecond, it->messagesTotal,
                         it->shared});
    }
    return channels;
}

}  // namespace kucun
