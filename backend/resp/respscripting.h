#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>

#include <chrono>
#include <functional>

struct lua_State;

namespace kucun {

// EVAL, EVALSHA and SCRIPT of SPEC §12: Lua 5.1 (Debian's liblua5.1) set up as Redis 7.0 sets it
// up. A script sees KEYS, ARGV and the `redis` table (call, pcall, error_reply, status_reply,
// sha1hex, log); the base, table, string and math libraries, without loadfile, dofile,
// loadstring, io, os or debug; globals it can neither read when undefined nor create. Values
// cross as Redis converts them (numbers to integers, false to nil, {ok=…} to a status, {err=…}
// to an error, arrays up to their first nil). A script that runs longer than its time limit is
// stopped with a BUSY error. One Lua state, in the engine thread: scripts run one at a time, with
// nothing of any other client between their commands.
class RespScripting
{
public:
    // Runs one command for the script (as its own client) and appends its RESP reply.
    using Runner = std::function<void(const QList<QByteArray> &arguments, QByteArray &out)>;

    explicit RespScripting(std::chrono::milliseconds timeLimit = std::chrono::seconds(5));
    ~RespScripting();
    RespScripting(const RespScripting &) = delete;
    RespScripting &operator=(const RespScripting &) = delete;

    // EVAL: compiles `body` (kept for EVALSHA) and runs it; appends the reply.
    void eval(const QByteArray &body, const QList<QByteArray> &keys,
              const QList<QByteArray> &arguments, const Runner &run, QByteArray &out);
    // EVALSHA: false (nothing appended) when no script has that digest.
    bool evalSha(const QByteArray &sha, const QList<QByteArray> &keys,
                 const QList<QByteArray> &arguments, const Runner &run, QByteArray &out);
    // SCRIPT LOAD: the digest, or the compile error (appended, empty digest returned).
    QByteArray load(const QByteArray &body, QByteArray &errorOut);
    bool exists(const QByteArray &sha) const;
    void flush();

    static QByteArray sha1Hex(const QByteArray &bytes);

private:
    // Compiles `body` under `sha` unless known; false with the error appended.
    bool compile(const QByteArray &sha, const QByteArray &body, QByteArray &errorOut);
    void run(const QByteArray &sha, const QList<QByteArray> &keys,
             const QList<QByteArray> &arguments, const Runner &runner, QByteArray &out);
    void setUp();

    const std::chrono::milliseconds m_timeLimit;
    lua_State *m_lua = nullptr;
    QHash<QByteArray, QByteArray> m_bodies;  // by lower-case sha1 hex
};

}  // namespace kucun
