// The HTTP server on its own, with a small handler: keep-alive and pipelined requests, answers
// made later, and what it bounds (SPEC §7): a body over the limit refused before it comes and
// the refusal seen by the client, a header bomb, a request that does not arrive in time, idle
// keep-alive connections, too many connections, a client that never reads its answers.

#include "http/httpserver.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using kucun::HttpConnection;
using kucun::HttpRequest;
using kucun::HttpResponse;
using kucun::HttpServer;

using namespace std::chrono_literals;

namespace {

// A client that writes raw bytes and reads what comes back.
struct RawClient
{
    QTcpSocket socket;

    bool open(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }
    // Everything read until `done` holds or the peer closes or `timeoutMs` pass. The server
    // runs in this thread: every wait keeps the event loop turning.
    QByteArray readUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs = 5000)
    {
        QByteArray got;
        QDeadlineTimer deadline(timeoutMs);
        while (!done(got) && !deadline.hasExpired()
               && socket.state() == QAbstractSocket::ConnectedState) {
            QTest::qWait(5);
            got += socket.readAll();
        }
        return got + socket.readAll();
    }
    // Waits (bounded) for the server to close the connection.
    bool closedByPeer(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            QTest::qWait(5);
            socket.readAll();
        }
        return socket.state() != QAbstractSocket::ConnectedState;
    }
};

int countOf(const QByteArray &haystack, const QByteArray &needle)
{
    return int(haystack.count(needle));
}

}  // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void answersPipelinedRequestsInOrder();
    void answersMadeLaterKeepTheirOrder();
    void headRequestGetsNoBody();
    void expectContinueIsAnswered();
    void refusals_data();
    void refusals();
    void tooLargeBodyIsRefusedAndTheClientSeesIt();
    void slowSenderIsClosed();
    void idleKeepAliveIsClosed();
    void connectionsBeyondTheCapGet503();
    void clientThatNeverReadsIsNotAnsweredWithoutBound();

private:
    std::unique_ptr<HttpServer> startServer(HttpServer::Options options);

    QList<HttpRequest> m_requests;
    QList<HttpConnection::Responder> m_later;  // answers the handler keeps for later
    bool m_answerLater = false;
};

void TestHttpServer::init()
{
    m_requests.clear();
    m_later.clear();
    m_answerLater = false;
}

void TestHttpServer::cleanup()
{
    m_later.clear();
}

std::unique_ptr<HttpServer> TestHttpServer::startServer(HttpServer::Options options)
{
    options.port = 0;
    auto server
        = std::make_unique<HttpServer>(options, [this](const HttpRequest &request, HttpConnection &,
                                                       const HttpConnection::Responder &respond) {
              m_requests.append(request);
              if (m_answerLater) {
                  m_later.append(respond);
                  return;
              }
              HttpResponse response;
              response.contentType = "text/plain";
              response.body = request.target + ' ' + request.body;
              respond(response);
          });
    if (auto failure = server->listen())
        qWarning() << *failure;
    return server;
}

