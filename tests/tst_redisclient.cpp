#include "redis/redisclient.h"
#include "support/redisserver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using kucun::RedisClient;
using kucun::RedisUrl;
using kucun::test::RedisServer;

namespace {

QByteArray resp(const QList<QByteArray> &arguments)
{
    QByteArray out = '*' + QByteArray::number(arguments.size()) + "\r\n";
    for (const QByteArray &argument : arguments)
        out += '$' + QByteArray::number(argument.size()) + "\r\n" + argument + "\r\n";
    return out;
}

// PUBLISHes `count` messages from a plain blocking socket, without returning to the event
// loop, so that the client under test (in this thread) reads none of them meanwhile, as a
// busy hub would not. Returns the receiver counts Redis answered, in order.
QList<int> publishBlocking(quint16 port, const QByteArray &channel, const QByteArray &payload,
                           int count)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return {};
    const QByteArray command = resp({"PUBLISH", channel, payload});
    QList<int> receivers;
    QByteArray replies;
    for (int i = 0; i < count; ++i) {
        socket.write(command);
        while (socket.bytesToWrite() > 0 && socket.waitForBytesWritten(10000)) { }
        replies += socket.readAll();
    }
    // Every reply is ":<n>\r\n".
    while (replies.count('\n') < count && socket.waitForReadyRead(10000))
        replies += socket.readAll();
    for (const QByteArray &line : replies.split('\n')) {
        if (line.startsWith(':'))
            receivers.append(line.mid(1).trimmed().toInt());
    }
    return receivers;
}

}  // namespace

class TestRedisClient : public QObject
{
    Q_OBJECT

private slots:
    void subscriberCutByRedisIsCountedAndLogged();
    void aStoppedRedisIsNotASubscriberCut_data();
    void aStoppedRedisIsNotASubscriberCut();
    void commandsInOrderRunInOrder();
    void aCutLinkStaysDownUntilRestored();
};

void TestRedisClient::subscriberCutByRedisIsCountedAndLogged()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisClient client(*RedisUrl::parse(server.url()).url, 1);
    QSignalSpy messages(&client, &RedisClient::messageReceived);
    client.psubscribe({"channel:*"});
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    // PSUBSCRIBE is on its way once Up: wait until Redis counts the pattern.
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({"PUBSUB", "NUMPAT"}), QStringLiteral("1"), 10000);
    QCOMPARE(client.subscriberResets(), 0);

    // A small output buffer, as a busy Redis would reach with bigger bursts.
    QCOMPARE(server.cli({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1"}),
             QStringLiteral("OK"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral(
                             "closed the subscriber connection .* events published on Redis "
                             "until the hub is subscribed again are lost")));
    const QByteArray payload(64 << 10, 'x');
    const QList<int> receivers
        = publishBlocking(server.port(), "channel:inventory:change", payload, 300);
    QCOMPARE(receivers.size(), 300);
    QCOMPARE(receivers.first(), 1);
    QVERIFY2(receivers.last() == 0, "Redis kept the subscriber: the burst did not overflow it");

    QTRY_COMPARE_WITH_TIMEOUT(client.subscriberResets(), 1, 10000);
    QVERIFY(messages.size() < 300);  // the burst was lost, most of it
    // Back by itself, subscribed again, and delivering.
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({"PUBSUB", "NUMPAT"}), QStringLiteral("1"), 10000);
    messages.clear();
    QCOMPARE(server.cli({"PUBLISH", "channel:order:status", "after"}), QStringLiteral("1"));
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 10000);
    QCOMPARE(messages.first().at(2).toByteArray(), QByteArray("after"));
    QCOMPARE(client.subscriberResets(), 1);
    client.stop();
}

void TestRedisClient::aStoppedRedisIsNotASubscriberCut_data()
{
    QTest::addColumn<int>("poolSize");
    QTest::newRow("one command connection") << 1;
    QTest::newRow("three command connections") << 3;
}

