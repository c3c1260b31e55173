#include "respscripting.h"

#include <QCryptographicHash>
#include <QElapsedTimer>

#include <hiredis/hiredis.h>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

#include <cstring>
#include <memory>

namespace kucun {

namespace {

constexpr char kScripts[] = "kucun_scripts";  // registry: compiled scripts by sha
constexpr char kErrorHandler[] = "kucun_error_handler";  // registry
constexpr int kHookInstructions = 100000;  // how often the time limit is looked at
constexpr int kMaxReplyDepth = 100;  // nested tables in a reply (a table may hold itself)

// What the C functions below need of the script running now (one at a time, engine thread).
struct Running
{
    const RespScripting::Runner *runner = nullptr;
    QElapsedTimer clock;
    qint64 limitMs = 0;
    bool timedOut = false;
};
Running *g_running = nullptr;

// Field access without metamethods: what a script returns or raises is read outside any
// protected call, where a metamethod's error would end the process.
void pushRawField(lua_State *lua, int index, const char *name)
{
    lua_pushvalue(lua, index);
    lua_pushstring(lua, name);
    lua_rawget(lua, -2);
    lua_remove(lua, -2);
}

void setRawField(lua_State *lua, int index, const char *name)
{
    lua_pushvalue(lua, index);
    lua_pushstring(lua, name);
    lua_pushvalue(lua, -3);
    lua_rawset(lua, -3);
    lua_pop(lua, 2);
}

QByteArray errorLine(QByteArray text)
{
    text.replace('\r', ' ').replace('\n', ' ');
    return '-' + text + "\r\n";
}

// --- RESP → Lua (what redis.call returns) -------------------------------------------------

// Leaves the reply converted on the stack; false (nothing left) when it nests deeper than the
// stack may grow.
bool pushReply(lua_State *lua, const redisReply *reply)
{
    if (!lua_checkstack(lua, 4))
        return false;
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        lua_pushnumber(lua, lua_Number(reply->integer));
        break;
    case REDIS_REPLY_STRING:
        lua_pushlstring(lua, reply->str, reply->len);
        break;
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        lua_newtable(lua);
        lua_pushstring(lua, reply->type == REDIS_REPLY_STATUS ? "ok" : "err");
        lua_pushlstring(lua, reply->str, reply->len);
        lua_settable(lua, -3);
        break;
    case REDIS_REPLY_ARRAY:
        lua_newtable(lua);
        for (size_t i = 0; i < reply->elements; ++i) {
            if (!pushReply(lua, reply->element[i])) {
                lua_pop(lua, 1);
                return false;
            }
            lua_rawseti(lua, -2, int(i + 1));
        }
        break;
    default:  // a nil bulk or array
        lua_pushboolean(lua, 0);
        break;
    }
    return true;
}

// --- Lua → RESP (what a script returns) ---------------------------------------------------

void appendValue(lua_State *lua, QByteArray &out, int depth)
{
    switch (lua_type(lua, -1)) {
    case LUA_TSTRING: {
        size_t length = 0;
        const char *text = lua_tolstring(lua, -1, &length);
        out.append('$').append(QByteArray::number(qulonglong(length))).append("\r\n");
        out.append(text, qsizetype(length)).append("\r\n");
        return;
    }
    case LUA_TBOOLEAN:
        out.append(lua_toboolean(lua, -1) ? ":1\r\n" : "$-1\r\n");
        return;
    case LUA_TNUMBER:
        out.append(':').append(QByteArray::number(qint64(lua_tonumber(lua, -1)))).append("\r\n");
        return;
    case LUA_TTABLE:
        break;
    default:
        out.append("$-1\r\n");
        return;
    }
    // Each level holds one more value on Lua's stack, which grows only when asked to.
    if (depth > kMaxReplyDepth || !lua_checkstack(lua, 3)) {
        out.append(errorLine("ERR reached lua stack limit"));
        return;
    }
    // {err=…} is an error, {ok=…} a status; anything else an array up to its first nil.
    pushRawField(lua, -1, "err");
    if (lua_isstring(lua, -1)) {
        out.append(errorLine(QByteArray(lua_tostring(lua, -1))));
        lua_pop(lua, 1);
        return;
    }
    lua_pop(lua, 1);
    pushRawField(lua, -1, "ok");
    if (lua_isstring(lua, -1)) {
        QByteArray status(lua_tostring(lua, -1));
        status.replace('\r', ' ').replace('\n', ' ');
        out.append('+').append(status).append("\r\n");
        lua_pop(lua, 1);
        return;
    }
    lua_pop(lua, 1);
    QByteArray elements;
    int count = 0;
    for (;; ++count) {
        lua_rawgeti(lua, -1, count + 1);
        if (lua_isnil(lua, -1)) {
            lua_pop(lua, 1);
            break;
        }
        appendValue(lua, elements, depth + 1);
        lua_pop(lua, 1);
    }
    out.append('*').append(QByteArray::number(count)).append("\r\n").append(elements);
}

// --- the error handler: where an error happened, as Redis reports it ------------------------

int errorHandler(lua_State *lua)
{
    // Level 1 raised the error; when that is a C function (error, redis.call), the script's
    // line is one further out.
    lua_Debug where;
    bool found = lua_getstack(lua, 1, &where) && lua_getinfo(lua, "Sl", &where);
    if (found && QByteArrayView(where.what) == "C")
        found = lua_getstack(lua, 2, &where) && lua_getinfo(lua, "Sl", &where);
    if (!lua_istable(lua, 1)) {
        const char *text = lua_tostring(lua, 1);
        lua_newtable(lua);
        lua_pushfstring(lua, "ERR %s", text ? text : "unknown error");
        setRawField(lua, -2, "err");
        lua_replace(lua, 1);
        lua_settop(lua, 1);
    }
    if (found) {
        lua_pushstring(lua, where.source);
        setRawField(lua, 1, "source");
        lua_pushinteger(lua, where.currentline);
        setRawField(lua, 1, "line");
    }
    return 1;
}

// --- the redis table ------------------------------------------------------------------------
//
// Lua raises errors with longjmp, which skips C++ destructors: no function below calls lua_error
// (or a luaL_check* that may raise) while an object with a destructor is alive in it. The work
// is done in helpers that leave either the result or an error table on the stack, and only
// their plain-C callers raise.

// Leaves {err=text} on the stack (the handler adds where, once raised).
void pushErrorTable(lua_State *lua, const char *text, size_t length)
{
    lua_newtable(lua);
    lua_pushlstring(lua, text, length);
    lua_setfield(lua, -2, "err");
}

void pushErrorTable(lua_State *lua, const char *text)
{
    pushErrorTable(lua, text, std::strlen(text));
}

// Runs the command redis.call or redis.pcall names; leaves its reply on the stack and returns
// true, or leaves an error table and returns false when it is to be raised.
bool runCommand(lua_State *lua, bool raiseErrors)
{
    const int count = lua_gettop(lua);
    if (count == 0) {
        pushErrorTable(lua, "ERR Please specify at least one argument for this redis lib call");
        return false;
    }
    QList<QByteArray> arguments;
    arguments.reserve(count);
    for (int i = 1; i <= count; ++i) {
        const int type = lua_type(lua, i);
        if (type == LUA_TNUMBER) {
            // Redis writes a number as "%.17g": 3 stays "3", 3.5 "3.5".
            arguments.append(QByteArray::number(double(lua_tonumber(lua, i)), 'g', 17));
        } else if (type == LUA_TSTRING) {
            size_t length = 0;
            const char *text = lua_tolstring(lua, i, &length);
            arguments.append(QByteArray(text, qsizetype(length)));
        } else {
            pushErrorTable(lua, "ERR Lua redis lib command arguments must be strings or integers");
            return false;
        }
    }
    QByteArray reply;
    (*g_running->runner)(arguments, reply);
    std::unique_ptr<redisReader, void (*)(redisReader *)> reader(redisReaderCreate(),
                                                                 redisReaderFree);
    redisReaderFeed(reader.get(), reply.constData(), size_t(reply.size()));
    void *parsed = nullptr;
    if (redisReaderGetReply(reader.get(), &parsed) != REDIS_OK || !parsed) {
        pushErrorTable(lua, "ERR the command gave no reply");
        return false;
    }
    std::unique_ptr<redisReply, void (*)(void *)> answer(static_cast<redisReply *>(parsed),
                                                         freeReplyObject);
    if (raiseErrors && answer->type == REDIS_REPLY_ERROR) {
        pushErrorTable(lua, answer->str, answer->len);
        return false;
    }
    if (!pushReply(lua, answer.get())) {
        pushErrorTable(lua, "ERR reached lua stack limit");
        return false;
    }
    return true;
}

int redisCommand(lua_State *lua, bool raiseErrors)
{
    return runCommand(lua, raiseErrors) ? 1 : lua_error(lua);
}

int redisCall(lua_State *lua)
{
    return redisCommand(lua, true);
}

int redisPcall(lua_State *lua)
{
    return redisCommand(lua, false);
}

// redis.error_reply and redis.status_reply: {err=…} or {ok=…}; a wrong argument gives an
// error table back rather than raising, as in Redis.
int replyTable(lua_State *lua, const char *field)
{
    lua_newtable(lua);
    if (lua_gettop(lua) != 2 || !lua_isstring(lua, 1)) {
        lua_pushstring(lua, "ERR wrong number or type of arguments");
        lua_setfield(lua, -2, "err");
        return 1;
    }
    const char *text = lua_tostring(lua, 1);
    lua_pushstring(lua, QByteArrayView(field) == "err" && text[0] == '-' ? text + 1 : text);
    lua_setfield(lua, -2, field);
    return 1;
}

int redisErrorReply(lua_State *lua)
{
    return replyTable(lua, "err");
}

int redisStatusReply(lua_State *lua)
{
    return replyTable(lua, "ok");
}

int redisSha1Hex(lua_State *lua)
{
    size_t length = 0;
    const char *text = luaL_checklstring(lua, 1, &length);
    const QByteArray hex = RespScripting::sha1Hex(QByteArray(text, qsizetype(length)));
    lua_pushlstring(lua, hex.constData(), size_t(hex.size()));
    return 1;
}

int redisNothing(lua_State *)
{
    return 0;
}

int redisTrue(lua_State *lua)
{
    lua_pushboolean(lua, 1);
    return 1;
}

// Every few instructions: past the time limit, every instruction after raises, so that no
// pcall inside the script can keep it going.
void watchTime(lua_State *lua, lua_Debug *)
{
    if (!g_running || g_running->clock.elapsed() <= g_running->limitMs)
        return;
    g_running->timedOut = true;
    lua_sethook(lua, watchTime, LUA_MASKCOUNT, 1);
    luaL_error(lua, "the script ran out of time");
}

// Globals a script may neither read when undefined nor create (Redis 7.0's rules), as C
// functions so that an error names the script's line. loadstring reads as nil, as in Redis.
// The message is built on the Lua stack: nothing with a destructor is alive at lua_error.
int raiseAtScriptLine(lua_State *lua, int parts)
{
    luaL_where(lua, 1);  // 0 is this metamethod, 1 the script
    lua_insert(lua, -parts - 1);
    lua_concat(lua, parts + 1);
    return lua_error(lua);
}

int readMissingGlobal(lua_State *lua)
{
    size_t length = 0;
    const char *name = lua_tolstring(lua, 2, &length);
    if (name && length == 10 && std::memcmp(name, "loadstring", 10) == 0)
        return 0;
    lua_pushstring(lua, "Script attempted to access nonexistent global variable '");
    if (name)
        lua_pushlstring(lua, name, length);
    else
        lua_pushstring(lua, "?");
    lua_pushstring(lua, "'");
    return raiseAtScriptLine(lua, 3);
}

int writeGlobal(lua_State *lua)
{
    lua_pushstring(lua, "Attempt to modify a readonly table");
    return raiseAtScriptLine(lua, 1);
}

}  // namespace

