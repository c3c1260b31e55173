#include "wshub.h"

#include "core/jsonvalue.h"
#include "events/eventbus.h"
#include "wsframe.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace kucun {

Q_LOGGING_CATEGORY(lcWs, "kucun.ws")

namespace {

// Wall-clock time: message timestamps, token expiry, what the GUI shows.
qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray encode(const QJsonObject &message)
{
    return textFrame(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

// A reconnect storm after a restart brings hundreds of clients at once; the default backlog of
// 50 would make most of them wait for a SYN retry.
constexpr int kListenBacklog = 1024;

// The same peer seen as the QTcpSocket before the handshake and as the QWebSocket after it.
template <typename Socket> QString peerKey(const Socket &socket)
{
    return socket.peerAddress().toString() + u' ' + QString::number(socket.peerPort());
}

}  // namespace

WsHub::WsHub(const HubConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_verifier(config.jwtSecret)
    , m_listener(new QTcpServer(this))
    , m_server(
          new QWebSocketServer(QStringLiteral("Kucun Hub"), QWebSocketServer::NonSecureMode, this))
    , m_ticker(new QTimer(this))
{
    m_listener->setListenBacklogSize(kListenBacklog);
    connect(m_listener, &QTcpServer::newConnection, this, &WsHub::takeTcpConnections);
    connect(m_server, &QWebSocketServer::newConnection, this, &WsHub::acceptPendingConnections);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this, &WsHub::checkOrigin);
    connect(m_server, &QWebSocketServer::acceptError, this, [](QAbstractSocket::SocketError error) {
        qCWarning(lcWs) << "accept failed:" << error;
    });
    connect(m_ticker, &QTimer::timeout, this, &WsHub::tick);
    m_clock.start();
    m_limits.maxClients = config.wsMaxClients;
    m_limits.maxQueuedBytes = qint64(config.wsMaxQueueMb) * 1024 * 1024;
    setLimits(m_limits);
}

WsHub::~WsHub()
{
    // Sockets are our children; disconnect first so that their destruction does not call back
    // into a half-destroyed hub.
    for (QWebSocket *socket : m_clients.keys())
        socket->disconnect(this);
}

void WsHub::setLimits(const Limits &limits)
{
    m_limits = limits;
    m_channels.setHistoryLimits(limits.history);
    // Often enough to see a missed pong, an expired token or a late auth within a quarter of
    // the shortest of those intervals, and at most once a second.
    const auto shortest = std::min({limits.heartbeatInterval, limits.pongTimeout,
                                    limits.authTimeout, std::chrono::milliseconds(4000)});
    m_ticker->start(std::max(shortest / 4, std::chrono::milliseconds(5)));
}

std::optional<QString> WsHub::listen()
{
    if (!m_listener->listen(m_config.wsHost, m_config.wsPort)) {
        return QStringLiteral("cannot listen on %1 port %2: %3")
            .arg(m_config.wsHost.toString())
            .arg(m_config.wsPort)
            .arg(m_listener->errorString());
    }
    qCInfo(lcWs) << "listening on" << serverUrl().toString();
    return std::nullopt;
}

QUrl WsHub::serverUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_listener->serverAddress().toString());
    url.setPort(m_listener->serverPort());
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

void WsHub::takeTcpConnections()
{
    while (QTcpSocket *tcp = m_listener->nextPendingConnection()) {
        // Every message is a small write that should leave now: Nagle's algorithm would hold
        // it back until the previous one is acknowledged, tens of milliseconds with delayed ACKs.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString key = peerKey(*tcp);
        m_handshaking.insert(key, tcp);
        // QWebSocketServer deletes the socket when the peer goes, handshake or not.
        connect(tcp, &QObject::destroyed, this, [this, key] {
            if (const auto it = m_handshaking.constFind(key);
                it != m_handshaking.constEnd() && it->isNull())
                m_handshaking.erase(it);
        });
        m_server->handleConnection(tcp);
    }
}

void WsHub::acceptPendingConnections()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        socket->setMaxAllowedIncomingMessageSize(kMaxMessageBytes);
        QTcpSocket *tcp = m_handshaking.take(peerKey(*socket));
        if (m_draining) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("hub stopping"));
            socket->deleteLater();
        } else if (!tcp) {
            qCWarning(lcWs) << "no connection known for a client from" << peerKey(*socket);
            socket->close(QWebSocketProtocol::CloseCodeBadOperation, QStringLiteral("internal"));
            socket->deleteLater();
        } else if (m_clients.size() >= m_limits.maxClients) {
            qCWarning(lcWs) << "refused a client: the hub has" << m_clients.size() << "clients";
            socket->close(
                kCloseHubFull,
                QStringLiteral("the hub has its maximum of %1 clients").arg(m_limits.maxClients));
            socket->deleteLater();
        } else {
            accept(socket, tcp);
        }
    }
}