void TestRedisClient::aStoppedRedisIsNotASubscriberCut()
{
    // Redis stopping closes every connection, the subscriber's maybe first: that is an outage,
    // not a cut, whatever order the closes are seen in.
    QFETCH(int, poolSize);
    QTest::failOnWarning(QRegularExpression(QStringLiteral("closed the subscriber connection")));
    RedisServer server;
    QVERIFY(server.start());
    // By name: each connection resolves it on its own, so they reach Redis in any order.
    const QString byName = QStringLiteral("redis://localhost:%1").arg(server.port());
    RedisClient client(*RedisUrl::parse(byName).url, poolSize);
    client.psubscribe({"channel:*"});
    client.start();
    for (int round = 0; round < 8; ++round) {
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 15000);
        server.kill();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Down, 10000);
        QVERIFY(server.restart());
    }
    QCOMPARE(client.subscriberResets(), 0);
    client.stop();
}

void TestRedisClient::commandsInOrderRunInOrder()
{
    // A burst sent within one turn of the event loop, as a batch publish through the HTTP API
    // sends it, runs in Redis in the order it was sent, however many connections the pool has.
    RedisServer server;
    QVERIFY(server.start());
    RedisClient client(*RedisUrl::parse(server.url()).url, 3);
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    constexpr int kCount = 100;
    int answered = 0;
    QStringList sent;
    for (int i = 0; i < kCount; ++i) {
        sent.append(QString::number(i));
        client.commandInOrder({"RPUSH", "sequence", QByteArray::number(i)}, &client,
                              [&answered](const kucun::RedisReply &) { ++answered; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, kCount, 10000);
    QCOMPARE(server.cli({"LRANGE", "sequence", "0", "-1"}), sent.join(u'\n'));
    client.stop();
}

void TestRedisClient::aCutLinkStaysDownUntilRestored()
{
    // The demo's fault (SPEC §14): the hub's connections go, no reconnection is tried while the
    // cut lasts, and lifting it brings everything back, the subscription included.
    RedisServer server;
    QVERIFY(server.start());
    RedisClient client(*RedisUrl::parse(server.url()).url, 2);
    QSignalSpy messages(&client, &RedisClient::messageReceived);
    client.psubscribe({"channel:*"});
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({"PUBSUB", "NUMPAT"}), QStringLiteral("1"), 10000);
    const auto clientsOfRedis = [&server] {
        return server.cli({"CLIENT", "LIST"}).split(u'\n', Qt::SkipEmptyParts).size();
    };
    const qsizetype withHub = clientsOfRedis();  // the pool, the subscriber, redis-cli

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is cut on purpose")));
    client.setLinkCut(true);
    QCOMPARE(client.state(), RedisClient::State::Down);
    QVERIFY(client.linkCut());
    QVERIFY2(client.lastError().contains(QStringLiteral("cut")), qPrintable(client.lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(clientsOfRedis(), withHub - 3, 10000);
    QString answer;
    client.command({"PING"}, &client,
                   [&answer](const kucun::RedisReply &reply) { answer = reply.errorText(); });
    QTRY_VERIFY_WITH_TIMEOUT(!answer.isEmpty(), 10000);
    // Longer than several retries would take (the first after 100 ms): none came.
    QTest::qWait(800);
    QCOMPARE(client.state(), RedisClient::State::Down);
    QCOMPARE(clientsOfRedis(), withHub - 3);
    QCOMPARE(server.cli({"PUBSUB", "NUMPAT"}), QStringLiteral("0"));

    client.setLinkCut(false);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QCOMPARE(client.reconnects(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({"PUBSUB", "NUMPAT"}), QStringLiteral("1"), 10000);
    server.cli({"PUBLISH", "channel:after", "back"});
    QTRY_COMPARE_WITH_TIMEOUT(messages.size(), 1, 10000);
    QCOMPARE(messages.first().at(2).toByteArray(), QByteArray("back"));
    client.stop();
}

QTEST_GUILESS_MAIN(TestRedisClient)
#include "tst_redisclient.moc"
