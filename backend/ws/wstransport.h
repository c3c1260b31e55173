#pragma once

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QWebSocketProtocol>

#include <chrono>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketCorsAuthenticator;
class QWebSocketServer;

namespace kucun {

// The WebSocket transport under the hub's protocol (STYLE.md: transport under protocol):
// listening, the handshake (QWebSocketServer's, with the origin check and its 403), pairing
// each QWebSocket with the QTcpSocket under it, and writing ready-made frames to that socket,
// batched per event-loop turn. It knows nothing of channels, tokens or requests; WsHub does.
//
// A connection is named by its QWebSocket, a child of the transport, deleted (later) once the
// peer has gone and disconnected() has been emitted. Engine thread.
class WsTransport : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QHostAddress host{QHostAddress::LocalHost};
        quint16 port = 0;
        // Browser origins let in (case-insensitive); a peer without Origin always is.
        QStringList allowedOrigins;
        bool anyOrigin = false;
        qint64 maxMessageBytes = 0;  // required; a bigger incoming message closes with 1009
    };

    explicit WsTransport(Options options, QObject *parent = nullptr);
    ~WsTransport() override;

    // On failure returns why, in one line.
    std::optional<QString> listen();
    void stopListening();
    // ws://host:port with the port really bound.
    QUrl serverUrl() const;

    // Queues a text frame (wsframe.h) for the connection; it goes out with the others queued in
    // this event-loop turn, in one write. Nothing is queued once the connection is closing or
    // gone: then false.
    bool queue(QWebSocket *connection, const QByteArray &frame);
    // What waits to go out to the connection: queued frames plus what the kernel did not take.
    qint64 queuedBytes(QWebSocket *connection) const;
    // Sends the close frame after what was queued; nothing is sent after it.
    void close(QWebSocket *connection, QWebSocketProtocol::CloseCode code, const QString &reason);
    // Drops the connection without a close handshake.
    void abort(QWebSocket *connection);
    void ping(QWebSocket *connection);
    // Writes every connection's queued frames now (before close frames, at shutdown).
    void flushAll();

signals:
    void connected(QWebSocket *connection);
    void messageReceived(QWebSocket *connection, const QString &message);
    void pongReceived(QWebSocket *connection);
    // Queued: emitted after the call that closed the connection has returned.
    void disconnected(QWebSocket *connection);

private:
    struct Connection
    {
        // The socket under the QWebSocket: frames are written to it directly. Qt deletes it
        // when the peer goes, hence the QPointer.
        QPointer<QTcpSocket> tcp;
        QByteArray pending;  // frames queued in this event-loop turn
        bool writePending = false;  // in m_unflushed
        bool closing = false;
    };

    void takeTcpConnections();
    void takeHandshakenConnections();
    void checkOrigin(QWebSocketCorsAuthenticator *authenticator) const;
    void flushQueued();
    void flush(Connection &connection);

    const Options m_options;
    // Our own listener hands each connection to QWebSocketServer for the handshake, so that we
    // keep the QTcpSocket under each QWebSocket.
    QTcpServer *m_listener = nullptr;
    QWebSocketServer *m_server = nullptr;
    QHash<QString, QPointer<QTcpSocket>> m_handshaking;  // by peer address and port
    QHash<QWebSocket *, Connection> m_connections;
    QList<QWebSocket *> m_unflushed;  // connections with frames queued since the last flush
    bool m_flushQueued = false;
};

}  // namespace kucun
