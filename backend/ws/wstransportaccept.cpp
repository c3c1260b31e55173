// WsTransport: listening, taking accepted connections in (the handshake budget of
// handshakebudget.h, the socket or bare descriptor), reading and answering the upgrade request,
// and dropping handshakes that do not finish. The rest is in wstransport.cpp.

#include "socketreactor.h"
#include "tcplistener.h"
#include "wshandshake.h"
#include "wstransport.h"

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

namespace {

// A reconnect storm after a restart brings hundreds of clients at once; the default backlog of
// 50 would make most of them wait for a SYN retry.
constexpr int kListenBacklog = 1024;
// Browsers send well under 2 KiB; cookies for the page's domain can add a few.
constexpr qsizetype kMaxHandshakeBytes = 16 * 1024;

}  // namespace

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
                                  << ", a share of " << m_options.maxHandshakesPerAddress
                                  << " per address; the last from " << connection->m_peerAddressText
                                  << ")";
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

}  // namespace kucun
