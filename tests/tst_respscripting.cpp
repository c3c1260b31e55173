// EVAL, EVALSHA and SCRIPT of the Redis-protocol front (SPEC §12) against a real redis-server:
// the same scripts to both, every reply compared byte for byte (the conversions between Lua and
// RESP, the errors and where they say they happened, the sandbox); and a script that loops is
// stopped while the hub goes on answering.

#include "support/respcomparison.h"

#include <QElapsedTimer>
#include <QTest>

using kucun::test::RedisAndFront;
using kucun::test::RespClient;

using Request = QList<QByteArray>;

class TestRespScripting : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameAsRedis_data();
    void sameAsRedis();
    void loopingScriptIsStopped();
    void hostileValuesLeaveTheFrontStanding();

private:
    RedisAndFront m_servers;
};

void TestRespScripting::initTestCase()
{
    QVERIFY(m_servers.start());
}

void TestRespScripting::cleanupTestCase()
{
    m_servers.stop();
}

namespace {

Request eval(const QByteArray &script)
{
    return {"EVAL", script, "1", "k1", "a1"};
}

}  // namespace

void TestRespScripting::sameAsRedis_data()
{
    QTest::addColumn<QList<Request>>("requests");
    QTest::newRow("numbers, strings, booleans, nil")
        << QList<Request>{eval("return 1"),
                          eval("return 3.99"),
                          eval("return -3.5"),
                          eval("return 'text'"),
                          eval("return true"),
                          eval("return false"),
                          eval("return nil"),
                          eval("return KEYS[1]..ARGV[1]"),
                          eval("return #KEYS + #ARGV"),
                          eval("return")};
    QTest::newRow("tables") << QList<Request>{eval("return {1,2,{3,'x'},nil,5}"),
                                              eval("return {'a',false,'b'}"),
                                              eval("return {}"),
                                              eval("return {ok='fine'}"),
                                              eval("return {err='bad thing'}"),
                                              eval("return {err='two\\nlines'}"),
                                              eval("return redis.error_reply('My Error')"),
                                              eval("return redis.status_reply('YES')"),
                                              eval("return {x=1, 7}")};
    QTest::newRow("redis.call") << QList<Request>{eval("return redis.call('PING')"),
                                                  eval("return redis.call('echo', 'x')"),
                                                  eval("return redis.call('ECHO', 3)"),
                                                  eval("return redis.call('ECHO', 3.5)"),
                                                  eval("return type(redis.call('ECHO','a'))"),
                                                  eval("return redis.call('PUBLISH', 'a', 'b')"),
                                                  eval("return redis.call('PUBSUB', 'NUMPAT')"),
                                                  eval("return redis.call('SELECT', '0')"),
                                                  eval("return redis.call('PING', 'a', 'b')")};
    QTest::newRow("redis.call refusals")
        << QList<Request>{eval("return redis.call('ECHO')"),
                          eval("return redis.call('FOO')"),
                          eval("return redis.call('SUBSCRIBE','a')"),
                          eval("return redis.call('CLIENT','ID')"),
                          eval("return redis.call('CLIENT','FOO')"),
                          eval("return redis.call('MULTI')"),
                          eval("return redis.call('EVAL','return 1','0')"),
                          eval("return redis.call('SELECT','x')"),
                          eval("return redis.call()"),
                          eval("return redis.call(1)"),
                          eval("return redis.call({})"),
                          eval("return redis.call('ECHO', true)"),
                          eval("local x = 1\nreturn redis.call('FOO')")};
    QTest::newRow("redis.pcall") << QList<Request>{
        eval("return redis.pcall('FOO')"), eval("return redis.pcall('ECHO')"),
        eval("local r = redis.pcall('SELECT','x') return r['err']"),
        eval("return redis.pcall('ECHO', 'fine')")};
    QTest::newRow("script errors")
        << QList<Request>{eval("return x"),
                          eval("x = 1"),
                          eval("error('boom')"),
                          eval("\n\nerror('on line three')"),
                          eval("error({err='tbl'})"),
                          eval("return ("),
                          eval("local t = nil; return t.x"),
                          eval("return redis.error_reply()"),
                          eval("return redis.status_reply(1, 2)"),
                          eval("return redis.error_reply('-CODE detail')")};
    QTest::newRow("sandbox") << QList<Request>{eval("return os"),
                                               eval("return io"),
                                               eval("return debug"),
                                               eval("return print"),
                                               eval("return dofile"),
                                               eval("return loadfile"),
                                               eval("return loadstring"),
                                               eval("return type(setfenv)"),
                                               eval("return type(rawset)"),
                                               eval("return type(coroutine)"),
                                               eval("return _VERSION"),
                                               eval("return redis.LOG_WARNING"),
                                               eval("return redis.sha1hex('')"),
                                               eval("return type(redis.replicate_commands)")};
    QTest::newRow("keys and arguments")
        << QList<Request>{{"EVAL", "return 1", "-1"},
                          {"EVAL", "return 1", "3", "a"},
                          {"EVAL", "return 1", "x"},
                          {"EVAL", "return 1"},
                          {"EVAL", "return {KEYS[1], KEYS[2], ARGV[1]}", "2", "a", "b", "c"},
                          {"EVAL", "return ARGV", "0", "x", "y"}};
    QTest::newRow("evalsha and script")
        << QList<Request>{{"EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"},
                          {"SCRIPT", "LOAD", "return 1"},
                          {"EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"},
                          {"EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0"},
                          {"SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "00"},
                          {"SCRIPT", "LOAD", "return ("},
                          {"SCRIPT", "FLUSH", "NOW"},
                          {"SCRIPT", "FLUSH"},
                          {"SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"},
                          {"SCRIPT", "NOPE"},
                          {"EVALSHA", "nope", "x"}};
    // The lock release of the seed's locks: compare and delete, here on what the front has.
    QTest::newRow("a lock library's shape")
        << QList<Request>{{"EVAL",
                           "if redis.call('ECHO', ARGV[1]) == ARGV[1] then return 1 else return 0 "
                           "end",
                           "1", "lock:k", "token"}};
}

void TestRespScripting::sameAsRedis()
{
    QFETCH(QList<Request>, requests);
    QList<QByteArray> bytes;
    for (const Request &request : requests)
        bytes.append(RespClient::encode(request));
    kucun::test::compareReplies(m_servers.front->port(), m_servers.redis->port(), bytes);
}

void TestRespScripting::loopingScriptIsStopped()
{
    RespClient client;
    QVERIFY(client.connectTo(m_servers.front->port()));
    // A loop, and a loop that tries to catch its own stop: both end with BUSY (5 s each).
    for (const QByteArray &script :
         {QByteArray("while true do end"),
          QByteArray("while true do pcall(function() while true do end end) end")}) {
        const QByteArray reply = client.send(RespClient::encode({"EVAL", script, "0"}), 1);
        QVERIFY2(reply.startsWith("-BUSY the script ran for more than 5000 ms"), reply.constData());
    }
    // The front answers again, and the next script runs in full.
    QCOMPARE(client.command({"EVAL", "local n = 0 for i = 1, 1000 do n = n + i end return n", "0"}),
             QByteArray(":500500\r\n"));
}

// Tables whose metamethods raise, where the front reads what a script returned or raised outside
// Lua's protection: an error there would end the process.
void TestRespScripting::hostileValuesLeaveTheFrontStanding()
{
    RespClient client;
    QVERIFY(client.connectTo(m_servers.front->port()));
    const QByteArray returned = client.command(
        {"EVAL", "return setmetatable({}, {__index = function() error('no') end})", "0"});
    QCOMPARE(returned, QByteArray("*0\r\n"));
    const QByteArray raised = client.command(
        {"EVAL",
         "error(setmetatable({}, {__index = function() error('a') end, __newindex = function() "
         "error('b') end}))",
         "0"});
    QVERIFY2(raised.startsWith("-"), raised.constData());
    // A table that holds itself: nested as deep as the front goes, then an error in its place.
    const QByteArray deep
        = client.sendUntil(RespClient::encode({"EVAL", "local t = {} t[1] = t return t", "0"})
                               + RespClient::encode({"PING"}),
                           "+PONG\r\n");
    QVERIFY2(deep.startsWith("*1\r\n*1\r\n"), deep.left(80).constData());
    QVERIFY2(deep.endsWith("-ERR reached lua stack limit\r\n+PONG\r\n"),
             deep.right(80).constData());
}

QTEST_GUILESS_MAIN(TestRespScripting)
#include "tst_respscripting.moc"
