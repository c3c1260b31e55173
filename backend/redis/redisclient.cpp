#include "redisclient.h"

#include "sentinelwatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

RedisClient::RedisClient(RedisUrl url, int poolSize, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &RedisClient::connectAll);
    for (int i = 0; i < std::max(1, poolSize); ++i)
        m_pool.append(new RedisConnection(m_url, this));
    m_subscriber = new RedisConnection(m_url, this);
    const QList<RedisConnection *> all = m_pool + QList<RedisConnection *>{m_subscriber};
    for (RedisConnection *connection : all)
        connect(connection, &RedisConnection::ready, this, &RedisClient::connectionReady);
    for (RedisConnection *connection : std::as_const(m_pool))
        connect(connection, &RedisConnection::failed, this, &RedisClient::connectionFailed);
    connect(m_subscriber, &RedisConnection::failed, this, &RedisClient::subscriberFailed);
    connect(m_subscriber, &RedisConnection::messageReceived, this, &RedisClient::messageReceived);
    if (!m_url.viaSentinel())
        return;
    m_sentinel = new SentinelWatcher(m_url.sentinels, m_url.masterName, this);
    connect(m_sentinel, &SentinelWatcher::masterFound, this,
            [this](const QString &host, quint16 port) {
                if (m_state == State::Connecting)
                    connectTo(host, port);
            });
    connect(m_sentinel, &SentinelWatcher::discoveryFailed, this, &RedisClient::connectionFailed);
    connect(m_sentinel, &SentinelWatcher::switched, this,
            [this](const QString &host, quint16 port) {
                followMaster(host, port, QStringLiteral("a sentinel announced a new master"));
            });
    // A master demoted under us answers writes with READONLY: ask the sentinels again. Queued:
    // the report comes from inside hiredis's callback.
    for (RedisConnection *connection : std::as_const(m_pool)) {
        connect(
            connection, &RedisConnection::readOnlyReply, this,
            [this] {
                if (m_state == State::Up)
                    connectionFailed(
                        QStringLiteral("%1 answered READONLY: it is a replica now").arg(server()));
            },
            Qt::QueuedConnection);
    }
}

RedisClient::~RedisClient() = default;

void RedisClient::start()
{
    connectAll();
}

void RedisClient::stop()
{
    m_linkCut = false;  // a start() after this connects
    m_retryTimer->stop();
    if (m_sentinel)
        m_sentinel->stop();
    const QList<RedisConnection *> all = m_pool + QList<RedisConnection *>{m_subscriber};
    for (RedisConnection *connection : all) {
        // Requests made while a connection was down wait, as posted events, to be answered
        // "not connected": drop them now, which answers them while their askers still exist.
        QCoreApplication::removePostedEvents(connection);
        connection->close();
    }
    setState(State::Down);
}

void RedisClient::setLinkCut(bool cut)
{
    if (cut == m_linkCut)
        return;
    m_linkCut = cut;
    if (!cut) {
        qCInfo(lcRedis).noquote() << "the link to Redis at" << m_url.redacted()
                                  << "is restored; reconnecting";
        m_retryDelay = kFirstRetry;
        connectAll();
        return;
    }
    ++m_round;  // an answer on its way belongs to the link that was cut
    m_retryTimer->stop();
    if (m_sentinel)
        m_sentinel->stop();
    for (RedisConnection *connection : std::as_const(m_pool))
        connection->close();
    m_subscriber->close();
    m_lastError = QStringLiteral("the link was cut on purpose (a demo fault)");
    qCWarning(lcRedis).noquote() << "the link to Redis at" << m_url.redacted()
                                 << "is cut on purpose (a demo fault) until it is restored";
    setState(State::Down);
}

void RedisClient::connectAll()
{
    if (m_linkCut)
        return;  // setLinkCut(false) reconnects
    ++m_round;
    m_readyCount = 0;
    setState(State::Connecting);
    if (m_sentinel)
        m_sentinel->discover();  // connectTo() the master it names
    else
        openAll();
}

void RedisClient::openAll()
{
    m_readyCount = 0;
    for (RedisConnection *connection : std::as_const(m_pool))
        connection->open();
    m_subscriber->open();
}

void RedisClient::connectTo(const QString &host, quint16 port)
{
    for (RedisConnection *connection : std::as_const(m_pool))
        connection->setServer(host, port);
    m_subscriber->setServer(host, port);
    openAll();
}

void RedisClient::followMaster(const QString &host, quint16 port, const QString &why)
{
    if (m_linkCut)
        return;  // asked again when the link is restored
    const QString target = RedisUrl::Endpoint{host, port}.text();
    if (target == server() && m_state != State::Down)
        return;  // there or on the way
    qCWarning(lcRedis).noquote() << "Redis Sentinel:" << why << "-" << target << "(was" << server()
                                 << "); the hub follows it";
    ++m_masterSwitches;
    ++m_round;
    m_retryTimer->stop();
    m_sentinel->cancelDiscovery();  // its answer may name the master just left
    m_retryDelay = kFirstRetry;
    for (RedisConnection *connection : std::as_const(m_pool))
        connection->close();
    m_subscriber->close();
    setState(State::Connecting);
    connectTo(host, port);
}

