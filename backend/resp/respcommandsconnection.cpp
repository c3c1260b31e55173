// The connection commands of the Redis-protocol front: PING ECHO AUTH HELLO SELECT QUIT RESET,
// CLIENT and COMMAND, answered as Redis 7.0 answers them.

#include "respcommands.h"
#include "resppubsub.h"
#include "respwriter.h"

namespace kucun {

namespace {

// Redis's validateClientName: a name is printable ASCII without spaces.
bool isValidClientName(const QByteArray &name)
{
    for (const char c : name) {
        if (c < '!' || c > '~')
            return false;
    }
    return true;
}

constexpr char kBadClientName[]
    = "ERR Client names cannot contain spaces, newlines or special characters.";

QByteArray address(const QHostAddress &host, quint16 port)
{
    const QByteArray text = host.toString().toLatin1();
    return (host.protocol() == QAbstractSocket::IPv6Protocol ? '[' + text + ']' : text) + ':'
           + QByteArray::number(port);
}

}  // namespace

void RespCommands::ping(Call &call)
{
    if (call.size() > 2) {
        wrongArity(call, call.name);
        return;
    }
    // A subscribed RESP2 client cannot tell a reply from a message unless it is an array.
    if (m_pubsub.subscriptionCount(call.session.id) > 0) {
        resp::appendArrayHeader(call.out, 2);
        resp::appendBulk(call.out, "pong");
        resp::appendBulk(call.out, call.size() == 2 ? call.args[1] : QByteArray());
    } else if (call.size() == 1) {
        resp::appendSimple(call.out, "PONG");
    } else {
        resp::appendBulk(call.out, call.args[1]);
    }
}

void RespCommands::echo(Call &call)
{
    resp::appendBulk(call.out, call.args[1]);
}

bool RespCommands::authenticate(Call &call, const QByteArray &user, const QByteArray &password)
{
    // One user, "default", whose password is RESP_PASSWORD (any password when none is set).
    const bool passwordMatches = m_options.password.isEmpty() || password == m_options.password;
    if (user != "default" || !passwordMatches) {
        resp::appendError(call.out,
                          "WRONGPASS invalid username-password pair or user is disabled.");
        return false;
    }
    call.session.authenticated = true;
    return true;
}

void RespCommands::auth(Call &call)
{
    if (call.size() > 3) {
        resp::appendError(call.out, "ERR syntax error");
        return;
    }
    if (call.size() == 2 && m_options.password.isEmpty()) {
        resp::appendError(call.out, "ERR AUTH <password> called without any password configured "
                                    "for the default user. Are you sure your configuration is "
                                    "correct?");
        return;
    }
    const QByteArray user = call.size() == 2 ? QByteArrayLiteral("default") : call.args[1];
    if (authenticate(call, user, call.args.back()))
        resp::appendOk(call.out);
}

void RespCommands::hello(Call &call)
{
    qsizetype next = 1;
    if (call.size() >= 2) {
        bool ok = false;
        const qint64 version = call.args[next++].toLongLong(&ok);
        if (!ok) {
            resp::appendError(call.out, "ERR Protocol version is not an integer or out of range");
            return;
        }
        // RESP3 is not spoken: Redis answers an unsupported version so, and clients fall back.
        if (version != 2) {
            resp::appendError(call.out, "NOPROTO unsupported protocol version");
            return;
        }
    }
    std::optional<std::pair<QByteArray, QByteArray>> credentials;
    std::optional<QByteArray> name;
    for (qsizetype j = next; j < call.size(); ++j) {
        const qsizetype more = call.size() - 1 - j;
        const QByteArray option = call.word(j);
        if (option == "auth" && more >= 2) {
            credentials = {call.args[j + 1], call.args[j + 2]};
            j += 2;
        } else if (option == "setname" && more >= 1) {
            name = call.args[++j];
            if (!isValidClientName(*name)) {
                resp::appendError(call.out, kBadClientName);
                return;
            }
        } else {
            resp::appendError(call.out, "ERR Syntax error in HELLO option '" + call.args[j] + "'");
            return;
        }
    }
    if (credentials && !authenticate(call, credentials->first, credentials->second))
        return;
    if (!call.session.authenticated) {
        resp::appendError(call.out,
                          "NOAUTH HELLO must be called with the client already authenticated, "
                          "otherwise the HELLO AUTH <user> <pass> option can be used to "
                          "authenticate the client and select the RESP protocol version at the "
                          "same time");
        return;
    }
    if (name)
        call.session.name = *name;
    QByteArray &out = call.out;
    resp::appendArrayHeader(out, 14);
    resp::appendBulk(out, "server");
    resp::appendBulk(out, "redis");
    resp::appendBulk(out, "version");
    resp::appendBulk(out, kCompatibleVersion);
    resp::appendBulk(out, "proto");
    resp::appendInteger(out, 2);
    resp::appendBulk(out, "id");
    resp::appendInteger(out, call.session.id);
    resp::appendBulk(out, "mode");
    resp::appendBulk(out, "standalone");
    resp::appendBulk(out, "role");
    resp::appendBulk(out, "master");
    resp::appendBulk(out, "modules");
    resp::appendArrayHeader(out, 0);
}

void RespCommands::select(Call &call)
{
    bool ok = false;
    const qint64 index = call.args[1].toLongLong(&ok);
    if (!ok || index < INT_MIN || index > INT_MAX) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return;
    }
    // One database, as a Redis started with `databases 1`.
    if (index != 0)
        resp::appendError(call.out, "ERR DB index is out of range");
    else
        resp::appendOk(call.out);
}

