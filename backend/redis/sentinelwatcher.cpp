#include "sentinelwatcher.h"

#include "redisconnection.h"

#include <QLoggingCategory>
#include <QTimer>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace {

RedisUrl sentinelUrl(const RedisUrl::Endpoint &sentinel)
{
    RedisUrl url;
    url.host = sentinel.host;
    url.port = sentinel.port;
    return url;
}

}  // namespace

SentinelWatcher::SentinelWatcher(QList<RedisUrl::Endpoint> sentinels, QString masterName,
                                 QObject *parent)
    : QObject(parent)
    , m_sentinels(std::move(sentinels))
    , m_masterName(std::move(masterName))
    , m_watchRetry(new QTimer(this))
{
    for (const RedisUrl::Endpoint &sentinel : m_sentinels)
        m_askers.append(new RedisConnection(sentinelUrl(sentinel), this));
    m_watchRetry->setSingleShot(true);
    m_watchRetry->setInterval(kWatchRetry);
    connect(m_watchRetry, &QTimer::timeout, this, &SentinelWatcher::watchNext);
}

SentinelWatcher::~SentinelWatcher() = default;

void SentinelWatcher::discover()
{
    const int round = ++m_round;
    m_pending = int(m_askers.size());
    m_answering = 0;
    m_found = false;
    m_lastError.clear();
    for (int i = 0; i < m_askers.size(); ++i) {
        RedisConnection *asker = m_askers[i];
        asker->disconnect(this);
        connect(asker, &RedisConnection::ready, this, [this, asker, round, i] {
            asker->command(
                {QByteArrayLiteral("SENTINEL"), QByteArrayLiteral("get-master-addr-by-name"),
                 m_masterName.toUtf8()},
                this, [this, round, i](const RedisReply &reply) {
                    const bool named
                        = reply.type == RedisReply::Type::Array && reply.elements.size() == 2;
                    bool portOk = false;
                    const uint port = named ? reply.elements[1].text.toUInt(&portOk) : 0;
                    if (named && portOk && port > 0 && port <= 65535) {
                        answered(round, i, QString::fromUtf8(reply.elements[0].text), quint16(port),
                                 {});
                    } else {
                        answered(round, i, {}, 0,
                                 reply.isError()
                                     ? reply.errorText()
                                     : QStringLiteral("it knows no master '%1'").arg(m_masterName));
                    }
                });
        });
        connect(asker, &RedisConnection::failed, this,
                [this, round, i](const QString &reason) { answered(round, i, {}, 0, reason); });
        asker->open(kAskTimeout);
    }
}

void SentinelWatcher::answered(int round, int index, const QString &host, quint16 port,
                               const QString &error)
{
    if (round != m_round || m_pending == 0)
        return;  // an earlier round's, or this sentinel failed after it answered
    --m_pending;
    // The question is answered: the connection is not kept (asked again at the next outage).
    QMetaObject::invokeMethod(
        m_askers[index],
        [this, round, index] {
            if (round == m_round)
                m_askers[index]->close();
        },
        Qt::QueuedConnection);
    if (error.isEmpty()) {
        ++m_answering;
        if (!m_found) {
            m_found = true;
            m_watchIndex = index;  // watch one that answers
            emit masterFound(host, port);
        }
    } else {
        m_lastError = QStringLiteral("sentinel %1: %2").arg(m_sentinels[index].text(), error);
        qCInfo(lcRedis).noquote() << m_lastError;
    }
    if (m_pending == 0 && !m_found) {
        emit discoveryFailed(QStringLiteral("no sentinel named the master '%1' (%2)")
                                 .arg(m_masterName, m_lastError));
    }
}

void SentinelWatcher::cancelDiscovery()
{
    ++m_round;
    m_pending = 0;
}

void SentinelWatcher::watch()
{
    if (m_watching)
        return;
    m_watching = true;
    watchNext();
}

void SentinelWatcher::watchNext()
{
    if (!m_watching)
        return;
    delete m_watch;
    const RedisUrl::Endpoint sentinel = m_sentinels[m_watchIndex % m_sentinels.size()];
    m_watch = new RedisConnection(sentinelUrl(sentinel), this);
    connect(m_watch, &RedisConnection::ready, this,
            [this] { m_watch->psubscribe({QByteArrayLiteral("+switch-master")}); });
    connect(m_watch, &RedisConnection::failed, this, [this] {
        // Another sentinel, a moment later: this one may be the one that went down.
        m_watchIndex = (m_watchIndex + 1) % int(m_sentinels.size());
        m_watchRetry->start();
    });
    connect(m_watch, &RedisConnection::messageReceived, this,
            [this](const QByteArray &, const QByteArray &, const QByteArray &payload) {
                // "<master-name> <old-ip> <old-port> <new-ip> <new-port>"
                const QList<QByteArray> fields = payload.split(' ');
                if (fields.size() != 5 || QString::fromUtf8(fields[0]) != m_masterName)
                    return;
                bool ok = false;
                const uint port = fields[4].toUInt(&ok);
                if (!ok || port == 0 || port > 65535)
                    return;
                emit switched(QString::fromUtf8(fields[3]), quint16(port));
            });
    m_watch->open(kAskTimeout);
}

void SentinelWatcher::stop()
{
    m_watching = false;
    m_watchRetry->stop();
    ++m_round;
    m_pending = 0;
    delete m_watch;
    m_watch = nullptr;
    for (RedisConnection *asker : std::as_const(m_askers))
        asker->close();
}

}  // namespace kucun
