#include "wshub.h"

#include "events/eventbus.h"
#include "events/hubevent.h"
#include "events/jsonvalue.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

namespace kucun {

Q_LOGGING_CATEGORY(lcWs, "kucun.ws")

WsHub::WsHub(const HubConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_server(
          new QWebSocketServer(QStringLiteral("Kucun Hub"), QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &WsHub::acceptPendingConnections);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this, &WsHub::checkOrigin);
    connect(m_server, &QWebSocketServer::acceptError, this, [](QAbstractSocket::SocketError error) {
        qCWarning(lcWs) << "accept failed:" << error;
    });
}

WsHub::~WsHub()
{
    // Sockets are our children; disconnect first so that their destruction does not call back
    // into a half-destroyed hub.
    for (QWebSocket *socket : m_clients.keys())
        socket->disconnect(this);
}

std::optional<QString> WsHub::listen()
{
    if (!m_server->listen(m_config.wsHost, m_config.wsPort)) {
        return QStringLiteral("cannot listen on %1 port %2: %3")
            .arg(m_config.wsHost.toString())
            .arg(m_config.wsPort)
            .arg(m_server->errorString());
    }
    qCInfo(lcWs) << "listening on" << serverUrl().toString();
    return std::nullopt;
}

QUrl WsHub::serverUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    return url;
}

void WsHub::checkOrigin(QWebSocketCorsAuthenticator *authenticator) const
{
    // A client without Origin is a server process, not a browser page: accept it (SPEC §6).
    const QString origin = authenticator->origin();
    const bool allowed = origin.isEmpty() || m_config.allowsAnyOrigin()
                         || m_config.allowedOrigins.contains(origin, Qt::CaseInsensitive);
    if (!allowed)
        qCInfo(lcWs) << "refused a handshake from origin" << origin;
    authenticator->setAllowed(allowed);
}

void WsHub::acceptPendingConnections()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        socket->setMaxAllowedIncomingMessageSize(kMaxMessageBytes);
        if (m_draining) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("hub stopping"));
            socket->deleteLater();
            continue;
        }
        const QString clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_clients.insert(socket,
                         Client{clientId, m_limits.burst, QDateTime::currentMSecsSinceEpoch()});
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { forgetClient(socket); });
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &message) { handleRequest(socket, message); });

        const QJsonObject welcome{{QStringLiteral("type"), QStringLiteral("welcome")},
                                  {QStringLiteral("clientId"), clientId},
                                  {QStringLiteral("protocol"), kProtocolVersion},
                                  {QStringLiteral("heartbeat"), kHeartbeatSeconds}};
        socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(welcome).toJson(QJsonDocument::Compact)));
        qCDebug(lcWs) << "client" << clientId << "connected from"
                      << socket->peerAddress().toString();
        emit clientConnected(clientId);
    }
}

void WsHub::forgetClient(QWebSocket *socket)
{
    m_channels.forget(socket);
    const QString clientId = m_clients.take(socket).id;
    socket->deleteLater();
    if (!clientId.isEmpty()) {
        qCDebug(lcWs) << "client" << clientId << "disconnected";
        emit clientDisconnected(clientId);
    }
    finishDrainIfEmpty();
}

void WsHub::deliverToChannel(const QString &channel, const QJsonValue &data)
{
    deliver(channel, data);
}

qint64 WsHub::deliver(const QString &channel, const QJsonValue &data)
{
    const ChannelRegistry::Message message
        = m_channels.stamp(channel, data, QDateTime::currentMSecsSinceEpoch());
    for (QWebSocket *subscriber : message.subscribers)
        subscriber->sendTextMessage(message.text);
    return message.offset;
}

void WsHub::handlePublish(QWebSocket *socket, const QJsonObject &request,
                          const QJsonValue &requestId)
{
    const QString channel = request.value(QStringLiteral("channel")).toString();
    if (!EventCodec::isValidChannelName(channel)) {
        replyError(socket, QStringLiteral("bad_channel"),
                   QStringLiteral("a channel name is 1-64 of A-Z a-z 0-9 _ . : -"), requestId);
        return;
    }
    if (!m_config.jwtSecret.isEmpty()) {
        // Tokens are not checked yet: with a secret set, nobody may publish rather than
        // everybody.
        replyError(socket, QStringLiteral("unauthorized"),
                   QStringLiteral("publishing needs a token, and this hub does not check tokens "
                                  "yet"),
                   requestId);
        return;
    }
    if (!socket->peerAddress().isLoopback()) {
        replyError(socket, QStringLiteral("forbidden"),
                   QStringLiteral("without HUB_JWT_SECRET only local clients may publish"),
                   requestId);
        return;
    }
    if (!request.contains(QStringLiteral("data"))) {
        replyError(socket, QStringLiteral("bad_json"), QStringLiteral("publish needs \"data\""),
                   requestId);
        return;
    }
    const QJsonValue data = request.value(QStringLiteral("data"));
    const qint64 offset = deliver(channel, data);
    if (m_bus) {
        m_bus->publishToOthers(QStringLiteral("ws:") + channel, jsonValueText(data));
    }
    reply(socket,
          {{QStringLiteral("type"), QStringLiteral("published")},
           {QStringLiteral("channel"), channel},
           {QStringLiteral("offset"), offset}},
          requestId);
}

