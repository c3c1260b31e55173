#pragma once

#include "support/redisserver.h"
#include "support/respclient.h"
#include "support/runningrespserver.h"

#include <QSet>
#include <QTest>

#include <hiredis/hiredis.h>
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

// Commands written as lines of words ("SET k v"), sent to both servers from an empty database
// and compared reply by reply.
inline void compareCommandLines(const RedisAndFront &servers, const QList<QByteArray> &lines)
{
    QList<QByteArray> requests{RespClient::encode({"FLUSHDB"})};
    for (const QByteArray &line : lines)
        requests.append(RespClient::encode(line.split(' ')));
    compareReplies(servers.front->port(), servers.redis->port(), requests);
}

using ReplyPointer = std::unique_ptr<redisReply, void (*)(void *)>;

// One reply's bytes read back into hiredis's form; null when they are not one whole reply.
inline ReplyPointer parseReply(const QByteArray &bytes)
{
    std::unique_ptr<redisReader, void (*)(redisReader *)> reader(redisReaderCreate(),
                                                                 redisReaderFree);
    redisReaderFeed(reader.get(), bytes.constData(), size_t(bytes.size()));
    void *parsed = nullptr;
    if (redisReaderGetReply(reader.get(), &parsed) != REDIS_OK)
        parsed = nullptr;
    return ReplyPointer(static_cast<redisReply *>(parsed), freeReplyObject);
}

inline QByteArray replyText(const redisReply *reply)
{
    return QByteArray(reply->str, qsizetype(reply->len));
}

// The elements of an array reply (KEYS, SMEMBERS), or of a SCAN-style reply's second element
// over a full iteration, the cursor being the request's argument `cursorAt` (-1: none). Since
// each server has its own order, tests compare these as sets.
inline QSet<QByteArray> elementsOf(RespClient &client, QList<QByteArray> request, int cursorAt)
{
    QSet<QByteArray> found;
    QByteArray cursor = "0";
    for (int round = 0; round < 10000; ++round) {  // bounded, whatever a cursor does
        if (cursorAt >= 0)
            request[cursorAt] = cursor;
        const ReplyPointer reply = parseReply(client.command(request));
        if (!reply || reply->type != REDIS_REPLY_ARRAY)
            return {"(not an array)"};
        const redisReply *items = reply.get();
        if (cursorAt >= 0) {
            cursor = replyText(reply->element[0]);
            items = reply->element[1];
        }
        for (size_t i = 0; i < items->elements; ++i)
            found.insert(replyText(items->element[i]));
        if (cursorAt < 0 || cursor == "0")
            break;
    }
    return found;
}

}  // namespace kucun::test
