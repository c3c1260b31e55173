#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <charconv>

namespace kucun::resp {

// RESP2 replies, appended to a connection's output: what Redis 7 writes for each type.

// Errors several command groups give, in Redis's words.
inline constexpr char kWrongTypeError[]
    = "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr char kOutOfMemoryError[]
    = "OOM command not allowed when used memory > 'maxmemory'.";

// `prefix`, the number and CRLF, formatted in place: a reply's header allocates nothing.
inline void appendNumberLine(QByteArray &out, char prefix, qint64 value)
{
    char line[24];
    line[0] = prefix;
    char *end = std::to_chars(line + 1, line + sizeof line - 2, value).ptr;
    *end++ = '\r';
    *end++ = '\n';
    out.append(line, end - line);
}

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
    appendNumberLine(out, ':', value);
}

inline void appendBulk(QByteArray &out, QByteArrayView value)
{
    appendNumberLine(out, '$', value.size());
    out.append(value).append("\r\n");
}

inline void appendNullBulk(QByteArray &out)
{
    out.append("$-1\r\n");
}

inline void appendArrayHeader(QByteArray &out, qint64 count)
{
    appendNumberLine(out, '*', count);
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