void WsHub::reply(QWebSocket *socket, QJsonObject message, const QJsonValue &requestId)
{
    if (!requestId.isUndefined())
        message.insert(QStringLiteral("id"), requestId);  // a reply echoes the request's id
    socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void WsHub::replyError(QWebSocket *socket, const QString &code, const QString &message,
                       const QJsonValue &requestId)
{
    reply(socket,
          {{QStringLiteral("type"), QStringLiteral("error")},
           {QStringLiteral("code"), code},
           {QStringLiteral("message"), message}},
          requestId);
}

bool WsHub::takeRequestToken(Client &client)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    client.tokens = std::min(
        m_limits.burst,
        client.tokens + double(now - client.refilledAtMs) * m_limits.requestsPerSecond / 1000.0);
    client.refilledAtMs = now;
    if (client.tokens < 1)
        return false;
    client.tokens -= 1;
    return true;
}

void WsHub::handleRequest(QWebSocket *socket, const QString &message)
{
    const auto client = m_clients.find(socket);
    if (client == m_clients.end())
        return;  // closing already
    if (!takeRequestToken(*client)) {
        replyError(
            socket, QStringLiteral("rate_limited"),
            QStringLiteral("more than %1 requests per second").arg(m_limits.requestsPerSecond), {});
        return;
    }
    // Malformed input gets an error reply and leaves the connection usable (SPEC §6).
    const QJsonDocument document = QJsonDocument::fromJson(message.toUtf8());
    if (!document.isObject()) {
        replyError(socket, QStringLiteral("bad_json"), QStringLiteral("not a JSON object"), {});
        return;
    }
    const QJsonObject request = document.object();
    const QJsonValue id = request.value(QStringLiteral("id"));
    const QString type = request.value(QStringLiteral("type")).toString();
    const QString channel = request.value(QStringLiteral("channel")).toString();

    if (type == u"ping") {
        reply(socket,
              {{QStringLiteral("type"), QStringLiteral("pong")},
               {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()}},
              id);
        return;
    }
    if (type == u"subscribe" || type == u"unsubscribe") {
        if (!EventCodec::isValidChannelName(channel)) {
            replyError(socket, QStringLiteral("bad_channel"),
                       QStringLiteral("a channel name is 1-64 of A-Z a-z 0-9 _ . : -"), id);
            return;
        }
        if (type == u"unsubscribe") {
            m_channels.unsubscribe(channel, socket);
            reply(socket,
                  {{QStringLiteral("type"), QStringLiteral("unsubscribed")},
                   {QStringLiteral("channel"), channel}},
                  id);
            return;
        }
        const QSet<QString> subscribed = m_channels.channelsOf(socket);
        if (!subscribed.contains(channel) && subscribed.size() >= m_limits.maxSubscriptions) {
            replyError(socket, QStringLiteral("forbidden"),
                       QStringLiteral("at most %1 subscriptions per client")
                           .arg(m_limits.maxSubscriptions),
                       id);
            return;
        }
        const ChannelRegistry::Position position = m_channels.subscribe(channel, socket);
        reply(socket,
              {{QStringLiteral("type"), QStringLiteral("subscribed")},
               {QStringLiteral("channel"), channel},
               {QStringLiteral("offset"), position.offset},
               {QStringLiteral("epoch"), position.epoch},
               {QStringLiteral("recovered"), false}},
              id);
        return;
    }
    if (type == u"publish") {
        handlePublish(socket, request, id);
        return;
    }
    replyError(socket, QStringLiteral("unknown_type"),
               QStringLiteral("'%1' is not a request this hub answers (subscribe, unsubscribe, "
                              "publish, ping)")
                   .arg(type.left(40)),
               id);
}

void WsHub::closeAll(std::chrono::milliseconds grace)
{
    if (m_draining)
        return;
    m_draining = true;
    m_server->close();
    m_drainDeadline = new QTimer(this);
    m_drainDeadline->setSingleShot(true);
    connect(m_drainDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcWs) << m_clients.size() << "client(s) did not close in time";
        for (QWebSocket *socket : m_clients.keys())
            socket->abort();
        m_clients.clear();
        emit drained();
    });
    m_drainDeadline->start(grace);

    // Copy: close() may report a disconnection synchronously and change the hash.
    const QList<QWebSocket *> sockets = m_clients.keys();
    for (QWebSocket *socket : sockets)
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("hub stopping"));
    finishDrainIfEmpty();
}

void WsHub::finishDrainIfEmpty()
{
    if (!m_draining || !m_clients.isEmpty() || !m_drainDeadline->isActive())
        return;
    m_drainDeadline->stop();
    emit drained();
}

}  // namespace kucun
