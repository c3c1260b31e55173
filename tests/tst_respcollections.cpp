// Sets, hashes and the type of each key on the Redis-protocol front (SPEC §12), against a real
// redis-server: the same commands to both from an empty database, replies compared byte for
// byte (WRONGTYPE across strings, sets and hashes; small hashes in the order Redis 7.0 keeps
// them; sets of whole numbers in numeric order); sets of words and SSCAN compared as sets, since
// their order is each server's own. And the point of it: a tag set a site writes with SADD is
// the tag the hub's engine invalidates.

#include "cache/memorystore.h"
#include "support/respcomparison.h"

#include <QSet>
#include <QTest>

using kucun::test::elementsOf;
using kucun::test::RedisAndFront;
using kucun::test::RespClient;

class TestRespCollections : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameAsRedis_data();
    void sameAsRedis();
    void sameMembersAsRedis_data();
    void sameMembersAsRedis();
    void scanByTypeFindsTheSameKeys_data();
    void scanByTypeFindsTheSameKeys();
    void aTagSetWrittenWithSaddIsInvalidatedByTheHub();

private:
    RedisAndFront m_servers;
};

void TestRespCollections::initTestCase()
{
    QVERIFY(m_servers.start());
}

void TestRespCollections::cleanupTestCase()
{
    m_servers.stop();
}

void TestRespCollections::sameAsRedis_data()
{
    QTest::addColumn<QList<QByteArray>>("requests");
    QTest::newRow("sets") << QList<QByteArray>{
        "SADD s 3 1 2 1", "SADD s 2 10",      "SCARD s",         "SCARD nope",    "SISMEMBER s 10",
        "SISMEMBER s 11", "SISMEMBER nope 1", "SMEMBERS s",      "SMEMBERS nope", "SREM s 1 99 1",
        "SREM nope 1",    "SMEMBERS s",       "SADD n -5 0 -12", "SMEMBERS n",    "SREM s 2 3 10",
        "EXISTS s",       "TYPE s",           "TYPE n",          "SADD s",        "SREM s",
        "SCARD",          "SISMEMBER s",      "SMEMBERS a b",    "DBSIZE"};
    QTest::newRow("hashes") << QList<QByteArray>{"HSET h f1 v1 f2 v2",
                                                 "HSET h f2 w2 f3 v3",
                                                 "HGETALL h",
                                                 "HGET h f2",
                                                 "HGET h nope",
                                                 "HGET nope f",
                                                 "HMGET h f1 nope f3",
                                                 "HMGET nope a b",
                                                 "HLEN h",
                                                 "HLEN nope",
                                                 "HEXISTS h f1",
                                                 "HEXISTS h nope",
                                                 "HDEL h f1 nope",
                                                 "HGETALL h",
                                                 "HSET h f1 again",
                                                 "HGETALL h",
                                                 "HDEL nope f",
                                                 "HSET h f",
                                                 "HSET h f v g",
                                                 "HSET h",
                                                 "HGETALL nope",
                                                 "TYPE h",
                                                 "HDEL h f2 f3 f1",
                                                 "EXISTS h",
                                                 "HMGET h",
                                                 "HGET h"};
    QTest::newRow("hincrby") << QList<QByteArray>{"HINCRBY h n 5",
                                                  "HINCRBY h n -7",
                                                  "HGET h n",
                                                  "HINCRBY h n x",
                                                  "HINCRBY h n 1.5",
                                                  "HSET h s abc",
                                                  "HINCRBY h s 1",
                                                  "HSET h big 9223372036854775807",
                                                  "HINCRBY h big 1",
                                                  "HGET h big",
                                                  "HSET h z 007",
                                                  "HINCRBY h z 1",
                                                  "HINCRBY h n 99999999999999999999",
                                                  "HGETALL h",
                                                  "HINCRBY fresh f 3",
                                                  "HGETALL fresh"};
    QTest::newRow("wrong types") << QList<QByteArray>{
        "SET str v",      "SADD st m",        "HSET hs f v",
        "SADD str m",     "SREM str m",       "SMEMBERS str",
        "SCARD hs",       "SISMEMBER hs f",   "HSET str f v",
        "HGET st m",      "HGETALL st",       "HDEL str f",
        "HINCRBY st f 1", "HLEN str",         "HEXISTS st m",
        "HMGET st m",     "GET st",           "GET hs",
        "STRLEN hs",      "APPEND st x",      "INCR hs",
        "INCRBY st 2",    "DECR hs",          "INCRBYFLOAT st 1",
        "GETDEL hs",      "GETEX st PERSIST", "SET st v GET",
        "SETNX st v",     "SET hs v NX",      "MGET str st hs nope",
        "SSCAN str 0",    "TYPE str",         "TYPE st",
        "TYPE hs",        "SMEMBERS st",      "HGETALL hs",
        "SET hs v XX",    "TYPE hs",          "GET hs",
        "MSET st v2",     "TYPE st",          "GET st",
        "DBSIZE"};
    QTest::newRow("keys of every type") << QList<QByteArray>{"SADD st a",
                                                             "HSET hs f v",
                                                             "EXISTS st hs nope",
                                                             "EXPIRE st 100",
                                                             "TTL st",
                                                             "PTTL hs",
                                                             "PERSIST st",
                                                             "TTL st",
                                                             "PEXPIRE hs 100000",
                                                             "EXPIRE hs 50 GT",
                                                             "TTL hs",
                                                             "RENAME st st2",
                                                             "TYPE st",
                                                             "SMEMBERS st2",
                                                             "RENAME hs st2",
                                                             "TYPE st2",
                                                             "HGETALL st2",
                                                             "SET plain v",
                                                             "RENAME st2 plain",
                                                             "TYPE plain",
                                                             "HGET plain f",
                                                             "RENAME plain st2",
                                                             "SET st2 v",
                                                             "TYPE st2",
                                                             "SADD x 1",
                                                             "EXPIRE x 0",
                                                             "EXISTS x",
                                                             "SADD y 1",
                                                             "DEL y st2 nope",
                                                             "DBSIZE",
                                                             "SADD z 1",
                                                             "HSET w f v",
                                                             "FLUSHDB",
                                                             "DBSIZE"};
    QTest::newRow("sscan") << QList<QByteArray>{"SADD s 1 2 3",
                                                "SSCAN s 0",
                                                "SSCAN s 0 MATCH 2",
                                                "SSCAN s 0 COUNT 1",
                                                "SSCAN nope 0",
                                                "SSCAN s x",
                                                "SSCAN s 0 COUNT 0",
                                                "SSCAN s 0 TYPE set",
                                                "SSCAN s 0 MATCH",
                                                "SSCAN s 0 FOO 1",
                                                "SSCAN s"};
}

