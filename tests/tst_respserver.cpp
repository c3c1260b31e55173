// The Redis-protocol front (SPEC §12) against a real redis-server: the same requests to both,
// every reply compared byte for byte. This file: the connection commands, errors before any
// command runs (unknown commands, arity, NOAUTH), inline requests, protocol errors, limits.

#include "resp/respserver.h"
#include "support/respcomparison.h"

#include <QTest>

using kucun::RespServer;
using kucun::test::RedisAndFront;
using kucun::test::RespClient;

namespace {

QList<QByteArray> words(const char *line)
{
    return QByteArray(line).split(' ');
}

}  // namespace

class TestRespServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameReplies_data();
    void sameReplies();
    void sameRepliesWithPassword_data();
    void sameRepliesWithPassword();
    void quitCloses();
    void protocolErrorClosesAfterItsReply();
    void clientKill();

private:
    // Sends each request to both and compares the replies; a request is raw bytes when it ends
    // with "\r\n" (inline, or hand-made RESP), else words of a multibulk request.
    static void compare(const RedisAndFront &pair, const QList<QByteArray> &requests);

    RedisAndFront m_open;
    RedisAndFront m_guarded;  // both with a password
};

void TestRespServer::initTestCase()
{
    QVERIFY(m_open.start());
    RespServer::Options guarded;
    guarded.password = "a-password";
    QVERIFY(m_guarded.start({"--requirepass", "a-password"}, guarded));
}

void TestRespServer::cleanupTestCase()
{
    m_open.stop();
    m_guarded.stop();
}

void TestRespServer::compare(const RedisAndFront &pair, const QList<QByteArray> &requests)
{
    QList<QByteArray> bytes;
    for (const QByteArray &request : requests)
        bytes.append(request.endsWith("\r\n") ? request : RespClient::encode(request.split(' ')));
    kucun::test::compareReplies(pair.front->port(), pair.redis->port(), bytes);
}

void TestRespServer::sameReplies_data()
{
    QTest::addColumn<QList<QByteArray>>("requests");
    const QByteArray longArgument(300, 'x');
    QTest::newRow("ping") << QList<QByteArray>{"PING", "ping hello", "PING a b", "PiNg"};
    QTest::newRow("echo") << QList<QByteArray>{"ECHO x", "ECHO", "ECHO a b"};
    QTest::newRow("unknown command")
        << QList<QByteArray>{"FOO", "FOO a b", "FOO " + longArgument + " y", "client|id"};
    QTest::newRow("select") << QList<QByteArray>{
        "SELECT 0", "SELECT 1", "SELECT x", "SELECT -1", "SELECT 99999999999999999999", "SELECT"};
    QTest::newRow("auth without a password")
        << QList<QByteArray>{"AUTH x", "AUTH default x", "AUTH other x", "AUTH a b c", "AUTH"};
    QTest::newRow("hello refusals") << QList<QByteArray>{"HELLO 4",
                                                         "HELLO 1",
                                                         "HELLO x",
                                                         "HELLO 2 FOO",
                                                         "HELLO 2 SETNAME",
                                                         "HELLO 2 AUTH default",
                                                         "HELLO 2 AUTH other x"};
    QTest::newRow("client") << QList<QByteArray>{"CLIENT",
                                                 "CLIENT FOO",
                                                 "client foo bar",
                                                 "CLIENT SETNAME",
                                                 "CLIENT GETNAME",
                                                 "CLIENT SETNAME a\nb",
                                                 "CLIENT SETNAME worker-1",
                                                 "CLIENT GETNAME",
                                                 "CLIENT SETNAME",
                                                 "CLIENT GETNAME x",
                                                 "CLIENT KILL 10.9.8.7:6",
                                                 "CLIENT KILL ID 999999",
                                                 "CLIENT KILL ID 0",
                                                 "CLIENT KILL ID",
                                                 "CLIENT KILL FOO bar",
                                                 "CLIENT LIST TYPE bogus",
                                                 "CLIENT LIST ID x",
                                                 "CLIENT ID x"};
    QTest::newRow("command") << QList<QByteArray>{"COMMAND FOO", "COMMAND INFO nosuchcommand",
                                                  "COMMAND COUNT x", "COMMAND DOCS nosuchcommand"};
    QTest::newRow("reset") << QList<QByteArray>{"CLIENT SETNAME n", "RESET", "CLIENT GETNAME"};
    QTest::newRow("server") << QList<QByteArray>{
        "CONFIG GET databases", "CONFIG GET nosuch",   "CONFIG GET", "CONFIG", "TIME x",
        "INFO nosuchsection",   "CONFIG GET DATABASES"};
    QTest::newRow("multi") << QList<QByteArray>{"EXEC",
                                                "DISCARD",
                                                "MULTI",
                                                "MULTI",
                                                "ECHO a",
                                                "PUBLISH nobody x",
                                                "CLIENT SETNAME t",
                                                "HELLO 4",
                                                "PING a b",
                                                "CLIENT GETNAME",
                                                "EXEC",
                                                "CLIENT GETNAME",
                                                "EXEC"};
    QTest::newRow("multi refused at queueing")
        << QList<QByteArray>{"MULTI", "ECHO a", "FOO", "ECHO", "CLIENT NOPE", "EXEC", "ECHO after"};
    QTest::newRow("multi discarded") << QList<QByteArray>{
        "MULTI", "CLIENT SETNAME gone", "DISCARD", "CLIENT GETNAME", "MULTI", "RESET", "EXEC"};
    QTest::newRow("multi with subscribe")
        << QList<QByteArray>{"MULTI", "SUBSCRIBE a", "PING", "EXEC", "UNSUBSCRIBE"};
    // A protocol error closes the connection: each row ends with at most one.
    QTest::newRow("inline") << QList<QByteArray>{"PING\r\n", "ECHO \"a b\\x41\"\r\n",
                                                 "  ping   \r\n", "ECHO \"unterminated\r\n"};
    QTest::newRow("inline quotes") << QList<QByteArray>{"echo 'it''s'\r\n"};
}

