#pragma once

#include "cache/memorystore.h"
#include "resp/respserver.h"

#include <QSemaphore>
#include <QThread>

#include <functional>

namespace kucun::test {

// A RespServer in a thread of its own (as in the hub, where it lives in the engine thread), so
// that a test's blocking clients (RespClient) can talk to it.
class RunningRespServer
{
public:
    explicit RunningRespServer(RespServer::Options options)
        : m_store(MemoryStore::Options{size_t(64) << 20, 4, Millis(100)})
    {
        if (!options.store)
            options.store = &m_store;
        m_anchor.moveToThread(&m_thread);
        m_thread.start();
        run([&] {
            m_server = new RespServer(options);
            m_failure = m_server->listen();
        });
    }
    ~RunningRespServer()
    {
        run([this] {
            delete m_server;
            m_anchor.moveToThread(m_home);  // back, to be destroyed where it was made
        });
        m_thread.quit();
        m_thread.wait();
    }
    bool listening() const { return !m_failure; }
    quint16 port() const { return quint16(m_server->serverUrl().port()); }
    // Runs `work` in the server's thread and waits for it.
    void run(const std::function<void()> &work)
    {
        QSemaphore done;
        QMetaObject::invokeMethod(
            &m_anchor,
            [&] {
                work();
                done.release();
            },
            Qt::QueuedConnection);
        done.acquire();
    }
    RespServer &server() { return *m_server; }
    MemoryStore &ownStore() { return m_store; }  // the store it serves unless given one

private:
    MemoryStore m_store;  // the engine's keys, unless the test brings its own
    QThread *const m_home = QThread::currentThread();
    QThread m_thread;
    QObject m_anchor;
    RespServer *m_server = nullptr;
    std::optional<QString> m_failure;
};

}  // namespace kucun::test
