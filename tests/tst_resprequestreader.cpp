// The Redis-protocol request reader (SPEC §12) on its own: multibulk and inline requests one after
// the other, whatever the split of the bytes; Redis's quoting rules for inline commands; and the
// protocol errors, each worded as a real redis-server words it for the same bytes (sent to one
// here and compared).

#include "resp/resprequestreader.h"
#include "support/redisserver.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTest>

using kucun::RespProtocolError;
using kucun::RespRequest;
using kucun::RespRequestReader;

namespace {

using Arguments = QList<QByteArray>;

// Everything the reader gives for `bytes` fed in pieces of `piece` bytes: the requests' arguments,
// then the error if there was one.
QList<Arguments> readAll(const QByteArray &bytes, qsizetype piece, QByteArray *error,
                         RespRequestReader::Limits limits = {})
{
    RespRequestReader reader(limits);
    QList<Arguments> requests;
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        reader.append(QByteArrayView(bytes).sliced(at, std::min(piece, bytes.size() - at)));
        while (auto result = reader.next()) {
            if (const auto *refused = std::get_if<RespProtocolError>(&*result)) {
                *error = refused->message;
                return requests;
            }
            requests.append(std::get<RespRequest>(*result).arguments);
        }
    }
    return requests;
}

}  // namespace

class TestRespRequestReader : public QObject
{
    Q_OBJECT

private slots:
    void reads_data();
    void reads();
    void protocolErrors_data();
    void protocolErrors();
    void protocolErrorsAreWordedAsRedisWordsThem_data();
    void protocolErrorsAreWordedAsRedisWordsThem();
    void nothingIsReadAfterAnError();
    void aRequestOverTheLimitIsRefusedHoweverItComes_data();
    void aRequestOverTheLimitIsRefusedHoweverItComes();
    void aLineThatNeverEndsIsNotScannedOverAndOver_data();
    void aLineThatNeverEndsIsNotScannedOverAndOver();
};

void TestRespRequestReader::reads_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<Arguments>>("requests");
    QTest::newRow("multibulk") << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\nv\r\nx\r\n")
                               << QList<Arguments>{{"SET", "k", "v\r\nx"}};
    QTest::newRow("pipelined") << QByteArray("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
                               << QList<Arguments>{{"PING"}, {"GET", "k"}};
    QTest::newRow("empty bulk") << QByteArray("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")
                                << QList<Arguments>{{"ECHO", ""}};
    QTest::newRow("binary") << QByteArray("*2\r\n$4\r\nECHO\r\n$3\r\n") + QByteArray("\0\xff\n", 3)
                                   + "\r\n"
                            << QList<Arguments>{{"ECHO", QByteArray("\0\xff\n", 3)}};
    QTest::newRow("empty multibulk skipped")
        << QByteArray("*0\r\n*1\r\n$4\r\nPING\r\n") << QList<Arguments>{{"PING"}};
    QTest::newRow("inline") << QByteArray("SET k v\r\n") << QList<Arguments>{{"SET", "k", "v"}};
    QTest::newRow("inline with LF only") << QByteArray("PING\n") << QList<Arguments>{{"PING"}};
    QTest::newRow("blank lines skipped")
        << QByteArray("\r\n\nPING\r\n") << QList<Arguments>{{"PING"}};
    QTest::newRow("inline quoting") << QByteArray(R"(SET "a b" 'it\'s' "\x41\n\"q\"")"
                                                  "\r\n")
                                    << QList<Arguments>{{"SET", "a b", "it's", "A\n\"q\""}};
    QTest::newRow("inline then multibulk then inline")
        << QByteArray("PING\r\n*1\r\n$4\r\nTIME\r\nECHO hi\r\n")
        << QList<Arguments>{{"PING"}, {"TIME"}, {"ECHO", "hi"}};
}

void TestRespRequestReader::reads()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QList<Arguments>, requests);
    for (const qsizetype piece : {qsizetype(1), qsizetype(2), qsizetype(7), bytes.size()}) {
        QByteArray error;
        QCOMPARE(readAll(bytes, piece, &error), requests);
        QVERIFY2(error.isEmpty(), error.constData());
    }
}

void TestRespRequestReader::protocolErrors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("error");
    QTest::newRow("unbalanced quotes")
        << QByteArray("SET \"a b\r\n")
        << QByteArray("Protocol error: unbalanced quotes in request");
    QTest::newRow("quote not closing a word")
        << QByteArray("SET \"a\"b\r\n")
        << QByteArray("Protocol error: unbalanced quotes in request");
    QTest::newRow("too big inline")
        << QByteArray(70000, 'a') << QByteArray("Protocol error: too big inline request");
    QTest::newRow("integer element") << QByteArray("*2\r\n$4\r\nECHO\r\n:1\r\n")
                                     << QByteArray("Protocol error: expected '$', got ':'");
    QTest::newRow("nested array") << QByteArray("*2\r\n$4\r\nECHO\r\n*1\r\n$1\r\nx\r\n")
                                  << QByteArray("Protocol error: expected '$', got '*'");
    QTest::newRow("status element")
        << QByteArray("*1\r\n+PING\r\n") << QByteArray("Protocol error: expected '$', got '+'");
    QTest::newRow("bulk length not a number")
        << QByteArray("*1\r\n$x\r\n") << QByteArray("Protocol error: invalid bulk length");
    QTest::newRow("negative bulk length")
        << QByteArray("*1\r\n$-5\r\n") << QByteArray("Protocol error: invalid bulk length");
    QTest::newRow("multibulk count not a number")
        << QByteArray("*x\r\n") << QByteArray("Protocol error: invalid multibulk length");
    QTest::newRow("multibulk count over INT_MAX")
        << QByteArray("*3000000000\r\n") << QByteArray("Protocol error: invalid multibulk length");
}

