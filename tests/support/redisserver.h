#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace kucun::test {

// A private redis-server for one test: loopback only, a free port, no persistence, its own
// folder. Stopped (and its folder removed) when destroyed. Every wait is bounded.
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArguments = {});
    ~RedisServer();

    // Starts the server; false (with a warning) when it did not come up within 10 s.
    bool start();
    // Kills it the hard way, as a crash or a pulled cable would.
    void kill();
    // Starts it again on the same port.
    bool restart() { return start(); }

    quint16 port() const { return m_port; }
    QString url() const;
    // Runs redis-cli against this server and returns its stdout (trimmed).
    QString cli(const QStringList &arguments) const;

private:
    bool waitUntilAnswering() const;

    QStringList m_extraArguments;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

// A free loopback TCP port (bound and released: good enough for a test).
quint16 freeLoopbackPort();

// Runs redis-cli against 127.0.0.1:`port` (any server speaking the protocol) and returns its
// stdout, trimmed; `input` goes to its stdin (for -x and interactive-style use).
QString redisCli(quint16 port, const QStringList &arguments, const QByteArray &input = {});

}  // namespace kucun::test
