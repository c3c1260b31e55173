// WsHub's answers to client requests (SPEC §6); the connection side is in wshub.cpp.

#include "core/jsonvalue.h"
#include "events/eventbus.h"
#include "wshub.h"

#include <QDateTime>
#include <QJsonObject>

namespace kucun {

void WsHub::handleRequest(WsConnection *connection, const QString &message)
{
    const auto client = m_clients.find(connection);
    if (client == m_clients.end() || client->closing)
        return;
    ++client->messagesIn;
    ++m_messagesInTotal;
    // Decoded first (a frame is at most 64 KiB) so that even a refusal echoes the request's id.
    auto decoded = decodeWsRequest(message.toUtf8());
    const WsRequestError *error = std::get_if<WsRequestError>(&decoded);
    if (!client->takeRequestToken(m_limits.requestsPerSecond, m_limits.burst, m_clock.elapsed())) {
        replyError(
            connection, *client, QStringLiteral("rate_limited"),
            QStringLiteral("more than %1 requests per second").arg(m_limits.requestsPerSecond),
            error ? error->id : std::get<WsRequest>(decoded).id);
        return;
    }
    // Malformed input gets an error reply and leaves the connection usable (SPEC §6).
    if (error) {
        replyError(connection, *client, error->code, error->message, error->id);
        return;
    }
    const WsRequest &request = std::get<WsRequest>(decoded);
    if (request.type == WsRequest::Type::Ping) {
        reply(connection, *client,
              {{QStringLiteral("type"), QStringLiteral("pong")},
               {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()}},
              request.id);
        return;
    }
    if (request.type == WsRequest::Type::Auth) {
        handleAuth(connection, *client, request);
        return;
    }
    if (authRequired() && !client->grant) {
        replyError(connection, *client, QStringLiteral("unauthorized"),
                   QStringLiteral("this hub needs a token first: ?token= in the URL or "
                                  "{\"type\":\"auth\",\"token\":…}"),
                   request.id);
        return;
    }
    switch (request.type) {
    case WsRequest::Type::Subscribe:
        handleSubscribe(connection, *client, request);
        return;
    case WsRequest::Type::Unsubscribe:
        m_channels.unsubscribe(request.channel, connection);
        reply(connection, *client,
              {{QStringLiteral("type"), QStringLiteral("unsubscribed")},
               {QStringLiteral("channel"), request.channel}},
              request.id);
        return;
    case WsRequest::Type::Publish:
        handlePublish(connection, *client, request);
        return;
    case WsRequest::Type::Ping:
    case WsRequest::Type::Auth:
        return;  // answered above
    }
}

void WsHub::handleSubscribe(WsConnection *connection, WsClient &client, const WsRequest &request)
{
    if (client.grant && !client.grant->maySubscribe(request.channel)) {
        replyError(connection, client, QStringLiteral("forbidden"),
                   QStringLiteral("the token does not allow channel '%1'").arg(request.channel),
                   request.id);
        return;
    }
    const QSet<QString> subscribed = m_channels.channelsOf(connection);
    if (!subscribed.contains(request.channel) && subscribed.size() >= m_limits.maxSubscriptions) {
        replyError(
            connection, client, QStringLiteral("forbidden"),
            QStringLiteral("at most %1 subscriptions per client").arg(m_limits.maxSubscriptions),
            request.id);
        return;
    }
    // The missed messages go first, in order, then the reply that says they were all there.
    bool recovered = false;
    if (request.since) {
        const std::optional<QList<QByteArray>> missed = m_channels.missedSince(
            request.channel, *request.since, QDateTime::currentMSecsSinceEpoch());
        if (missed) {
            recovered = true;
            for (const QByteArray &frame : *missed) {
                send(connection, client, frame);
                if (client.closing)
                    return;  // the replay alone made it a slow consumer
            }
        }
    }
    const ChannelRegistry::Position position = m_channels.subscribe(request.channel, connection);
    reply(connection, client,
          {{QStringLiteral("type"), QStringLiteral("subscribed")},
           {QStringLiteral("channel"), request.channel},
           {QStringLiteral("offset"), position.offset},
           {QStringLiteral("epoch"), position.epoch},
           {QStringLiteral("recovered"), recovered}},
          request.id);
}

void WsHub::handlePublish(WsConnection *connection, WsClient &client, const WsRequest &request)
{
    if (client.grant && !client.grant->mayPublish(request.channel)) {
        replyError(
            connection, client, QStringLiteral("forbidden"),
            QStringLiteral("the token does not allow publishing to '%1'").arg(request.channel),
            request.id);
        return;
    }
    if (!authRequired() && !connection->peerAddress().isLoopback()) {
        replyError(connection, client, QStringLiteral("forbidden"),
                   QStringLiteral("without HUB_JWT_SECRET only local clients may publish"),
                   request.id);
        return;
    }
    const Result<qint64> offset = publish(request.channel, request.data);
    if (!offset) {
        replyError(connection, client, QStringLiteral("too_large"), offset.error(), request.id);
        return;
    }
    if (client.closing)
        return;  // it was subscribed itself and fell too far behind
    reply(connection, client,
          {{QStringLiteral("type"), QStringLiteral("published")},
           {QStringLiteral("channel"), request.channel},
           {QStringLiteral("offset"), offset.value()}},
          request.id);
}

void WsHub::handleAuth(WsConnection *connection, WsClient &client, const WsRequest &request)
{
    if (!authRequired()) {
        // Nothing to check against: the client keeps the rights every client has here.
        reply(connection, client,
              {{QStringLiteral("type"), QStringLiteral("authed")},
               {QStringLiteral("sub"), QString()}},
              request.id);
        return;
    }
    auto verified = m_verifier.verify(request.token.toUtf8(), QDateTime::currentMSecsSinceEpoch());
    if (const QString *why = std::get_if<QString>(&verified)) {
        cut(connection, kCloseUnauthorized, *why);
        return;
    }
    grant(connection, client, std::get<ClientGrant>(std::move(verified)));
    // A new token may allow less than the old one: subscriptions it does not cover end here.
    for (const QString &channel : m_channels.channelsOf(connection)) {
        if (client.grant->maySubscribe(channel))
            continue;
        m_channels.unsubscribe(channel, connection);
        reply(connection, client,
              {{QStringLiteral("type"), QStringLiteral("unsubscribed")},
               {QStringLiteral("channel"), channel}},
              QJsonValue(QJsonValue::Undefined));  // the hub's own doing: no request id
    }
    reply(connection, client,
          {{QStringLiteral("type"), QStringLiteral("authed")},
           {QStringLiteral("sub"), client.grant->subject}},
          request.id);
}

std::optional<QString> WsHub::tooLargeForClients(const QString &channel, const QByteArray &dataText)
{
    // Every client takes messages of at most kMaxMessageBytes (and closes with 1009 on a bigger
    // one): a publish whose delivered message would be bigger is refused before it reaches any.
    const qsizetype delivered = dataText.size() + channel.size() + kEnvelopeBytes;
    if (delivered <= kMaxMessageBytes)
        return std::nullopt;
    return QStringLiteral("the message on '%1' would be %2 bytes; clients take at most %3")
        .arg(channel)
        .arg(delivered)
        .arg(kMaxMessageBytes);
}

Result<qint64> WsHub::publish(const QString &channel, const QJsonValue &data)
{
    return publishText(channel, jsonValueText(data));
}

Result<qint64> WsHub::publishText(const QString &channel, const QByteArray &dataText)
{
    if (const auto refusal = tooLargeForClients(channel, dataText))
        return Error{*refusal};
    const qint64 offset = deliver(channel, dataText);
    if (m_bus)
        m_bus->publishToOthers(QStringLiteral("ws:") + channel, dataText);
    return offset;
}

}  // namespace kucun
