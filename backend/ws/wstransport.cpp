// WsTransport: construction, reading what comes from the sockets, answering pings, queueing and
// writing frames, closing. Listening, accepting and the handshake are in wstransportaccept.cpp.

#include "wstransport.h"

#include "socketreactor.h"
#include "tcplistener.h"
#include "wsframe.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcWs)

using namespace std::chrono_literals;

WsTransport::WsTransport(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_listener(new TcpListener(this))
    , m_reactor(new SocketReactor(
          [this](void *context, uint32_t events) {
              socketEvent(static_cast<WsConnection *>(context), events);
          },
          this))
    , m_readBuffer(kReadSliceBytes, Qt::Uninitialized)
    , m_handshakes(m_options.maxHandshakes, m_options.maxHandshakesPerAddress)
    , m_handshakeSweep(new QTimer(this))
{
    Q_ASSERT_X(m_options.maxMessageBytes > 0, "WsTransport", "maxMessageBytes is required");
    m_clock.start();
    connect(m_listener, &TcpListener::accepted, this, &WsTransport::takeConnection);
    connect(m_listener, &TcpListener::acceptStarved, this, &WsTransport::acceptStarved);
    m_handshakeSweep->setInterval(
        std::max<std::chrono::milliseconds>(m_options.handshakeTimeout / 5, 10ms));
    connect(m_handshakeSweep, &QTimer::timeout, this, &WsTransport::dropStaleHandshakes);
}

WsTransport::~WsTransport()
{
    // Connections are our children, their sockets theirs; the sockets' signals reach us through
    // lambdas whose context is the connection, so they are cut before a socket goes. Stop what
    // might still call back meanwhile.
    m_handshakeSweep->stop();
}

void WsTransport::socketEvent(WsConnection *connection, uint32_t events)
{
    // A connection closed earlier in this batch of events is still there (deleted later), its
    // descriptor not.
    if ((events & SocketReactor::Writable) && connection->m_descriptor >= 0)
        writeUnsent(connection);
    if ((events & SocketReactor::Readable) && connection->m_descriptor >= 0)
        readPlain(connection);
}

void WsTransport::read(WsConnection *connection)
{
    take(connection, connection->m_socket->readAll());
}

void WsTransport::readPlain(WsConnection *connection)
{
    // A slice per turn at most, as from Qt's sockets: a flood waits in the kernel, not here, and
    // the other connections get their turn. What is left is reported again.
    qint64 taken = 0;
    while (connection->m_descriptor >= 0 && taken < kReadSliceBytes) {
        const ssize_t received = ::recv(connection->m_descriptor, m_readBuffer.data(),
                                        size_t(m_readBuffer.size()), MSG_DONTWAIT);
        if (received > 0) {
            taken += received;
            take(connection, QByteArray(m_readBuffer.constData(), received));
            continue;
        }
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        closeDescriptor(connection, false);  // the peer closed, or the connection failed
        return;
    }
}

void WsTransport::take(WsConnection *connection, const QByteArray &bytes)
{
    if (!connection->m_announced && connection->m_state == WsConnection::State::Closing)
        return;  // refused at the handshake: nothing it sends now is read
    if (connection->m_state == WsConnection::State::Handshaking) {
        readHandshake(connection, bytes);
    } else {
        connection->m_reader.append(bytes);  // after a refusal it takes nothing
        readFrames(connection);
    }
}

void WsTransport::readFrames(WsConnection *connection)
{
    using Kind = WsFrameReader::Message::Kind;
    while (auto message = connection->m_reader.next()) {
        switch (message->kind) {
        case Kind::Text:
            if (connection->m_state == WsConnection::State::Open)
                emit messageReceived(connection, QString::fromUtf8(message->payload));
            break;
        case Kind::Ping:
            answerPing(connection, message->payload);
            break;
        case Kind::Pong:
            emit pongReceived(connection);
            break;
        case Kind::Close:
            // The peer closes: answer with its code, then close the socket (RFC 6455 §7.1.1:
            // the server closes TCP first). Or the peer answers our close.
            if (connection->m_state == WsConnection::State::Open) {
                fail(connection,
                     message->closeCode == WsFrameReader::kNoStatus ? 1000 : message->closeCode,
                     {});
            }
            closeWhenSent(connection);
            return;
        case Kind::Refused: {
            const QString why = QString::fromUtf8(message->payload);
            noteProtocolRefusal(connection,
                                QStringLiteral("close %1, %2").arg(message->closeCode).arg(why));
            fail(connection, message->closeCode, why);
            // RFC 6455 §7.1.7: a failed connection is closed, not left for a close handshake.
            closeWhenSent(connection);
            return;
        }
        }
    }
}

void WsTransport::noteProtocolRefusal(WsConnection *connection, const QString &what)
{
    if (m_protocolRefusals.note(m_clock.elapsed())) {
        qCInfo(lcWs).noquote().nospace()
            << "refused " << m_protocolRefusals.take()
            << " connection(s) for breaking the protocol; the last from "
            << connection->m_peerAddressText << ": " << what;
    }
}

void WsTransport::answerPing(WsConnection *connection, const QByteArray &payload)
{
    if (connection->m_state != WsConnection::State::Open)
        return;
    const qint64 now = m_clock.elapsed();
    connection->m_pingTokens
        = std::min(m_options.pingBurst, connection->m_pingTokens
                                            + double(now - connection->m_pingsRefilledAtMs)
                                                  * m_options.pingsPerSecond / 1000.0);
    connection->m_pingsRefilledAtMs = now;
    if (connection->m_pingTokens < 1)
        return;  // a ping flood: the pong would only grow what waits for the peer
    connection->m_pingTokens -= 1;
    enqueue(connection, pongFrame(payload));
}

void WsTransport::gone(WsConnection *connection)
{
    forgetHandshake(connection);
    m_unflushed.removeAll(connection);
    connection->m_state = WsConnection::State::Closing;
    if (connection->m_announced) {
        // RFC 6455 §7.1.5: a connection closed without a close frame closed with 1006.
        ++m_closesByCode[connection->m_closeCode ? connection->m_closeCode : 1006];
        emit disconnected(connection);
    }
    connection->deleteLater();
}

bool WsTransport::queue(WsConnection *connection, const QByteArray &frame)
{
    if (connection->m_state != WsConnection::State::Open)
        return false;  // nothing may follow the close frame
    enqueue(connection, frame);
    return true;
}

void WsTransport::enqueue(WsConnection *connection, const QByteArray &frame)
{
    if (connection->m_pending.isEmpty())
        connection->m_pending = frame;  // shared, not copied: most turns carry one message
    else
        connection->m_pending += frame;
    if (!connection->m_writePending) {
        connection->m_writePending = true;
        m_unflushed.append(connection);
    }
    if (!m_flushQueued) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(this, &WsTransport::flushQueued, Qt::QueuedConnection);
    }
    if (!connection->m_overflowReported && queuedBytes(connection) > connection->m_queueLimit) {
        connection->m_overflowReported = true;
        emit queueOverflow(connection);
    }
}