RespScripting::RespScripting(std::chrono::milliseconds timeLimit)
    : m_timeLimit(timeLimit)
{
    setUp();
}

RespScripting::~RespScripting()
{
    lua_close(m_lua);
}

void RespScripting::setUp()
{
    m_lua = luaL_newstate();
    lua_State *lua = m_lua;
    const std::pair<const char *, lua_CFunction> libraries[] = {
        {"", luaopen_base},
        {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math},
    };
    for (const auto &[name, open] : libraries) {
        lua_pushcfunction(lua, open);
        lua_pushstring(lua, name);
        lua_call(lua, 1, 0);
    }
    // Nothing that reaches files, the process or other code.
    for (const char *name :
         {"loadfile", "dofile", "loadstring", "print", "setfenv", "getfenv", "module", "require"}) {
        lua_pushnil(lua);
        lua_setglobal(lua, name);
    }

    lua_newtable(lua);
    const std::pair<const char *, lua_CFunction> functions[] = {
        {"call", redisCall},
        {"pcall", redisPcall},
        {"error_reply", redisErrorReply},
        {"status_reply", redisStatusReply},
        {"sha1hex", redisSha1Hex},
        {"log", redisNothing},
        {"replicate_commands", redisTrue},
        {"set_repl", redisNothing},
        {"setresp", redisNothing},
    };
    for (const auto &[name, function] : functions) {
        lua_pushcfunction(lua, function);
        lua_setfield(lua, -2, name);
    }
    const std::pair<const char *, int> constants[] = {
        {"LOG_DEBUG", 0},   {"LOG_VERBOSE", 1},  {"LOG_NOTICE", 2},
        {"LOG_WARNING", 3}, {"REPL_NONE", 0},    {"REPL_AOF", 1},
        {"REPL_SLAVE", 2},  {"REPL_REPLICA", 2}, {"REPL_ALL", 3},
    };
    for (const auto &[name, value] : constants) {
        lua_pushinteger(lua, value);
        lua_setfield(lua, -2, name);
    }
    lua_setglobal(lua, "redis");

    lua_pushcfunction(lua, errorHandler);
    lua_setfield(lua, LUA_REGISTRYINDEX, kErrorHandler);
    lua_newtable(lua);
    lua_setfield(lua, LUA_REGISTRYINDEX, kScripts);
    // Last: from here on the globals are closed.
    lua_newtable(lua);
    lua_pushcfunction(lua, readMissingGlobal);
    lua_setfield(lua, -2, "__index");
    lua_pushcfunction(lua, writeGlobal);
    lua_setfield(lua, -2, "__newindex");
    lua_setmetatable(lua, LUA_GLOBALSINDEX);
}

