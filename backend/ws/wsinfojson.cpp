#include "wsinfojson.h"

#include <QJsonArray>

namespace kucun {

QJsonObject channelInfoJson(const ChannelRegistry::ChannelInfo &channel)
{
    return {{QStringLiteral("name"), channel.name},
            {QStringLiteral("subscribers"), channel.subscribers},
            {QStringLiteral("offset"), channel.offset},
            {QStringLiteral("epoch"), channel.epoch},
            {QStringLiteral("history"), channel.historySize},
            {QStringLiteral("sharedHistory"), channel.shared},
            {QStringLiteral("messagesPerSecond"), channel.messagesPerSecond},
            {QStringLiteral("messagesTotal"), channel.messagesTotal}};
}

ChannelRegistry::ChannelInfo channelInfoFromJson(const QJsonObject &row)
{
    ChannelRegistry::ChannelInfo channel;
    channel.name = row.value(QStringLiteral("name")).toString();
    channel.subscribers = row.value(QStringLiteral("subscribers")).toInt();
    channel.offset = row.value(QStringLiteral("offset")).toInteger();
    channel.epoch = row.value(QStringLiteral("epoch")).toString();
    channel.historySize = row.value(QStringLiteral("history")).toInt();
    channel.shared = row.value(QStringLiteral("sharedHistory")).toBool();
    channel.messagesPerSecond = row.value(QStringLiteral("messagesPerSecond")).toInteger();
    channel.messagesTotal = row.value(QStringLiteral("messagesTotal")).toInteger();
    return channel;
}

QJsonObject clientInfoJson(const WsClientInfo &client)
{
    return {{QStringLiteral("id"), client.id},
            {QStringLiteral("address"), client.address},
            {QStringLiteral("origin"), client.origin},
            {QStringLiteral("subject"), client.subject},
            {QStringLiteral("subscriptions"), QJsonArray::fromStringList(client.subscriptions)},
            {QStringLiteral("messagesIn"), client.messagesIn},
            {QStringLiteral("messagesOut"), client.messagesOut},
            {QStringLiteral("queuedBytes"), client.queuedBytes},
            {QStringLiteral("connectedSinceMs"), client.connectedSinceMs}};
}

WsClientInfo clientInfoFromJson(const QJsonObject &row)
{
    WsClientInfo client;
    client.id = row.value(QStringLiteral("id")).toString();
    client.address = row.value(QStringLiteral("address")).toString();
    client.origin = row.value(QStringLiteral("origin")).toString();
    client.subject = row.value(QStringLiteral("subject")).toString();
    for (const QJsonValue &channel : row.value(QStringLiteral("subscriptions")).toArray())
        client.subscriptions.append(channel.toString());
    client.messagesIn = row.value(QStringLiteral("messagesIn")).toInteger();
    client.messagesOut = row.value(QStringLiteral("messagesOut")).toInteger();
    client.queuedBytes = row.value(QStringLiteral("queuedBytes")).toInteger();
    client.connectedSinceMs = row.value(QStringLiteral("connectedSinceMs")).toInteger();
    return client;
}

}  // namespace kucun
