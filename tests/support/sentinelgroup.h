#pragma once

// A Redis Sentinel setup for one test (SPEC §4, §10): a master, a replica of it and three
// sentinels watching it as "mymaster", all on free loopback ports in their own folders, killed
// with the test. Every wait is bounded.

#include "redisserver.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace kucun::test {

class SentinelGroup
{
public:
    static constexpr int kDownAfterMs = 1000;  // sentinel's down-after-milliseconds

    explicit SentinelGroup(int sentinelCount = 3);
    ~SentinelGroup();

    // Starts everything and waits (up to 30 s) until every sentinel knows the replica and the
    // other sentinels, so that a failover can happen; false with a warning otherwise.
    bool start();

    // redis+sentinel://127.0.0.1:<p1>,…/mymaster
    QString url() const;
    quint16 sentinelPort(int index) const { return m_sentinelPorts[size_t(index)]; }
    // The master's port as the first sentinel that answers names it (0: none does).
    quint16 masterPort() const;
    // The server on `port` (the master or the replica, whichever it is now).
    RedisServer &serverOn(quint16 port);
    RedisServer &master() { return *m_master; }
    RedisServer &replica() { return *m_replica; }
    // Kills the sentinel process (a sentinel host going away).
    void killSentinel(int index);

private:
    bool startSentinel(int index);
    bool ready() const;

    std::unique_ptr<RedisServer> m_master;
    std::unique_ptr<RedisServer> m_replica;
    std::vector<quint16> m_sentinelPorts;
    std::vector<std::unique_ptr<QProcess>> m_sentinels;
    QTemporaryDir m_dir;
};

}  // namespace kucun::test