QByteArray RespScripting::sha1Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex();
}

bool RespScripting::compile(const QByteArray &sha, const QByteArray &body, QByteArray &errorOut)
{
    if (m_bodies.contains(sha))
        return true;
    lua_State *lua = m_lua;
    if (luaL_loadbuffer(lua, body.constData(), size_t(body.size()), "@user_script") != 0) {
        errorOut.append(errorLine("ERR Error compiling script (new function): "
                                  + QByteArray(lua_tostring(lua, -1))));
        lua_pop(lua, 1);
        return false;
    }
    lua_getfield(lua, LUA_REGISTRYINDEX, kScripts);
    lua_pushlstring(lua, sha.constData(), size_t(sha.size()));
    lua_pushvalue(lua, -3);
    lua_settable(lua, -3);
    lua_pop(lua, 2);
    m_bodies.insert(sha, body);
    return true;
}

QByteArray RespScripting::load(const QByteArray &body, QByteArray &errorOut)
{
    const QByteArray sha = sha1Hex(body);
    return compile(sha, body, errorOut) ? sha : QByteArray();
}

bool RespScripting::exists(const QByteArray &sha) const
{
    return m_bodies.contains(sha.toLower());
}

void RespScripting::flush()
{
    m_bodies.clear();
    lua_newtable(m_lua);
    lua_setfield(m_lua, LUA_REGISTRYINDEX, kScripts);
    lua_gc(m_lua, LUA_GCCOLLECT, 0);
}

