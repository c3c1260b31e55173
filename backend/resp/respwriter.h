#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kucun::resp {

// RESP2 replies, appended to a connection's output: what Redis 7 writes for each type.

inline void appendSimple(QByteArray &out, QByteArrayView text)
{
    out.append('+').append(text).append("\r\n");
}

// `text` begins with the error's code ("ERR …", "WRONGTYPE …"). A line break in it would end the
// reply early: Redis turns them into spaces, and so does this.
inline void appendError(QByteArray &out, QByteArrayView text)
{
    const qsizetype start = out.size();
    out.append('-').append(text);
    for (qsizetype i = start + 1; i < out.size(); ++i) {
        if (out[i] == '\r' || out[i] == '\n')
            out[i] = ' ';
    }
    out.append("\r\n");
}

inline void appendInteger(QByteArray &out, qint64 value)
{
    out.append(':').append(QByteArray::number(value)).append("\r\n");
}

inline void appendBulk(QByteArray &out, QByteArrayView value)
{
    out.append('$').append(QByteArray::number(value.size())).append("\r\n");
    out.append(value).append("\r\n");
}

inline void appendNullBulk(QByteArray &out)
{
    out.append("$-1\r\n");
}

inline void appendArrayHeader(QByteArray &out, qint64 count)
{
    out.append('*').append(QByteArray::number(count)).append("\r\n");
}

inline void appendNullArray(QByteArray &out)
{
    out.append("*-1\r\n");
}

inline void appendOk(QByteArray &out)
{
    out.append("+OK\r\n");
}

}  // namespace kucun::resp
