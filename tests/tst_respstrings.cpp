// Strings and keys on the Redis-protocol front (SPEC §12), against a real redis-server: the same
// commands to both, from an empty database, every reply compared byte for byte (SET with every
// option and expiry form, counters, expiry options, renames); SCAN and KEYS compared as the set
// of keys over a full iteration, since the order is each server's own.

#include "support/respcomparison.h"

#include <QSet>
#include <QTest>

using kucun::test::RedisAndFront;
using kucun::test::RespClient;

class TestRespStrings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sameAsRedis_data();
    void sameAsRedis();
    void scanFindsTheSameKeys_data();
    void scanFindsTheSameKeys();
    void expiryIsKeptInMilliseconds();
    void infoCountsTheEngine();

private:
    RedisAndFront m_servers;
};

namespace {

// The keys of a full SCAN (following the cursor to 0), or of KEYS.
QSet<QByteArray> keysOf(RespClient &client, QList<QByteArray> scan)
{
    if (scan.front() != "SCAN")
        return kucun::test::elementsOf(client, scan, -1);
    scan.insert(1, "0");
    return kucun::test::elementsOf(client, scan, 1);
}

}  // namespace

void TestRespStrings::initTestCase()
{
    QVERIFY(m_servers.start());
}

void TestRespStrings::cleanupTestCase()
{
    m_servers.stop();
}