void RespScripting::eval(const QByteArray &body, const QList<QByteArray> &keys,
                         const QList<QByteArray> &arguments, const Runner &runner, QByteArray &out)
{
    const QByteArray sha = sha1Hex(body);
    if (compile(sha, body, out))
        run(sha, keys, arguments, runner, out);
}

bool RespScripting::evalSha(const QByteArray &sha, const QList<QByteArray> &keys,
                            const QList<QByteArray> &arguments, const Runner &runner,
                            QByteArray &out)
{
    const QByteArray known = sha.toLower();
    if (!m_bodies.contains(known))
        return false;
    run(known, keys, arguments, runner, out);
    return true;
}

void RespScripting::run(const QByteArray &sha, const QList<QByteArray> &keys,
                        const QList<QByteArray> &arguments, const Runner &runner, QByteArray &out)
{
    lua_State *lua = m_lua;
    const int base = lua_gettop(lua);
    // KEYS and ARGV, set past the closed globals.
    for (const auto &[name, values] : {std::pair{"KEYS", &keys}, std::pair{"ARGV", &arguments}}) {
        lua_pushstring(lua, name);
        lua_createtable(lua, int(values->size()), 0);
        for (qsizetype i = 0; i < values->size(); ++i) {
            lua_pushlstring(lua, values->at(i).constData(), size_t(values->at(i).size()));
            lua_rawseti(lua, -2, int(i + 1));
        }
        lua_rawset(lua, LUA_GLOBALSINDEX);
    }
    lua_getfield(lua, LUA_REGISTRYINDEX, kErrorHandler);
    lua_getfield(lua, LUA_REGISTRYINDEX, kScripts);
    lua_pushlstring(lua, sha.constData(), size_t(sha.size()));
    lua_gettable(lua, -2);
    lua_remove(lua, -2);

    Running running;
    running.runner = &runner;
    running.limitMs = m_timeLimit.count();
    running.clock.start();
    g_running = &running;
    lua_sethook(lua, watchTime, LUA_MASKCOUNT, kHookInstructions);
    const int status = lua_pcall(lua, 0, 1, base + 1);
    lua_sethook(lua, nullptr, 0, 0);
    g_running = nullptr;

    if (running.timedOut) {
        out.append(errorLine("BUSY the script ran for more than "
                             + QByteArray::number(m_timeLimit.count())
                             + " ms and was stopped (what it wrote before stays written)"));
    } else if (status != 0) {
        QByteArray message = "ERR unknown error";
        QByteArray source = "?";
        QByteArray line = "0";
        if (lua_istable(lua, -1)) {
            pushRawField(lua, -1, "err");
            if (lua_isstring(lua, -1))
                message = lua_tostring(lua, -1);
            pushRawField(lua, -2, "source");
            if (lua_isstring(lua, -1))
                source = lua_tostring(lua, -1);
            pushRawField(lua, -3, "line");
            if (lua_isnumber(lua, -1))
                line = QByteArray::number(qint64(lua_tonumber(lua, -1)));
            lua_pop(lua, 3);
        } else if (lua_isstring(lua, -1)) {
            message = "ERR " + QByteArray(lua_tostring(lua, -1));  // out of memory and the like
        }
        out.append(errorLine(message + " script: " + sha + ", on " + source + ':' + line + '.'));
    } else {
        appendValue(lua, out, 0);
    }
    lua_settop(lua, base);
    lua_gc(lua, LUA_GCSTEP, 1);
}

}  // namespace kucun
