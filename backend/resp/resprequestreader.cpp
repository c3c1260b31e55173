#include "resprequestreader.h"

#include <algorithm>
#include <cstring>
#include <hiredis/hiredis.h>
#include <hiredis/read.h>

namespace kucun {

namespace {

// What hiredis builds while it reads one multibulk request: the arguments, or why they are not
// a request (an element that is not a bulk string, a count over the limit). One per reader (its
// privdata), used again for each request: the argument list and each argument's buffer are
// kept from request to request when the consumer hands them back (recycle()), so a pipeline of
// like requests is read without allocating. Implicit sharing keeps that safe: an argument the
// consumer kept a copy of is shared, and is detached, not overwritten, when reused.
struct Building
{
    QList<QByteArray> arguments;  // the first `count` are this request's
    qsizetype count = 0;
    QByteArray refusal;
    int maxArguments = 0;
};

Building *requestOf(const redisReadTask *task)
{
    return static_cast<Building *>(task->privdata);
}

void keep(Building &request, const char *text, size_t length)
{
    if (request.count < request.arguments.size()) {
        QByteArray &argument = request.arguments[request.count];
        argument.resize(qsizetype(length));
        if (length > 0)
            std::memcpy(argument.data(), text, length);
    } else {
        request.arguments.append(QByteArray(text, qsizetype(length)));
    }
    ++request.count;
}

// hiredis's reader calls these for each element it reads; every element is added to the one
// Building. A non-null return is all hiredis needs for an element.
void *createString(const redisReadTask *task, char *text, size_t length)
{
    Building *request = requestOf(task);
    if (task->type != REDIS_REPLY_STRING) {
        if (request->refusal.isEmpty())
            request->refusal = QByteArrayLiteral("Protocol error: expected '$', got '")
                               + (task->type == REDIS_REPLY_ERROR ? '-' : '+') + '\'';
    } else if (request->refusal.isEmpty()) {
        keep(*request, text, length);
    }
    return request;
}

void *createArray(const redisReadTask *task, int elements)
{
    Building *request = requestOf(task);
    if (elements < 0 || elements > request->maxArguments)
        return nullptr;  // hiredis reports it; next() words it as Redis does
    if (!task->parent) {
        request->count = 0;
        request->refusal.clear();
        request->arguments.reserve(std::min(elements, 1024));
        return request;
    }
    if (request->refusal.isEmpty())
        request->refusal = QByteArrayLiteral("Protocol error: expected '$', got '*'");
    return request;
}

void *createInteger(const redisReadTask *task, long long)
{
    Building *request = requestOf(task);
    if (request->refusal.isEmpty())
        request->refusal = QByteArrayLiteral("Protocol error: expected '$', got ':'");
    return request;
}

void *createNil(const redisReadTask *task)
{
    Building *request = requestOf(task);
    if (!task->parent) {  // `*-1`: no request at all
        request->count = 0;
        request->refusal.clear();
        return request;
    }
    if (request->refusal.isEmpty())
        request->refusal = QByteArrayLiteral("Protocol error: invalid bulk length");
    return request;
}

void freeObject(void *)
{
    // Every object is the reader's one Building, which lives as long as the reader.
}

redisReplyObjectFunctions kFunctions{createString, createArray, createInteger, createNil,
                                     freeObject};

void freeReader(redisReader *reader)
{
    if (reader) {
        delete static_cast<Building *>(reader->privdata);
        redisReaderFree(reader);
    }
}

redisReader *newReader(int maxArguments)
{
    redisReader *reader = redisReaderCreateWithFunctions(&kFunctions);
    auto *request = new Building;
    request->maxArguments = maxArguments;
    reader->privdata = request;
    reader->maxbuf = 64 * 1024;  // hiredis gives back what it held beyond this once idle
    return reader;
}

// Redis's rules for splitting an inline command (sdssplitargs): words separated by spaces;
// "…" with \n \r \t \b \a \\ \" and \xHH escapes; '…' with \' only; a closing quote must be
// followed by a space or the end. Nothing when the quotes do not balance.
std::optional<QList<QByteArray>> splitInline(QByteArrayView line)
{
    QList<QByteArray> words;
    qsizetype at = 0;
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    const auto hexValue = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    };
    for (;;) {
        while (at < line.size() && isSpace(line[at]))
            ++at;
        if (at >= line.size())
            return words;
        QByteArray word;
        bool inDouble = false;
        bool inSingle = false;
        for (;; ++at) {
            if (inDouble) {
                if (at >= line.size())
                    return std::nullopt;
                const char c = line[at];
                if (c == '\\' && at + 3 < line.size() && line[at + 1] == 'x'
                    && hexValue(line[at + 2]) >= 0 && hexValue(line[at + 3]) >= 0) {
                    word += char(hexValue(line[at + 2]) * 16 + hexValue(line[at + 3]));
                    at += 3;
                } else if (c == '\\' && at + 1 < line.size()) {
                    ++at;
                    const char escaped = line[at];
                    word += escaped == 'n'   ? '\n'
                            : escaped == 'r' ? '\r'
                            : escaped == 't' ? '\t'
                            : escaped == 'b' ? '\b'
                            : escaped == 'a' ? '\a'
                                             : escaped;
                } else if (c == '"') {
                    if (at + 1 < line.size() && !isSpace(line[at + 1]))
                        return std::nullopt;  // a closing quote must end the word
                    ++at;
                    break;
                } else {
                    word += c;
                }
            } else if (inSingle) {
                if (at >= line.size())
                    return std::nullopt;
                const char c = line[at];
                if (c == '\\' && at + 1 < line.size() && line[at + 1] == '\'') {
                    word += '\'';
                    ++at;
                } else if (c == '\'') {
                    if (at + 1 < line.size() && !isSpace(line[at + 1]))
                        return std::nullopt;
                    ++at;
                    break;
                } else {
                    word += c;
                }
            } else {
                if (at >= line.size() || isSpace(line[at]))
                    break;
                const char c = line[at];
                if (c == '"')
                    inDouble = true;
                else if (c == '\'')
                    inSingle = true;
                else
                    word += c;
            }
        }
        words.append(word);
    }
}

// Whether hiredis, waiting, is inside a line it has begun (a count, a length, an integer, a
// status or an error line): no '\n' after its position. hiredis looks for the line's end from
// its start each time it is asked, so a line that never ends, asked about as every slice
// comes, would be scanned again and again up to the request limit: seconds of the engine
// thread for one client. Only a '\n' can let it go on, so it is not asked until one comes.
bool stuckInALine(const redisReader *reader)
{
    if (reader->ridx < 0)
        return false;
#if HIREDIS_MAJOR >= 1
    const int type = reader->task[reader->ridx]->type;
#else
    const int type = reader->rstack[reader->ridx].type;
#endif
    if (type < 0)
        return false;  // its type byte is not read yet: nothing held
    const size_t held = reader->len - reader->pos;
    return std::memchr(reader->buf + reader->pos, '\n', held) == nullptr;
}

// hiredis words its errors for replies; a client is told them as Redis tells them.
QByteArray asRedisWordsIt(const redisReader *reader)
{
    const QByteArray hiredis(reader->errstr);
    const QByteArray lower = hiredis.toLower();
    if (reader->err == REDIS_ERR_OOM || lower.contains("multi-bulk"))
        return QByteArrayLiteral("Protocol error: invalid multibulk length");
    if (lower.contains("bulk"))
        return QByteArrayLiteral("Protocol error: invalid bulk length");
    return QByteArrayLiteral("Protocol error: ") + hiredis;
}

}  // namespace

