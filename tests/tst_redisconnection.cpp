#include "redis/redisconnection.h"
#include "support/redisserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using kucun::RedisConnection;
using kucun::RedisReply;
using kucun::RedisUrl;
using kucun::test::RedisServer;

namespace {

RedisUrl urlOf(const QString &text)
{
    return *RedisUrl::parse(text).url;
}

// Opens the connection and waits (at most 10 s) for it to be ready.
bool openAndWait(RedisConnection &connection)
{
    QSignalSpy ready(&connection, &RedisConnection::ready);
    connection.open();
    return ready.wait(10000);
}

}  // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void runsCommandsAndCopiesReplies();
    void authenticatesAndSelects();
    void wrongPasswordIsAClearError();
    void nothingListeningIsAClearError();
    void notARedisServerIsAClearError();
    void silentServerTimesOut();
    void lostConnectionAnswersPendingCommands();
    void deadContextIsNeverCalled();
    void subscribesToPatterns();
    void resolvesHostNames();

private:
    QString waitForFailure(RedisConnection &connection);
};

void TestRedisConnection::initTestCase()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("QSocketNotifier|QObject")));
}

QString TestRedisConnection::waitForFailure(RedisConnection &connection)
{
    QSignalSpy failed(&connection, &RedisConnection::failed);
    if (!failed.wait(10000))
        return QStringLiteral("<no failure>");
    return failed.first().first().toString();
}

void TestRedisConnection::runsCommandsAndCopiesReplies()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection connection(urlOf(server.url()));
    QVERIFY(openAndWait(connection));

    QList<RedisReply> replies;
    const auto keep = [&replies](const RedisReply &reply) { replies.append(reply); };
    connection.command({"SET", "kucun:a", QByteArray("v\0w", 3)}, this, keep);
    connection.command({"GET", "kucun:a"}, this, keep);
    connection.command({"GET", "kucun:missing"}, this, keep);
    connection.command({"RPUSH", "kucun:list", "1", "2"}, this, keep);
    connection.command({"LRANGE", "kucun:list", "0", "-1"}, this, keep);
    connection.command({"NOSUCHCOMMAND"}, this, keep);
    QCOMPARE(replies.size(), 0);  // never inside command()
    QTRY_COMPARE(replies.size(), 6);
    QCOMPARE(replies[0].type, RedisReply::Type::Status);
    QCOMPARE(replies[1].text, QByteArray("v\0w", 3));
    QVERIFY(replies[2].isNil());
    QCOMPARE(replies[3].integer, 2);
    QCOMPARE(replies[4].elements.size(), 2);
    QCOMPARE(replies[4].elements[1].text, QByteArray("2"));
    QVERIFY(replies[5].isError());
    QVERIFY(!replies[5].connectionError);
    QVERIFY(replies[5].errorText().contains(QStringLiteral("unknown command")));
}

void TestRedisConnection::authenticatesAndSelects()
{
    RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("s3cret")});
    QVERIFY(server.start());
    RedisConnection connection(
        urlOf(QStringLiteral("redis://:s3cret@127.0.0.1:%1/3").arg(server.port())));
    QVERIFY(openAndWait(connection));
    bool done = false;
    connection.command({"SET", "in-db-3", "1"}, this, [&](const RedisReply &) { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(server.cli({"-a", "s3cret", "--no-auth-warning", "-n", "3", "GET", "in-db-3"}),
             QStringLiteral("1"));
    QCOMPARE(server.cli({"-a", "s3cret", "--no-auth-warning", "-n", "0", "EXISTS", "in-db-3"}),
             QStringLiteral("0"));
}

void TestRedisConnection::wrongPasswordIsAClearError()
{
    RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("s3cret")});
    QVERIFY(server.start());
    RedisConnection connection(
        urlOf(QStringLiteral("redis://:wrong@127.0.0.1:%1").arg(server.port())));
    connection.open();
    const QString reason = waitForFailure(connection);
    QVERIFY2(reason.startsWith(QStringLiteral("authentication failed")), qPrintable(reason));
    QVERIFY(!reason.contains(QStringLiteral("wrong")));  // the password is not repeated
    QVERIFY(!connection.isReady());
}

