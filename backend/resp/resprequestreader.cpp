#include "resprequestreader.h"

#include <hiredis/read.h>

namespace kucun {

namespace {

// What hiredis builds while it reads one multibulk request: the arguments, or why they are not
// a request (an element that is not a bulk string, a count over the limit).
struct Building
{
    QList<QByteArray> arguments;
    QByteArray refusal;
    int maxArguments = 0;
};

Building *requestOf(const redisReadTask *task)
{
    while (task->parent)
        task = task->parent;
    return static_cast<Building *>(task->obj);
}

// hiredis's reader calls these for each element it reads; the root array becomes one Building
// and every element is added to it. A non-null return is all hiredis needs for an element.
void *createString(const redisReadTask *task, char *text, size_t length)
{
    Building *request = requestOf(task);
    if (task->type != REDIS_REPLY_STRING) {
        if (request->refusal.isEmpty())
            request->refusal = QByteArrayLiteral("Protocol error: expected '$', got '")
                               + (task->type == REDIS_REPLY_ERROR ? '-' : '+') + '\'';
    } else if (request->refusal.isEmpty()) {
        request->arguments.append(QByteArray(text, qsizetype(length)));
    }
    return request;
}

void *createArray(const redisReadTask *task, int elements)
{
    if (!task->parent) {
        if (elements < 0 || elements > static_cast<const Building *>(task->privdata)->maxArguments)
            return nullptr;  // hiredis reports it; next() words it as Redis does
        auto *request = new Building;
        request->maxArguments = static_cast<const Building *>(task->privdata)->maxArguments;
        request->arguments.reserve(std::min(elements, 1024));
        return request;
    }
    Building *request = requestOf(task);
    if (elements < 0 || elements > request->maxArguments)
        return nullptr;
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
    if (!task->parent)
        return new Building;  // `*-1`: no request at all
    Building *request = requestOf(task);
    if (request->refusal.isEmpty())
        request->refusal = QByteArrayLiteral("Protocol error: invalid bulk length");
    return request;
}

void freeObject(void *object)
{
    delete static_cast<Building *>(object);
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

// A hiredis reader with our object functions; the argument limit reaches createArray through
// the reader's privdata, which hiredis hands to every read task.
redisReader *newReader(int maxArguments)
{
    redisReader *reader = redisReaderCreateWithFunctions(&kFunctions);
    auto *settings = new Building;
    settings->maxArguments = maxArguments;
    reader->privdata = settings;
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
            m_multibulkBytes = 0;
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
        if (redisReaderGetReply(reader, &object) != REDIS_OK)
            return fail(asRedisWordsIt(reader));
        if (object) {
            const std::unique_ptr<Building> request(static_cast<Building *>(object));
            m_inMultibulk = false;
            if (!request->refusal.isEmpty())
                return fail(request->refusal);
            return RespRequest{std::move(request->arguments)};
        }
        if (m_pendingAt == m_pending.size()) {
            // hiredis waits for the rest; a request may not make the hub hold more than its
            // limit.
            if (m_multibulkBytes > m_limits.maxBulkBytes + m_limits.maxInlineBytes)
                return fail(QByteArrayLiteral("Protocol error: invalid bulk length"));
            return std::nullopt;
        }
        // Fed a slice at a time: hiredis moves what it holds unread to the front of its buffer
        // each time it has used 1 KiB, so a small slice keeps that move small. A big request
        // (a long bulk string) gets big slices.
        const qsizetype slice
            = std::min(m_pending.size() - m_pendingAt,
                       m_multibulkBytes > kFeedChunk * 16 ? kBigFeedChunk : kFeedChunk);
        if (redisReaderFeed(reader, m_pending.constData() + m_pendingAt, size_t(slice)) != REDIS_OK)
            return fail(asRedisWordsIt(reader));
        m_pendingAt += slice;
        m_multibulkBytes += slice;
    }
}

}  // namespace kucun
