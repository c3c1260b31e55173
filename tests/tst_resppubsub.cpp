// Pub/sub of the Redis-protocol front (SPEC §12) against a real redis-server: the same script of
// subscribes, publishes and commands in subscribed mode to both, every reply and message
// compared byte for byte; and a subscriber that does not read is cut, not held.

#include "support/respcomparison.h"

#include <QTest>

using kucun::RespServer;
using kucun::test::RedisAndFront;
using kucun::test::RespClient;
using kucun::test::RunningRespServer;

class TestRespPubSub : public QObject
{
    Q_OBJECT

private slots:
    void sameAsRedis_data();
    void sameAsRedis();
    void slowSubscriberIsCut();
};

// One step: which client (0 listens, 1 publishes) sends what ("" to only read), and how many
// replies or messages it then reads.
struct Step
{
    int client;
    QByteArray request;
    int replies = 1;
};
Q_DECLARE_METATYPE(QList<Step>)

void TestRespPubSub::sameAsRedis_data()
{
    QTest::addColumn<QList<Step>>("steps");
    QTest::newRow("channels and patterns") << QList<Step>{
        {0, "SUBSCRIBE news alerts", 2},
        {1, "PUBLISH news hello"},
        {0, "", 1},
        {0, "PSUBSCRIBE n* a?erts", 2},
        {1, "PUBLISH news again"},
        {0, "", 2},  // the channel's message, then the pattern's
        {1, "PUBLISH nothing-here x"},
        {0, "", 1},
        {1, "PUBSUB NUMSUB news alerts nobody"},
        {1, "PUBSUB NUMPAT"},
        {1, "PUBSUB CHANNELS ne*"},
        {1, "PUBSUB CHANNELS zz*"},
        {0, "UNSUBSCRIBE news"},
        {0, "PUNSUBSCRIBE n*"},
        {0, "PUNSUBSCRIBE"},
        {0, "UNSUBSCRIBE"},
        {0, "UNSUBSCRIBE"},
        {0, "PUNSUBSCRIBE"},
        {1, "PUBLISH news nobody-listens"},
        {0, "ECHO back-to-normal"},
    };
    QTest::newRow("subscribed mode")
        << QList<Step>{
               {0, "SUBSCRIBE c"}, {0, "ECHO x"},
               {0, "PING"},        {0, "PING hi"},
               {0, "PING a b"},    {0, "PUBLISH c x"},
               {0, "SUBSCRIBE c"},  // again: still one subscription
               {0, "client id"},   {0, "RESET"},
               {0, "ECHO free"},   {1, "PUBLISH c after-reset"},
           };
    QTest::newRow("arity and containers") << QList<Step>{
        {0, "SUBSCRIBE"},       {0, "PSUBSCRIBE"},
        {0, "PUBLISH a"},       {0, "PUBLISH a b c"},
        {0, "PUBSUB"},          {0, "PUBSUB NOPE"},
        {0, "PUBSUB NUMPAT x"}, {0, "PUBSUB CHANNELS a b"},
        {0, "PUBSUB NUMSUB"},
    };
}

void TestRespPubSub::sameAsRedis()
{
    QFETCH(QList<Step>, steps);
    RedisAndFront servers;
    QVERIFY(servers.start());

    RespClient ours[2];
    RespClient theirs[2];
    for (int i = 0; i < 2; ++i) {
        QVERIFY(ours[i].connectTo(servers.front->port()));
        QVERIFY(theirs[i].connectTo(servers.redis->port()));
    }
    for (const Step &step : steps) {
        const QByteArray bytes
            = step.request.isEmpty() ? QByteArray() : RespClient::encode(step.request.split(' '));
        const QByteArray expected = theirs[step.client].send(bytes, step.replies);
        QVERIFY2(!expected.isEmpty(), step.request.constData());
        QCOMPARE(ours[step.client].send(bytes, step.replies), expected);
    }
}

void TestRespPubSub::slowSubscriberIsCut()
{
    RespServer::Options options;
    options.maxSubscriberBacklogBytes = 256 * 1024;
    RunningRespServer front(options);
    QVERIFY(front.listening());
    RespClient slow;
    RespClient reader;
    RespClient publisher;
    QVERIFY(slow.connectTo(front.port()));
    QVERIFY(reader.connectTo(front.port()));
    QVERIFY(publisher.connectTo(front.port()));
    QCOMPARE(slow.command({"SUBSCRIBE", "feed"}).left(4), QByteArray("*3\r\n"));
    QCOMPARE(reader.command({"SUBSCRIBE", "feed"}).left(4), QByteArray("*3\r\n"));

    // The slow one never reads: once the kernel's buffers and the backlog are full it goes.
    // Bounded: 64 MiB at most, far beyond what loopback buffers hold.
    const QByteArray payload(16 * 1024, 'p');
    qint64 cut = 0;
    int published = 0;
    for (; published < 4096 && cut == 0; ++published) {
        const QByteArray answer = publisher.command({"PUBLISH", "feed", payload});
        QVERIFY(answer == ":2\r\n" || answer == ":1\r\n");
        QVERIFY(!reader.send({}, 1).isEmpty());  // the reader keeps up, message by message
        front.run([&] { cut = front.server().slowSubscribersCut(); });
    }
    QCOMPARE(cut, 1);
    QVERIFY(slow.waitForClose());
    // The reader is still subscribed and served.
    QCOMPARE(publisher.command({"PUBLISH", "feed", "after"}), QByteArray(":1\r\n"));
    QVERIFY(reader.send({}, 1).endsWith("$5\r\nafter\r\n"));
}

QTEST_GUILESS_MAIN(TestRespPubSub)
#include "tst_resppubsub.moc"