void WsHub::accept(QWebSocket *socket, QTcpSocket *tcp)
{
    const qint64 now = m_clock.elapsed();
    WsClient client;
    client.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    client.tcp = tcp;
    client.address = socket->peerAddress().toString();
    client.origin = socket->origin();
    client.connectedAtMs = now;
    client.connectedSinceMs = wallMs();
    client.tokens = m_limits.burst;
    client.refilledAtMs = now;
    client.lastPingAtMs = now;
    const QString clientId = client.id;
    WsClient &entry = *m_clients.insert(socket, client);
    m_socketsById.insert(clientId, socket);
    // Queued: a socket can report its disconnection from inside close(), and the request or
    // delivery that closed it still holds a reference into m_clients.
    connect(
        socket, &QWebSocket::disconnected, this, [this, socket] { forgetClient(socket); },
        Qt::QueuedConnection);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, socket](const QString &message) { handleRequest(socket, message); });
    connect(socket, &QWebSocket::pong, this, [this, socket] {
        if (const auto it = m_clients.find(socket); it != m_clients.end())
            it->pingSentAtMs = 0;
    });
    qCDebug(lcWs) << "client" << clientId << "connected from" << entry.address;
    emit clientConnected(clientId);

    // A token in the URL is checked before anything else is said: a bad one closes at once.
    const QString token = QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("token"));
    if (authRequired() && !token.isEmpty()) {
        auto verified = m_verifier.verify(token.toUtf8(), wallMs());
        if (const QString *why = std::get_if<QString>(&verified)) {
            cut(socket, kCloseUnauthorized, *why);
            return;
        }
        entry.grant = std::get<ClientGrant>(std::move(verified));
    }
    const qint64 heartbeatSeconds = (m_limits.heartbeatInterval.count() + 999) / 1000;
    send(socket, entry,
         encode({{QStringLiteral("type"), QStringLiteral("welcome")},
                 {QStringLiteral("clientId"), clientId},
                 {QStringLiteral("protocol"), kProtocolVersion},
                 {QStringLiteral("heartbeat"), heartbeatSeconds}}));
}

void WsHub::forgetClient(QWebSocket *socket)
{
    m_channels.forget(socket);
    const QString clientId = m_clients.take(socket).id;
    m_socketsById.remove(clientId);
    socket->deleteLater();
    if (!clientId.isEmpty()) {
        qCDebug(lcWs) << "client" << clientId << "disconnected";
        emit clientDisconnected(clientId);
    }
    finishDrainIfEmpty();
}

void WsHub::cut(QWebSocket *socket, QWebSocketProtocol::CloseCode code, const QString &reason)
{
    const auto client = m_clients.find(socket);
    if (client == m_clients.end() || client->closing)
        return;
    client->closing = true;
    m_channels.forget(socket);
    flush(*client);  // what was queued goes before the close frame
    qCInfo(lcWs).noquote() << "closing client" << client->id << "with" << int(code) << reason;
    socket->close(code, reason.left(120));  // a close reason is at most 123 bytes
    QTimer::singleShot(m_limits.closeGrace, socket, [socket] { socket->abort(); });
}

bool WsHub::disconnectClient(const QString &clientId)
{
    QWebSocket *socket = m_socketsById.value(clientId);
    if (!socket)
        return false;
    cut(socket, QWebSocketProtocol::CloseCodeNormal,
        QStringLiteral("disconnected by the administrator"));
    return true;
}

void WsHub::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 wallNow = wallMs();
    const QList<QWebSocket *> sockets = m_clients.keys();  // cut() may be called below
    for (QWebSocket *socket : sockets) {
        WsClient &client = m_clients[socket];
        if (client.closing)
            continue;
        if (client.pingSentAtMs != 0 && now - client.pingSentAtMs >= m_limits.pongTimeout.count()) {
            // A peer that does not answer pings would not answer a close either.
            qCInfo(lcWs) << "client" << client.id << "did not answer a ping: dropped";
            client.closing = true;
            m_channels.forget(socket);
            socket->abort();
            continue;
        }
        if (authRequired() && !client.grant
            && now - client.connectedAtMs >= m_limits.authTimeout.count()) {
            cut(socket, kCloseUnauthorized,
                QStringLiteral("no token within %1 ms").arg(m_limits.authTimeout.count()));
            continue;
        }
        if (client.grant && wallNow >= client.grant->expiresAtMs) {
            cut(socket, kCloseUnauthorized, QStringLiteral("the token has expired"));
            continue;
        }
        if (client.pingSentAtMs == 0
            && now - client.lastPingAtMs >= m_limits.heartbeatInterval.count()) {
            client.pingSentAtMs = now;
            client.lastPingAtMs = now;
            socket->ping();
        }
    }
    m_channels.prune(wallNow);
}

void WsHub::deliverToChannel(const QString &channel, const QJsonValue &data)
{
    deliver(channel, data);
}