RespRequestReader::RespRequestReader(Limits limits)
    : m_limits(limits)
    , m_reader(newReader(limits.maxArguments), freeReader)
{
}

RespRequestReader::~RespRequestReader() = default;

RespRequestReader::Result RespRequestReader::fail(const QByteArray &message)
{
    m_failed = true;
    m_pending.clear();
    m_pendingAt = 0;
    return RespProtocolError{message};
}

void RespRequestReader::append(QByteArrayView bytes)
{
    if (m_failed)
        return;
    if (m_pendingAt > 0 && m_pendingAt == m_pending.size()) {
        m_pending.clear();  // all read: start over without moving anything
        m_pendingAt = 0;
    } else if (m_pendingAt > kFeedChunk && m_pendingAt * 2 > m_pending.size()) {
        m_pending.remove(0, m_pendingAt);
        m_pendingAt = 0;
    }
    m_pending.append(bytes);
}

void RespRequestReader::recycle(QList<QByteArray> &&arguments)
{
    auto *request = static_cast<Building *>(m_reader->privdata);
    if (!request->arguments.isEmpty() || request->count != 0)
        return;
    // A big argument's buffer is not kept: one large value must not stay with the connection.
    for (QByteArray &argument : arguments) {
        if (argument.capacity() > kKeptArgumentBytes)
            argument = QByteArray();
    }
    request->arguments = std::move(arguments);
}

qsizetype RespRequestReader::heldByHiredis() const
{
    return qsizetype(m_reader->len - m_reader->pos);
}

std::optional<char> RespRequestReader::nextByte() const
{
    if (heldByHiredis() > 0)
        return m_reader->buf[m_reader->pos];
    if (m_pendingAt < m_pending.size())
        return m_pending[m_pendingAt];
    return std::nullopt;
}

