#include "wstransport.h"

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcWs)

namespace {

// A reconnect storm after a restart brings hundreds of clients at once; the default backlog of
// 50 would make most of them wait for a SYN retry.
constexpr int kListenBacklog = 1024;

// The same peer seen as the QTcpSocket before the handshake and as the QWebSocket after it.
template <typename Socket> QString peerKey(const Socket &socket)
{
    return socket.peerAddress().toString() + u' ' + QString::number(socket.peerPort());
}

}  // namespace

WsTransport::WsTransport(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_listener(new QTcpServer(this))
    , m_server(
          new QWebSocketServer(QStringLiteral("Kucun Hub"), QWebSocketServer::NonSecureMode, this))
{
    Q_ASSERT_X(m_options.maxMessageBytes > 0, "WsTransport", "maxMessageBytes is required");
    m_listener->setListenBacklogSize(kListenBacklog);
    connect(m_listener, &QTcpServer::newConnection, this, &WsTransport::takeTcpConnections);
    connect(m_server, &QWebSocketServer::newConnection, this,
            &WsTransport::takeHandshakenConnections);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            &WsTransport::checkOrigin);
    connect(m_server, &QWebSocketServer::acceptError, this, [](QAbstractSocket::SocketError error) {
        qCWarning(lcWs) << "accept failed:" << error;
    });
}

WsTransport::~WsTransport()
{
    // Connections are our children; disconnect first so that their destruction does not call
    // back into a half-destroyed transport.
    for (QWebSocket *connection : m_connections.keys())
        connection->disconnect(this);
}

std::optional<QString> WsTransport::listen()
{
    if (!m_listener->listen(m_options.host, m_options.port)) {
        return QStringLiteral("cannot listen on %1 port %2: %3")
            .arg(m_options.host.toString())
            .arg(m_options.port)
            .arg(m_listener->errorString());
    }
    qCInfo(lcWs) << "listening on" << serverUrl().toString();
    return std::nullopt;
}

void WsTransport::stopListening()
{
    m_listener->close();
}

QUrl WsTransport::serverUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(m_listener->serverAddress().toString());
    url.setPort(m_listener->serverPort());
    return url;
}

void WsTransport::checkOrigin(QWebSocketCorsAuthenticator *authenticator) const
{
    // A client without Origin is a server process, not a browser page: accept it (SPEC §6).
    const QString origin = authenticator->origin();
    const bool ok = origin.isEmpty() || m_options.anyOrigin
                    || m_options.allowedOrigins.contains(origin, Qt::CaseInsensitive);
    if (!ok)
        qCInfo(lcWs) << "refused a handshake from origin" << origin;
    authenticator->setAllowed(ok);
}

void WsTransport::takeTcpConnections()
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

void WsTransport::takeHandshakenConnections()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        socket->setMaxAllowedIncomingMessageSize(m_options.maxMessageBytes);
        QTcpSocket *tcp = m_handshaking.take(peerKey(*socket));
        if (!tcp) {
            qCWarning(lcWs) << "no connection known for a client from" << peerKey(*socket);
            socket->close(QWebSocketProtocol::CloseCodeBadOperation, QStringLiteral("internal"));
            socket->deleteLater();
            continue;
        }
        m_connections.insert(socket, Connection{tcp, {}, false, false});
        // Queued: a socket can report its disconnection from inside close(), and the caller of
        // close() may still hold a reference into its own records.
        connect(
            socket, &QWebSocket::disconnected, this,
            [this, socket] {
                m_connections.remove(socket);
                m_unflushed.removeAll(socket);
                emit disconnected(socket);
                socket->deleteLater();
            },
            Qt::QueuedConnection);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &message) { emit messageReceived(socket, message); });
        connect(socket, &QWebSocket::pong, this, [this, socket] { emit pongReceived(socket); });
        emit connected(socket);
    }
}

bool WsTransport::queue(QWebSocket *socket, const QByteArray &frame)
{
    const auto connection = m_connections.find(socket);
    if (connection == m_connections.end() || !connection->tcp || connection->closing)
        return false;  // the peer is gone or being closed: nothing may follow the close frame
    if (connection->pending.isEmpty())
        connection->pending = frame;  // shared, not copied: most turns carry one message
    else
        connection->pending += frame;
    if (!connection->writePending) {
        connection->writePending = true;
        m_unflushed.append(socket);
    }
    if (!m_flushQueued) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(this, &WsTransport::flushQueued, Qt::QueuedConnection);
    }
    return true;
}

qint64 WsTransport::queuedBytes(QWebSocket *socket) const
{
    const auto connection = m_connections.constFind(socket);
    if (connection == m_connections.constEnd())
        return 0;
    // Qt's own queue holds pongs and close frames it writes by itself: they count too.
    return connection->pending.size() + (connection->tcp ? connection->tcp->bytesToWrite() : 0);
}

void WsTransport::close(QWebSocket *socket, QWebSocketProtocol::CloseCode code,
                        const QString &reason)
{
    if (const auto connection = m_connections.find(socket); connection != m_connections.end()) {
        flush(*connection);  // what was queued goes before the close frame
        connection->closing = true;
    }
    socket->close(code, reason.left(120));  // a close reason is at most 123 bytes
}

void WsTransport::abort(QWebSocket *socket)
{
    if (const auto connection = m_connections.find(socket); connection != m_connections.end())
        connection->closing = true;
    socket->abort();
}

void WsTransport::ping(QWebSocket *socket)
{
    socket->ping();
}

void WsTransport::flushAll()
{
    flushQueued();
}

void WsTransport::flushQueued()
{
    m_flushQueued = false;
    QList<QWebSocket *> sockets;
    sockets.swap(m_unflushed);
    for (QWebSocket *socket : std::as_const(sockets)) {
        if (const auto connection = m_connections.find(socket); connection != m_connections.end())
            flush(*connection);
    }
}

void WsTransport::flush(Connection &connection)
{
    connection.writePending = false;
    QByteArray bytes;
    bytes.swap(connection.pending);
    if (!connection.tcp || bytes.isEmpty())
        return;
    qint64 written = 0;
#ifdef Q_OS_UNIX
    // With nothing of Qt's own waiting on this socket, the bytes go straight to the kernel:
    // QAbstractSocket::write would copy them into its buffer and turn the write notifier on and
    // off for every flush, which with a thousand clients cost more than the writes themselves.
    // Whatever the kernel does not take goes through Qt after all, so order is kept.
    if (connection.tcp->bytesToWrite() == 0) {
        const ssize_t sent = ::send(int(connection.tcp->socketDescriptor()), bytes.constData(),
                                    size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0)
            written = sent;  // on an error Qt's write below runs into it and reports it
    }
#endif
    if (written < bytes.size())
        connection.tcp->write(bytes.constData() + written, bytes.size() - written);
}

}  // namespace kucun
