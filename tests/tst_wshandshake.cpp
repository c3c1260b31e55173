// The opening handshake on its own: a correct upgrade request is taken whole (its target and
// origin kept, the bytes after it left for the frame reader), a wrong one is refused with the
// HTTP status that says what is wrong, and the 101 answer proves the key was read (RFC 6455
// §4.2.2, with the RFC's own example key).

#include "ws/wshandshake.h"

#include <QTest>

using kucun::WsUpgradeIncomplete;
using kucun::WsUpgradeRefusal;
using kucun::WsUpgradeRequest;

namespace {

constexpr qsizetype kMaxHeader = 4096;

QByteArray request(const QByteArray &extraHeaders, const QByteArray &requestLine = "GET / HTTP/1.1")
{
    return requestLine + "\r\nHost: hub.example\r\n" + extraHeaders + "\r\n";
}

const QByteArray kUpgrade = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n";

}  // namespace

class TestWsHandshake : public QObject
{
    Q_OBJECT

private slots:
    void acceptsAnUpgrade();
    void waitsForTheWholeRequest();
    void refuses_data();
    void refuses();
    void answers();
};

void TestWsHandshake::acceptsAnUpgrade()
{
    const QByteArray bytes = request(kUpgrade + "Origin: http://localhost:3001\r\n",
                                     "GET /?token=a.b.c HTTP/1.1")
                             + "\x81\x80";  // a first frame right behind it
    const auto parsed = kucun::parseWsUpgrade(bytes, kMaxHeader);
    const auto *upgrade = std::get_if<WsUpgradeRequest>(&parsed);
    QVERIFY(upgrade);
    QCOMPARE(upgrade->target, QByteArray("/?token=a.b.c"));
    QCOMPARE(upgrade->origin, QByteArray("http://localhost:3001"));
    QCOMPARE(upgrade->key, QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(upgrade->headerBytes, bytes.size() - 2);
}

void TestWsHandshake::waitsForTheWholeRequest()
{
    const QByteArray bytes = request(kUpgrade);
    for (qsizetype cut = 0; cut < bytes.size(); ++cut) {
        const auto parsed = kucun::parseWsUpgrade(QByteArrayView(bytes).first(cut), kMaxHeader);
        QVERIFY2(std::holds_alternative<WsUpgradeIncomplete>(parsed),
                 qPrintable(QString::number(cut)));
    }
}

void TestWsHandshake::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");

    QTest::newRow("POST") << request(kUpgrade, "POST / HTTP/1.1") << 405;
    QTest::newRow("HTTP/1.0") << request(kUpgrade, "GET / HTTP/1.0") << 400;
    QTest::newRow("not HTTP") << QByteArray("hello there\r\n\r\n") << 400;
    QTest::newRow("a plain GET") << request({}) << 426;
    QTest::newRow("version 8") << request(QByteArray(kUpgrade).replace("Version: 13", "Version: 8"))
                               << 426;
    QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n" + kUpgrade + "\r\n") << 400;
    QTest::newRow("key of 8 bytes")
        << request(QByteArray(kUpgrade).replace("dGhlIHNhbXBsZSBub25jZQ==", "AAAAAAAAAAA=")) << 400;
    QTest::newRow("key not base64")
        << request(QByteArray(kUpgrade).replace("dGhlIHNhbXBsZSBub25jZQ==", "!!!!")) << 400;
    QTest::newRow("header line without a name") << request(kUpgrade + ": nameless\r\n") << 400;
    QTest::newRow("header too long, finished")
        << request(kUpgrade + "Cookie: " + QByteArray(kMaxHeader, 'c') + "\r\n") << 431;
    QTest::newRow("header too long, unfinished")
        << QByteArray("GET / HTTP/1.1\r\nCookie: " + QByteArray(kMaxHeader, 'c')) << 431;
}

void TestWsHandshake::refuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    const auto parsed = kucun::parseWsUpgrade(bytes, kMaxHeader);
    const auto *refusal = std::get_if<WsUpgradeRefusal>(&parsed);
    QVERIFY(refusal);
    QCOMPARE(refusal->status, status);
    QVERIFY(!refusal->reason.isEmpty());
}

void TestWsHandshake::answers()
{
    // RFC 6455 §1.3: this key's accept value.
    const QByteArray accepted = kucun::wsUpgradeAccepted("dGhlIHNhbXBsZSBub25jZQ==");
    QVERIFY(accepted.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(accepted.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(accepted.endsWith("\r\n\r\n"));

    const QByteArray refused = kucun::wsUpgradeRefused({426, "WebSocket only"});
    QVERIFY(refused.startsWith("HTTP/1.1 426 Upgrade Required\r\n"));
    QVERIFY(refused.contains("\r\nSec-WebSocket-Version: 13\r\n"));
    QVERIFY(refused.contains("\r\nContent-Length: 15\r\n"));
    QVERIFY(refused.endsWith("\r\n\r\nWebSocket only\n"));
}

QTEST_APPLESS_MAIN(TestWsHandshake)
#include "tst_wshandshake.moc"