void TestRedisConnection::nothingListeningIsAClearError()
{
    RedisConnection connection(
        urlOf(QStringLiteral("redis://127.0.0.1:%1").arg(kucun::test::freeLoopbackPort())));
    connection.open();
    const QString reason = waitForFailure(connection);
    QVERIFY2(reason.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(reason));
}

void TestRedisConnection::notARedisServerIsAClearError()
{
    QTcpServer http;
    QVERIFY(http.listen(QHostAddress::LocalHost, 0));
    connect(&http, &QTcpServer::newConnection, this, [&http] {
        QTcpSocket *socket = http.nextPendingConnection();
        socket->setParent(&http);
        socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    RedisConnection connection(
        urlOf(QStringLiteral("redis://127.0.0.1:%1").arg(http.serverPort())));
    connection.open();
    const QString reason = waitForFailure(connection);
    QVERIFY2(reason.contains(QStringLiteral("Protocol error")), qPrintable(reason));
    QVERIFY(!connection.isReady());
}

void TestRedisConnection::silentServerTimesOut()
{
    QTcpServer silent;  // accepts, never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    RedisConnection connection(
        urlOf(QStringLiteral("redis://127.0.0.1:%1").arg(silent.serverPort())));
    connection.open(std::chrono::milliseconds(300));
    QCOMPARE(waitForFailure(connection), QStringLiteral("no connection within the timeout"));
}

void TestRedisConnection::lostConnectionAnswersPendingCommands()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection connection(urlOf(server.url()));
    QVERIFY(openAndWait(connection));
    QSignalSpy failed(&connection, &RedisConnection::failed);
    QList<RedisReply> replies;
    connection.command({"BLPOP", "kucun:never", "30"}, this,
                       [&replies](const RedisReply &reply) { replies.append(reply); });
    QTest::qWait(50);
    server.kill();
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 10000);
    QVERIFY(replies.first().connectionError);
    QTRY_COMPARE(failed.size(), 1);
    // Commands on a failed connection fail at once, later, never inside command().
    bool answered = false;
    connection.command({"PING"}, this,
                       [&answered](const RedisReply &reply) { answered = reply.connectionError; });
    QVERIFY(!answered);
    QTRY_VERIFY(answered);
}

void TestRedisConnection::deadContextIsNeverCalled()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection connection(urlOf(server.url()));
    QVERIFY(openAndWait(connection));
    bool called = false;
    bool witness = false;
    {
        QObject receiver;
        connection.command({"PING"}, &receiver, [&called](const RedisReply &) { called = true; });
    }
    connection.command({"PING"}, this, [&witness](const RedisReply &) { witness = true; });
    QTRY_VERIFY(witness);
    QVERIFY(!called);
}

void TestRedisConnection::subscribesToPatterns()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection subscriber(urlOf(server.url()));
    QVERIFY(openAndWait(subscriber));
    QSignalSpy messages(&subscriber, &RedisConnection::messageReceived);
    subscriber.psubscribe({"channel:*", "ws:*"});
    // Bounded: publish until the subscription is in place (at most 5 s).
    for (int i = 0; i < 100 && messages.isEmpty(); ++i) {
        server.cli({"PUBLISH", "channel:order:status", "{\"n\":1}"});
        QTest::qWait(50);
    }
    QVERIFY(!messages.isEmpty());
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("channel:*"));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("channel:order:status"));
    QCOMPARE(messages.first().at(2).toByteArray(), QByteArray("{\"n\":1}"));
    messages.clear();
    server.cli({"PUBLISH", "other", "x"});
    server.cli({"PUBLISH", "ws:orders", "y"});
    QTRY_COMPARE(messages.size(), 1);
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("ws:orders"));
}

void TestRedisConnection::resolvesHostNames()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection connection(urlOf(QStringLiteral("redis://localhost:%1").arg(server.port())));
    QSignalSpy ready(&connection, &RedisConnection::ready);
    QSignalSpy failed(&connection, &RedisConnection::failed);
    connection.open();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 10000);
    // "localhost" may resolve to ::1 first on some machines, where the server does not listen;
    // either way the answer is clear and nothing blocks.
    if (!failed.isEmpty())
        QVERIFY(!failed.first().first().toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