void RespCommands::quit(Call &call)
{
    resp::appendOk(call.out);
    call.session.closeAfterReply = true;
}

void RespCommands::reset(Call &call)
{
    RespSession &session = call.session;
    m_pubsub.forget(session.id);
    session.inMulti = session.multiFailed = false;
    session.queued.clear();
    session.queuedBytes = 0;
    session.name.clear();
    session.authenticated = m_options.password.isEmpty();
    resp::appendSimple(call.out, "RESET");
}

void RespCommands::clientId(Call &call)
{
    resp::appendInteger(call.out, call.session.id);
}

void RespCommands::clientSetName(Call &call)
{
    if (!isValidClientName(call.args[2])) {
        resp::appendError(call.out, kBadClientName);
        return;
    }
    call.session.name = call.args[2];
    resp::appendOk(call.out);
}

void RespCommands::clientGetName(Call &call)
{
    if (call.session.name.isEmpty())
        resp::appendNullBulk(call.out);
    else
        resp::appendBulk(call.out, call.session.name);
}

QByteArray RespCommands::clientLine(const RespSession &session) const
{
    const qint64 now = RespSession::clockMs();
    QByteArray line;
    line += "id=" + QByteArray::number(session.id);
    line += " addr=" + address(session.peer, session.peerPort);
    line += " laddr=" + address(session.local, session.localPort);
    line += " fd=-1 name=" + session.name;
    line += " age=" + QByteArray::number((now - session.createdMs) / 1000);
    line += " idle=" + QByteArray::number((now - session.lastCommandMs) / 1000);
    const qsizetype channels = m_pubsub.channelsOf(session.id).size();
    const qsizetype patterns = m_pubsub.patternsOf(session.id).size();
    line += channels + patterns > 0 ? " flags=P" : " flags=N";
    line += " db=0 sub=" + QByteArray::number(channels) + " psub=" + QByteArray::number(patterns);
    line += " ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 "
            "omem=0 tot-mem=0 events=r";
    line += " cmd="
            + (session.lastCommand.isEmpty() ? QByteArrayLiteral("NULL") : session.lastCommand);
    line += " user=default redir=-1 resp=2";
    line += " lib-name=" + session.libraryName + " lib-ver=" + session.libraryVersion;
    return line;
}

void RespCommands::clientInfo(Call &call)
{
    resp::appendBulk(call.out, clientLine(call.session) + '\n');
}

void RespCommands::clientList(Call &call)
{
    // CLIENT LIST [TYPE normal|pubsub|…] [ID id …]
    QList<qint64> ids;
    for (qsizetype j = 2; j < call.size(); ++j) {
        const QByteArray option = call.word(j);
        if (option == "type" && j + 1 < call.size()) {
            const QByteArray type = call.word(++j);
            if (type != "normal" && type != "pubsub" && type != "master" && type != "replica") {
                resp::appendError(call.out, "ERR Unknown client type '" + call.args[j] + "'");
                return;
            }
        } else if (option == "id" && j + 1 < call.size()) {
            while (++j < call.size()) {
                bool ok = false;
                const qint64 id = call.args[j].toLongLong(&ok);
                if (!ok || id <= 0) {
                    resp::appendError(call.out, "ERR Invalid client ID");
                    return;
                }
                ids.append(id);
            }
        } else {
            resp::appendError(call.out, "ERR syntax error");
            return;
        }
    }
    QByteArray lines;
    for (const RespSession *session : m_clients.sessions()) {
        if (ids.isEmpty() || ids.contains(session->id))
            lines += clientLine(*session) + '\n';
    }
    resp::appendBulk(call.out, lines);
}

