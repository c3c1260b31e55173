#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <memory>
#include <optional>
#include <variant>

struct redisReader;

namespace kucun {

// One command of a Redis-protocol client: its name and arguments, as sent.
struct RespRequest
{
    QList<QByteArray> arguments;
};

// A request that cannot be read: the error to answer with (after "-ERR "), as Redis words it
// ("Protocol error: …"); the connection is then closed, as Redis does.
struct RespProtocolError
{
    QByteArray message;
};

// Reads the requests of SPEC §12's Redis-protocol front as their bytes arrive: multibulk requests
// (`*<n>` then `$<len>` bulk strings) through hiredis's own reader, never a hand-written one,
// and inline commands (a line of words, `"…"` and `'…'` quoting as redis-cli and Redis read it).
// Bounds: an inline line of at most 64 KiB (as Redis), at most a million arguments (Redis takes up
// to INT_MAX, allocating as they come), and a multibulk request of at most `maxBulkBytes` and an
// inline line's worth in all (Redis: proto-max-bulk-len per argument), refused as soon as it has
// sent more, finished or not; beyond, a protocol error. So how the bytes are split never changes
// what is read. After an error it reads nothing more. Pure: no I/O, fuzzed.
class RespRequestReader
{
public:
    struct Limits
    {
        qsizetype maxInlineBytes = 64 * 1024;
        int maxArguments = 1024 * 1024;
        qint64 maxBulkBytes = 512LL * 1024 * 1024;
    };
    using Result = std::variant<RespRequest, RespProtocolError>;

    explicit RespRequestReader(Limits limits);
    ~RespRequestReader();
    RespRequestReader(const RespRequestReader &) = delete;
    RespRequestReader &operator=(const RespRequestReader &) = delete;

    void append(QByteArrayView bytes);
    // The next whole request, or a protocol error; nullopt until more bytes come. Empty requests
    // (a blank line, `*0`) are skipped, as Redis skips them.
    std::optional<Result> next();
    // Hands a request's arguments back once the command has run, so that the next request is
    // read into their buffers (no allocation for a pipeline of like requests).
    void recycle(QList<QByteArray> &&arguments);
    bool failed() const { return m_failed; }
    // How often hiredis was asked for a request: what reading costs, for tests (a line that
    // never ends must not be scanned once per slice).
    qint64 hiredisRounds() const { return m_hiredisRounds; }

private:
    std::optional<Result> nextInline();
    std::optional<Result> nextMultibulk();
    Result fail(const QByteArray &message);
    // The most bytes a multibulk request may take.
    qint64 maxRequestBytes() const { return m_limits.maxBulkBytes + m_limits.maxInlineBytes; }
    // Bytes hiredis holds that no request it returned used yet.
    qsizetype heldByHiredis() const;
    std::optional<char> nextByte() const;
    // Before an inline command: what hiredis holds goes back in front of m_pending.
    void takeBackFromHiredis();

    static constexpr qsizetype kFeedChunk = 4 * 1024;
    static constexpr qsizetype kBigFeedChunk = 1024 * 1024;
    static constexpr qsizetype kKeptArgumentBytes = 64 * 1024;

    const Limits m_limits;
    // Bytes not yet handed to hiredis, from m_pendingAt on: requests of a pipeline stay with
    // hiredis from one to the next, an inline line is read here.
    QByteArray m_pending;
    qsizetype m_pendingAt = 0;
    std::unique_ptr<redisReader, void (*)(redisReader *)> m_reader;
    bool m_inMultibulk = false;  // hiredis holds an unfinished request
    // Fed to hiredis since the request it reads began, with what it held then: at most a byte
    // beyond maxRequestBytes(), and past the request's end, the next request's.
    qint64 m_multibulkBytes = 0;
    bool m_failed = false;
    // hiredis waits inside a line and nothing with a '\n' came since: asking it is no use.
    bool m_stuckInALine = false;
    qint64 m_hiredisRounds = 0;
};

}  // namespace kucun
