// Random command sequences (SPEC §12), the same to a real redis-server and to the
// Redis-protocol front, every reply compared: thousands of commands over a handful of keys, so
// that strings, sets, hashes, counters, expiry options and renames keep meeting each other's
// keys. Seeded: a failure names its seed, the command and the commands before it, and
// KUCUN_RESP_SEED=<seed> replays it.

#include "support/respcomparison.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <hiredis/hiredis.h>

using kucun::test::RedisAndFront;
using kucun::test::RespClient;

class TestRespSequences : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void randomSequencesAnswerAsRedis_data();
    void randomSequencesAnswerAsRedis();

private:
    RedisAndFront m_servers;
};

namespace {

constexpr int kCommandsPerSequence = 1500;

// One random command over a small key space, with arguments that are often valid and
// sometimes not (a word where a number goes, an option twice, a wrong arity).
class CommandMaker
{
public:
    explicit CommandMaker(quint32 seed)
        : m_random(seed)
    {
    }

    QList<QByteArray> next()
    {
        const QByteArray k = key();
        switch (m_random.bounded(38)) {
        case 0:
            return {"SET", k, value()};
        case 1:
            return {"SET", k, value(), pick({"NX", "XX", "GET", "KEEPTTL"})};
        case 2:
            return {"SET", k, value(), pick({"EX", "PX"}),
                    pick({"1000", "100000", "0", "x", "-5"})};
        case 3:
            return {"SET", k, value(), "NX", "GET"};
        case 4:
            return {"GET", k};
        case 5:
            return {"DEL", k, key()};
        case 6:
            return {"EXISTS", k, key(), k};
        case 7:
            return {"TYPE", k};
        case 8:
            return {"INCR", k};
        case 9:
            return {"INCRBY", k, number()};
        case 10:
            return {"DECRBY", k, number()};
        case 11:
            return {"APPEND", k, value()};
        case 12:
            return {"STRLEN", k};
        case 13:
            return {"GETDEL", k};
        case 14:
            return {"SETNX", k, value()};
        case 15:
            return {"MSET", k, value(), key(), value()};
        case 16:
            return {"MGET", k, key(), key()};
        case 17:
            return {"SADD", k, member(), member()};
        case 18:
            return {"SREM", k, member(), member()};
        case 19:
            return {"SCARD", k};
        case 20:
            return {"SISMEMBER", k, member()};
        case 21:
            return {"SMEMBERS", k};
        case 22:
            return {"HSET", k, field(), value(), field(), value()};
        case 23:
            return {"HGET", k, field()};
        case 24:
            return {"HDEL", k, field(), field()};
        case 25:
            return {"HLEN", k};
        case 26:
            return {"HEXISTS", k, field()};
        case 27:
            return {"HINCRBY", k, field(), number()};
        case 28:
            return {"HMGET", k, field(), field()};
        case 29:
            return {"HGETALL", k};
        case 30:
            return {"EXPIRE", k, seconds(), pick({"NX", "XX", "GT", "LT"})};
        case 31:
            return {"PERSIST", k};
        case 32:
            return {"RENAME", k, key()};
        case 33:
            return {"DBSIZE"};
        case 34:
            return {"INCRBYFLOAT", k, pick({"1.5", "-0.25", "x", "1e3"})};
        case 35:
            return {"GETEX", k, pick({"PERSIST", "EX", "FOO"})};
        case 36:
            return {pick({"SADD", "HSET", "GET", "SET", "INCR"})};  // wrong arity
        default:
            return {"SET", k, number()};  // counters for INCR to meet
        }
    }

private:
    QByteArray pick(std::initializer_list<const char *> choices)
    {
        return QByteArray(*(choices.begin() + m_random.bounded(int(choices.size()))));
    }
    QByteArray key() { return "k" + QByteArray::number(m_random.bounded(6)); }
    QByteArray member()
    {
        // Whole numbers now and then, so that sets of numbers (Redis's intsets) occur.
        return m_random.bounded(2) ? QByteArray::number(m_random.bounded(-5, 20))
                                   : "m" + QByteArray::number(m_random.bounded(8));
    }
    QByteArray field() { return "f" + QByteArray::number(m_random.bounded(5)); }
    QByteArray number() { return QByteArray::number(m_random.bounded(-100, 100)); }
    // Rarely the same twice: two expiry times equal to the millisecond would make the answer
    // of GT and LT depend on whether a millisecond passed between them, on Redis too.
    QByteArray seconds()
    {
        return m_random.bounded(8) ? QByteArray::number(m_random.bounded(1000, 1000000))
                                   : pick({"0", "-1", "x"});
    }
    QByteArray value()
    {
        switch (m_random.bounded(4)) {
        case 0:
            return number();
        case 1:
            return "v" + QByteArray::number(m_random.bounded(1000));
        case 2:
            return QByteArray();
        default:
            return QByteArray(m_random.bounded(1, 80), 'x');
        }
    }

