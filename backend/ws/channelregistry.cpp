#include "channelregistry.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace kucun {

ChannelRegistry::Channel &ChannelRegistry::channel(const QString &name)
{
    auto it = m_channels.find(name);
    if (it == m_channels.end()) {
        // A new stream: a new epoch (there is no history kept across restarts yet).
        Channel fresh;
        fresh.position.epoch = QUuid::createUuid().toString(QUuid::Id128).left(16);
        it = m_channels.insert(name, fresh);
    }
    return *it;
}

ChannelRegistry::Position ChannelRegistry::subscribe(const QString &name, QWebSocket *client)
{
    Channel &entry = channel(name);
    entry.subscribers.insert(client);
    m_byClient[client].insert(name);
    return entry.position;
}

bool ChannelRegistry::unsubscribe(const QString &name, QWebSocket *client)
{
    const auto it = m_channels.find(name);
    if (it == m_channels.end() || !it->subscribers.remove(client))
        return false;
    m_byClient[client].remove(name);
    return true;
}

void ChannelRegistry::forget(QWebSocket *client)
{
    for (const QString &name : m_byClient.take(client)) {
        if (const auto it = m_channels.find(name); it != m_channels.end())
            it->subscribers.remove(client);
    }
}

QSet<QString> ChannelRegistry::channelsOf(QWebSocket *client) const
{
    return m_byClient.value(client);
}

ChannelRegistry::Message ChannelRegistry::stamp(const QString &name, const QJsonValue &data,
                                                qint64 timestampMs)
{
    Channel &entry = channel(name);
    ++entry.position.offset;
    const QJsonObject envelope{{QStringLiteral("channel"), name},
                               {QStringLiteral("data"), data},
                               {QStringLiteral("ts"), timestampMs},
                               {QStringLiteral("offset"), entry.position.offset}};
    return {QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact)),
            entry.subscribers, entry.position.offset};
}

}  // namespace kucun
