#pragma once

#include "support/redisserver.h"
#include "support/respclient.h"
#include "support/runningrespserver.h"

#include <QTest>

#include <memory>

namespace kucun::test {

// A private redis-server with one database (as the front has) and a Redis-protocol front, side
// by side, for tests that send both the same requests and compare the replies byte for byte.
struct RedisAndFront
{
    std::unique_ptr<RedisServer> redis;
    std::unique_ptr<RunningRespServer> front;

    bool start(QStringList redisArguments = {}, RespServer::Options options = {})
    {
        redis = std::make_unique<RedisServer>(QStringList{"--databases", "1"} + redisArguments);
        if (!redis->start())
            return false;
        front = std::make_unique<RunningRespServer>(options);
        return front->listening();
    }
    void stop()
    {
        front.reset();
        redis.reset();
    }
};

// Sends each request (RESP or inline bytes, as sent) on one new connection to each server and
// compares the replies; a failed comparison fails the running test.
inline void compareReplies(quint16 front, quint16 redis, const QList<QByteArray> &requests)
{
    RespClient ours;
    RespClient theirs;
    QVERIFY(ours.connectTo(front));
    QVERIFY(theirs.connectTo(redis));
    for (const QByteArray &request : requests) {
        const QByteArray expected = theirs.send(request);
        QVERIFY2(!expected.isEmpty(), request.left(200).constData());
        QCOMPARE(ours.send(request), expected);
    }
}

}  // namespace kucun::test
