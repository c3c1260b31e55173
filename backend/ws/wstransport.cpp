#include "wstransport.h"

#include "socketreactor.h"
#include "tcplistener.h"
#include "wsframe.h"
#include "wshandshake.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcWs)

using namespace std::chrono_literals;

namespace {

// A reconnect storm after a restart brings hundreds of clients at once; the default backlog of
// 50 would make most of them wait for a SYN retry.
constexpr int kListenBacklog = 1024;
constexpr qint64 kReadSliceBytes = 64 * 1024;
// Browsers send well under 2 KiB; cookies for the page's domain can add a few.
constexpr qsizetype kMaxHandshakeBytes = 16 * 1024;

}  // namespace

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

std::optional<QString> WsTransport::listen()
{
    if (auto failed = m_listener->listen(m_options.host, m_options.port, kListenBacklog))
        return failed;
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
    url.setScheme(m_options.tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(m_listener->address().toString());
    url.setPort(m_listener->port());
    return url;
}

bool WsTransport::originAllowed(const QString &origin) const
{
    // A client without Origin is a server process, not a browser page: accept it (SPEC §6).
    return origin.isEmpty() || m_options.anyOrigin
           || m_options.allowedOrigins.contains(origin, Qt::CaseInsensitive)
           || m_extraOrigins.contains(origin, Qt::CaseInsensitive);
}

void WsTransport::takeConnection(qintptr descriptor)
{
    WsConnection *connection = m_options.tls || m_options.qtSockets || !m_reactor->isValid()
                                   ? takeSocket(descriptor)
                                   : takePlain(int(descriptor));
    if (!connection)
        return;
    const HandshakeBudget::Admission admission
        = m_handshakes.admit(connection, connection->m_handshakeKey);
    if (admission.admitted) {
        if (!m_handshakeSweep->isActive())
            m_handshakeSweep->start();
        if (admission.displaced)
            refuseOverTheCaps(admission.displaced);
        return;
    }
    refuseOverTheCaps(connection);
}

void WsTransport::refuseOverTheCaps(WsConnection *connection)
{
    if (m_capRefusals.note(m_clock.elapsed())) {
        qCWarning(lcWs).nospace() << "refused " << m_capRefusals.take()
                                  << " connection(s): " << m_handshakes.size()
                                  << " handshakes unfinished (at most " << m_options.maxHandshakes
                                  << ", of which " << m_options.maxHandshakesPerAddress
                                  << " are sure for each address; the last from "
                                  << connection->m_peerAddressText << ")";
    }
    refuseHandshake(connection, 503, "too many unfinished handshakes; try again later");
}

WsConnection *WsTransport::takeSocket(qintptr descriptor)
{
    // wss://: the TLS handshake counts towards the handshake timeout like the upgrade.
    QString error;
    QTcpSocket *tcp
        = adoptAcceptedSocket(descriptor, m_options.tls ? &*m_options.tls : nullptr, &error);
    if (!tcp) {
        qCWarning(lcWs) << "cannot take an accepted connection:" << error;
        return nullptr;
    }
    // What a client sends is taken off the socket a slice at a time: a flood then costs the hub
    // a bounded buffer per connection instead of whatever the kernel had gathered (megabytes,
    // whose allocations the heap keeps afterwards); the rest waits in the kernel.
    tcp->setReadBufferSize(kReadSliceBytes);
    auto *connection = new WsConnection(tcp, m_options.maxMessageBytes, this);
    initialise(connection);
    connect(tcp, &QTcpSocket::readyRead, connection, [this, connection] { read(connection); });
    // Queued: a socket can report its disconnection from inside close() or abort(), and their
    // caller may still hold a reference into its own records.
    connect(
        tcp, &QTcpSocket::disconnected, connection, [this, connection] { gone(connection); },
        Qt::QueuedConnection);
    return connection;
}

WsConnection *WsTransport::takePlain(int descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(descriptor, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        qCWarning(lcWs) << "cannot take an accepted connection:" << std::strerror(errno);
        ::close(descriptor);
        return nullptr;
    }
    // Nagle's algorithm off: every message is one small write that should leave at once.
    const int one = 1;
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto *connection
        = new WsConnection(descriptor, QHostAddress(reinterpret_cast<const sockaddr *>(&address)),
                           m_options.maxMessageBytes, this);
    if (!m_reactor->add(descriptor, connection)) {
        qCWarning(lcWs) << "cannot watch an accepted connection:" << std::strerror(errno);
        delete connection;  // closes the descriptor
        return nullptr;
    }
    initialise(connection);
    return connection;
}

void WsTransport::initialise(WsConnection *connection)
{
    const qint64 now = m_clock.elapsed();
    connection->m_acceptedAtMs = now;
    connection->m_queueLimit = m_options.queueLimit;
    connection->m_pingTokens = m_options.pingBurst;
    connection->m_pingsRefilledAtMs = now;
}

void WsTransport::acceptStarved(int error)
{
    // Out of descriptors: the listener pauses; the oldest unfinished handshake makes room for
    // the next connection, which is more likely a real client than the stalled one.
    const qint64 now = m_clock.elapsed();
    if (m_acceptFailures.note(now)) {
        qCWarning(lcWs).nospace() << "cannot accept connections: " << std::strerror(error) << " ("
                                  << m_handshakes.size() << " handshakes unfinished); pausing,"
                                  << " then dropping the oldest unfinished handshake each time ("
                                  << m_acceptFailures.take()
                                  << " failure(s) since the last report)";
    }
    dropOldestHandshake();
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

void WsTransport::readHandshake(WsConnection *connection, const QByteArray &bytes)
{
    // Read again only when the blank line that ends the request may have come (a client that
    // sends a byte at a time must not make every read scan all it sent before).
    const qsizetype searchFrom = std::max<qsizetype>(0, connection->m_handshake.size() - 3);
    connection->m_handshake += bytes;
    if (connection->m_handshake.indexOf("\r\n\r\n", searchFrom) < 0
        && connection->m_handshake.size() <= kMaxHandshakeBytes)
        return;
    const WsUpgradeParse parsed = parseWsUpgrade(connection->m_handshake, kMaxHandshakeBytes);
    if (const auto *refusal = std::get_if<WsUpgradeRefusal>(&parsed)) {
        noteProtocolRefusal(connection, QStringLiteral("HTTP %1 %2")
                                            .arg(refusal->status)
                                            .arg(QString::fromUtf8(refusal->reason)));
        refuseHandshake(connection, refusal->status, refusal->reason);
        return;
    }
    const auto *request = std::get_if<WsUpgradeRequest>(&parsed);
    if (!request)
        return;  // not all of it yet
    const QString origin = QString::fromUtf8(request->origin);
    if (!originAllowed(origin)) {
        noteProtocolRefusal(connection, QStringLiteral("HTTP 403 for origin ") + origin);
        refuseHandshake(connection, 403, "this origin is not allowed");
        return;
    }
    connection->m_origin = origin;
    connection->m_requestUrl = QUrl::fromEncoded(request->target);
    const QByteArray firstFrames = connection->m_handshake.sliced(request->headerBytes);
    const QByteArray response = wsUpgradeAccepted(request->key);
    connection->m_handshake = QByteArray();
    forgetHandshake(connection);
    connection->m_state = WsConnection::State::Open;
    connection->m_announced = true;
    writeNow(connection, response);
    emit connected(connection);
    if (!firstFrames.isEmpty()) {
        connection->m_reader.append(firstFrames);
        readFrames(connection);
    }
}

void WsTransport::refuseHandshake(WsConnection *connection, int status, const QByteArray &reason)
{
    forgetHandshake(connection);
    connection->m_state = WsConnection::State::Closing;
    writeNow(connection, wsUpgradeRefused({status, reason}));
    closeWhenSent(connection);
    QTimer::singleShot(m_options.closeGrace, connection, [this, connection] { abort(connection); });
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

void WsTransport::forgetHandshake(WsConnection *connection)
{
    if (!m_handshakes.release(connection))
        return;
    if (m_handshakes.isEmpty())
        m_handshakeSweep->stop();
}

void WsTransport::dropStaleHandshakes()
{
    const qint64 now = m_clock.elapsed();
    int dropped = 0;
    while (!m_handshakes.isEmpty()
           && now - m_handshakes.oldest()->m_acceptedAtMs >= m_options.handshakeTimeout.count()) {
        dropOldestHandshake();
        ++dropped;
    }
    if (dropped > 0 && m_staleHandshakes.note(now, dropped)) {
        qCInfo(lcWs).nospace() << "dropped " << m_staleHandshakes.take()
                               << " connection(s) that did not finish the handshake within "
                               << m_options.handshakeTimeout.count() << " ms";
    }
}

void WsTransport::dropOldestHandshake()
{
    WsConnection *oldest = m_handshakes.oldest();
    if (!oldest)
        return;
    forgetHandshake(oldest);
    oldest->m_state = WsConnection::State::Closing;
    abortSocket(oldest);
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
