// Transactions of the Redis-protocol front: MULTI EXEC DISCARD. Every command runs in the engine
// thread one at a time, so the queued commands of an EXEC run with nothing of any other client
// between them (SPEC §12). WATCH is not offered.

#include "respcommands.h"
#include "respwriter.h"

namespace kucun {

namespace {

// What one transaction may hold before EXEC: every queue an outsider can fill has a bound.
constexpr qint64 kMaxQueuedBytes = 64LL * 1024 * 1024;

void endTransaction(RespSession &session)
{
    session.inMulti = false;
    session.multiFailed = false;
    session.queued.clear();
    session.queuedBytes = 0;
}

}  // namespace

void RespCommands::multi(Call &call)
{
    if (call.session.inMulti) {
        resp::appendError(call.out, "ERR MULTI calls can not be nested");
        return;
    }
    call.session.inMulti = true;
    resp::appendOk(call.out);
}

void RespCommands::queue(Call &call)
{
    RespSession &session = call.session;
    qint64 bytes = 0;
    for (const QByteArray &argument : call.args)
        bytes += argument.size() + 16;
    if (session.queuedBytes + bytes > kMaxQueuedBytes) {
        reject(call, "ERR the transaction holds more than 64 MiB of commands; it is discarded at "
                     "EXEC");
        return;
    }
    session.queued.append(call.args);
    session.queuedBytes += bytes;
    resp::appendSimple(call.out, "QUEUED");
}

void RespCommands::exec(Call &call)
{
    RespSession &session = call.session;
    if (!session.inMulti) {
        resp::appendError(call.out, "ERR EXEC without MULTI");
        return;
    }
    const bool failed = session.multiFailed;
    const QList<QList<QByteArray>> queued = session.queued;
    endTransaction(session);
    if (failed) {
        resp::appendError(call.out, "EXECABORT Transaction discarded because of previous errors.");
        return;
    }
    // One reply per command in the array, as Redis counts (a SUBSCRIBE of several channels
    // inside MULTI writes more, as it does in Redis).
    resp::appendArrayHeader(call.out, queued.size());
    for (const QList<QByteArray> &arguments : queued) {
        // Checked when queued; run now without the checks of a fresh request (as Redis's EXEC
        // calls each command directly).
        Call queuedCall{session, arguments, call.out, arguments.front().toLower()};
        if (const Command *command = resolve(queuedCall))
            (this->*command->handler)(queuedCall);
    }
}

void RespCommands::discard(Call &call)
{
    if (!call.session.inMulti) {
        resp::appendError(call.out, "ERR DISCARD without MULTI");
        return;
    }
    endTransaction(call.session);
    resp::appendOk(call.out);
}

}  // namespace kucun
