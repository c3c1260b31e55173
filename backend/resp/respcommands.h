#pragma once

#include "respsession.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace kucun {

// The connections the commands may list and close (CLIENT LIST, CLIENT KILL): the server's.
class KeyAccessSketch;
class MemoryStore;
class RespPubSub;
class RespScripting;

class RespClients
{
public:
    virtual ~RespClients() = default;
    virtual QList<const RespSession *> sessions() const = 0;
    // Closes the connection of client `id` (after the reply when it is the caller's own);
    // false when there is none.
    virtual bool kill(qint64 id) = 0;
    // For INFO and CONFIG GET.
    virtual qint64 connectionsAccepted() const = 0;
    virtual int maxClients() const = 0;
    virtual quint16 port() const = 0;
};

// The commands of SPEC §12's Redis-protocol front, with Redis 7's arities, checks and error
// texts: a table of commands (name, arity as Redis counts it, flags, handler) in front of their
// handlers, which live in respcommands*.cpp by group. Runs in the engine thread, one request at a
// time, so that every command is atomic against every other client. docs/resp.md is the
// caller's view.
class RespCommands
{
public:
    struct Options
    {
        QByteArray password;  // RESP_PASSWORD: AUTH needed first when set (requirepass)
        MemoryStore *store = nullptr;  // the embedded engine's keys (required)
        // How long a script may run before it is stopped with BUSY.
        std::chrono::milliseconds scriptTimeLimit{5000};
        // Told of every read and write of a key, for the Hot keys panel (optional).
        KeyAccessSketch *keyAccess = nullptr;
    };

    // What HELLO and INFO say the server is: the Redis version whose commands and replies this
    // front follows, so that a client library enables what that version has.
    static constexpr char kCompatibleVersion[] = "7.0.0";

    RespCommands(Options options, RespClients &clients, RespPubSub &pubsub);
    ~RespCommands();

    // Runs one request of `session` (its arguments as sent, the name first) and appends the
    // reply to `out`.
    void execute(RespSession &session, const QList<QByteArray> &arguments, QByteArray &out);

private:
    struct Call
    {
        RespSession &session;
        const QList<QByteArray> &args;
        QByteArray &out;
        QByteArray name;  // lower case, as the table has it

        qsizetype size() const { return args.size(); }
        // Argument `i`, lower-cased: for keywords, which Redis compares without case.
        QByteArray word(qsizetype i) const { return args[i].toLower(); }
    };
    using Handler = void (RespCommands::*)(Call &);
    enum Flag : unsigned {
        kNoAuth = 1u << 0,  // runs before AUTH (AUTH, HELLO, QUIT, RESET)
        kContainer = 1u << 1,  // has subcommands, in the table as "name|sub"
        kPubSubContext = 1u << 2,  // allowed to a client in subscribed mode (RESP2)
        kRunsInMulti = 1u << 3,  // runs at once inside MULTI instead of being queued
        kNoScript = 1u << 4,  // refused to redis.call
    };
    struct Command
    {
        int arity = 0;  // Redis's: n exactly, or -n at least n, counting the name
        unsigned flags = 0;
        Handler handler = nullptr;
    };

    // The table's entry for a request, with its arity checked, and its full name
    // ("client|setname"); or why there is none.
    enum class Miss { None, UnknownCommand, UnknownSubcommand, WrongArity };
    struct Lookup
    {
        const Command *command = nullptr;
        QByteArray name;
        Miss miss = Miss::None;
    };
    Lookup lookup(const QList<QByteArray> &arguments) const;
    // lookup() for a client's request (call.name becomes the full name); null when refused, with
    // Redis's error for it written.
    const Command *resolve(Call &call);
    // Writes a refusal before the command runs; inside MULTI it dooms the transaction.
    static void reject(Call &call, const QByteArray &error);
    static void wrongArity(Call &call, const QByteArray &fullName);
    // A subcommand's own check of its arguments failed (Redis's addReplySubcommandSyntaxError).
    static void subcommandSyntaxError(Call &call);
    void addCommands();

