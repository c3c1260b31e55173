#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

struct redisReply;

namespace kucun {

// A Redis reply copied out of hiredis (which frees its own as soon as the callback returns).
// Connection problems are errors too, with `connectionError` set, so callers have one error
// path for "Redis said no" and "Redis was not there".
struct RedisReply
{
    enum class Type { Nil, Integer, String, Status, Error, Array };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray text;  // String, Status and Error
    QList<RedisReply> elements;
    bool connectionError = false;

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    QString errorText() const { return QString::fromUtf8(text); }

    static RedisReply copyOf(const redisReply *reply);
    static RedisReply error(const QString &message, bool connectionError = false);
    static RedisReply integerReply(qint64 value);
};

}  // namespace kucun
