#pragma once

#include "redisconnection.h"

#include <QList>
#include <QObject>

#include <chrono>

class QTimer;

namespace kucun {

class SentinelWatcher;

// Redis as the hub uses it (SPEC §4): a pool of `poolSize` command connections plus one
// subscriber connection, one state for all of them, and reconnection with exponential backoff
// (100 ms doubling to 30 s, ±20 % jitter). Any connection failing takes the client Down; it then
// reconnects all of them and, on the subscriber, subscribes again to every pattern it was given.
//
// Through Redis Sentinel (a redis+sentinel:// URL) each connection round first asks the
// sentinels for the master and checks it with ROLE before going Up; a `+switch-master` from a
// sentinel, or a READONLY reply, moves the pool and the subscriber together to the new master at
// once. Lives in the engine thread.
class RedisClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Up, Down };
    Q_ENUM(State)

    static constexpr std::chrono::milliseconds kFirstRetry{100};
    static constexpr std::chrono::milliseconds kMaxRetry{30000};

    RedisClient(RedisUrl url, int poolSize, QObject *parent = nullptr);
    ~RedisClient() override;

    void start();
    // Closes every connection and reconnects no more: each request still waiting for Redis (on
    // the wire, or queued to be told the connection is down) is answered with a connection
    // error now, while its asker is still there, and later ones at once. For an orderly shutdown;
    // the client stays usable for start() (a cut link included: it is lifted).
    void stop();
    State state() const { return m_state; }
    // A demo fault (SPEC §14): as if the network between the hub and Redis went away. The pool
    // and the subscriber close (what waits for Redis is answered with a connection error) and
    // the client stays Down, reconnecting no more, until the cut is lifted; then it reconnects
    // at once.
    void setLinkCut(bool cut);
    bool linkCut() const { return m_linkCut; }
    QString lastError() const { return m_lastError; }
    const RedisUrl &url() const { return m_url; }

    // Round-robin over the pool; when the client is not Up the callback gets a connection error
    // (later, never inside command()).
    void command(const QList<QByteArray> &arguments, QObject *context,
                 RedisConnection::Callback done);
    // Always on the first connection of the pool: what is sent through here reaches Redis in
    // the order it was sent. Round-robin commands may not, since each connection writes its
    // own buffer when its socket is ready: a batch of PUBLISHes spread over three connections
    // reached Redis as 0, 3, 6, …, 1, 4, …, and Redis delivers messages in the order it runs
    // the PUBLISHes. Same failure rules as command().
    void commandInOrder(const QList<QByteArray> &arguments, QObject *context,
                        RedisConnection::Callback done);
    // Remembered: applied now when Up and again after every reconnect.
    void psubscribe(const QList<QByteArray> &patterns);

    // The delay before the next reconnection attempt, for tests and the GUI.
    std::chrono::milliseconds nextRetryDelay() const { return m_retryDelay; }
    // How often Redis closed the subscriber while the command connections stayed up: what
    // Redis does when a burst overflows its client-output-buffer-limit for pubsub. Whatever
    // was published until the subscriber was back is lost.
    qint64 subscriberResets() const { return m_subscriberResets; }
    // Times the client came back Up after it had been Up before.
    qint64 reconnects() const { return m_reconnects; }
    // host:port of the server connected to (or being connected to); through Sentinel, the
    // master it named; empty before the sentinels answered.
    QString server() const;
    // The URL naming that server, for a connection of one's own to it (the event stream's).
    const RedisUrl &serverUrl() const;
    // Through Sentinel: how many sentinels there are and how many answered when last asked;
    // 0 and 0 without.
    int sentinelCount() const;
    int sentinelsAnswering() const;
    // Times the client followed a failover to a new master.
    qint64 masterSwitches() const { return m_masterSwitches; }

signals:
    void stateChanged(kucun::RedisClient::State state);
    void messageReceived(const QByteArray &pattern, const QByteArray &channel,
                         const QByteArray &payload);

private:
    void connectAll();
    void openAll();
    void connectTo(const QString &host, quint16 port);
    void followMaster(const QString &host, quint16 port, const QString &why);
    void connectionReady();
    void goUp();
    void connectionFailed(const QString &reason);
    void subscriberFailed(const QString &reason);
    void setState(State state);

    const RedisUrl m_url;
    SentinelWatcher *m_sentinel = nullptr;  // through Sentinel only
    int m_round = 0;  // connection rounds: an answer of an earlier one changes nothing
    qint64 m_masterSwitches = 0;
    bool m_wasUp = false;
    bool m_linkCut = false;
    qint64 m_reconnects = 0;
    QList<RedisConnection *> m_pool;
    RedisConnection *m_subscriber = nullptr;
    QList<QByteArray> m_patterns;
    QTimer *m_retryTimer = nullptr;
    State m_state = State::Down;
    QString m_lastError;
    std::chrono::milliseconds m_retryDelay = kFirstRetry;
    int m_readyCount = 0;
    qint64 m_subscriberResets = 0;
    int m_next = 0;
};

}  // namespace kucun
