#pragma once

#include "wsconnection.h"
#include "wsrequest.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>

#include <chrono>
#include <deque>

namespace kucun {

// The hub's channels: who is subscribed, each channel's stream position and its recent history
// (SPEC §6). Offsets rise by one per message; an epoch names the stream, so a client can tell a
// restart (new epoch, history gone) from a gap it can fill. Engine thread only.
class ChannelRegistry
{
public:
    struct HistoryLimits
    {
        int messages = 1000;
        std::chrono::milliseconds age{5 * 60 * 1000};
    };
    void setHistoryLimits(const HistoryLimits &limits) { m_historyLimits = limits; }

    struct Position
    {
        qint64 offset = 0;  // of the last message sent on the channel; 0 before the first
        QString epoch;
    };

    Position subscribe(const QString &channel, WsConnection *client);
    bool unsubscribe(const QString &channel, WsConnection *client);
    void forget(WsConnection *client);
    QSet<QString> channelsOf(WsConnection *client) const;

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
    Message stamp(const QString &channel, const QJsonValue &data, qint64 timestampMs);

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
    };
    QList<ChannelInfo> snapshot(qint64 nowMs) const;

private:
    struct Stamped
    {
        qint64 offset;
        qint64 timestampMs;
        QByteArray frame;
    };
    struct Channel
    {
        Position position;
        QSet<WsConnection *> subscribers;
        std::deque<Stamped> history;
        qint64 messagesTotal = 0;
        qint64 currentSecond = 0;  // the second `countThisSecond` counts
        qint64 countThisSecond = 0;
        qint64 countLastSecond = 0;
    };
    Channel &channel(const QString &name);
    void dropAged(Channel &channel, qint64 nowMs) const;

    QHash<QString, Channel> m_channels;
    QHash<WsConnection *, QSet<QString>> m_byClient;
    HistoryLimits m_historyLimits;
};

}  // namespace kucun
