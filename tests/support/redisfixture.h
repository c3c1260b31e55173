#pragma once

#include "cache/redisstore.h"
#include "redis/redisclient.h"
#include "support/redisserver.h"

#include <QSignalSpy>
#include <QThread>

#include <memory>

namespace kucun::test {

// A redis-server, and a RedisClient with a RedisStore living in a thread of their own, as in
// the hub (the engine thread), so that a test may block on the store's futures.
class RedisFixture
{
public:
    explicit RedisFixture(int poolSize = 2)
        : m_poolSize(poolSize)
    {
    }
    ~RedisFixture() { stop(); }

    // Starts the server and connects; false when either did not happen within 10 s.
    bool start()
    {
        if (!server.start())
            return false;
        m_thread = std::make_unique<QThread>();
        m_thread->start();
        client = new RedisClient(*RedisUrl::parse(server.url()).url, m_poolSize);
        client->moveToThread(m_thread.get());
        store = new RedisStore(*client);
        store->moveToThread(m_thread.get());
        QSignalSpy up(client, &RedisClient::stateChanged);
        QMetaObject::invokeMethod(client, &RedisClient::start, Qt::QueuedConnection);
        return waitFor(RedisClient::State::Up);
    }

    bool waitFor(RedisClient::State state, int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (clientState() == state)
                return true;
            QThread::msleep(10);
        }
        return false;
    }

    RedisClient::State clientState()
    {
        RedisClient::State state = RedisClient::State::Down;
        QMetaObject::invokeMethod(
            client, [this, &state] { state = client->state(); }, Qt::BlockingQueuedConnection);
        return state;
    }

    void stop()
    {
        if (!m_thread)
            return;
        // Deleted in their own thread, the store before the client it uses.
        QMetaObject::invokeMethod(
            client,
            [this] {
                delete store;
                delete client;
            },
            Qt::BlockingQueuedConnection);
        store = nullptr;
        client = nullptr;
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }

    RedisServer server;
    RedisClient *client = nullptr;
    RedisStore *store = nullptr;

private:
    int m_poolSize;
    std::unique_ptr<QThread> m_thread;
};

}  // namespace kucun::test
