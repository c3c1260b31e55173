#pragma once

#include "core/throttledlog.h"
#include "handshakebudget.h"
#include "wsconnection.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>
#include <QWebSocketProtocol>

#include <chrono>
#include <optional>

class QTimer;

namespace kucun {

class SocketReactor;
class TcpListener;

// The WebSocket transport under the hub's protocol (STYLE.md: transport under protocol): it
// listens, reads each client's upgrade request and answers it (the origin check and its 403),
// decodes client frames (wsframereader.h), answers pings, carries out close handshakes, and
// writes ready-made frames to each socket, batched per event-loop turn. It knows nothing of
// channels, tokens or requests; WsHub does.
//
// Everything a client can make it hold is bounded: unfinished handshakes (a timeout, a cap in
// total, shared fairly between peer addresses), a message being read (maxMessageBytes), and what
// waits to be written to the client, pongs and close frames included (the connection's queue limit:
// beyond it the transport reports queueOverflow). Pings beyond a rate get no pong. When the process
// is out of descriptors it pauses accepting for a moment instead of spinning. Engine thread.
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
        std::chrono::milliseconds handshakeTimeout{5000};
        int maxHandshakes = 1024;  // unfinished at once, in total
        // Sure for each peer address; beyond it an address borrows free room (handshakebudget.h).
        int maxHandshakesPerAddress = 64;
        qint64 queueLimit = 4 * 1024 * 1024;  // per connection until setQueueLimit() says else
        double pingsPerSecond = 100;  // sustained; beyond, pings are not answered
        double pingBurst = 200;
        // How long a connection being closed may take to go by itself before it is dropped (a
        // peer that does not read never answers the close frame).
        std::chrono::milliseconds closeGrace{1000};
        std::optional<QSslConfiguration> tls;  // wss:// when set
        // Plain connections on QTcpSocket too (HubConfig::wsQtSockets), for the benchmark.
        bool qtSockets = false;
    };

    explicit WsTransport(Options options, QObject *parent = nullptr);
    ~WsTransport() override;

    // On failure returns why, in one line.
    std::optional<QString> listen();
    void stopListening();
    // ws://host:port with the port really bound.
    QUrl serverUrl() const;
    // Origins let in besides Options::allowedOrigins (the hub's own HTTP origin).
    void allowOrigins(const QStringList &origins) { m_extraOrigins += origins; }
    // Connections that were open, by the code of their close frame (1006: none).
    const QHash<quint16, qint64> &closesByCode() const { return m_closesByCode; }
    // Connections whose handshake has not finished.
    int handshakeCount() const { return m_handshakes.size(); }

    // Queues a text frame (wsframe.h) for the connection; it goes out with the others queued in
    // this event-loop turn, in one write. Nothing is queued once the connection is closing or
    // gone: then false.
    bool queue(WsConnection *connection, const QByteArray &frame);
    // What waits to go out to the connection: queued frames plus what the kernel did not take.
    qint64 queuedBytes(WsConnection *connection) const;
    void setQueueLimit(WsConnection *connection, qint64 bytes);
    // Sends the close frame after what was queued; nothing is sent after it. The connection is
    // dropped if the peer has not gone within closeGrace.
    void close(WsConnection *connection, QWebSocketProtocol::CloseCode code, const QString &reason);
    // Drops the connection without a close handshake.
    void abort(WsConnection *connection);
    void ping(WsConnection *connection);
    // Writes every connection's queued frames now (before close frames, at shutdown).
    void flushAll();

signals:
    void connected(kucun::WsConnection *connection);
    void messageReceived(kucun::WsConnection *connection, const QString &message);
    void pongReceived(kucun::WsConnection *connection);
    // More is queued to the connection than its limit allows (once per connection).
    void queueOverflow(kucun::WsConnection *connection);
    // Queued: emitted after the call that closed the connection has returned. Only for
    // connections that were reported connected.
    void disconnected(kucun::WsConnection *connection);
    // The frames queued in one event-loop turn have been handed to the sockets.
    void flushed();

private:
    void takeConnection(qintptr descriptor);
    // A 503: no room in the handshake budget (handshakebudget.h), or its place was taken back.
    void refuseOverTheCaps(WsConnection *connection);
    // A TLS connection (or any, where epoll is missing): a QSslSocket does the reading.
    WsConnection *takeSocket(qintptr descriptor);
    // A plain one: the descriptor itself, watched by the reactor.
    WsConnection *takePlain(int descriptor);
    void initialise(WsConnection *connection);
    void acceptStarved(int error);
    void socketEvent(WsConnection *connection, uint32_t events);
    // What a QSslSocket read, and what readPlain() took off a descriptor.
    void read(WsConnection *connection);
    void readPlain(WsConnection *connection);
    void take(WsConnection *connection, const QByteArray &bytes);
    void readHandshake(WsConnection *connection, const QByteArray &bytes);
    void readFrames(WsConnection *connection);
    void answerPing(WsConnection *connection, const QByteArray &payload);
    // A handshake refused, or a connection failed for a frame the RFC forbids: `what` for the log.
    void noteProtocolRefusal(WsConnection *connection, const QString &what);
    void refuseHandshake(WsConnection *connection, int status, const QByteArray &reason);
    void forgetHandshake(WsConnection *connection);
    void dropStaleHandshakes();
    void dropOldestHandshake();
    void gone(WsConnection *connection);
    // The frame goes out after what was queued, then the socket closes once it is written.
    void fail(WsConnection *connection, quint16 code, const QString &reason);
    // Queues without checks; reports an overflow.
    void enqueue(WsConnection *connection, const QByteArray &frame);
    void flushQueued();
    void flush(WsConnection *connection);
    void writeNow(WsConnection *connection, const QByteArray &bytes);
    void writeUnsent(WsConnection *connection);
    // The socket's side of a connection, whichever kind it is.
    bool socketOpen(const WsConnection *connection) const;
    // Closes once what waits to be written is out (then the peer's disconnection is reported).
    void closeWhenSent(WsConnection *connection);
    void abortSocket(WsConnection *connection);
    // A plain connection's descriptor closed now; gone() follows, queued.
    void closeDescriptor(WsConnection *connection, bool drainFirst);
    bool originAllowed(const QString &origin) const;

    // What is taken off a socket at a time: a flood then costs a bounded buffer per connection;
    // the rest waits in the kernel.
    static constexpr qint64 kReadSliceBytes = 64 * 1024;

    const Options m_options;
    QElapsedTimer m_clock;
    TcpListener *m_listener = nullptr;
    SocketReactor *m_reactor = nullptr;
    QByteArray m_readBuffer;  // what readPlain() receives into, for every connection
    HandshakeBudget m_handshakes;
    QTimer *m_handshakeSweep = nullptr;
    QList<WsConnection *> m_unflushed;  // connections with frames queued since the last flush
    bool m_flushQueued = false;
    QHash<quint16, qint64> m_closesByCode;
    QStringList m_extraOrigins;
    ThrottledLog m_capRefusals;  // connections refused over a handshake cap
    ThrottledLog m_acceptFailures;
    ThrottledLog m_protocolRefusals;  // handshakes refused, connections failed for bad frames
    ThrottledLog m_staleHandshakes;
};

}  // namespace kucun
