#include "respcommands.h"

#include "cache/memorystore.h"
#include "resppubsub.h"
#include "respscripting.h"
#include "respwriter.h"

namespace kucun {

RespCommands::RespCommands(Options options, RespClients &clients, RespPubSub &pubsub)
    : m_options(std::move(options))
    , m_clients(clients)
    , m_pubsub(pubsub)
{
    m_scriptSession.authenticated = true;
    addCommands();
}

RespCommands::~RespCommands() = default;

void RespCommands::addCommands()
{
    // Arity as Redis 7 declares it (COMMAND INFO): n exactly, -n at least n, the name counted.
    m_table = {
        {"ping", {-1, kPubSubContext, &RespCommands::ping}},
        {"echo", {2, 0, &RespCommands::echo}},
        {"auth", {-2, kNoAuth | kNoScript, &RespCommands::auth}},
        {"hello", {-1, kNoAuth | kNoScript, &RespCommands::hello}},
        {"select", {2, 0, &RespCommands::select}},
        {"quit", {-1, kNoAuth | kPubSubContext | kRunsInMulti | kNoScript, &RespCommands::quit}},
        {"reset", {1, kNoAuth | kPubSubContext | kRunsInMulti | kNoScript, &RespCommands::reset}},
        {"multi", {1, kRunsInMulti | kNoScript, &RespCommands::multi}},
        {"exec", {1, kRunsInMulti | kNoScript, &RespCommands::exec}},
        {"discard", {1, kRunsInMulti | kNoScript, &RespCommands::discard}},
        {"get", {2, 0, &RespCommands::get}},
        {"set", {-3, 0, &RespCommands::set}},
        {"setex", {4, 0, &RespCommands::setex}},
        {"psetex", {4, 0, &RespCommands::setex}},
        {"setnx", {3, 0, &RespCommands::setnx}},
        {"getdel", {2, 0, &RespCommands::getdel}},
        {"getex", {-2, 0, &RespCommands::getex}},
        {"mget", {-2, 0, &RespCommands::mget}},
        {"mset", {-3, 0, &RespCommands::mset}},
        {"incr", {2, 0, &RespCommands::incrBy}},
        {"decr", {2, 0, &RespCommands::incrBy}},
        {"incrby", {3, 0, &RespCommands::incrBy}},
        {"decrby", {3, 0, &RespCommands::incrBy}},
        {"incrbyfloat", {3, 0, &RespCommands::incrByFloat}},
        {"append", {3, 0, &RespCommands::append}},
        {"strlen", {2, 0, &RespCommands::strlen}},
        {"del", {-2, 0, &RespCommands::del}},
        {"unlink", {-2, 0, &RespCommands::del}},
        {"exists", {-2, 0, &RespCommands::exists}},
        {"type", {2, 0, &RespCommands::type}},
        {"expire", {-3, 0, &RespCommands::expire}},
        {"pexpire", {-3, 0, &RespCommands::expire}},
        {"expireat", {-3, 0, &RespCommands::expire}},
        {"pexpireat", {-3, 0, &RespCommands::expire}},
        {"ttl", {2, 0, &RespCommands::ttl}},
        {"pttl", {2, 0, &RespCommands::ttl}},
        {"persist", {2, 0, &RespCommands::persist}},
        {"scan", {-2, 0, &RespCommands::scan}},
        {"keys", {2, 0, &RespCommands::keys}},
        {"rename", {3, 0, &RespCommands::rename}},
        {"dbsize", {1, 0, &RespCommands::dbsize}},
        {"flushdb", {-1, 0, &RespCommands::flushdb}},
        {"flushall", {-1, 0, &RespCommands::flushdb}},
        {"sadd", {-3, 0, &RespCommands::sadd}},
        {"srem", {-3, 0, &RespCommands::srem}},
        {"smembers", {2, 0, &RespCommands::smembers}},
        {"scard", {2, 0, &RespCommands::scard}},
        {"sismember", {3, 0, &RespCommands::sismember}},
        {"sscan", {-3, 0, &RespCommands::sscan}},
        {"hset", {-4, 0, &RespCommands::hset}},
        {"hget", {3, 0, &RespCommands::hget}},
        {"hmget", {-3, 0, &RespCommands::hmget}},
        {"hgetall", {2, 0, &RespCommands::hgetall}},
        {"hdel", {-3, 0, &RespCommands::hdel}},
        {"hincrby", {4, 0, &RespCommands::hincrby}},
        {"hlen", {2, 0, &RespCommands::hlen}},
        {"hexists", {3, 0, &RespCommands::hexists}},
        {"info", {-1, 0, &RespCommands::info}},
        {"config", {-2, kContainer, nullptr}},
        {"config|get", {-3, 0, &RespCommands::configGet}},
        {"time", {1, 0, &RespCommands::time}},
        {"eval", {-3, kNoScript, &RespCommands::eval}},
        {"evalsha", {-3, kNoScript, &RespCommands::eval}},
        {"script", {-2, kContainer | kNoScript, nullptr}},
        {"script|load", {3, kNoScript, &RespCommands::scriptLoad}},
        {"script|exists", {-3, kNoScript, &RespCommands::scriptExists}},
        {"script|flush", {-2, kNoScript, &RespCommands::scriptFlush}},
        {"client", {-2, kContainer | kNoScript, nullptr}},
        {"client|id", {2, kNoScript, &RespCommands::clientId}},
        {"client|setname", {3, kNoScript, &RespCommands::clientSetName}},
        {"client|getname", {2, kNoScript, &RespCommands::clientGetName}},
        {"client|info", {2, kNoScript, &RespCommands::clientInfo}},
        {"client|list", {-2, kNoScript, &RespCommands::clientList}},
        {"client|setinfo", {4, kNoScript, &RespCommands::clientSetInfo}},
        {"client|kill", {-3, kNoScript, &RespCommands::clientKill}},
        {"command", {-1, kContainer, &RespCommands::commandInfo}},
        {"command|count", {2, 0, &RespCommands::commandCount}},
        {"command|docs", {-2, 0, &RespCommands::commandDocs}},
        {"command|info", {-2, 0, &RespCommands::commandInfo}},
        {"subscribe", {-2, kPubSubContext | kNoScript, &RespCommands::subscribe}},
        {"unsubscribe", {-1, kPubSubContext | kNoScript, &RespCommands::unsubscribe}},
        {"psubscribe", {-2, kPubSubContext | kNoScript, &RespCommands::subscribe}},
        {"punsubscribe", {-1, kPubSubContext | kNoScript, &RespCommands::unsubscribe}},
        {"publish", {3, 0, &RespCommands::publish}},
        {"pubsub", {-2, kContainer, nullptr}},
        {"pubsub|channels", {-2, 0, &RespCommands::pubsubChannels}},
        {"pubsub|numsub", {-2, 0, &RespCommands::pubsubNumsub}},
        {"pubsub|numpat", {2, 0, &RespCommands::pubsubNumpat}},
    };
    for (auto entry = m_table.cbegin(); entry != m_table.cend(); ++entry) {
        if (!entry.key().contains('|'))
            ++m_topLevelCount;
        m_byName.emplace(std::string_view(entry.key().constData(), size_t(entry.key().size())),
                         entry);
    }
}

void RespCommands::execute(RespSession &session, const QList<QByteArray> &arguments,
                           QByteArray &out)
{
    Q_ASSERT(!arguments.isEmpty() && m_options.store);
    Call call{session, arguments, out, {}};  // resolve() names it
    m_nowMs = MemoryStore::nowMs();
    const Command *command = resolve(call);
    if (!command)
        return;
    if (!session.authenticated && !(command->flags & kNoAuth)) {
        reject(call, "NOAUTH Authentication required.");
        return;
    }
    // RESP2's subscribed mode: a connection that listens only (un)subscribes, pings and leaves.
    if (!(command->flags & kPubSubContext) && m_pubsub.subscriptionCount(session.id) > 0) {
        reject(call, "ERR Can't execute '" + call.name
                         + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                           "allowed in this context");
        return;
    }
    if (session.inMulti && !(command->flags & kRunsInMulti)) {
        queue(call);
        return;
    }
    session.lastCommand = call.name;
    ++m_commandsProcessed;
    (this->*command->handler)(call);
}

RespCommands::Lookup RespCommands::lookup(const QList<QByteArray> &arguments) const
{
    Lookup found;
    // Lower-cased into a buffer kept from call to call: the hot path allocates nothing, and the
    // name it answers is the table's own (shared, not copied).
    QByteArray &lowered = m_loweredName;
    const QByteArray &given = arguments.front();
    lowered.resize(given.size());
    for (qsizetype i = 0; i < given.size(); ++i) {
        const char c = given[i];
        lowered[i] = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    }
    const auto named = m_byName.find(std::string_view(lowered.constData(), size_t(lowered.size())));
    if (named == m_byName.end() || lowered.contains('|')) {
        found.name = lowered;
        found.miss = Miss::UnknownCommand;
        return found;
    }
    auto entry = named->second;
    found.name = entry.key();
    // A container (CLIENT, COMMAND) with a subcommand: the subcommand is the command, with its
    // own arity, named "client|setname" in errors, as Redis names it.
    if ((entry->flags & kContainer) && arguments.size() >= 2) {
        const auto sub = m_table.constFind(found.name + '|' + arguments[1].toLower());
        if (sub == m_table.cend()) {
            found.miss = Miss::UnknownSubcommand;
            return found;
        }
        entry = sub;
        found.name = sub.key();
    }
    const qsizetype count = arguments.size();
    if ((entry->arity > 0 && count != entry->arity) || count < -entry->arity || !entry->handler)
        found.miss = Miss::WrongArity;
    else
        found.command = &*entry;
    return found;
}

const RespCommands::Command *RespCommands::resolve(Call &call)
{
    const Lookup found = lookup(call.args);
    const QList<QByteArray> &arguments = call.args;
    switch (found.miss) {
    case Miss::None:
        call.name = found.name;
        return found.command;
    case Miss::UnknownCommand: {
        // Redis quotes the first arguments, up to about 128 bytes of them.
        QByteArray beginning;
        for (qsizetype i = 1; i < arguments.size() && beginning.size() < 128; ++i)
            beginning += '\'' + arguments[i].left(128 - beginning.size()) + "' ";
        reject(call, "ERR unknown command '" + arguments.front().left(128)
                         + "', with args beginning with: " + beginning);
        return nullptr;
    }
    case Miss::UnknownSubcommand:
        reject(call, "ERR unknown subcommand '" + arguments[1].left(128) + "'. Try "
                         + found.name.toUpper() + " HELP.");
        return nullptr;
    case Miss::WrongArity:
        reject(call, "ERR wrong number of arguments for '" + found.name + "' command");
        return nullptr;
    }
    return nullptr;
}

void RespCommands::reject(Call &call, const QByteArray &error)
{
    // A refused command inside MULTI dooms the transaction, as Redis's flagTransaction does.
    if (call.session.inMulti)
        call.session.multiFailed = true;
    resp::appendError(call.out, error);
}

void RespCommands::wrongArity(Call &call, const QByteArray &fullName)
{
    resp::appendError(call.out, "ERR wrong number of arguments for '" + fullName + "' command");
}

void RespCommands::subcommandSyntaxError(Call &call)
{
    resp::appendError(call.out, "ERR unknown subcommand or wrong number of arguments for '"
                                    + call.args[1].left(128) + "'. Try "
                                    + call.name.split('|').front().toUpper() + " HELP.");
}

}  // namespace kucun