qint64 WsTransport::queuedBytes(WsConnection *connection) const
{
    return connection->m_pending.size() + connection->m_unsent.size()
           + (connection->m_socket ? connection->m_socket->bytesToWrite() : 0);
}

void WsTransport::setQueueLimit(WsConnection *connection, qint64 bytes)
{
    connection->m_queueLimit = bytes;
}

void WsTransport::close(WsConnection *connection, QWebSocketProtocol::CloseCode code,
                        const QString &reason)
{
    fail(connection, quint16(code), reason);
}

void WsTransport::fail(WsConnection *connection, quint16 code, const QString &reason)
{
    if (connection->m_state != WsConnection::State::Open)
        return;
    flush(connection);  // what was queued goes before the close frame
    connection->m_state = WsConnection::State::Closing;
    connection->m_closeCode = code;
    writeNow(connection, closeFrame(code, reason));
    // The peer answers with its own close frame (then we close the socket) or closes the
    // socket itself; one that does neither is dropped.
    QTimer::singleShot(m_options.closeGrace, connection, [this, connection] { abort(connection); });
}

void WsTransport::abort(WsConnection *connection)
{
    if (connection->m_state == WsConnection::State::Handshaking)
        forgetHandshake(connection);
    connection->m_state = WsConnection::State::Closing;
    abortSocket(connection);
}

void WsTransport::ping(WsConnection *connection)
{
    if (connection->m_state == WsConnection::State::Open)
        enqueue(connection, pingFrame());
}

void WsTransport::flushAll()
{
    flushQueued();
}

void WsTransport::flushQueued()
{
    m_flushQueued = false;
    QList<WsConnection *> connections;
    connections.swap(m_unflushed);
    for (WsConnection *connection : std::as_const(connections))
        flush(connection);
    emit flushed();
}