    QRandomGenerator m_random;
};

// A reply as its bytes, except SMEMBERS and HGETALL, whose order is each server's own for a set
// of words and for a hash Redis no longer keeps as a listpack (a value over 64 bytes): their
// elements, or field-value pairs, are sorted first. tst_respcollections compares the orders that
// are defined.
QByteArray comparable(const QList<QByteArray> &command, const QByteArray &reply)
{
    const bool pairs = command.front() == "HGETALL";
    if ((command.front() != "SMEMBERS" && !pairs) || !reply.startsWith('*'))
        return reply;
    const kucun::test::ReplyPointer array = kucun::test::parseReply(reply);
    if (!array)
        return reply;
    QList<QByteArray> members;
    const auto text = [&](size_t i) { return kucun::test::replyText(array->element[i]); };
    for (size_t i = 0; i < array->elements; i += pairs ? 2 : 1)
        members.append(pairs ? text(i) + '=' + text(i + 1) : text(i));
    std::sort(members.begin(), members.end());
    return "(sorted) " + members.join(' ');
}

}  // namespace

void TestRespSequences::initTestCase()
{
    QVERIFY(m_servers.start());
}

void TestRespSequences::cleanupTestCase()
{
    m_servers.stop();
}

void TestRespSequences::randomSequencesAnswerAsRedis_data()
{
    QTest::addColumn<quint32>("seed");
    const QByteArray given = qgetenv("KUCUN_RESP_SEED");
    if (!given.isEmpty()) {
        QTest::newRow(given.constData()) << quint32(given.toUInt());
        return;
    }
    for (const quint32 seed : {1u, 2u, 3u, 20261128u})
        QTest::addRow("seed %u", seed) << seed;
}

void TestRespSequences::randomSequencesAnswerAsRedis()
{
    QFETCH(quint32, seed);
    RespClient ours;
    RespClient theirs;
    QVERIFY(ours.connectTo(m_servers.front->port()));
    QVERIFY(theirs.connectTo(m_servers.redis->port()));
    for (RespClient *client : {&ours, &theirs})
        QCOMPARE(client->command({"FLUSHALL"}), QByteArray("+OK\r\n"));
    CommandMaker maker(seed);
    QList<QByteArray> history;
    for (int i = 0; i < kCommandsPerSequence; ++i) {
        const QList<QByteArray> command = maker.next();
        history.append(command.join(' '));
        const QByteArray expected = comparable(command, theirs.command(command));
        const QByteArray actual = comparable(command, ours.command(command));
        if (actual != expected) {
            const QString report
                = QStringLiteral(
                      "seed %1, command %2: %3\n  redis: %4\n  front: %5\n  before:\n    %6")
                      .arg(seed)
                      .arg(i)
                      .arg(QString::fromUtf8(history.last()), QString::fromUtf8(expected.left(300)),
                           QString::fromUtf8(actual.left(300)),
                           QString::fromUtf8(
                               history.mid(std::max<qsizetype>(0, i - 40), 40).join("\n    ")));
            QFAIL(qPrintable(report));
        }
    }
}

QTEST_GUILESS_MAIN(TestRespSequences)
#include "tst_respsequences.moc"