void RespCommands::clientSetInfo(Call &call)
{
    const QByteArray attribute = call.word(2);
    const QByteArray &value = call.args[3];
    if (attribute != "lib-name" && attribute != "lib-ver") {
        resp::appendError(call.out, "ERR Unrecognized option '" + call.args[2] + "'");
        return;
    }
    if (!isValidClientName(value)) {
        resp::appendError(call.out,
                          "ERR " + call.args[2]
                              + " cannot contain spaces, newlines or special characters.");
        return;
    }
    (attribute == "lib-name" ? call.session.libraryName : call.session.libraryVersion) = value;
    resp::appendOk(call.out);
}

void RespCommands::clientKill(Call &call)
{
    const QList<const RespSession *> sessions = m_clients.sessions();
    // The old form: CLIENT KILL ip:port, +OK or an error.
    if (call.size() == 3) {
        for (const RespSession *session : sessions) {
            if (address(session->peer, session->peerPort) == call.args[2]) {
                m_clients.kill(session->id);
                resp::appendOk(call.out);
                return;
            }
        }
        resp::appendError(call.out, "ERR No such client");
        return;
    }
    // The new form: filters, all of which a client must match; the number killed.
    std::optional<qint64> id;
    std::optional<QByteArray> peer;
    std::optional<QByteArray> local;
    bool skipMe = true;
    for (qsizetype j = 2; j < call.size(); j += 2) {
        if (j + 1 >= call.size()) {
            resp::appendError(call.out, "ERR syntax error");
            return;
        }
        const QByteArray option = call.word(j);
        const QByteArray &value = call.args[j + 1];
        if (option == "id") {
            bool ok = false;
            id = value.toLongLong(&ok);
            if (!ok || *id <= 0) {
                resp::appendError(call.out, "ERR client-id should be greater than 0");
                return;
            }
        } else if (option == "addr") {
            peer = value;
        } else if (option == "laddr") {
            local = value;
        } else if (option == "skipme") {
            const QByteArray answer = value.toLower();
            if (answer != "yes" && answer != "no") {
                resp::appendError(call.out, "ERR syntax error");
                return;
            }
            skipMe = answer == "yes";
        } else {
            resp::appendError(call.out, "ERR syntax error");
            return;
        }
    }
    qint64 killed = 0;
    for (const RespSession *session : sessions) {
        if ((id && session->id != *id)
            || (peer && address(session->peer, session->peerPort) != *peer)
            || (local && address(session->local, session->localPort) != *local)
            || (skipMe && session == &call.session))
            continue;
        killed += m_clients.kill(session->id) ? 1 : 0;
    }
    resp::appendInteger(call.out, killed);
}

void RespCommands::commandCount(Call &call)
{
    resp::appendInteger(call.out, m_topLevelCount);
}

void RespCommands::appendCommandInfo(QByteArray &out, const QByteArray &name) const
{
    const auto found = m_table.constFind(name);
    if (found == m_table.cend() || name.contains('|')) {
        resp::appendNullBulk(out);
        return;
    }
    // name, arity, flags, first key, last key, step, ACL categories, tips, key specs,
    // subcommands: enough for a client that reads arities (the key positions are not given).
    resp::appendArrayHeader(out, 10);
    resp::appendBulk(out, name);
    resp::appendInteger(out, found->arity);
    resp::appendArrayHeader(out, 0);
    resp::appendInteger(out, 0);
    resp::appendInteger(out, 0);
    resp::appendInteger(out, 0);
    for (int empty = 0; empty < 4; ++empty)
        resp::appendArrayHeader(out, 0);
}

void RespCommands::commandInfo(Call &call)
{
    QList<QByteArray> names;
    if (call.size() <= 2) {
        for (auto entry = m_table.cbegin(); entry != m_table.cend(); ++entry) {
            if (!entry.key().contains('|'))
                names.append(entry.key());
        }
        std::sort(names.begin(), names.end());
    } else {
        for (qsizetype j = 2; j < call.size(); ++j)
            names.append(call.word(j));
    }
    resp::appendArrayHeader(call.out, names.size());
    for (const QByteArray &name : std::as_const(names))
        appendCommandInfo(call.out, name);
}

void RespCommands::commandDocs(Call &call)
{
    // A map of command name to its documentation: the names this front knows, each with an
    // empty document (redis-cli then uses the help it carries itself).
    QList<QByteArray> names;
    if (call.size() == 2) {
        for (auto entry = m_table.cbegin(); entry != m_table.cend(); ++entry) {
            if (!entry.key().contains('|'))
                names.append(entry.key());
        }
        std::sort(names.begin(), names.end());
    } else {
        for (qsizetype j = 2; j < call.size(); ++j) {
            const QByteArray name = call.word(j);
            if (m_table.contains(name) && !name.contains('|'))
                names.append(name);
        }
    }
    resp::appendArrayHeader(call.out, names.size() * 2);
    for (const QByteArray &name : std::as_const(names)) {
        resp::appendBulk(call.out, name);
        resp::appendArrayHeader(call.out, 0);
    }
}

}  // namespace kucun