void TestRespStrings::sameAsRedis_data()
{
    QTest::addColumn<QList<QByteArray>>("requests");
    QTest::newRow("get, set, and friends") << QList<QByteArray>{"SET k v",
                                                                "GET k",
                                                                "GET nope",
                                                                "STRLEN k",
                                                                "STRLEN nope",
                                                                "APPEND k xyz",
                                                                "GET k",
                                                                "APPEND fresh abc",
                                                                "SETNX k x",
                                                                "SETNX n2 x",
                                                                "GETDEL k",
                                                                "GETDEL k",
                                                                "MSET a 1 b 2",
                                                                "MGET a b nope",
                                                                "MSET a",
                                                                "MSET a 1 b",
                                                                "EXISTS a b nope a",
                                                                "DEL a nope",
                                                                "UNLINK b",
                                                                "TYPE a",
                                                                "TYPE n2",
                                                                "GET",
                                                                "SET k",
                                                                "DBSIZE",
                                                                "DEL"};
    QTest::newRow("set options") << QList<QByteArray>{"SET k v NX",
                                                      "SET k v2 NX",
                                                      "GET k",
                                                      "SET k v3 XX",
                                                      "SET nope v XX",
                                                      "GET nope",
                                                      "SET k v NX XX",
                                                      "SET k v GET",
                                                      "SET k2 v GET",
                                                      "SET k v EX 0",
                                                      "SET k v EX -1",
                                                      "SET k v EX x",
                                                      "SET k v EX",
                                                      "SET k v PX 100000 EX 10",
                                                      "SET k v KEEPTTL EX 10",
                                                      "SET k v EX 100",
                                                      "TTL k",
                                                      "SET k v2 KEEPTTL",
                                                      "TTL k",
                                                      "GET k",
                                                      "SET k v3",
                                                      "TTL k",
                                                      "SET k v PXAT 1",
                                                      "GET k",
                                                      "SET k v nx get",
                                                      "SET k v EX 9223372036854775807",
                                                      "SET k v px 9223372036854775807",
                                                      "SET k v GET XX EX 100",
                                                      "TTL k",
                                                      "SET k v FOO",
                                                      "SET k v EX 1.5",
                                                      "SET k v EX 010"};
    QTest::newRow("setex, psetex, getex") << QList<QByteArray>{"SETEX k 0 v",
                                                               "SETEX k x v",
                                                               "SETEX k 100 v",
                                                               "TTL k",
                                                               "PSETEX k 0 v",
                                                               "PSETEX k 100000 v",
                                                               "TTL k",
                                                               "GETEX k",
                                                               "GETEX k PERSIST",
                                                               "TTL k",
                                                               "GETEX k EX 50",
                                                               "TTL k",
                                                               "GETEX k PX 20000",
                                                               "TTL k",
                                                               "GETEX k EX 5 PERSIST",
                                                               "GETEX k FOO",
                                                               "GETEX nope EX 5",
                                                               "GETEX k EX 0",
                                                               "GETEX k EXAT 1",
                                                               "GET k"};
    QTest::newRow("counters") << QList<QByteArray>{"INCR n",
                                                   "INCR n",
                                                   "INCRBY n 10",
                                                   "DECR n",
                                                   "DECRBY n 5",
                                                   "INCRBY n x",
                                                   "INCRBY n 1.5",
                                                   "SET s abc",
                                                   "INCR s",
                                                   "SET big 9223372036854775807",
                                                   "INCR big",
                                                   "GET big",
                                                   "DECRBY n -9223372036854775808",
                                                   "SET z 007",
                                                   "INCR z",
                                                   "SET sp -0",
                                                   "INCR sp",
                                                   "INCRBYFLOAT f 0.1",
                                                   "INCRBYFLOAT f 10.5",
                                                   "INCRBYFLOAT f 5.0e3",
                                                   "INCRBYFLOAT f x",
                                                   "INCRBYFLOAT s 1",
                                                   "INCRBYFLOAT g -0.25",
                                                   "INCRBYFLOAT g 0.25",
                                                   "GET g",
                                                   "SET t 3 EX 100",
                                                   "INCR t",
                                                   "TTL t",
                                                   "INCRBYFLOAT t 1",
                                                   "TTL t",
                                                   "APPEND t 0",
                                                   "TTL t",
                                                   "INCRBY n 9223372036854775807",
                                                   "INCRBY n 99999999999999999999"};
    QTest::newRow("expiry") << QList<QByteArray>{"SET k v",
                                                 "EXPIRE k 100",
                                                 "TTL k",
                                                 "EXPIRE k 50 GT",
                                                 "TTL k",
                                                 "EXPIRE k 200 GT",
                                                 "TTL k",
                                                 "EXPIRE k 300 LT",
                                                 "EXPIRE k 10 LT",
                                                 "TTL k",
                                                 "EXPIRE k 10 NX",
                                                 "EXPIRE k 10 XX",
                                                 "EXPIRE k 10 NX XX",
                                                 "EXPIRE k 10 GT LT",
                                                 "EXPIRE k 10 FOO",
                                                 "EXPIRE nope 10",
                                                 "PERSIST k",
                                                 "TTL k",
                                                 "PERSIST k",
                                                 "EXPIRE k 10 GT",
                                                 "TTL k",
                                                 "EXPIRE k 10 LT",
                                                 "TTL k",
                                                 "PEXPIRE k 100000",
                                                 "TTL k",
                                                 "EXPIREAT k 1",
                                                 "EXISTS k",
                                                 "SET k v",
                                                 "EXPIRE k x",
                                                 "EXPIRE k 9223372036854775807",
                                                 "EXPIRE k -1",
                                                 "EXISTS k",
                                                 "TTL nope",
                                                 "PTTL nope",
                                                 "SET k v",
                                                 "PTTL k",
                                                 "EXPIRE k 0",
                                                 "GET k",
                                                 "PERSIST nope"};
    QTest::newRow("rename") << QList<QByteArray>{
        "SET a 1",        "RENAME a b", "GET a", "GET b",      "RENAME nope x",
        "SET c 1 EX 100", "RENAME c d", "TTL d", "RENAME d d", "GET d",
        "SET e 2",        "RENAME d e", "GET e", "TTL e"};
    QTest::newRow("scan and flush refusals") << QList<QByteArray>{
        "SCAN x",       "SCAN -1",   "SCAN 0 COUNT 0", "SCAN 0 COUNT x", "SCAN 0 FOO bar",
        "SCAN 0 MATCH", "FLUSHDB x", "FLUSHDB ASYNC",  "FLUSHALL SYNC",  "DBSIZE",
        "KEYS"};
}

