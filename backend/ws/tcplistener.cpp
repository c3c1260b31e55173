#include "tcplistener.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun {

using namespace std::chrono_literals;

namespace {

// Connections taken per wake-up, so that a burst of them does not hold up reading from the
// connected ones (the socket stays readable; the rest come on the next turn).
constexpr int kAcceptsPerWakeUp = 64;
// How long accepting pauses when descriptors run out: the pending connections wait in the
// backlog meanwhile.
constexpr auto kStarvedPause = 500ms;

bool isStarvation(int error)
{
    return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

}  // namespace

TcpListener::TcpListener(QObject *parent)
    : QObject(parent)
    , m_resume(new QTimer(this))
{
    m_resume->setSingleShot(true);
    m_resume->setInterval(kStarvedPause);
    connect(m_resume, &QTimer::timeout, this, [this] {
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}

TcpListener::~TcpListener()
{
    close();
}

std::optional<QString> TcpListener::listen(const QHostAddress &host, quint16 port, int backlog)
{
    close();
    // QHostAddress::Any is both families on one IPv6 socket, or IPv4 alone where the system
    // has no IPv6; an IPv6 address is IPv6 only, as QTcpServer binds it.
    const bool any = host == QHostAddress(QHostAddress::Any);
    std::optional<QString> failure
        = bind(any ? QHostAddress(QHostAddress::AnyIPv6) : host, port, backlog, /*dualStack=*/any);
    if (failure && any && m_lastError == EAFNOSUPPORT)
        failure = bind(QHostAddress(QHostAddress::AnyIPv4), port, backlog, false);
    if (failure)
        return failure;
    m_address = host;
    m_notifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TcpListener::acceptPending);
    return std::nullopt;
}

std::optional<QString> TcpListener::bind(const QHostAddress &host, quint16 port, int backlog,
                                         bool dualStack)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    const bool v6 = host.protocol() == QAbstractSocket::IPv6Protocol;
    if (v6) {
        auto *address = reinterpret_cast<sockaddr_in6 *>(&storage);
        address->sin6_family = AF_INET6;
        address->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = host.toIPv6Address();
        std::memcpy(&address->sin6_addr, bytes.c, sizeof bytes.c);
        address->sin6_scope_id = host.scopeId().toUInt();
        length = sizeof(sockaddr_in6);
    } else {
        auto *address = reinterpret_cast<sockaddr_in *>(&storage);
        address->sin_family = AF_INET;
        address->sin_port = htons(port);
        address->sin_addr.s_addr = htonl(host.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    const auto failed = [&](const char *step) {
        m_lastError = errno;
        if (m_descriptor >= 0)
            ::close(m_descriptor);
        m_descriptor = -1;
        return QStringLiteral("cannot listen on %1 port %2: %3 failed: %4")
            .arg(host.toString())
            .arg(port)
            .arg(QLatin1String(step), QString::fromLocal8Bit(std::strerror(m_lastError)));
    };
    m_descriptor = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_descriptor < 0)
        return failed("socket");
    const int yes = 1;
    ::setsockopt(m_descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (v6) {
        const int v6Only = dualStack ? 0 : 1;
        ::setsockopt(m_descriptor, IPPROTO_IPV6, IPV6_V6ONLY, &v6Only, sizeof v6Only);
    }
    if (::bind(m_descriptor, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return failed("bind");
    if (::listen(m_descriptor, backlog) != 0)
        return failed("listen");
    sockaddr_storage bound{};
    socklen_t boundLength = sizeof bound;
    ::getsockname(m_descriptor, reinterpret_cast<sockaddr *>(&bound), &boundLength);
    m_port = ntohs(v6 ? reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port
                      : reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
    return std::nullopt;
}

void TcpListener::close()
{
    delete m_notifier;
    m_notifier = nullptr;
    m_resume->stop();
    if (m_descriptor >= 0)
        ::close(m_descriptor);
    m_descriptor = -1;
}

void TcpListener::acceptPending()
{
    for (int i = 0; i < kAcceptsPerWakeUp && m_descriptor >= 0; ++i) {
        const int descriptor
            = ::accept4(m_descriptor, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (descriptor >= 0) {
            emit accepted(descriptor);
            continue;
        }
        const int error = errno;
        if (error == EINTR || error == ECONNABORTED || error == EPROTO)
            continue;  // that one connection is gone; the next may be fine
        if (isStarvation(error)) {
            m_notifier->setEnabled(false);
            m_resume->start();
            emit acceptStarved(error);
        }
        return;  // EAGAIN: nothing more pending
    }
}

QTcpSocket *adoptAcceptedSocket(qintptr descriptor, const QSslConfiguration *tls, QString *error)
{
    QTcpSocket *socket = nullptr;
    if (tls) {
        auto *ssl = new QSslSocket;
        socket = ssl;
        if (ssl->setSocketDescriptor(descriptor)) {
            ssl->setSslConfiguration(*tls);
            ssl->startServerEncryption();
        }
    } else {
        socket = new QTcpSocket;
        socket->setSocketDescriptor(descriptor);
    }
    if (socket->state() != QAbstractSocket::ConnectedState) {
        *error = socket->errorString();
        delete socket;
        ::close(int(descriptor));
        return nullptr;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return socket;
}

}  // namespace kucun
