#include "redisconnection.h"

#include "redisqtadapter.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QVarLengthArray>

#include <cerrno>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <vector>

namespace kucun {

Q_LOGGING_CATEGORY(lcRedis, "kucun.redis")

struct RedisConnection::Pending
{
    RedisConnection *owner;
    int generation;
    QPointer<QObject> context;
    Callback done;
};

RedisConnection::RedisConnection(RedisUrl url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_connectTimer(new QTimer(this))
    , m_replyTimer(new QTimer(this))
{
    m_connectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("no connection within the timeout")); });
    m_replyTimer->setSingleShot(true);
    m_replyTimer->setInterval(kReplyTimeout);
    connect(m_replyTimer, &QTimer::timeout, this,
            [this] { fail(QStringLiteral("the server stopped answering")); });
}

RedisConnection::~RedisConnection()
{
    // Pending callbacks still run (with a connection error), but nothing is emitted any more.
    blockSignals(true);
    close();
}

void RedisConnection::setServer(const QString &host, quint16 port)
{
    m_url.host = host;
    m_url.port = port;
}

void RedisConnection::open(std::chrono::milliseconds connectTimeout)
{
    close();
    ++m_generation;
    m_connectTimer->start(connectTimeout);
    QHostAddress literal;
    if (literal.setAddress(m_url.host)) {
        connectTo(literal.toString());
        return;
    }
    // hiredis would resolve with a blocking getaddrinfo(); resolve here without blocking.
    m_state = State::Resolving;
    const int generation = m_generation;
    QHostInfo::lookupHost(m_url.host, this, [this, generation](const QHostInfo &info) {
        if (generation != m_generation || m_state != State::Resolving)
            return;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            fail(QStringLiteral("cannot resolve %1: %2").arg(m_url.host, info.errorString()));
            return;
        }
        connectTo(info.addresses().constFirst().toString());
    });
}

void RedisConnection::connectTo(const QString &address)
{
    m_state = State::Connecting;
    m_context = redisAsyncConnect(address.toLatin1().constData(), m_url.port);
    if (!m_context) {
        fail(QStringLiteral("out of memory"));
        return;
    }
    if (m_context->err) {
        const QString reason = QString::fromLocal8Bit(m_context->errstr);
        redisAsyncFree(m_context);
        m_context = nullptr;
        fail(reason);
        return;
    }
    m_context->data = this;
    delete m_adapter;
    m_adapter = new RedisQtAdapter(m_context, this);
    redisAsyncSetConnectCallback(m_context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(m_context, &RedisConnection::onDisconnect);
    handshake();
}

void RedisConnection::handshake()
{
    // Queued before the TCP connection completes; hiredis writes them once it does.
    if (!m_url.password.isEmpty()) {
        QList<QByteArray> auth{QByteArrayLiteral("AUTH")};
        if (!m_url.user.isEmpty())
            auth << m_url.user.toUtf8();
        auth << m_url.password.toUtf8();
        send(auth, this, [this](const RedisReply &reply) {
            if (reply.isError() && !reply.connectionError)
                fail(QStringLiteral("authentication failed: %1").arg(reply.errorText()));
        });
    }
    if (m_url.database != 0) {
        send({QByteArrayLiteral("SELECT"), QByteArray::number(m_url.database)}, this,
             [this](const RedisReply &reply) {
                 if (reply.isError() && !reply.connectionError)
                     fail(QStringLiteral("cannot select database %1: %2")
                              .arg(m_url.database)
                              .arg(reply.errorText()));
             });
    }
    send({QByteArrayLiteral("PING")}, this, [this](const RedisReply &reply) {
        if (m_state != State::Connecting)
            return;  // failed already
        if (reply.type != RedisReply::Type::Status || reply.text != "PONG") {
            fail(reply.isError() ? reply.errorText()
                                 : QStringLiteral("the server does not answer like Redis"));
            return;
        }
        m_connectTimer->stop();
        m_state = State::Ready;
        emit ready();
    });
}

void RedisConnection::close()
{
    m_connectTimer->stop();
    m_replyTimer->stop();
    m_state = State::Closed;
    if (redisAsyncContext *context = m_context) {
        m_context = nullptr;
        context->data = nullptr;  // its disconnect callback must not find us
        redisAsyncFree(context);  // answers every pending command with a connection error
    }
}

void RedisConnection::fail(const QString &reason)
{
    if (m_state == State::Closed && !m_context)
        return;  // failed once already
    close();
    qCInfo(lcRedis).noquote() << "connection to" << m_url.redacted() << "failed:" << reason;
    // Later: the receiver may want to delete or reopen us, which it must not do from inside a
    // hiredis callback. Not at all once reopened meanwhile: the failure was the old
    // connection's (a client that moved to a new master).
    QMetaObject::invokeMethod(
        this,
        [this, reason, generation = m_generation] {
            if (generation == m_generation)
                emit failed(reason);
        },
        Qt::QueuedConnection);
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || status == REDIS_OK)
        return;
    // hiredis frees the context after this callback.
    const QString reason = QString::fromLocal8Bit(context->errstr);
    self->m_context = nullptr;
    self->fail(reason);
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    const QString reason = status == REDIS_OK ? QStringLiteral("connection closed")
                                              : QString::fromLocal8Bit(context->errstr);
    self->m_context = nullptr;  // hiredis frees it after this callback
    self->fail(reason);
}

