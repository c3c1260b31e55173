// Scripting of the Redis-protocol front: EVAL EVALSHA SCRIPT(LOAD EXISTS FLUSH). The Lua side is
// RespScripting; here the arguments are read, and a script's redis.call runs through the same
// command table with Redis's rules for scripts.

#include "respcommands.h"
#include "respscripting.h"
#include "respwriter.h"

namespace kucun {

RespScripting &RespCommands::scripting()
{
    if (!m_scripting)
        m_scripting = std::make_unique<RespScripting>(m_options.scriptTimeLimit);
    return *m_scripting;
}

void RespCommands::runForScript(const QList<QByteArray> &arguments, QByteArray &out)
{
    // A script's commands get Redis's generic refusals, not the ones a client would.
    const Lookup found = lookup(arguments);
    if (found.miss == Miss::UnknownCommand || found.miss == Miss::UnknownSubcommand) {
        resp::appendError(out, "ERR Unknown Redis command called from script");
        return;
    }
    if (found.miss == Miss::WrongArity) {
        resp::appendError(out, "ERR Wrong number of args calling Redis command from script");
        return;
    }
    if (found.command->flags & kNoScript) {
        resp::appendError(out, "ERR This Redis command is not allowed from script");
        return;
    }
    Call call{m_scriptSession, arguments, out, found.name};
    (this->*found.command->handler)(call);
}

void RespCommands::eval(Call &call)
{
    // A digest of the wrong length is no script's, whatever follows (Redis looks at it first).
    if (call.name == "evalsha" && call.args[1].size() != 40) {
        resp::appendError(call.out, "NOSCRIPT No matching script. Please use EVAL.");
        return;
    }
    bool ok = false;
    const qint64 keyCount = call.args[2].toLongLong(&ok);
    if (!ok) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return;
    }
    if (keyCount < 0) {
        resp::appendError(call.out, "ERR Number of keys can't be negative");
        return;
    }
    if (keyCount > call.size() - 3) {
        resp::appendError(call.out, "ERR Number of keys can't be greater than number of args");
        return;
    }
    const QList<QByteArray> keys = call.args.mid(3, keyCount);
    const QList<QByteArray> arguments = call.args.mid(3 + keyCount);
    const RespScripting::Runner runner
        = [this](const QList<QByteArray> &command, QByteArray &out) { runForScript(command, out); };
    if (call.name == "eval") {
        scripting().eval(call.args[1], keys, arguments, runner, call.out);
        return;
    }
    if (!scripting().evalSha(call.args[1], keys, arguments, runner, call.out))
        resp::appendError(call.out, "NOSCRIPT No matching script. Please use EVAL.");
}

void RespCommands::scriptLoad(Call &call)
{
    QByteArray error;
    const QByteArray sha = scripting().load(call.args[2], error);
    if (sha.isEmpty())
        call.out.append(error);
    else
        resp::appendBulk(call.out, sha);
}

void RespCommands::scriptExists(Call &call)
{
    resp::appendArrayHeader(call.out, call.size() - 2);
    for (qsizetype j = 2; j < call.size(); ++j)
        resp::appendInteger(call.out, scripting().exists(call.args[j]) ? 1 : 0);
}

void RespCommands::scriptFlush(Call &call)
{
    if (call.size() > 3
        || (call.size() == 3 && call.word(2) != "sync" && call.word(2) != "async")) {
        resp::appendError(call.out, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    scripting().flush();
    resp::appendOk(call.out);
}

}  // namespace kucun
