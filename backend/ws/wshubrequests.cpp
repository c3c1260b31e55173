// WsHub's answers to client requests (SPEC §6); the connection side is in wshub.cpp.

#include "core/jsonvalue.h"
#include "events/eventbus.h"
#include "wsframe.h"
#include "wshub.h"

#include <QDateTime>
#include <QJsonObject>

namespace kucun {

namespace {

// Requests a client may send while an earlier one waits for Redis: as many as its burst.
constexpr size_t kMaxHeldRequests = 256;

}  // namespace

void WsHub::handleRequest(WsConnection *connection, const QString &message)
{
    const auto client = m_clients.find(connection);
    if (client == m_clients.end() || client->closing)
        return;
    ++client->messagesIn;
    ++m_messagesInTotal;
    if (const auto held = m_held.find(connection); held != m_held.end()) {
        if (held->size() >= kMaxHeldRequests) {
            replyError(connection, *client, QStringLiteral("rate_limited"),
                       QStringLiteral("more than %1 requests waiting").arg(kMaxHeldRequests),
                       QJsonValue(QJsonValue::Undefined));
            return;
        }
        held->push_back(message);
        return;
    }
    processRequest(connection, *client, message);
}

void WsHub::holdRequests(WsConnection *connection)
{
    m_held.insert(connection, {});
}

void WsHub::resumeRequests(WsConnection *connection)
{
    const auto held = m_held.find(connection);
    if (held == m_held.end())
        return;
    std::deque<QString> waiting = std::move(*held);
    m_held.erase(held);
    while (!waiting.empty()) {
        const auto client = m_clients.find(connection);
        if (client == m_clients.end() || client->closing)
            return;
        const QString next = std::move(waiting.front());
        waiting.pop_front();
        processRequest(connection, *client, next);
        if (const auto again = m_held.find(connection); again != m_held.end()) {
            // That one waits for Redis in turn: the rest wait behind it, in order.
            for (QString &later : waiting)
                again->push_back(std::move(later));
            return;
        }
    }
}

WsConnection *WsHub::stillConnected(const QString &clientId) const
{
    WsConnection *connection = m_connectionsById.value(clientId);
    const auto client = m_clients.constFind(connection);
    return connection && client != m_clients.constEnd() && !client->closing ? connection : nullptr;
}

void WsHub::processRequest(WsConnection *connection, WsClient &client, const QString &message)
{
    // Decoded first (a frame is at most 64 KiB) so that even a refusal echoes the request's id.
    auto decoded = decodeWsRequest(message.toUtf8());
    const WsRequestError *error = std::get_if<WsRequestError>(&decoded);
    if (!client.takeRequestToken(m_limits.requestsPerSecond, m_limits.burst, m_clock.elapsed())) {
        replyError(
            connection, client, QStringLiteral("rate_limited"),
            QStringLiteral("more than %1 requests per second").arg(m_limits.requestsPerSecond),
            error ? error->id : std::get<WsRequest>(decoded).id);
        return;
    }
    // Malformed input gets an error reply and leaves the connection usable (SPEC §6).
    if (error) {
        replyError(connection, client, error->code, error->message, error->id);
        return;
    }
    const WsRequest &request = std::get<WsRequest>(decoded);
    if (request.type == WsRequest::Type::Ping) {
        reply(connection, client,
              {{QStringLiteral("type"), QStringLiteral("pong")},
               {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()}},
              request.id);
        return;
    }
    if (request.type == WsRequest::Type::Auth) {
        handleAuth(connection, client, request);
        return;
    }
    if (authRequired() && !client.grant) {
        replyError(connection, client, QStringLiteral("unauthorized"),
                   QStringLiteral("this hub needs a token first: ?token= in the URL or "
                                  "{\"type\":\"auth\",\"token\":…}"),
                   request.id);
        return;
    }
    switch (request.type) {
    case WsRequest::Type::Subscribe:
        handleSubscribe(connection, client, request);
        return;
    case WsRequest::Type::Unsubscribe:
        m_channels.unsubscribe(request.channel, connection);
        reply(connection, client,
              {{QStringLiteral("type"), QStringLiteral("unsubscribed")},
               {QStringLiteral("channel"), request.channel}},
              request.id);
        return;
    case WsRequest::Type::Publish:
        handlePublish(connection, client, request);
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
    const QStringList subscribed = m_channels.channelsOf(connection);
    if (!subscribed.contains(request.channel) && subscribed.size() >= m_limits.maxSubscriptions) {
        replyError(
            connection, client, QStringLiteral("forbidden"),
            QStringLiteral("at most %1 subscriptions per client").arg(m_limits.maxSubscriptions),
            request.id);
        return;
    }
    if (sharesHistory())
        subscribeShared(connection, client, request);
    else
        subscribeLocally(connection, client, request);
}

void WsHub::subscribeLocally(WsConnection *connection, WsClient &client, const WsRequest &request)
{
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
    replySubscribed(connection, client, request, position, recovered);
}

void WsHub::replySubscribed(WsConnection *connection, WsClient &client, const WsRequest &request,
                            const ChannelRegistry::Position &position, bool recovered)
{
    reply(connection, client,
          {{QStringLiteral("type"), QStringLiteral("subscribed")},
           {QStringLiteral("channel"), request.channel},
           {QStringLiteral("offset"), position.offset},
           {QStringLiteral("epoch"), position.epoch},
           {QStringLiteral("recovered"), recovered}},
          request.id);
}

void WsHub::subscribeShared(WsConnection *connection, WsClient &client, const WsRequest &request)
{
    // Redis says where the stream is, and with `since` what came after: the same answer on
    // every hub, and after a restart.
    holdRequests(connection);
    m_shared->position(
        request.channel, request.since, this,
        [this, clientId = client.id, request](const Result<SharedHistory::Position> &shared) {
            WsConnection *waiting = stillConnected(clientId);
            if (!waiting)
                return;
            WsClient &asker = m_clients[waiting];
            if (shared) {
                joinShared(waiting, asker, request, shared.value());
            } else if (!m_shared->active()) {
                // Redis went away meanwhile: this hub's own stream answers.
                leaveSharedStreams();
                subscribeLocally(waiting, asker, request);
            } else {
                // Redis refused (out of memory, busy): this client is told, nobody else's
                // stream changes.
                replyError(waiting, asker, QStringLiteral("unavailable"),
                           QStringLiteral("the channel's history in Redis cannot be read: %1")
                               .arg(shared.error()),
                           request.id);
            }
            resumeRequests(waiting);
        });
}

void WsHub::joinShared(WsConnection *connection, WsClient &client, const WsRequest &request,
                       const SharedHistory::Position &shared)
{
    bool recovered = false;
    if (request.since && shared.recovered) {
        recovered = true;
        for (const QByteArray &envelope : shared.envelopes) {
            send(connection, client, textFrame(envelope));
            if (client.closing)
                return;  // the replay alone made it a slow consumer
        }
    }
    ChannelRegistry::Position told{shared.offset, shared.epoch};
    // Messages that reached this hub while Redis's answer was on its way come from its copy.
    const std::optional<ChannelRegistry::Position> here = m_channels.positionOf(request.channel);
    if (here && here->epoch == shared.epoch && here->offset > shared.offset) {
        if (request.since) {
            const std::optional<QList<QByteArray>> later
                = m_channels.missedSince(request.channel, {shared.offset, shared.epoch},
                                         QDateTime::currentMSecsSinceEpoch());
            for (const QByteArray &frame : later.value_or(QList<QByteArray>())) {
                send(connection, client, frame);
                if (client.closing)
                    return;
            }
            recovered = recovered && later.has_value();
        }
        told = *here;
    }
    m_channels.joinShared(request.channel, connection, told);
    replySubscribed(connection, client, request, told, recovered);
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
    const QByteArray dataText = jsonValueText(request.data);
    if (const auto refusal = tooLargeForClients(request.channel, dataText)) {
        replyError(connection, client, QStringLiteral("too_large"), *refusal, request.id);
        return;
    }
    const bool waits = sharesHistory();
    if (waits)
        holdRequests(connection);
    publishText(request.channel, dataText,
                [this, clientId = client.id, request, waits](const Result<qint64> &offset) {
                    // It was subscribed itself and fell too far behind, or went meanwhile.
                    WsConnection *publisher = stillConnected(clientId);
                    if (!publisher)
                        return;
                    WsClient &asker = m_clients[publisher];
                    if (offset) {
                        reply(publisher, asker,
                              {{QStringLiteral("type"), QStringLiteral("published")},
                               {QStringLiteral("channel"), request.channel},
                               {QStringLiteral("offset"), offset.value()}},
                              request.id);
                    } else {
                        // Checked for size above: Redis refused it.
                        replyError(publisher, asker, QStringLiteral("unavailable"), offset.error(),
                                   request.id);
                    }
                    if (waits)
                        resumeRequests(publisher);
                });
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

void WsHub::publishText(const QString &channel, const QByteArray &dataText, PublishDone done)
{
    if (const auto refusal = tooLargeForClients(channel, dataText)) {
        done(Error{*refusal});
        return;
    }
    if (!sharesHistory()) {
        const qint64 offset = deliver(channel, dataText);
        if (m_bus)
            m_bus->publishToOthers(QStringLiteral("ws:") + channel, dataText);
        done(offset);
        return;
    }
    // Stamped in Redis, which publishes it to every hub, this one included: it is delivered
    // when it comes back, in the shared stream's order.
    m_shared->publish(
        channel, dataText, QDateTime::currentMSecsSinceEpoch(), this,
        [this, channel, dataText,
         done = std::move(done)](const Result<SharedHistory::Stamp> &stamp) {
            if (stamp) {
                done(stamp.value().offset);
                return;
            }
            if (m_shared->active()) {
                // Redis refused it (out of memory, busy): not published at all.
                done(
                    Error{QStringLiteral("Redis did not take the message: %1").arg(stamp.error())});
                return;
            }
            // Redis went away before it answered: delivered here, on a local
            // stream (whether Redis published it too is unknowable).
            leaveSharedStreams();
            done(deliver(channel, dataText));
        });
}

}  // namespace kucun
