#include "respserver.h"

#include "ws/tcplistener.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTcpSocket>

#include <algorithm>
#include <cstring>
#include <unistd.h>

namespace kucun {

Q_LOGGING_CATEGORY(lcResp, "kucun.resp")

namespace {

constexpr int kListenBacklog = 511;  // Redis's tcp-backlog

}  // namespace

RespConnection::Limits RespServer::defaultLimits()
{
    RespConnection::Limits limits;
    // SPEC §12: a bulk string of at most 64 MiB; a request is held until whole, so a request
    // may be that and an inline line's worth (resprequestreader.h).
    limits.reader.maxBulkBytes = 64LL * 1024 * 1024;
    return limits;
}

namespace {

RespCommands::Options commandOptions(const RespServer::Options &options)
{
    RespCommands::Options commands;
    commands.password = options.password;
    commands.store = options.store;
    commands.keyAccess = options.keyAccess;
    return commands;
}

}  // namespace

RespServer::RespServer(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_pubsub([this](qint64 id, const QByteArray &frame) { deliver(id, frame); })
    , m_commands(commandOptions(m_options), *this, m_pubsub)
    , m_listener(new TcpListener(this))
{
    connect(m_listener, &TcpListener::accepted, this, &RespServer::accept);
    connect(m_listener, &TcpListener::acceptStarved, this, [this](int error) {
        if (m_starved.note(QDateTime::currentMSecsSinceEpoch())) {
            qCWarning(lcResp).nospace()
                << "cannot accept Redis-protocol connections: " << std::strerror(error) << " ("
                << m_starved.take() << " time(s); " << m_connections.size() << " open)";
        }
    });
}

RespServer::~RespServer()
{
    close();
}

std::optional<QString> RespServer::listen()
{
    if (auto failed = m_listener->listen(m_options.host, m_options.port, kListenBacklog))
        return failed;
    qCInfo(lcResp) << "listening on" << serverUrl().toString();
    return std::nullopt;
}

QUrl RespServer::serverUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setHost(m_listener->address().toString());
    url.setPort(m_listener->port());
    return url;
}

void RespServer::close()
{
    m_listener->close();
    const QHash<qint64, RespConnection *> open = std::exchange(m_connections, {});
    for (RespConnection *connection : open)
        delete connection;  // its socket, a child, closes with it
}

quint16 RespServer::port() const
{
    return m_listener->port();
}

QList<const RespSession *> RespServer::sessions() const
{
    QList<const RespSession *> all;
    all.reserve(m_connections.size());
    for (const RespConnection *connection : m_connections)
        all.append(&connection->session());
    std::sort(all.begin(), all.end(),
              [](const RespSession *a, const RespSession *b) { return a->id < b->id; });
    return all;
}

bool RespServer::kill(qint64 id)
{
    RespConnection *connection = m_connections.value(id);
    if (!connection)
        return false;
    connection->kill();
    return true;
}

void RespServer::accept(qintptr descriptor)
{
    if (m_connections.size() >= m_options.maxConnections) {
        refuseFull(descriptor);
        return;
    }
    QString error;
    QTcpSocket *socket = adoptAcceptedSocket(descriptor, nullptr, &error);
    if (!socket) {
        qCWarning(lcResp) << "cannot take an accepted connection:" << error;
        return;
    }
    RespSession session;
    session.id = m_nextId++;
    session.peer = socket->peerAddress();
    session.peerPort = socket->peerPort();
    session.local = socket->localAddress();
    session.localPort = socket->localPort();
    session.createdMs = session.lastCommandMs = RespSession::clockMs();
    session.authenticated = m_options.password.isEmpty();
    auto *connection = new RespConnection(
        socket, std::move(session), m_options.limits,
        [this](RespSession &caller, const QList<QByteArray> &arguments, QByteArray &out) {
            m_commands.execute(caller, arguments, out);
        },
        this);
    m_connections.insert(connection->session().id, connection);
    connect(connection, &RespConnection::protocolError, this, [this](const QByteArray &message) {
        ++m_protocolErrors;
        if (m_badInput.note(QDateTime::currentMSecsSinceEpoch())) {
            qCInfo(lcResp).nospace()
                << "closed " << m_badInput.take()
                << " Redis-protocol connection(s) after bad input: " << message.constData();
        }
    });
    connect(connection, &RespConnection::finished, this, [this](RespConnection *finished) {
        m_pubsub.forget(finished->session().id);
        if (m_connections.remove(finished->session().id))
            finished->deleteLater();
    });
    connection->start();
}

void RespServer::deliver(qint64 id, const QByteArray &frame)
{
    RespConnection *connection = m_connections.value(id);
    if (!connection || connection->deliver(frame, m_options.maxSubscriberBacklogBytes))
        return;
    ++m_slowSubscribersCut;
    if (m_slowSubscribers.note(QDateTime::currentMSecsSinceEpoch())) {
        qCWarning(lcResp).nospace()
            << "disconnected " << m_slowSubscribers.take()
            << " Redis-protocol subscriber(s) more than "
            << m_options.maxSubscriberBacklogBytes / (1024 * 1024) << " MiB behind";
    }
}

void RespServer::refuseFull(qintptr descriptor)
{
    ++m_refused;
    if (m_refusedFull.note(QDateTime::currentMSecsSinceEpoch())) {
        qCWarning(lcResp).nospace() << "refused " << m_refusedFull.take()
                                    << " Redis-protocol connection(s): " << m_options.maxConnections
                                    << " are open (the most at once)";
    }
    // What Redis answers past maxclients, in one write that fits any socket buffer.
    static constexpr char kFull[] = "-ERR max number of clients reached\r\n";
    [[maybe_unused]] const ssize_t written = ::write(int(descriptor), kFull, sizeof kFull - 1);
    ::close(int(descriptor));
}

}  // namespace kucun
