#include "httpserver.h"

#include "ws/tcplistener.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSslSocket>
#include <QTimer>

#include <cstring>
#include <unistd.h>

namespace kucun {

Q_LOGGING_CATEGORY(lcHttp, "kucun.http")

namespace {

constexpr int kListenBacklog = 512;
constexpr std::chrono::milliseconds kSweepInterval{500};

}  // namespace

HttpServer::HttpServer(Options options, HttpConnection::Handler handler, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_handler(std::move(handler))
    , m_listener(new TcpListener(this))
    , m_sweep(new QTimer(this))
{
    connect(m_listener, &TcpListener::accepted, this, &HttpServer::accept);
    connect(m_listener, &TcpListener::acceptStarved, this, [this](int error) {
        if (m_starved.note(QDateTime::currentMSecsSinceEpoch())) {
            qCWarning(lcHttp).nospace()
                << "cannot accept HTTP connections: " << std::strerror(error) << " ("
                << m_starved.take() << " time(s); " << m_connections.size() << " open)";
        }
    });
    m_sweep->setInterval(kSweepInterval);
    connect(m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
}

HttpServer::~HttpServer()
{
    close();
}

std::optional<QString> HttpServer::listen()
{
    if (auto failed = m_listener->listen(m_options.host, m_options.port, kListenBacklog))
        return failed;
    m_sweep->start();
    qCInfo(lcHttp) << "listening on" << serverUrl().toString();
    return std::nullopt;
}

QUrl HttpServer::serverUrl() const
{
    QUrl url;
    url.setScheme(m_options.tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_listener->address().toString());
    url.setPort(m_listener->port());
    return url;
}

void HttpServer::close()
{
    m_listener->close();
    m_sweep->stop();
    const QSet<HttpConnection *> open = std::exchange(m_connections, {});
    for (HttpConnection *connection : open)
        delete connection;  // its socket, a child, closes with it
}

void HttpServer::accept(qintptr descriptor)
{
    if (m_connections.size() >= m_options.maxConnections) {
        refuseFull(descriptor);
        return;
    }
    QString error;
    QTcpSocket *socket
        = adoptAcceptedSocket(descriptor, m_options.tls ? &*m_options.tls : nullptr, &error);
    if (!socket) {
        qCWarning(lcHttp) << "cannot take an accepted connection:" << error;
        return;
    }
    auto *connection = new HttpConnection(socket, m_options.limits, m_handler, this);
    m_connections.insert(connection);
    connect(connection, &HttpConnection::refused, this,
            [this](int status) { ++m_refusals[status]; });
    connect(connection, &HttpConnection::finished, this, [this](HttpConnection *finished) {
        if (m_connections.remove(finished))
            finished->deleteLater();
    });
    connection->start();
}

void HttpServer::refuseFull(qintptr descriptor)
{
    ++m_refusals[503];
    if (m_refusedFull.note(QDateTime::currentMSecsSinceEpoch())) {
        qCWarning(lcHttp).nospace() << "refused " << m_refusedFull.take()
                                    << " HTTP connection(s): " << m_options.maxConnections
                                    << " are open (the most at once)";
    }
    if (!m_options.tls) {
        // One write that fits any socket buffer; a client that cannot take it loses nothing
        // it could have used.
        const QByteArray answer
            = HttpResponse::error(503, QStringLiteral("unavailable"),
                                  QStringLiteral("too many HTTP connections; try again later"))
                  .serialize(false);
        [[maybe_unused]] const ssize_t written
            = ::write(int(descriptor), answer.constData(), size_t(answer.size()));
    }
    ::close(int(descriptor));
}

void HttpServer::sweep()
{
    const qint64 now = HttpConnection::monotonicMs();
    QList<HttpConnection *> stale;
    QList<HttpConnection *> idle;
    for (HttpConnection *connection : std::as_const(m_connections)) {
        if (connection->isAnswering())
            continue;
        const qint64 started = connection->requestStartedMs();
        if (started >= 0 && now - started > m_options.requestTimeout.count())
            stale.append(connection);
        else if (started < 0 && connection->idleSinceMs() >= 0
                 && now - connection->idleSinceMs() > m_options.idleTimeout.count())
            idle.append(connection);
    }
    for (HttpConnection *connection : std::as_const(idle))
        connection->abort();  // an idle keep-alive connection: no news
    for (HttpConnection *connection : std::as_const(stale)) {
        if (m_timeouts.note(QDateTime::currentMSecsSinceEpoch())) {
            qCInfo(lcHttp).nospace()
                << "closed " << m_timeouts.take() << " HTTP connection(s) whose request did "
                << "not arrive within " << m_options.requestTimeout.count() << " ms; the last from "
                << connection->peerAddress().toString();
        }
        connection->abort();
    }
}

}  // namespace kucun