    // Connection (respcommandsconnection.cpp).
    void ping(Call &call);
    void echo(Call &call);
    void auth(Call &call);
    void hello(Call &call);
    void select(Call &call);
    void quit(Call &call);
    void reset(Call &call);
    void clientId(Call &call);
    void clientSetName(Call &call);
    void clientGetName(Call &call);
    void clientInfo(Call &call);
    void clientList(Call &call);
    void clientSetInfo(Call &call);
    void clientKill(Call &call);
    void commandCount(Call &call);
    void commandDocs(Call &call);
    void commandInfo(Call &call);
    // Transactions (respcommandsmulti.cpp).
    void multi(Call &call);
    void exec(Call &call);
    void discard(Call &call);
    void queue(Call &call);
    // Strings (respcommandsstrings.cpp).
    void get(Call &call);
    void set(Call &call);
    void setex(Call &call);  // SETEX and PSETEX
    void setnx(Call &call);
    void getdel(Call &call);
    void getex(Call &call);
    void mget(Call &call);
    void mset(Call &call);
    void incrBy(Call &call);  // INCR INCRBY DECR DECRBY
    void incrByFloat(Call &call);
    void append(Call &call);
    void strlen(Call &call);
    // Keys (respcommandskeys.cpp).
    void del(Call &call);  // DEL and UNLINK
    void exists(Call &call);
    void type(Call &call);
    void expire(Call &call);  // EXPIRE PEXPIRE EXPIREAT PEXPIREAT
    void ttl(Call &call);  // TTL and PTTL
    void persist(Call &call);
    void scan(Call &call);
    void keys(Call &call);
    void rename(Call &call);
    void dbsize(Call &call);
    void flushdb(Call &call);  // FLUSHDB and FLUSHALL
    // A string's value, counted as a hit or a miss (INFO's keyspace_hits and _misses).
    std::optional<QByteArray> readString(const QByteArray &key);
    // A read of `key` for INFO's counters and the key access sketch; a write for the sketch.
    void countRead(const QByteArray &key, bool hit);
    void countWrite(const QByteArray &key, qint64 ttlMs);
    // Stores a string (`ttlMs` 0: none); false with -OOM written when it does not fit.
    bool writeString(Call &call, const QByteArray &key, const QByteArray &value, qint64 ttlMs);
    // What is left of the key's TTL in ms, 0 for none: for the commands that keep it.
    qint64 keptTtl(const QByteArray &key) const;
    // EX PX EXAT PXAT and their value at args[j] (j moves past it); nothing when refused (the
    // error written). `command` names it in the error.
    struct Expiry
    {
        qint64 ttlMs = 0;  // from now; 0 or below: already past
    };
    std::optional<Expiry> parseExpiry(Call &call, qsizetype &j, const QByteArray &command);
    // SCAN's and SSCAN's cursor and options (args[at] on); nothing when refused, the error
    // written. TYPE only where `withType`.
    struct ScanOptions
    {
        quint64 cursor = 0;
        QByteArray pattern = "*";
        qint64 count = 10;
        QByteArray type;  // lower case; empty: any
    };
    std::optional<ScanOptions> parseScanOptions(Call &call, qsizetype at, bool withType);
    // Sets and hashes (respcommandscollections.cpp).
    void sadd(Call &call);
    void srem(Call &call);
    void smembers(Call &call);
    void scard(Call &call);
    void sismember(Call &call);
    void sscan(Call &call);
    void hset(Call &call);
    void hget(Call &call);
    void hmget(Call &call);
    void hgetall(Call &call);
    void hdel(Call &call);
    void hincrby(Call &call);
    void hlen(Call &call);
    void hexists(Call &call);
    // -WRONGTYPE for a set or hash command on a string, and the other way round (string
    // commands on a set or hash): true when refused, the error written.
    bool refuseString(Call &call, const QByteArray &key);
    bool refuseCollection(Call &call, const QByteArray &key);
    // -OOM for a write that would grow what cannot be evicted past the budget.
    bool refuseOverBudget(Call &call);
    // Run `use` on args[1]'s set or hash (T: MemorySet or MemoryHash), refusing the other
    // types; false when refused. readCollection: `use(T *)`, nullptr for a missing key; a Read
    // counts as a keyspace hit or miss, as Redis counts its read lookups.
    enum class Access { Read, Write };
    template <typename T, typename F> bool readCollection(Call &call, Access access, F &&use);
    // writeCollection: `use(T &)`, on a new one for a missing key.
    template <typename T, typename F> bool writeCollection(Call &call, F &&use);
    // Server (respcommandsserver.cpp).
    void info(Call &call);
    void configGet(Call &call);
    void time(Call &call);
    // Scripting (respcommandsscripting.cpp).
    void eval(Call &call);  // EVAL and EVALSHA
    void scriptLoad(Call &call);
    void scriptExists(Call &call);
    void scriptFlush(Call &call);
    void runForScript(const QList<QByteArray> &arguments, QByteArray &out);
    RespScripting &scripting();  // made when first used
    // Pub/sub (respcommandspubsub.cpp).
    void subscribe(Call &call);  // SUBSCRIBE and PSUBSCRIBE
    void unsubscribe(Call &call);  // UNSUBSCRIBE and PUNSUBSCRIBE
    void publish(Call &call);
    void pubsubChannels(Call &call);
    void pubsubNumsub(Call &call);
    void pubsubNumpat(Call &call);
    void appendCommandInfo(QByteArray &out, const QByteArray &name) const;
    // The password check of AUTH and HELLO … AUTH: true when it let the session in, else the
    // error is written.
    bool authenticate(Call &call, const QByteArray &user, const QByteArray &password);
    QByteArray clientLine(const RespSession &session) const;

    const Options m_options;
    RespClients &m_clients;
    RespPubSub &m_pubsub;
    std::unique_ptr<RespScripting> m_scripting;
    RespSession m_scriptSession;  // the client scripts run as (authenticated, id 0)
    const qint64 m_startedMs = RespSession::clockMs();
    qint64 m_commandsProcessed = 0;
    qint64 m_hits = 0;
    qint64 m_nowMs = 0;  // the running request's time (MemoryStore::nowMs())
    qint64 m_misses = 0;
    QHash<QByteArray, Command> m_table;  // commands, and subcommands as "client|id"
    // The table again, for lookup() by the bytes of a lower-cased name: std::hash of a few
    // bytes costs a fraction of qHash's, and lookup() runs for every request. The table is not
    // changed after it is built, so its iterators and keys stay put.
    std::unordered_map<std::string_view, QHash<QByteArray, Command>::const_iterator> m_byName;
    mutable QByteArray m_loweredName;  // lookup()'s scratch
    QByteArray m_valueScratch;  // get()'s
    qsizetype m_topLevelCount = 0;
};

}  // namespace kucun