void RespRequestReader::takeBackFromHiredis()
{
    const qsizetype held = heldByHiredis();
    if (held == 0)
        return;
    QByteArray unread(m_reader->buf + m_reader->pos, held);
    unread.append(QByteArrayView(m_pending).sliced(m_pendingAt));
    m_pending = std::move(unread);
    m_pendingAt = 0;
    m_reader.reset(newReader(m_limits.maxArguments));
    m_stuckInALine = false;
}

std::optional<RespRequestReader::Result> RespRequestReader::next()
{
    while (!m_failed) {
        if (!m_inMultibulk) {
            const std::optional<char> first = nextByte();
            if (!first)
                return std::nullopt;
            if (*first != '*') {
                takeBackFromHiredis();  // an inline command is read here, not by hiredis
                std::optional<Result> command = nextInline();
                if (!command || std::holds_alternative<RespProtocolError>(*command)
                    || !std::get<RespRequest>(*command).arguments.isEmpty())
                    return command;
                continue;  // a blank line
            }
            m_inMultibulk = true;
            m_multibulkBytes = heldByHiredis();  // all of it from this request on
        }
        std::optional<Result> request = nextMultibulk();
        if (!request || std::holds_alternative<RespProtocolError>(*request)
            || !std::get<RespRequest>(*request).arguments.isEmpty())
            return request;
    }
    return std::nullopt;
}

std::optional<RespRequestReader::Result> RespRequestReader::nextInline()
{
    const QByteArrayView unread = QByteArrayView(m_pending).sliced(m_pendingAt);
    const qsizetype end = unread.indexOf('\n');
    if (end < 0) {
        if (unread.size() > m_limits.maxInlineBytes)
            return fail(QByteArrayLiteral("Protocol error: too big inline request"));
        return std::nullopt;
    }
    if (end > m_limits.maxInlineBytes)
        return fail(QByteArrayLiteral("Protocol error: too big inline request"));
    const std::optional<QList<QByteArray>> words = splitInline(unread.first(end));
    m_pendingAt += end + 1;
    if (!words)
        return fail(QByteArrayLiteral("Protocol error: unbalanced quotes in request"));
    return RespRequest{*words};
}

std::optional<RespRequestReader::Result> RespRequestReader::nextMultibulk()
{
    for (;;) {
        redisReader *reader = m_reader.get();
        void *object = nullptr;
        if (!m_stuckInALine) {
            ++m_hiredisRounds;
            if (redisReaderGetReply(reader, &object) != REDIS_OK)
                return fail(asRedisWordsIt(reader));
            m_stuckInALine = !object && stuckInALine(reader);
        }
        if (object) {
            Building &request = *static_cast<Building *>(object);
            m_inMultibulk = false;
            if (!request.refusal.isEmpty())
                return fail(request.refusal);
            // What hiredis still holds is the next requests'. It was fed at most a byte beyond
            // the limit (below), so a request found over the limit here is a byte over; it is
            // refused, as it would have been had its bytes come in pieces.
            if (m_multibulkBytes - heldByHiredis() > maxRequestBytes())
                return fail(QByteArrayLiteral("Protocol error: invalid bulk length"));
            request.arguments.resize(request.count);
            request.count = 0;
            return RespRequest{std::exchange(request.arguments, {})};
        }
        // hiredis waits for the rest, with a byte beyond the limit: a request may not make the
        // hub hold more. hiredis never gets more than that of one request, so what it makes of
        // the request (whole, refused, or waiting) does not depend on how the bytes were split.
        if (m_multibulkBytes > maxRequestBytes())
            return fail(QByteArrayLiteral("Protocol error: invalid bulk length"));
        if (m_pendingAt == m_pending.size())
            return std::nullopt;
        // Fed a slice at a time: hiredis moves what it holds unread to the front of its buffer
        // each time it has used 1 KiB, so a small slice keeps that move small. A big request
        // (a long bulk string) gets big slices.
        const qsizetype slice
            = std::min({m_pending.size() - m_pendingAt,
                        m_multibulkBytes > kFeedChunk * 16 ? kBigFeedChunk : kFeedChunk,
                        qsizetype(maxRequestBytes() + 1 - m_multibulkBytes)});
        if (redisReaderFeed(reader, m_pending.constData() + m_pendingAt, size_t(slice)) != REDIS_OK)
            return fail(asRedisWordsIt(reader));
        if (m_stuckInALine)
            m_stuckInALine = !std::memchr(m_pending.constData() + m_pendingAt, '\n', size_t(slice));
        m_pendingAt += slice;
        m_multibulkBytes += slice;
    }
}

}  // namespace kucun
