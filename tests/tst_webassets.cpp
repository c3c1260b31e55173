// The browser files the HTTP side serves (SPEC §7): which paths are files, what each is said to
// be, and revalidation with ETags. In the browser: tests/web/browser/demo.test.mjs.

#include "http/webassets.h"

#include <QTest>

using kucun::HttpRequest;
using kucun::HttpResponse;
using kucun::WebAssets;

class TestWebAssets : public QObject
{
    Q_OBJECT

private slots:
    void paths_data();
    void paths();
    void thePageIsToldTheWebSocketPort();
    void revalidation_data();
    void revalidation();
    void notModifiedHasNoBody();

private:
    static HttpRequest get(QByteArray ifNoneMatch = {})
    {
        HttpRequest request;
        request.method = "GET";
        if (!ifNoneMatch.isEmpty())
            request.headers.append({QByteArrayLiteral("if-none-match"), ifNoneMatch});
        return request;
    }
    static QByteArray header(const HttpResponse &response, const QByteArray &name)
    {
        for (const auto &[key, value] : response.headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }

    const WebAssets m_files{3002};
};

void TestWebAssets::paths_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("contentType");  // empty: not a file here
    QTest::addColumn<bool>("otherOrigins");  // may be imported by a page of another origin

    QTest::newRow("demo page") << QByteArray("/") << QByteArray("text/html; charset=utf-8")
                               << false;
    QTest::newRow("client") << QByteArray("/client/kucun-hub.js")
                            << QByteArray("text/javascript; charset=utf-8") << true;
    QTest::newRow("types") << QByteArray("/client/kucun-hub.d.ts")
                           << QByteArray("text/plain; charset=utf-8") << true;
    QTest::newRow("page script") << QByteArray("/demo.js")
                                 << QByteArray("text/javascript; charset=utf-8") << false;
    QTest::newRow("styles") << QByteArray("/demo.css") << QByteArray("text/css; charset=utf-8")
                            << false;
    QTest::newRow("icon") << QByteArray("/favicon.png") << QByteArray("image/png") << false;
    // The page has one name; a resource's own path, a folder or a walk out of one names nothing.
    QTest::newRow("page by file name") << QByteArray("/index.html") << QByteArray() << false;
    QTest::newRow("folder") << QByteArray("/client/") << QByteArray() << false;
    QTest::newRow("dot segments") << QByteArray("/client/../demo.js") << QByteArray() << false;
    QTest::newRow("case") << QByteArray("/CLIENT/kucun-hub.js") << QByteArray() << false;
    QTest::newRow("api") << QByteArray("/api/stats") << QByteArray() << false;
}

void TestWebAssets::paths()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, contentType);
    QFETCH(bool, otherOrigins);

    QCOMPARE(m_files.contains(path), !contentType.isEmpty());
    if (contentType.isEmpty())
        return;
    const HttpResponse response = m_files.answer(path, get());
    QCOMPARE(response.status, 200);
    QCOMPARE(response.contentType, contentType);
    QVERIFY(!response.body.isEmpty());
    QCOMPARE(header(response, "X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(response.cacheControl, QByteArray("no-cache"));
    QCOMPARE(header(response, "Access-Control-Allow-Origin"),
             otherOrigins ? QByteArray("*") : QByteArray());
    QCOMPARE(header(response, "Content-Security-Policy").isEmpty(),
             !contentType.startsWith("text/html"));
}

void TestWebAssets::thePageIsToldTheWebSocketPort()
{
    const QByteArray page = m_files.answer("/", get()).body;
    QVERIFY(page.contains(R"(<meta name="kucun-hub-websocket-port" content="3002">)"));
    QVERIFY(!page.contains("@WEBSOCKET_PORT@"));
    // Another hub's page names its own port, and so has another ETag.
    const WebAssets other(4002);
    QVERIFY(other.answer("/", get()).body.contains(R"(content="4002")"));
    QCOMPARE_NE(header(other.answer("/", get()), "ETag"),
                header(m_files.answer("/", get()), "ETag"));
}

void TestWebAssets::revalidation_data()
{
    const QByteArray etag = header(m_files.answer("/client/kucun-hub.js", get()), "ETag");
    QTest::addColumn<QByteArray>("ifNoneMatch");
    QTest::addColumn<int>("status");

    QTest::newRow("none") << QByteArray() << 200;
    QTest::newRow("same") << etag << 304;
    QTest::newRow("weak") << "W/" + etag << 304;
    QTest::newRow("in a list") << "\"old\", " + etag << 304;
    QTest::newRow("any") << QByteArray("*") << 304;
    QTest::newRow("another") << QByteArray("\"0123456789abcdef0123\"") << 200;
    QTest::newRow("unquoted") << etag.mid(1, etag.size() - 2) << 200;
}

void TestWebAssets::revalidation()
{
    QFETCH(QByteArray, ifNoneMatch);
    QFETCH(int, status);

    const HttpResponse response = m_files.answer("/client/kucun-hub.js", get(ifNoneMatch));
    QCOMPARE(response.status, status);
    QVERIFY(!header(response, "ETag").isEmpty());
    QCOMPARE(response.body.isEmpty(), status == 304);
}

void TestWebAssets::notModifiedHasNoBody()
{
    const QByteArray etag = header(m_files.answer("/demo.css", get()), "ETag");
    const QByteArray wire = m_files.answer("/demo.css", get(etag)).serialize(true);
    QVERIFY(wire.startsWith("HTTP/1.1 304 Not Modified\r\n"));
    QVERIFY(!wire.contains("\r\nContent-Length:"));
    QVERIFY(!wire.contains("\r\nContent-Type:"));
    QVERIFY(wire.endsWith("\r\n\r\n"));
    QVERIFY(wire.contains("ETag: " + etag + "\r\n"));
}

QTEST_GUILESS_MAIN(TestWebAssets)
#include "tst_webassets.moc"