void WsTransport::flush(WsConnection *connection)
{
    connection->m_writePending = false;
    QByteArray bytes;
    bytes.swap(connection->m_pending);
    if (!bytes.isEmpty())
        writeNow(connection, bytes);
}

void WsTransport::writeNow(WsConnection *connection, const QByteArray &bytes)
{
    if (!socketOpen(connection))
        return;
    if (QTcpSocket *socket = connection->m_socket) {
        // TLS: Qt encrypts and writes. A plain QTcpSocket (the benchmark's earlier transport)
        // sends straight to the kernel while Qt has nothing of its own queued, as it did.
        qint64 written = 0;
        if (!m_options.tls && socket->bytesToWrite() == 0) {
            const ssize_t sent = ::send(int(socket->socketDescriptor()), bytes.constData(),
                                        size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            written = std::max<ssize_t>(sent, 0);  // on an error Qt's write runs into it
        }
        if (written < bytes.size())
            socket->write(bytes.constData() + written, bytes.size() - written);
        return;
    }
    // Straight to the kernel; what it does not take waits in m_unsent, after which everything
    // goes there, so order is kept, until the reactor says the socket takes more.
    qint64 written = 0;
    if (connection->m_unsent.isEmpty()) {
        const ssize_t sent = ::send(connection->m_descriptor, bytes.constData(),
                                    size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            closeDescriptor(connection, false);  // the peer is gone
            return;
        }
        written = std::max<ssize_t>(sent, 0);
        if (written == bytes.size())
            return;
        m_reactor->watchWrites(connection->m_descriptor, connection, true);
    }
    connection->m_unsent.append(bytes.constData() + written, bytes.size() - written);
}

void WsTransport::writeUnsent(WsConnection *connection)
{
    QByteArray &unsent = connection->m_unsent;
    if (!unsent.isEmpty()) {
        const ssize_t sent = ::send(connection->m_descriptor, unsent.constData(),
                                    size_t(unsent.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        if (sent < 0) {
            closeDescriptor(connection, false);
            return;
        }
        unsent.remove(0, sent);  // moves the start, copies nothing
    }
    if (!unsent.isEmpty())
        return;
    unsent = QByteArray();  // an idle client keeps no buffer
    m_reactor->watchWrites(connection->m_descriptor, connection, false);
    if (connection->m_closeWhenSent)
        closeDescriptor(connection, true);
}

bool WsTransport::socketOpen(const WsConnection *connection) const
{
    if (connection->m_socket)
        return connection->m_socket->state() == QAbstractSocket::ConnectedState;
    return connection->m_descriptor >= 0 && !connection->m_closeWhenSent;
}

void WsTransport::closeWhenSent(WsConnection *connection)
{
    if (QTcpSocket *socket = connection->m_socket) {
        // What the peer sent is taken off first: closing a socket with unread bytes resets the
        // connection, and the peer's stack may throw away what was written last with it.
        socket->readAll();
        socket->disconnectFromHost();  // once what was written is out
        return;
    }
    if (connection->m_descriptor < 0)
        return;
    if (connection->m_unsent.isEmpty())
        closeDescriptor(connection, true);
    else
        connection->m_closeWhenSent = true;
}

void WsTransport::abortSocket(WsConnection *connection)
{
    if (QTcpSocket *socket = connection->m_socket)
        socket->abort();
    else
        closeDescriptor(connection, false);
}

void WsTransport::closeDescriptor(WsConnection *connection, bool drainFirst)
{
    const int descriptor = connection->m_descriptor;
    if (descriptor < 0)
        return;
    if (drainFirst) {
        // Unread bytes make close() reset the connection, and the peer's stack may then throw
        // away the close frame or the refusal written just before: read them off first.
        for (int i = 0; i < 4; ++i) {
            if (::recv(descriptor, m_readBuffer.data(), size_t(m_readBuffer.size()), MSG_DONTWAIT)
                <= 0)
                break;
        }
    }
    m_reactor->remove(descriptor);
    ::close(descriptor);
    connection->m_descriptor = -1;
    connection->m_unsent = QByteArray();
    connection->m_closeWhenSent = false;
    // Queued, as a QTcpSocket reports its disconnection: the caller may still hold references
    // into its own records.
    QMetaObject::invokeMethod(
        this, [this, connection] { gone(connection); }, Qt::QueuedConnection);
}

}  // namespace kucun