void TestRespRequestReader::protocolErrors()
{
    // Besides the rows Redis words the same: more arguments than the hub takes. Redis takes up to
    // INT_MAX and allocates as they come; the hub refuses beyond a million at once.
    if (QByteArray(QTest::currentDataTag()) == "unbalanced quotes") {
        QByteArray got;
        readAll("*2000000000\r\n", 4, &got);
        QCOMPARE(got, QByteArray("Protocol error: invalid multibulk length"));
    }
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, error);
    for (const qsizetype piece : {qsizetype(1), qsizetype(5), bytes.size()}) {
        QByteArray got;
        readAll(bytes, piece, &got);
        QCOMPARE(got, error);
    }
}

void TestRespRequestReader::protocolErrorsAreWordedAsRedisWordsThem_data()
{
    protocolErrors_data();
}

void TestRespRequestReader::protocolErrorsAreWordedAsRedisWordsThem()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, error);
    kucun::test::RedisServer redis;
    if (!redis.start())
        QSKIP("no redis-server (scripts/test installs it)");
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, redis.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(bytes);
    QByteArray answer;
    QDeadlineTimer deadline(5000);
    while (!answer.contains("\r\n") && !deadline.hasExpired() && socket.waitForReadyRead(100))
        answer += socket.readAll();
    QCOMPARE(answer.left(answer.indexOf("\r\n")), "-ERR " + error);
}

void TestRespRequestReader::nothingIsReadAfterAnError()
{
    RespRequestReader reader({});
    reader.append("*1\r\n:1\r\n*1\r\n$4\r\nPING\r\n");
    const auto first = reader.next();
    QVERIFY(first && std::holds_alternative<RespProtocolError>(*first));
    QVERIFY(reader.failed());
    reader.append("PING\r\n");
    QVERIFY(!reader.next());
}

void TestRespRequestReader::aRequestOverTheLimitIsRefusedHoweverItComes_data()
{
    QTest::addColumn<qsizetype>("piece");
    for (const qsizetype piece : {1, 7, 16, 4096, 1 << 20})
        QTest::addRow("pieces of %lld", qlonglong(piece)) << piece;
}

void TestRespRequestReader::aRequestOverTheLimitIsRefusedHoweverItComes()
{
    // Requests of at most 1 024 + 256 bytes: one that fits exactly, then one a byte over, each
    // after a small request, the whole in pieces of every size: the same outcome each time.
    QFETCH(qsizetype, piece);
    const RespRequestReader::Limits small{256, 64, 1024};
    const auto request = [](qsizetype total) {
        const QByteArray head = "*1\r\n$0000\r\n";
        const qsizetype length = total - head.size() - 2;
        return "*1\r\n$" + QByteArray::number(length).rightJustified(4, '0') + "\r\n"
               + QByteArray(length, 'v') + "\r\n";
    };
    const QByteArray ping = "*1\r\n$4\r\nPING\r\n";
    QCOMPARE(request(1280).size(), 1280);

    QByteArray error;
    const QList<Arguments> fits = readAll(ping + request(1280) + ping, piece, &error, small);
    QCOMPARE(error, QByteArray());
    QCOMPARE(fits.size(), 3);
    QCOMPARE(fits.at(1).at(0).size(), 1280 - 13);

    const QList<Arguments> over = readAll(ping + request(1281) + ping, piece, &error, small);
    QCOMPARE(error, QByteArray("Protocol error: invalid bulk length"));
    QCOMPARE(over, QList<Arguments>{{"PING"}});

    // A count line that ends, wrongly, only past the limit: refused for its size, not for what
    // comes after the limit.
    error.clear();
    const QByteArray longLine = "*" + QByteArray(1300, '7') + "\r\n";
    const QList<Arguments> line = readAll(ping + longLine, piece, &error, small);
    QCOMPARE(error, QByteArray("Protocol error: invalid bulk length"));
    QCOMPARE(line, QList<Arguments>{{"PING"}});
}

void TestRespRequestReader::aLineThatNeverEndsIsNotScannedOverAndOver_data()
{
    QTest::addColumn<QByteArray>("start");
    QTest::newRow("count line") << QByteArray("*");
    QTest::newRow("length line") << QByteArray("*1\r\n$");
    QTest::newRow("integer element") << QByteArray("*1\r\n:");
}

void TestRespRequestReader::aLineThatNeverEndsIsNotScannedOverAndOver()
{
    // A client sends a line without its end, 64 KiB at a time as the connection reads, up to
    // the request limit. hiredis looks for a line's end from its start each time it is asked;
    // asked once a slice, that is 16 MiB scanned 256 times. It is asked once the line began,
    // and the limit ends it as it does any request.
    QFETCH(QByteArray, start);
    RespRequestReader reader({64 * 1024, 1024 * 1024, 16 * 1024 * 1024});
    reader.append(start);
    QVERIFY(!reader.next());
    const QByteArray digits(64 * 1024, '1');
    std::optional<RespRequestReader::Result> result;
    int appended = 0;
    for (; appended < 300 && !result; ++appended) {
        reader.append(digits);
        result = reader.next();
    }
    QVERIFY(result.has_value());
    QCOMPARE(std::get<RespProtocolError>(*result).message,
             QByteArray("Protocol error: invalid bulk length"));
    QCOMPARE(appended, 16 * 1024 / 64 + 1);
    QVERIFY2(reader.hiredisRounds() <= 4, qPrintable(QString::number(reader.hiredisRounds())));
}

QTEST_GUILESS_MAIN(TestRespRequestReader)
#include "tst_resprequestreader.moc"
