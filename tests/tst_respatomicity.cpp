// MULTI/EXEC and EVAL on the Redis-protocol front are atomic against every other client
// (SPEC §12): while other connections increment a counter as fast as they can, a transaction's
// and a script's reads and writes of it see nothing of theirs in between, and no increment is
// lost.

#include "support/respcomparison.h"

#include <QTest>

#include <atomic>
#include <hiredis/hiredis.h>
#include <thread>

using kucun::test::RespClient;
using kucun::test::RunningRespServer;

class TestRespAtomicity : public QObject
{
    Q_OBJECT

private slots:
    void transactionsAndScriptsSeeNoOtherWriter();
};

namespace {

constexpr int kWriters = 3;
constexpr int kIncrementsPerBatch = 50;
constexpr int kMaxBatches = 4000;  // a writer stops by itself at the latest after these
constexpr int kTransactions = 60;
constexpr int kScripts = 30;
constexpr int kIncrementsPerScript = 100;

// The integers of a flat array reply, whether sent as integers or as bulk strings.
QList<qint64> integersOf(const QByteArray &reply)
{
    QList<qint64> numbers;
    const kucun::test::ReplyPointer array = kucun::test::parseReply(reply);
    for (size_t i = 0; array && array->type == REDIS_REPLY_ARRAY && i < array->elements; ++i) {
        const redisReply *item = array->element[i];
        numbers.append(item->type == REDIS_REPLY_INTEGER
                           ? item->integer
                           : kucun::test::replyText(item).toLongLong());
    }
    return numbers;
}

}  // namespace

void TestRespAtomicity::transactionsAndScriptsSeeNoOtherWriter()
{
    RunningRespServer server({});
    QVERIFY(server.listening());
    const quint16 port = server.port();

    std::atomic<bool> stop{false};
    std::atomic<qint64> written{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&] {
            RespClient client;
            if (!client.connectTo(port)) {
                ++failures;
                return;
            }
            const QByteArray batch
                = RespClient::encode({"INCR", "counter"}).repeated(kIncrementsPerBatch);
            for (int b = 0; b < kMaxBatches && !stop; ++b) {
                const QByteArray replies = client.send(batch, kIncrementsPerBatch);
                if (replies.count(':') != kIncrementsPerBatch) {
                    ++failures;
                    return;
                }
                written += kIncrementsPerBatch;
            }
        });
    }

    RespClient checker;
    QVERIFY(checker.connectTo(port));
    // Wait until the writers are at it (bounded by their own batch limit).
    QTRY_VERIFY(written > 0 || failures > 0);
    const qint64 writtenBefore = written;
    qint64 ownIncrements = 0;
    for (int t = 0; t < kTransactions; ++t) {
        const QByteArray transaction
            = RespClient::encode({"MULTI"}) + RespClient::encode({"GET", "counter"})
              + RespClient::encode({"INCR", "counter"}) + RespClient::encode({"GET", "counter"})
              + RespClient::encode({"EXEC"});
        const QByteArray replies = checker.send(transaction, 5);
        const QByteArray exec = replies.mid(replies.lastIndexOf("*3\r\n"));
        const QList<qint64> seen = integersOf(exec);
        QCOMPARE(seen.size(), 3);
        QCOMPARE(seen[1], seen[0] + 1);  // nobody else's increment between the GET and the INCR
        QCOMPARE(seen[2], seen[1]);
        ++ownIncrements;
    }
    const QByteArray script = "local before = tonumber(redis.call('GET', KEYS[1]) or '0') "
                              "for i = 1, tonumber(ARGV[1]) do redis.call('INCR', KEYS[1]) end "
                              "return {before, tonumber(redis.call('GET', KEYS[1]))}";
    for (int s = 0; s < kScripts; ++s) {
        const QList<qint64> seen = integersOf(checker.command(
            {"EVAL", script, "1", "counter", QByteArray::number(kIncrementsPerScript)}));
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen[1] - seen[0], kIncrementsPerScript);
        ownIncrements += kIncrementsPerScript;
    }
    const qint64 writtenDuring = written - writtenBefore;
    stop = true;
    for (std::thread &writer : writers)
        writer.join();
    QCOMPARE(failures.load(), 0);
    // The server takes turns between connections, so the writers got on while it checked.
    QVERIFY2(writtenDuring > 0, "the writers wrote while the transactions and scripts ran");
    // No increment was lost on either side.
    QCOMPARE(checker.command({"GET", "counter"}),
             "$" + QByteArray::number(QByteArray::number(written + ownIncrements).size()) + "\r\n"
                 + QByteArray::number(written + ownIncrements) + "\r\n");
}

QTEST_GUILESS_MAIN(TestRespAtomicity)
#include "tst_respatomicity.moc"
