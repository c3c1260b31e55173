#pragma once

#include <QHash>
#include <QJsonValue>
#include <QSet>
#include <QString>

class QWebSocket;

namespace kucun {

// The hub's channels: who is subscribed, and each channel's stream position (SPEC §6): offsets
// rise by one per message, and an epoch names the stream so that a client can tell a restart
// from a gap. Engine thread only.
class ChannelRegistry
{
public:
    struct Position
    {
        qint64 offset = 0;  // of the last message sent on the channel; 0 before the first
        QString epoch;
    };

    Position subscribe(const QString &channel, QWebSocket *client);
    bool unsubscribe(const QString &channel, QWebSocket *client);
    void forget(QWebSocket *client);
    QSet<QString> channelsOf(QWebSocket *client) const;

    // Stamps the next message of `channel`: returns the envelope
    // {"channel","data","ts","offset"}, encoded once for every subscriber, and the subscribers.
    struct Message
    {
        QString text;
        QSet<QWebSocket *> subscribers;
        qint64 offset = 0;
    };
    Message stamp(const QString &channel, const QJsonValue &data, qint64 timestampMs);

private:
    struct Channel
    {
        Position position;
        QSet<QWebSocket *> subscribers;
    };
    Channel &channel(const QString &name);

    QHash<QString, Channel> m_channels;
    QHash<QWebSocket *, QSet<QString>> m_byClient;
};

}  // namespace kucun