void TestRespCollections::sameAsRedis()
{
    QFETCH(QList<QByteArray>, requests);
    kucun::test::compareCommandLines(m_servers, requests);
}

void TestRespCollections::sameMembersAsRedis_data()
{
    QTest::addColumn<QList<QByteArray>>("request");
    QTest::addColumn<int>("cursorAt");
    QTest::newRow("smembers") << QList<QByteArray>{"SMEMBERS", "words"} << -1;
    QTest::newRow("sscan") << QList<QByteArray>{"SSCAN", "words", "0"} << 2;
    QTest::newRow("sscan match") << QList<QByteArray>{"SSCAN", "words", "0", "MATCH",
                                                      "w1*",   "COUNT", "3"}
                                 << 2;
    QTest::newRow("hgetall of a big hash")
        << QList<QByteArray>{"HGETALL", "big"} << -1;  // past 128 fields Redis hashes them
}

void TestRespCollections::sameMembersAsRedis()
{
    QFETCH(QList<QByteArray>, request);
    QFETCH(int, cursorAt);
    RespClient front;
    RespClient redis;
    QVERIFY(front.connectTo(m_servers.front->port()));
    QVERIFY(redis.connectTo(m_servers.redis->port()));
    for (RespClient *client : {&front, &redis}) {
        client->command({"FLUSHDB"});
        QList<QByteArray> sadd{"SADD", "words"};
        QList<QByteArray> hset{"HSET", "big"};
        for (int i = 0; i < 300; ++i) {
            sadd.append("w" + QByteArray::number(i));
            hset += {"f" + QByteArray::number(i), "v" + QByteArray::number(i * 7)};
        }
        QCOMPARE(client->command(sadd), QByteArray(":300\r\n"));
        QCOMPARE(client->command(hset), QByteArray(":300\r\n"));
    }
    const QSet<QByteArray> expected = elementsOf(redis, request, cursorAt);
    QVERIFY(expected.size() > 10);
    QCOMPARE(elementsOf(front, request, cursorAt), expected);
}

void TestRespCollections::scanByTypeFindsTheSameKeys_data()
{
    QTest::addColumn<QByteArray>("type");
    for (const char *type : {"string", "set", "hash", "none", "SET"})
        QTest::newRow(type) << QByteArray(type);
}

void TestRespCollections::scanByTypeFindsTheSameKeys()
{
    QFETCH(QByteArray, type);
    RespClient front;
    RespClient redis;
    QVERIFY(front.connectTo(m_servers.front->port()));
    QVERIFY(redis.connectTo(m_servers.redis->port()));
    for (RespClient *client : {&front, &redis}) {
        client->command({"FLUSHDB"});
        for (int i = 0; i < 60; ++i) {
            const QByteArray n = QByteArray::number(i);
            client->command({"SET", "s:" + n, "v"});
            client->command({"SADD", "t:" + n, "m"});
            client->command({"HSET", "h:" + n, "f", "v"});
        }
    }
    const QList<QByteArray> scan{"SCAN", "0", "COUNT", "7", "TYPE", type};
    const QSet<QByteArray> expected = elementsOf(redis, scan, 1);
    QCOMPARE(elementsOf(front, scan, 1), expected);
}

void TestRespCollections::aTagSetWrittenWithSaddIsInvalidatedByTheHub()
{
    RespClient site;
    QVERIFY(site.connectTo(m_servers.front->port()));
    site.command({"FLUSHDB"});
    kucun::MemoryStore &engine = m_servers.front->ownStore();
    // The hub tags one key; the site writes another and adds it to the same tag set.
    m_servers.front->run([&] {
        QVERIFY(
            engine.store("kucun:products:1", "{}", kucun::Millis(0), {"kucun:tag:products"}).ok());
    });
    QCOMPARE(site.command({"SET", "kucun:products:2", "{}", "EX", "300"}), QByteArray("+OK\r\n"));
    QCOMPARE(site.command({"SADD", "kucun:tag:products", "kucun:products:2"}),
             QByteArray(":1\r\n"));
    QCOMPARE(site.command({"SCARD", "kucun:tag:products"}), QByteArray(":2\r\n"));
    QCOMPARE(site.command({"TYPE", "kucun:tag:products"}), QByteArray("+set\r\n"));

    qint64 removed = -1;
    m_servers.front->run([&] { removed = engine.dropTag("kucun:tag:products", 0).count; });
    QCOMPARE(removed, 2);
    QCOMPARE(site.command({"EXISTS", "kucun:products:1", "kucun:products:2", "kucun:tag:products"}),
             QByteArray(":0\r\n"));
    QCOMPARE(site.command({"DBSIZE"}), QByteArray(":0\r\n"));
}

QTEST_GUILESS_MAIN(TestRespCollections)
#include "tst_respcollections.moc"
