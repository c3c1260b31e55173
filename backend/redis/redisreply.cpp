#include "redisreply.h"

#include <hiredis/hiredis.h>

namespace kucun {

namespace {

constexpr int kMaxDepth = 32;  // Redis never nests this deep; a garbage reply might

RedisReply copyAt(const redisReply *reply, int depth)
{
    RedisReply copy;
    switch (reply->type) {
    case REDIS_REPLY_NIL:
        copy.type = RedisReply::Type::Nil;
        break;
    case REDIS_REPLY_INTEGER:
        copy.type = RedisReply::Type::Integer;
        copy.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        copy.type = reply->type == REDIS_REPLY_STRING   ? RedisReply::Type::String
                    : reply->type == REDIS_REPLY_STATUS ? RedisReply::Type::Status
                                                        : RedisReply::Type::Error;
        copy.text = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        if (depth >= kMaxDepth)
            return RedisReply::error(QStringLiteral("reply nested too deeply"));
        copy.type = RedisReply::Type::Array;
        copy.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            copy.elements.append(copyAt(reply->element[i], depth + 1));
        break;
    default:
        return RedisReply::error(QStringLiteral("unknown reply type %1").arg(reply->type));
    }
    return copy;
}

}  // namespace

RedisReply RedisReply::copyOf(const redisReply *reply)
{
    return reply ? copyAt(reply, 0) : error(QStringLiteral("connection closed"), true);
}

RedisReply RedisReply::error(const QString &message, bool isConnectionError)
{
    RedisReply reply;
    reply.type = Type::Error;
    reply.text = message.toUtf8();
    reply.connectionError = isConnectionError;
    return reply;
}

RedisReply RedisReply::integerReply(qint64 value)
{
    RedisReply reply;
    reply.type = Type::Integer;
    reply.integer = value;
    return reply;
}

}  // namespace kucun
