#pragma once

#include "sharedmessage.h"
#include "wsconnection.h"
#include "wsrequest.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <deque>
#include <optional>
#include <set>

namespace kucun {

// The hub's channels: who is subscribed, each channel's stream position and its recent history
// (SPEC §6). Offsets rise by one per message; an epoch names the stream, so a client can tell a
// restart (new epoch, history gone) from a gap it can fill. Engine thread only.
//
// What it holds is bounded: history per channel (messages, age), over all channels (bytes;
// beyond, the oldest message of any channel goes first), and the number of channels that hold
// history (beyond, the channel with the oldest history loses it). Channels without history are
// bounded by the clients' subscriptions, and go when their last subscriber does.
class ChannelRegistry
{
public:
    struct HistoryLimits
    {
        int messages = 1000;  // per channel
        std::chrono::milliseconds age{5 * 60 * 1000};
        qint64 totalBytes = 64 * 1024 * 1024;  // over all channels (WS_HISTORY_MAX_MB)
        int maxChannels = 10000;  // holding history at once (WS_MAX_CHANNELS)
    };
    void setHistoryLimits(const HistoryLimits &limits) { m_historyLimits = limits; }
    // What the history holds now, in bytes as counted against totalBytes.
    qint64 historyBytes() const { return m_historyBytes; }
    // Messages dropped from history to keep within totalBytes since the registry was made.
    qint64 evictedForBytes() const { return m_evictedForBytes; }
    int channelCount() const { return int(m_channels.size()); }

    struct Position
    {
        qint64 offset = 0;  // of the last message sent on the channel; 0 before the first
        QString epoch;
    };

    Position subscribe(const QString &channel, WsConnection *client);
    bool unsubscribe(const QString &channel, WsConnection *client);
    void forget(WsConnection *client);
    QStringList channelsOf(WsConnection *client) const;

    // The frames of the messages that came after `since`, oldest first, when history still holds
    // every one of them (none when the client is up to date); nullopt when it cannot: another
    // epoch, an offset this stream never reached, or messages already dropped.
    std::optional<QList<QByteArray>> missedSince(const QString &channel,
                                                 const StreamPosition &since, qint64 nowMs);

    // Stamps the next message of `channel` and keeps it in the history: returns the envelope
    // {"channel","data","ts","offset"} as a WebSocket text frame, built once for every
    // subscriber, and the subscribers.
    struct Message
    {
        QByteArray frame;
        QSet<WsConnection *> subscribers;
        qint64 offset = 0;
    };
    // `dataText` is the data as JSON text (jsonValueText()): a publish has it already and the
    // envelope is put together around it, not written out again.
    Message stamp(const QString &channel, const QByteArray &dataText, qint64 timestampMs);
    Message stamp(const QString &channel, const QJsonValue &data, qint64 timestampMs);

    // Where the channel's stream is on this hub, if the hub knows the channel.
    std::optional<Position> positionOf(const QString &channel) const;

    // Shared streams (SPEC §6 with Redis): the messages are stamped in Redis and every hub
    // delivers them as they come. A channel follows the shared stream from its first stamped
    // message on; its subscribers hear when their stream changes under them (another epoch,
    // or messages this hub missed) through a `subscribed` notice with recovered:false, so that
    // a `since` from before never recovers the wrong messages.
    struct SharedDelivery
    {
        QByteArray frame;
        QSet<WsConnection *> subscribers;
        QByteArray notice;  // a text frame, for `noticed`, sent before the message
        QList<WsConnection *> noticed;
    };
    SharedDelivery deliverShared(const SharedMessage &message);
    // Subscribes `client` at the position of the shared stream it was told: one that this hub's
    // copy has not reached yet (messages still on their way here) or one of another epoch (the
    // channel has not followed the shared stream yet). Messages up to that position are not
    // delivered to it again.
    void joinShared(const QString &channel, WsConnection *client, const Position &told);
    // Every channel that follows a shared stream starts a local one (Redis went away): a new
    // epoch at the same offset, its history dropped. Returns the notice each subscriber gets.
    struct Notice
    {
        QByteArray frame;
        QSet<WsConnection *> subscribers;
    };
    QList<Notice> leaveShared();
    int sharedChannelCount() const;

    // Drops history older than the age limit, and channels with neither subscribers nor
    // history left (their next message starts a new epoch).
    void prune(qint64 nowMs);

    // What the Clients & channels panel shows of one channel.
    struct ChannelInfo
    {
        QString name;
        int subscribers = 0;
        qint64 offset = 0;
        QString epoch;
        int historySize = 0;
        qint64 messagesPerSecond = 0;  // in the last whole second
        qint64 messagesTotal = 0;
        bool shared = false;  // the channel's history is the shared one in Redis
    };
    QList<ChannelInfo> snapshot(qint64 nowMs) const;

private:
    struct Stamped
    {
        qint64 offset;
        qint64 timestampMs;
        quint64 sequence;  // over all channels: which message is the oldest anywhere
        QByteArray frame;
    };
    struct Channel
    {
        Position position;
        QSet<WsConnection *> subscribers;
        std::deque<Stamped> history;
        bool shared = false;  // following a shared stream
        // Subscribers told a position of the shared stream other than the channel's own.
        QHash<WsConnection *, Position> joiners;
        qint64 messagesTotal = 0;
        qint64 currentSecond = 0;  // the second `countThisSecond` counts
        qint64 countThisSecond = 0;
        qint64 countLastSecond = 0;
    };
    // The channel, made if new.
    Channel &channel(const QString &name);
    // Drops the history of the channel whose history is the oldest, and the channel itself if
    // nobody is subscribed to it.
    void dropOldestHistory();
    void dropAged(const QString &name, Channel &channel, qint64 nowMs);
    // The history's first message goes; the index of oldest messages follows.
    void popOldest(const QString &name, Channel &channel);
    void append(const QString &name, Channel &channel, Stamped message);
    void clearHistory(const QString &name, Channel &channel);
    // Before a message is kept: beyond the channel cap, the oldest history anywhere goes.
    void makeRoomForHistory(const QString &name);
    void countMessage(Channel &channel, qint64 timestampMs);

    QHash<QString, Channel> m_channels;
    // A list, not a set: a client has a few subscriptions (at most WsHub's maxSubscriptions),
    // and an empty QSet's first insert allocates over a kilobyte, per client.
    QHash<WsConnection *, QStringList> m_byClient;
    HistoryLimits m_historyLimits;
    // Each channel's oldest message by its sequence number, oldest first: the first entry is the
    // message the byte budget drops next; one entry per channel that holds history.
    std::set<std::pair<quint64, QString>> m_oldest;
    quint64 m_nextSequence = 0;
    qint64 m_historyBytes = 0;
    qint64 m_evictedForBytes = 0;
};

}  // namespace kucun