void TestRespServer::sameReplies()
{
    QFETCH(QList<QByteArray>, requests);
    compare(m_open, requests);
}

void TestRespServer::sameRepliesWithPassword_data()
{
    QTest::addColumn<QList<QByteArray>>("requests");
    QTest::newRow("nothing before auth")
        << QList<QByteArray>{"ECHO a", "PING", "SELECT 0", "CLIENT ID", "FOO", "ECHO"};
    QTest::newRow("auth") << QList<QByteArray>{"AUTH wrong", "ECHO a",     "AUTH a-password",
                                               "ECHO a",     "AUTH wrong", "ECHO still"};
    QTest::newRow("auth with user") << QList<QByteArray>{
        "AUTH default wrong", "AUTH other a-password", "AUTH default a-password", "ECHO in"};
    QTest::newRow("hello") << QList<QByteArray>{"HELLO", "HELLO 2", "HELLO 2 AUTH default wrong",
                                                "ECHO a"};
    QTest::newRow("reset forgets the password")
        << QList<QByteArray>{"AUTH a-password", "RESET", "ECHO a", "QUIT"};
}

void TestRespServer::sameRepliesWithPassword()
{
    QFETCH(QList<QByteArray>, requests);
    compare(m_guarded, requests);
}

void TestRespServer::quitCloses()
{
    RespClient client;
    QVERIFY(client.connectTo(m_open.front->port()));
    QCOMPARE(client.command(words("QUIT")), QByteArray("+OK\r\n"));
    QVERIFY(client.waitForClose());
    // Pipelined after QUIT: never run.
    RespClient pipelined;
    QVERIFY(pipelined.connectTo(m_open.front->port()));
    QCOMPARE(pipelined.send("PING\r\nQUIT\r\nPING\r\n", 3), QByteArray("+PONG\r\n+OK\r\n"));
    QVERIFY(pipelined.waitForClose());
}

void TestRespServer::protocolErrorClosesAfterItsReply()
{
    RespClient redis;
    RespClient front;
    QVERIFY(redis.connectTo(m_open.redis->port()));
    QVERIFY(front.connectTo(m_open.front->port()));
    const QByteArray bad = "PING\r\n*1\r\n$abc\r\n";
    const QByteArray expected = redis.send(bad, 2);
    QCOMPARE(front.send(bad, 2), expected);
    QVERIFY(expected.startsWith("+PONG\r\n-ERR Protocol error"));
    QVERIFY(front.waitForClose());
    // The others are not touched.
    RespClient other;
    QVERIFY(other.connectTo(m_open.front->port()));
    QCOMPARE(other.command(words("ECHO fine")), QByteArray("$4\r\nfine\r\n"));
}

void TestRespServer::clientKill()
{
    RespClient victim;
    RespClient killer;
    QVERIFY(victim.connectTo(m_open.front->port()));
    QVERIFY(killer.connectTo(m_open.front->port()));
    const QByteArray id = victim.command(words("CLIENT ID")).mid(1).trimmed();
    QVERIFY(!id.isEmpty());
    const QByteArray list = killer.command(words("CLIENT LIST"));
    QVERIFY2(list.contains("id=" + id + " addr=127.0.0.1:"), list.constData());
    QCOMPARE(killer.command({"CLIENT", "KILL", "ID", id}), QByteArray(":1\r\n"));
    QVERIFY(victim.waitForClose());
    // Itself, with SKIPME no: the reply comes, then the close.
    const QByteArray own = killer.command(words("CLIENT ID")).mid(1).trimmed();
    QCOMPARE(killer.command({"CLIENT", "KILL", "ID", own, "SKIPME", "no"}), QByteArray(":1\r\n"));
    QVERIFY(killer.waitForClose());
}

QTEST_GUILESS_MAIN(TestRespServer)
#include "tst_respserver.moc"