void TestRespStrings::sameAsRedis()
{
    QFETCH(QList<QByteArray>, requests);
    kucun::test::compareCommandLines(m_servers, requests);
}

void TestRespStrings::scanFindsTheSameKeys_data()
{
    QTest::addColumn<QList<QByteArray>>("scan");
    QTest::newRow("all") << QList<QByteArray>{"SCAN"};
    QTest::newRow("match") << QList<QByteArray>{"SCAN", "MATCH", "key:1*", "COUNT", "7"};
    QTest::newRow("class") << QList<QByteArray>{"SCAN", "MATCH", "key:[2-3]?", "COUNT", "1000"};
    QTest::newRow("type string") << QList<QByteArray>{"SCAN", "TYPE", "string"};
    QTest::newRow("type hash") << QList<QByteArray>{"SCAN", "TYPE", "hash"};
    QTest::newRow("keys") << QList<QByteArray>{"KEYS", "key:4*"};
    QTest::newRow("keys, all") << QList<QByteArray>{"KEYS", "*"};
}

void TestRespStrings::scanFindsTheSameKeys()
{
    QFETCH(QList<QByteArray>, scan);
    RespClient front;
    RespClient redis;
    QVERIFY(front.connectTo(m_servers.front->port()));
    QVERIFY(redis.connectTo(m_servers.redis->port()));
    for (RespClient *client : {&front, &redis}) {
        client->command({"FLUSHDB"});
        for (int i = 0; i < 120; ++i)
            client->command({"SET", "key:" + QByteArray::number(i), "v"});
        client->command({"SET", "other", "v"});
    }
    const QSet<QByteArray> expected = keysOf(redis, scan);
    QCOMPARE(keysOf(front, scan), expected);
}

void TestRespStrings::expiryIsKeptInMilliseconds()
{
    RespClient front;
    QVERIFY(front.connectTo(m_servers.front->port()));
    QCOMPARE(front.command({"SET", "k", "v", "PX", "60000"}), QByteArray("+OK\r\n"));
    const qint64 left = front.command({"PTTL", "k"}).mid(1).trimmed().toLongLong();
    QVERIFY2(left > 50000 && left <= 60000, QByteArray::number(left).constData());
    QCOMPARE(front.command({"PEXPIRE", "k", "1"}), QByteArray(":1\r\n"));
    QTRY_COMPARE(front.command({"EXISTS", "k"}), QByteArray(":0\r\n"));
}

void TestRespStrings::infoCountsTheEngine()
{
    RespClient front;
    QVERIFY(front.connectTo(m_servers.front->port()));
    front.command({"FLUSHDB"});
    const auto field = [&](const QByteArray &name) {
        const QByteArray info = front.command({"INFO"});
        const qsizetype at = info.indexOf("\r\n" + name + ':');
        return at < 0 ? QByteArray() : info.mid(at + name.size() + 3).split('\r').front();
    };
    QVERIFY(!front.command({"INFO", "keyspace"}).contains("db0:"));
    const qint64 hits = field("keyspace_hits").toLongLong();
    const qint64 misses = field("keyspace_misses").toLongLong();
    front.command({"SET", "a", "1"});
    front.command({"SET", "b", "2"});
    front.command({"GET", "a"});
    front.command({"MGET", "a", "nope"});
    front.command({"GET", "nope"});
    QCOMPARE(field("keyspace_hits").toLongLong(), hits + 2);
    QCOMPARE(field("keyspace_misses").toLongLong(), misses + 2);
    QVERIFY(front.command({"INFO", "keyspace"}).contains("# Keyspace\r\ndb0:keys=2,"));
    QCOMPARE(field("redis_version"), QByteArray("7.0.0"));
    QCOMPARE(field("loading"), QByteArray("0"));
    QVERIFY(field("connected_clients").toLongLong() >= 1);
    QVERIFY(field("used_memory").toLongLong() > 0);
    const QByteArray time = front.command({"TIME"});
    QVERIFY2(time.startsWith("*2\r\n$10\r\n"), time.constData());
}

QTEST_GUILESS_MAIN(TestRespStrings)
#include "tst_respstrings.moc"
