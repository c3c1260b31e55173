// The HTTP request reader on its own: requests and their bodies one after the other on a
// keep-alive connection, whichever way the bytes are split; and the refusals of SPEC §7 (431,
// 413 before the body comes, 501 for chunked bodies) and of RFC 9112 for what would let two
// parsers disagree on where a request ends.

#include "http/httprequestparser.h"

#include <QTest>

using kucun::HttpRefusal;
using kucun::HttpRequest;
using kucun::HttpRequestParser;

namespace {

HttpRequestParser::Limits smallLimits()
{
    return {1024, 4096};
}

QList<HttpRequestParser::Result> readAll(HttpRequestParser &parser)
{
    QList<HttpRequestParser::Result> results;
    while (auto result = parser.next())
        results.append(*result);
    return results;
}

}  // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void readsRequestsOneAfterTheOther();
    void sameResultWhateverTheSplit();
    void keepAlive_data();
    void keepAlive();
    void refuses_data();
    void refuses();
    void tooLargeBodyIsRefusedBeforeItComes();
    void nothingIsReadAfterARefusal();
};

void TestHttpRequestParser::readsRequestsOneAfterTheOther()
{
    HttpRequestParser parser(smallLimits());
    parser.append("\r\nGET /healthz HTTP/1.1\r\nHost: hub\r\nAccept:  */* \r\n\r\n"
                  "POST /api/publish?x=1 HTTP/1.1\r\nHost: hub\r\nContent-Length: 5\r\n"
                  "Content-Type: application/json\r\n\r\nhello"
                  "DELETE /api/keys/a HTTP/1.1\r\nHost: hub\r\nContent-Length: 0\r\n\r\n");
    const QList<HttpRequestParser::Result> results = readAll(parser);
    QCOMPARE(results.size(), 3);
    const auto &get = std::get<HttpRequest>(results[0]);
    QCOMPARE(get.method, QByteArray("GET"));
    QCOMPARE(get.target, QByteArray("/healthz"));
    QCOMPARE(get.header("accept"), QByteArray("*/*"));  // trimmed, name lower-cased
    QCOMPARE(get.body, QByteArray());
    const auto &post = std::get<HttpRequest>(results[1]);
    QCOMPARE(post.target, QByteArray("/api/publish?x=1"));
    QCOMPARE(post.body, QByteArray("hello"));
    QCOMPARE(post.header("content-type"), QByteArray("application/json"));
    QCOMPARE(std::get<HttpRequest>(results[2]).method, QByteArray("DELETE"));
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestHttpRequestParser::sameResultWhateverTheSplit()
{
    const QByteArray stream = "POST /api/events HTTP/1.1\r\nHost: hub\r\nContent-Length: 11\r\n\r\n"
                              "{\"a\":\"bc\"}\n"
                              "GET / HTTP/1.0\r\n\r\n";
    for (const int chunk : {1, 2, 3, 5, 17, 1000}) {
        HttpRequestParser parser(smallLimits());
        QList<HttpRequestParser::Result> results;
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            parser.append(
                QByteArrayView(stream).sliced(at, std::min<qsizetype>(chunk, stream.size() - at)));
            results += readAll(parser);
        }
        QCOMPARE(results.size(), 2);
        QCOMPARE(std::get<HttpRequest>(results[0]).body, QByteArray("{\"a\":\"bc\"}\n"));
        QCOMPARE(std::get<HttpRequest>(results[1]).minorVersion, 0);
    }
}

void TestHttpRequestParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << true;
    QTest::newRow("1.1, close") << QByteArray(
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n")
                                << false;
    QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0, keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
}

void TestHttpRequestParser::keepAlive()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser(smallLimits());
    parser.append(head);
    const auto result = parser.next();
    QVERIFY(result && std::holds_alternative<HttpRequest>(*result));
    QCOMPARE(std::get<HttpRequest>(*result).keepAlive, keepAlive);
}

void TestHttpRequestParser::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");

    const QByteArray host = "Host: hub\r\n";
    QTest::newRow("not HTTP") << QByteArray("hello\r\n\r\n") << 400;
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("absolute target")
        << QByteArray("GET http://hub/ HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n" + host + "\r\n") << 505;
    QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\n" + host + host + "\r\n") << 400;
    QTest::newRow("space before the colon")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Content-Length : 3\r\n\r\nabc") << 400;
    QTest::newRow("folded line") << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n")
                                 << 400;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: a\nX-B: b\r\n\r\n")
                             << 400;
    QTest::newRow("control character")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: a\x01\r\n\r\n") << 400;
    QTest::newRow("length not a number")
        << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 3x\r\n\r\n") << 400;
    QTest::newRow("negative length")
        << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n") << 400;
    QTest::newRow("two different lengths") << QByteArray(
        "POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
                                           << 400;
    QTest::newRow("chunked") << QByteArray(
        "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                             << 501;
    QTest::newRow("chunked and a length") << QByteArray(
        "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc")
                                          << 400;
    QTest::newRow("head too long, finished")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Cookie: " + QByteArray(1100, 'c') + "\r\n\r\n")
        << 431;
    QTest::newRow("head too long, unfinished")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Cookie: " + QByteArray(1100, 'c')) << 431;
}

void TestHttpRequestParser::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    HttpRequestParser parser(smallLimits());
    parser.append(bytes);
    const QList<HttpRequestParser::Result> results = readAll(parser);
    QCOMPARE(results.size(), 1);
    const auto *refusal = std::get_if<HttpRefusal>(&results.front());
    QVERIFY(refusal);
    QCOMPARE(refusal->status, status);
    QVERIFY(!refusal->reason.isEmpty());
    QVERIFY(parser.refused());
}

void TestHttpRequestParser::tooLargeBodyIsRefusedBeforeItComes()
{
    HttpRequestParser parser(smallLimits());
    parser.append("POST /api/publish HTTP/1.1\r\nHost: hub\r\nContent-Length: 4097\r\n\r\n");
    const auto result = parser.next();  // none of the body has been sent
    QVERIFY(result && std::holds_alternative<HttpRefusal>(*result));
    QCOMPARE(std::get<HttpRefusal>(*result).status, 413);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestHttpRequestParser::nothingIsReadAfterARefusal()
{
    HttpRequestParser parser(smallLimits());
    parser.append("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: hub\r\n\r\n");
    QCOMPARE(readAll(parser).size(), 1);
    parser.append("GET / HTTP/1.1\r\nHost: hub\r\n\r\n");
    QVERIFY(!parser.next());
    QCOMPARE(parser.bufferedBytes(), 0);
}

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
