#include "respcommands.h"

#include "resppubsub.h"
#include "respwriter.h"

namespace kucun {

RespCommands::RespCommands(Options options, RespClients &clients, RespPubSub &pubsub)
    : m_options(std::move(options))
    , m_clients(clients)
    , m_pubsub(pubsub)
{
    addCommands();
}

void RespCommands::addCommands()
{
    // Arity as Redis 7 declares it (COMMAND INFO): n exactly, -n at least n, the name counted.
    m_table = {
        {"ping", {-1, kPubSubContext, &RespCommands::ping}},
        {"echo", {2, 0, &RespCommands::echo}},
        {"auth", {-2, kNoAuth, &RespCommands::auth}},
        {"hello", {-1, kNoAuth, &RespCommands::hello}},
        {"select", {2, 0, &RespCommands::select}},
        {"quit", {-1, kNoAuth | kPubSubContext, &RespCommands::quit}},
        {"reset", {1, kNoAuth | kPubSubContext, &RespCommands::reset}},
        {"client", {-2, kContainer, nullptr}},
        {"client|id", {2, 0, &RespCommands::clientId}},
        {"client|setname", {3, 0, &RespCommands::clientSetName}},
        {"client|getname", {2, 0, &RespCommands::clientGetName}},
        {"client|info", {2, 0, &RespCommands::clientInfo}},
        {"client|list", {-2, 0, &RespCommands::clientList}},
        {"client|setinfo", {4, 0, &RespCommands::clientSetInfo}},
        {"client|kill", {-3, 0, &RespCommands::clientKill}},
        {"command", {-1, kContainer, &RespCommands::commandInfo}},
        {"command|count", {2, 0, &RespCommands::commandCount}},
        {"command|docs", {-2, 0, &RespCommands::commandDocs}},
        {"command|info", {-2, 0, &RespCommands::commandInfo}},
        {"subscribe", {-2, kPubSubContext, &RespCommands::subscribe}},
        {"unsubscribe", {-1, kPubSubContext, &RespCommands::unsubscribe}},
        {"psubscribe", {-2, kPubSubContext, &RespCommands::psubscribe}},
        {"punsubscribe", {-1, kPubSubContext, &RespCommands::punsubscribe}},
        {"publish", {3, 0, &RespCommands::publish}},
        {"pubsub", {-2, kContainer, nullptr}},
        {"pubsub|channels", {-2, 0, &RespCommands::pubsubChannels}},
        {"pubsub|numsub", {-2, 0, &RespCommands::pubsubNumsub}},
        {"pubsub|numpat", {2, 0, &RespCommands::pubsubNumpat}},
    };
    for (auto entry = m_table.cbegin(); entry != m_table.cend(); ++entry) {
        if (!entry.key().contains('|'))
            ++m_topLevelCount;
    }
}

void RespCommands::execute(RespSession &session, const QList<QByteArray> &arguments,
                           QByteArray &out)
{
    Q_ASSERT(!arguments.isEmpty());
    Call call{session, arguments, out, arguments.front().toLower()};
    auto found = m_table.constFind(call.name);
    if (found == m_table.cend() || call.name.contains('|')) {
        // Redis quotes the first arguments, up to about 128 bytes of them.
        QByteArray beginning;
        for (qsizetype i = 1; i < arguments.size() && beginning.size() < 128; ++i)
            beginning += '\'' + arguments[i].left(128 - beginning.size()) + "' ";
        resp::appendError(out, "ERR unknown command '" + arguments.front().left(128)
                                   + "', with args beginning with: " + beginning);
        return;
    }
    // A container (CLIENT, COMMAND) with a subcommand: the subcommand is the command, with its
    // own arity, named "client|setname" in errors, as Redis names it.
    if ((found->flags & kContainer) && arguments.size() >= 2) {
        const QByteArray fullName = call.name + '|' + arguments[1].toLower();
        found = m_table.constFind(fullName);
        if (found == m_table.cend()) {
            unknownSubcommand(call);
            return;
        }
        call.name = fullName;
    }
    const Command &command = *found;
    const qsizetype count = arguments.size();
    if ((command.arity > 0 && count != command.arity) || count < -command.arity
        || !command.handler) {
        wrongArity(call, call.name);
        return;
    }
    if (!session.authenticated && !(command.flags & kNoAuth)) {
        resp::appendError(out, "NOAUTH Authentication required.");
        return;
    }
    // RESP2's subscribed mode: a connection that listens only (un)subscribes, pings and leaves.
    if (!(command.flags & kPubSubContext) && m_pubsub.subscriptionCount(session.id) > 0) {
        resp::appendError(out, "ERR Can't execute '" + call.name
                                   + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
                                     "RESET are allowed in this context");
        return;
    }
    session.lastCommand = call.name;
    (this->*command.handler)(call);
}

void RespCommands::wrongArity(Call &call, const QByteArray &fullName)
{
    resp::appendError(call.out, "ERR wrong number of arguments for '" + fullName + "' command");
}

void RespCommands::unknownSubcommand(Call &call)
{
    resp::appendError(call.out, "ERR unknown subcommand '" + call.args[1].left(128) + "'. Try "
                                    + call.name.split('|').front().toUpper() + " HELP.");
}

void RespCommands::subcommandSyntaxError(Call &call)
{
    resp::appendError(call.out, "ERR unknown subcommand or wrong number of arguments for '"
                                    + call.args[1].left(128) + "'. Try "
                                    + call.name.split('|').front().toUpper() + " HELP.");
}

}  // namespace kucun