qint64 WsHub::deliver(const QString &channel, const QJsonValue &data)
{
    const ChannelRegistry::Message message = m_channels.stamp(channel, data, wallMs());
    for (QWebSocket *subscriber : message.subscribers) {
        if (const auto client = m_clients.find(subscriber); client != m_clients.end())
            send(subscriber, *client, message.frame);
    }
    return message.offset;
}

void WsHub::send(QWebSocket *socket, WsClient &client, const QByteArray &frame)
{
    if (!client.tcp || client.closing)
        return;  // the peer is gone or being closed: nothing may follow the close frame
    if (client.pending.isEmpty())
        client.pending = frame;  // shared, not copied: most turns carry one message
    else
        client.pending += frame;
    ++client.messagesOut;
    ++m_deliveriesTotal;
    if (!client.writePending) {
        client.writePending = true;
        m_unflushed.append(socket);
    }
    if (!m_flushQueued) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(this, &WsHub::flushWrites, Qt::QueuedConnection);
    }
    if (client.pending.size() + client.tcp->bytesToWrite() > m_limits.maxQueuedBytes) {
        cut(socket, QWebSocketProtocol::CloseCodePolicyViolated,
            QStringLiteral("slow consumer: more than %1 bytes queued")
                .arg(m_limits.maxQueuedBytes));
    }
}

void WsHub::flushWrites()
{
    m_flushQueued = false;
    QList<QWebSocket *> sockets;
    sockets.swap(m_unflushed);
    for (QWebSocket *socket : std::as_const(sockets)) {
        const auto client = m_clients.find(socket);
        if (client != m_clients.end())
            flush(*client);
    }
}

void WsHub::flush(WsClient &client)
{
    client.writePending = false;
    QByteArray bytes;
    bytes.swap(client.pending);
    if (!client.tcp || bytes.isEmpty())
        return;
    qint64 written = 0;
#ifdef Q_OS_UNIX
    // With nothing of Qt's own waiting on this socket, the bytes go straight to the kernel:
    // QAbstractSocket::write would copy them into its buffer and turn the write notifier on and
    // off for every flush, which with a thousand clients cost more than the writes themselves.
    // Whatever the kernel does not take goes through Qt after all, so order is kept.
    if (client.tcp->bytesToWrite() == 0) {
        const ssize_t sent = ::send(int(client.tcp->socketDescriptor()), bytes.constData(),
                                    size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0)
            written = sent;  // on an error Qt's write below runs into it and reports it
    }
#endif
    if (written < bytes.size())
        client.tcp->write(bytes.constData() + written, bytes.size() - written);
}

void WsHub::reply(QWebSocket *socket, WsClient &client, QJsonObject message,
                  const QJsonValue &requestId)
{
    if (!requestId.isUndefined())
        message.insert(QStringLiteral("id"), requestId);  // a reply echoes the request's id
    send(socket, client, encode(message));
}

void WsHub::replyError(QWebSocket *socket, WsClient &client, const QString &code,
                       const QString &message, const QJsonValue &requestId)
{
    reply(socket, client,
          {{QStringLiteral("type"), QStringLiteral("error")},
           {QStringLiteral("code"), code},
           {QStringLiteral("message"), message}},
          requestId);
}

void WsHub::closeAll(std::chrono::milliseconds grace)
{
    if (m_draining)
        return;
    m_draining = true;
    m_listener->close();
    m_drainDeadline = new QTimer(this);
    m_drainDeadline->setSingleShot(true);
    connect(m_drainDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcWs) << m_clients.size() << "client(s) did not close in time";
        for (QWebSocket *socket : m_clients.keys())
            socket->abort();
        m_clients.clear();
        m_socketsById.clear();
        emit drained();
    });
    m_drainDeadline->start(grace);

    flushWrites();  // what was queued goes before the close frames
    for (auto it = m_clients.begin(); it != m_clients.end(); ++it) {
        it->closing = true;
        m_channels.forget(it.key());
    }
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

QList<WsClientInfo> WsHub::clientInfos() const
{
    QList<WsClientInfo> infos;
    infos.reserve(m_clients.size());
    for (auto it = m_clients.constBegin(); it != m_clients.constEnd(); ++it) {
        QStringList subscriptions = m_channels.channelsOf(it.key()).values();
        subscriptions.sort();
        WsClientInfo info;
        info.id = it->id;
        info.address = it->address;
        info.origin = it->origin;
        info.subject = it->grant ? it->grant->subject : QString();
        info.subscriptions = subscriptions;
        info.messagesIn = it->messagesIn;
        info.messagesOut = it->messagesOut;
        info.queuedBytes = it->pending.size() + (it->tcp.isNull() ? 0 : it->tcp->bytesToWrite());
        info.connectedSinceMs = it->connectedSinceMs;
        infos.append(info);
    }
    return infos;
}

QList<ChannelRegistry::ChannelInfo> WsHub::channelInfos() const
{
    return m_channels.snapshot(wallMs());
}

}  // namespace kucun
