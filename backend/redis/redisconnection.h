#pragma once

#include "redisreply.h"
#include "redisurl.h"

#include <QObject>

#include <chrono>
#include <functional>

struct redisAsyncContext;
class QTimer;

namespace kucun {

class RedisQtAdapter;

// One hiredis async connection, driven by the event loop of the thread it lives in (the engine
// thread). Connecting resolves the host without blocking, then sends AUTH and SELECT from the URL
// and a PING; `ready()` follows the PONG. Any failure — refused, timed out, wrong password, not a
// Redis server, connection lost, a server that stops answering — ends in one `failed(reason)`,
// after which every pending command has been answered with an error. The object can then be
// opened again.
//
// Replies are copied into RedisReply inside hiredis's callback and handed to the caller's
// callback, which is skipped if its context object has been destroyed meanwhile.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const RedisReply &)>;

    static constexpr std::chrono::milliseconds kDefaultConnectTimeout{2000};
    // A connection with commands in flight and no reply for this long is considered dead.
    static constexpr std::chrono::milliseconds kReplyTimeout{5000};

    explicit RedisConnection(RedisUrl url, QObject *parent = nullptr);
    ~RedisConnection() override;

    void open(std::chrono::milliseconds connectTimeout = kDefaultConnectTimeout);
    void close();
    bool isReady() const { return m_state == State::Ready; }
    // Ready, and its socket has not been closed by the server in a way not handled yet (looked
    // at now, without waiting for the event loop to report it).
    bool isStillOpen() const;
    const RedisUrl &url() const { return m_url; }
    // Where the next open() connects (the master a Redis Sentinel named).
    void setServer(const QString &host, quint16 port);

    // Queues a command. `done` runs later in this thread — never inside command() — unless
    // `context` is gone by then. On a connection that is not open it gets an error.
    void command(const QList<QByteArray> &arguments, QObject *context, Callback done);
    // Puts the connection in subscriber mode for these glob patterns; messages then arrive
    // through messageReceived(). Only after ready().
    void psubscribe(const QList<QByteArray> &patterns);

signals:
    void ready();
    void failed(const QString &reason);
    void messageReceived(const QByteArray &pattern, const QByteArray &channel,
                         const QByteArray &payload);
    // The server answered READONLY: it is a replica now (a failover demoted it). Emitted from
    // inside hiredis's callback: a receiver must not close the connection there and then.
    void readOnlyReply();

private:
    enum class State { Closed, Resolving, Connecting, Ready };

    struct Pending;
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onSubscription(redisAsyncContext *context, void *reply, void *privdata);

    void connectTo(const QString &address);
    void handshake();
    void fail(const QString &reason);
    void commandFinished();
    void send(const QList<QByteArray> &arguments, QObject *context, Callback done);

    RedisUrl m_url;
    State m_state = State::Closed;
    redisAsyncContext *m_context = nullptr;  // owned; hiredis frees it itself after onDisconnect
    RedisQtAdapter *m_adapter = nullptr;
    QTimer *m_connectTimer = nullptr;
    QTimer *m_replyTimer = nullptr;
    int m_inFlight = 0;
    int m_generation = 0;  // tells callbacks of an earlier connection from the current one
};

}  // namespace kucun