void RedisConnection::send(const QList<QByteArray> &arguments, QObject *context, Callback done)
{
    QVarLengthArray<const char *, 8> argv;
    QVarLengthArray<size_t, 8> lengths;
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    auto *pending = new Pending{this, m_generation, context, std::move(done)};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending, int(argv.size()),
                              argv.data(), lengths.data())
        != REDIS_OK) {
        Pending owned = std::move(*pending);
        delete pending;
        QMetaObject::invokeMethod(
            this,
            [owned = std::move(owned)] {
                if (owned.context)
                    owned.done(RedisReply::error(QStringLiteral("connection closed"), true));
            },
            Qt::QueuedConnection);
        return;
    }
    if (m_inFlight++ == 0)
        m_replyTimer->start();
}

void RedisConnection::command(const QList<QByteArray> &arguments, QObject *context, Callback done)
{
    if (!isReady() || !m_context) {
        QMetaObject::invokeMethod(
            this,
            [context = QPointer<QObject>(context), done = std::move(done)] {
                if (context)
                    done(RedisReply::error(QStringLiteral("not connected to Redis"), true));
            },
            Qt::QueuedConnection);
        return;
    }
    send(arguments, context, std::move(done));
}

void RedisConnection::commandFinished()
{
    if (--m_inFlight <= 0) {
        m_inFlight = 0;
        m_replyTimer->stop();
    } else {
        m_replyTimer->start();  // progress: the server is alive
    }
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *pending = static_cast<Pending *>(privdata);
    // No reply: the connection is going away; say why when hiredis knows (protocol error, …).
    const RedisReply copy = reply || !context || context->errstr[0] == '\0'
                                ? RedisReply::copyOf(static_cast<redisReply *>(reply))
                                : RedisReply::error(QString::fromLocal8Bit(context->errstr), true);
    if (pending->owner->m_generation == pending->generation) {
        pending->owner->commandFinished();
        if (copy.isError() && copy.text.startsWith("READONLY"))
            emit pending->owner->readOnlyReply();
    }
    if (pending->context)
        pending->done(copy);
    delete pending;
}

void RedisConnection::psubscribe(const QList<QByteArray> &patterns)
{
    if (!isReady() || !m_context || patterns.isEmpty())
        return;
    std::vector<const char *> argv{"PSUBSCRIBE"};
    std::vector<size_t> lengths{10};
    for (const QByteArray &pattern : patterns) {
        argv.push_back(pattern.constData());
        lengths.push_back(size_t(pattern.size()));
    }
    // The callback stays registered for every message on these patterns; `this` is its data.
    redisAsyncCommandArgv(m_context, &RedisConnection::onSubscription, this, int(argv.size()),
                          argv.data(), lengths.data());
}

void RedisConnection::onSubscription(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || !reply)
        return;  // the connection is going away
    const RedisReply copy = RedisReply::copyOf(static_cast<redisReply *>(reply));
    if (copy.type == RedisReply::Type::Array && copy.elements.size() == 4
        && copy.elements[0].text == "pmessage") {
        emit self->messageReceived(copy.elements[1].text, copy.elements[2].text,
                                   copy.elements[3].text);
    }
}

bool RedisConnection::isStillOpen() const
{
    if (!isReady() || !m_context)
        return false;
    // A closed peer leaves an end-of-file (recv gives 0) or an error in the socket's queue;
    // anything else (a reply not read yet, nothing at all) means it is still there.
    char byte = 0;
    const ssize_t peeked = ::recv(m_context->c.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked > 0 || (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

}  // namespace kucun