void TestHttpServer::answersPipelinedRequestsInOrder()
{
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.write("GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                        "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                        "GET /three HTTP/1.1\r\nHost: h\r\n\r\n");
    const QByteArray got
        = client.readUntil([](const QByteArray &bytes) { return bytes.contains("/three "); });
    QCOMPARE(countOf(got, "HTTP/1.1 200 OK"), 3);
    QVERIFY(got.indexOf("/one ") < got.indexOf("/two abc"));
    QVERIFY(got.indexOf("/two abc") < got.indexOf("/three "));
    QVERIFY(got.contains("Connection: keep-alive"));
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void TestHttpServer::answersMadeLaterKeepTheirOrder()
{
    m_answerLater = true;
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.write("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
    // One request at a time: the second is not handed over before the first is answered.
    QTRY_COMPARE(m_requests.size(), 1);
    QTest::qWait(50);
    QCOMPARE(m_requests.size(), 1);
    HttpResponse first;
    first.body = "first";
    m_later.takeFirst()(first);
    m_later.clear();
    QTRY_COMPARE(m_requests.size(), 2);
    HttpResponse second;
    second.body = "second";
    m_later.takeFirst()(second);
    const QByteArray got
        = client.readUntil([](const QByteArray &bytes) { return bytes.endsWith("second"); });
    QVERIFY2(got.indexOf("first") < got.indexOf("second"), got.constData());
}

void TestHttpServer::headRequestGetsNoBody()
{
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.write("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n");
    const QByteArray got
        = client.readUntil([](const QByteArray &bytes) { return bytes.endsWith("/y "); });
    QCOMPARE(countOf(got, "HTTP/1.1 200"), 2);
    QVERIFY(got.contains("Content-Length: 3\r\n"));  // "/x " counted, not sent
    QVERIFY(!got.contains("/x "));
}

void TestHttpServer::expectContinueIsAnswered()
{
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    // As curl does for a body over 1 KiB: the head, then the body only once told to go on.
    client.socket.write("POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                        "Expect: 100-continue\r\n\r\n");
    const QByteArray interim
        = client.readUntil([](const QByteArray &bytes) { return bytes.endsWith("\r\n\r\n"); });
    QCOMPARE(interim, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    client.socket.write("body");
    const QByteArray answer
        = client.readUntil([](const QByteArray &bytes) { return bytes.endsWith("/c body"); });
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
    // A body over the limit gets its 413 instead, at once.
    client.socket.write("POST /d HTTP/1.1\r\nHost: h\r\nContent-Length: 9999999\r\n"
                        "Expect: 100-continue\r\n\r\n");
    const QByteArray refusal
        = client.readUntil([](const QByteArray &bytes) { return bytes.contains("}"); });
    QVERIFY2(refusal.startsWith("HTTP/1.1 413"), refusal.constData());
}

void TestHttpServer::refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("header bomb") << "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(20000, 'a')
                                        + "\r\n\r\n"
                                 << QByteArray("431");
    QTest::newRow("chunked body") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\n"
                                                "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                  << QByteArray("501");
    QTest::newRow("not HTTP") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\r\n\r\n", 14)
                              << QByteArray("400");
    QTest::newRow("HTTP/2 preface")
        << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QByteArray("400");
    QTest::newRow("HTTP/2.0 request")
        << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << QByteArray("505");
}

void TestHttpServer::refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.write(request);
    const QByteArray got = client.readUntil([](const QByteArray &) { return false; }, 3000);
    QVERIFY2(got.startsWith("HTTP/1.1 " + status), got.left(200).constData());
    QVERIFY(got.contains("Connection: close"));
    QVERIFY(got.contains("\"error\":"));
    QVERIFY(client.closedByPeer());
    QVERIFY(m_requests.isEmpty());
}

void TestHttpServer::tooLargeBodyIsRefusedAndTheClientSeesIt()
{
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    // The client goes on sending the body it announced, as most do: the refusal must still
    // reach it rather than be lost in a reset.
    client.socket.write("POST /api/publish HTTP/1.1\r\nHost: h\r\nContent-Length: 4194304\r\n\r\n");
    const QByteArray chunk(64 * 1024, 'x');
    QByteArray got;
    for (int i = 0; i < 64 && !got.contains("\r\n\r\n"); ++i) {
        client.socket.write(chunk);
        QTest::qWait(5);
        got += client.socket.readAll();
    }
    got += client.readUntil([](const QByteArray &bytes) { return bytes.contains("}"); }, 3000);
    QVERIFY2(got.startsWith("HTTP/1.1 413"), got.left(200).constData());
    QVERIFY(got.contains("too_large"));
    QVERIFY(m_requests.isEmpty());
}

void TestHttpServer::slowSenderIsClosed()
{
    HttpServer::Options options;
    options.requestTimeout = 300ms;
    auto server = startServer(options);
    RawClient slow;
    QVERIFY(slow.open(server->serverUrl().port()));
    slow.socket.write("GET /slow HTTP/1.1\r\nHost: h\r\n");  // never finished
    RawClient silent;
    QVERIFY(silent.open(server->serverUrl().port()));  // never sends a byte
    QVERIFY(slow.closedByPeer());
    QVERIFY(silent.closedByPeer());
    QVERIFY(m_requests.isEmpty());
    QTRY_COMPARE(server->connectionCount(), 0);
}

void TestHttpServer::idleKeepAliveIsClosed()
{
    HttpServer::Options options;
    options.idleTimeout = 300ms;
    auto server = startServer(options);
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.write("GET /once HTTP/1.1\r\nHost: h\r\n\r\n");
    QVERIFY(client.readUntil([](const QByteArray &bytes) { return bytes.endsWith("/once "); })
                .startsWith("HTTP/1.1 200"));
    QVERIFY(client.closedByPeer());
}

void TestHttpServer::connectionsBeyondTheCapGet503()
{
    HttpServer::Options options;
    options.maxConnections = 3;
    auto server = startServer(options);
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawClient>());
        QVERIFY(held.back()->open(server->serverUrl().port()));
    }
    QTRY_COMPARE(server->connectionCount(), 3);
    RawClient extra;
    QVERIFY(extra.open(server->serverUrl().port()));
    const QByteArray got = extra.readUntil([](const QByteArray &) { return false; }, 2000);
    QVERIFY2(got.startsWith("HTTP/1.1 503"), got.constData());
    QVERIFY(extra.closedByPeer());
    // The connections held are served as before.
    held.front()->socket.write("GET /still HTTP/1.1\r\nHost: h\r\n\r\n");
    QVERIFY(held.front()
                ->readUntil([](const QByteArray &bytes) { return bytes.endsWith("/still "); })
                .startsWith("HTTP/1.1 200"));
}

void TestHttpServer::clientThatNeverReadsIsNotAnsweredWithoutBound()
{
    auto server = startServer({});
    RawClient client;
    QVERIFY(client.open(server->serverUrl().port()));
    client.socket.setReadBufferSize(1);
    // Each answer carries a 16 KiB target back; 4 000 of them would be 64 MiB.
    const QByteArray request
        = "GET /" + QByteArray(16 * 1024 - 100, 'p') + " HTTP/1.1\r\nHost: h\r\n\r\n";
    for (int i = 0; i < 4000; ++i)
        client.socket.write(request);
    QDeadlineTimer deadline(3000);
    while (!deadline.hasExpired())
        QTest::qWait(50);
    // The server stops reading once its unsent answers pass a bound; the kernel's buffers hold
    // some MiB, so far fewer than all requests were handled.
    QVERIFY2(m_requests.size() < 3000, qPrintable(QString::number(m_requests.size())));
    QVERIFY(m_requests.size() > 0);
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