QString RedisClient::server() const
{
    const RedisUrl &url = m_subscriber->url();
    return url.host.isEmpty() ? QString() : RedisUrl::Endpoint{url.host, url.port}.text();
}

const RedisUrl &RedisClient::serverUrl() const
{
    return m_subscriber->url();
}

int RedisClient::sentinelCount() const
{
    return m_sentinel ? m_sentinel->sentinelCount() : 0;
}

int RedisClient::sentinelsAnswering() const
{
    return m_sentinel ? m_sentinel->answering() : 0;
}

void RedisClient::connectionReady()
{
    if (m_state != State::Connecting)
        return;
    if (++m_readyCount < m_pool.size() + 1)
        return;
    if (!m_sentinel) {
        goUp();
        return;
    }
    // The sentinels may name a master that has just been demoted (they learn of a failover a
    // moment after it): only a server that says it is the master will do.
    m_pool.front()->command(
        {QByteArrayLiteral("ROLE")}, this, [this, round = m_round](const RedisReply &reply) {
            if (m_state != State::Connecting || round != m_round)
                return;
            const bool master = reply.type == RedisReply::Type::Array && !reply.elements.isEmpty()
                                && reply.elements.front().text == "master";
            if (master)
                goUp();
            else
                connectionFailed(
                    QStringLiteral("%1 is not the master (ROLE: %2)")
                        .arg(server(), reply.isError()
                                           ? reply.errorText()
                                           : QString::fromUtf8(reply.elements.value(0).text)));
        });
}

void RedisClient::goUp()
{
    m_retryTimer->stop();  // a failure of an earlier round may have set it
    m_retryDelay = kFirstRetry;
    m_lastError.clear();
    if (!m_patterns.isEmpty())
        m_subscriber->psubscribe(m_patterns);
    const QString where = m_sentinel
                              ? QStringLiteral("%1 (master %2)").arg(m_url.redacted(), server())
                              : m_url.redacted();
    qCInfo(lcRedis).noquote() << "connected to" << where << "with" << m_pool.size()
                              << "command connection(s) and a subscriber";
    setState(State::Up);
    if (m_sentinel)
        m_sentinel->watch();
}

void RedisClient::connectionFailed(const QString &reason)
{
    if (m_retryTimer->isActive() || m_linkCut)
        return;  // the others of the same outage, or of the cut
    m_lastError = reason;
    for (RedisConnection *connection : std::as_const(m_pool))
        connection->close();
    m_subscriber->close();
    // 100 ms doubling to 30 s, each wait ±20 % so that hubs sharing one Redis do not all
    // knock at the same moment when it comes back.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const auto wait = std::chrono::milliseconds(qRound64(double(m_retryDelay.count()) * jitter));
    qCWarning(lcRedis).noquote() << "Redis at" << m_url.redacted() << "is unavailable (" << reason
                                 << "); retrying in" << wait.count() << "ms";
    m_retryTimer->start(wait);
    m_retryDelay = std::min(m_retryDelay * 2, kMaxRetry);
    setState(State::Down);
}

void RedisClient::subscriberFailed(const QString &reason)
{
    // A Redis that stops or goes away takes every connection with it. The subscriber alone
    // going, while the command connections still work, is Redis closing it: in practice a
    // burst that overflowed its output buffer (client-output-buffer-limit pubsub), which costs
    // the burst. Say so once per cut; otherwise the events are gone without a word. The pool's
    // sockets are looked at directly: a stopping Redis closes them too, and their end may be
    // queued behind this report.
    const bool poolStillUp
        = m_state == State::Up
          && std::all_of(m_pool.cbegin(), m_pool.cend(), [](const RedisConnection *connection) {
                 return connection->isStillOpen();
             });
    if (poolStillUp) {
        ++m_subscriberResets;
        qCWarning(lcRedis).noquote()
            << "Redis at" << m_url.redacted() << "closed the subscriber connection (" << reason
            << ") while the command connections stayed up, most likely because a burst went "
               "over its client-output-buffer-limit for pubsub: events published on Redis until "
               "the hub is subscribed again are lost";
    }
    connectionFailed(reason);
}

void RedisClient::setState(State state)
{
    if (m_state == state)
        return;
    if (state == State::Up && m_wasUp)
        ++m_reconnects;
    if (state == State::Up)
        m_wasUp = true;
    m_state = state;
    emit stateChanged(state);
}

void RedisClient::command(const QList<QByteArray> &arguments, QObject *context,
                          RedisConnection::Callback done)
{
    // A connection that is not ready answers with a connection error by itself.
    RedisConnection *connection = m_pool[m_next];
    m_next = (m_next + 1) % m_pool.size();
    connection->command(arguments, context, std::move(done));
}

void RedisClient::commandInOrder(const QList<QByteArray> &arguments, QObject *context,
                                 RedisConnection::Callback done)
{
    m_pool.front()->command(arguments, context, std::move(done));
}

void RedisClient::psubscribe(const QList<QByteArray> &patterns)
{
    m_patterns += patterns;
    if (m_state == State::Up)
        m_subscriber->psubscribe(patterns);
}

}  // namespace kucun
