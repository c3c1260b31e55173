// The decoder of client frames on its own: what RFC 6455 lets a client send becomes messages,
// pings, pongs and closes; what it forbids is refused with the close code a server must use, as
// soon as the header shows it, whichever way the bytes are split.

#include "support/rawwsclient.h"
#include "ws/wsframereader.h"

#include <QTest>

using kucun::WsFrameReader;
using Kind = WsFrameReader::Message::Kind;

namespace {

// A client frame: FIN and opcode in `first`, masked unless told otherwise.
QByteArray clientFrame(quint8 first, const QByteArray &payload, bool masked = true)
{
    return kucun::test::clientFrame(first, payload,
                                    masked ? std::optional<quint32>(0x12345678) : std::nullopt);
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason;
}

// A header that announces `length` bytes (masked, 64-bit length), without the payload.
QByteArray announcedLength(quint8 first, quint64 length)
{
    QByteArray frame;
    frame.append(char(first));
    frame.append(char(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
        frame.append(char((length >> shift) & 0xff));
    return frame + "mask";
}

QList<WsFrameReader::Message> readAll(WsFrameReader &reader)
{
    QList<WsFrameReader::Message> messages;
    while (auto message = reader.next())
        messages.append(*message);
    return messages;
}

}  // namespace

class TestWsFrameReader : public QObject
{
    Q_OBJECT

private slots:
    void decodesWhatClientsMaySend_data();
    void decodesWhatClientsMaySend();
    void refusesWhatTheRfcForbids_data();
    void refusesWhatTheRfcForbids();
    void sameResultWhateverTheSplit();
    void tooLongIsRefusedBeforeThePayloadArrives();
    void nothingIsReadAfterARefusal();
};

void TestWsFrameReader::decodesWhatClientsMaySend_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("closeCode");

    QTest::newRow("text") << clientFrame(0x81, R"({"type":"ping"})") << int(Kind::Text)
                          << QByteArray(R"({"type":"ping"})") << 0;
    QTest::newRow("empty text") << clientFrame(0x81, {}) << int(Kind::Text) << QByteArray() << 0;
    QTest::newRow("UTF-8 text") << clientFrame(0x81, "库存 ✓") << int(Kind::Text)
                                << QByteArray("库存 ✓") << 0;
    QTest::newRow("16-bit length")
        << clientFrame(0x81, QByteArray(300, 'a')) << int(Kind::Text) << QByteArray(300, 'a') << 0;
    QTest::newRow("64-bit length") << clientFrame(0x81, QByteArray(70000, 'b')) << int(Kind::Text)
                                   << QByteArray(70000, 'b') << 0;
    QTest::newRow("fragmented, a ping between the fragments")
        << clientFrame(0x01, "库") + clientFrame(0x89, "p") + clientFrame(0x80, "存")
        << int(Kind::Ping) << QByteArray("p") << 0;  // the ping comes out first
    QTest::newRow("ping") << clientFrame(0x89, "hello") << int(Kind::Ping) << QByteArray("hello")
                          << 0;
    QTest::newRow("pong") << clientFrame(0x8A, {}) << int(Kind::Pong) << QByteArray() << 0;
    QTest::newRow("close without a code")
        << clientFrame(0x88, {}) << int(Kind::Close) << QByteArray() << 1005;
    QTest::newRow("close with code and reason") << clientFrame(0x88, closePayload(1000, "bye"))
                                                << int(Kind::Close) << QByteArray("bye") << 1000;
    QTest::newRow("close with an application code")
        << clientFrame(0x88, closePayload(4000)) << int(Kind::Close) << QByteArray() << 4000;
}

void TestWsFrameReader::decodesWhatClientsMaySend()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, kind);
    QFETCH(QByteArray, payload);
    QFETCH(int, closeCode);

    WsFrameReader reader(128 * 1024);
    reader.append(bytes);
    const QList<WsFrameReader::Message> messages = readAll(reader);
    QVERIFY(!messages.isEmpty());
    QCOMPARE(int(messages.front().kind), kind);
    QCOMPARE(messages.front().payload, payload);
    QCOMPARE(int(messages.front().closeCode), closeCode);
    QVERIFY(!reader.refused());
    if (QByteArray(QTest::currentDataTag()).startsWith("fragmented")) {
        QCOMPARE(messages.size(), 2);
        QCOMPARE(int(messages.back().kind), int(Kind::Text));
        QCOMPARE(messages.back().payload, QByteArray("库存"));
    }
    QCOMPARE(reader.bufferedBytes(), 0);
}

void TestWsFrameReader::refusesWhatTheRfcForbids_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode");

    QTest::newRow("unmasked text") << clientFrame(0x81, "hi", false) << 1002;
    QTest::newRow("unmasked ping") << clientFrame(0x89, {}, false) << 1002;
    QTest::newRow("binary") << clientFrame(0x82, "\x01\x02") << 1003;
    QTest::newRow("binary, fragmented") << clientFrame(0x02, "\x01") << 1003;
    QTest::newRow("reserved bit 1") << clientFrame(0xC1, "hi") << 1002;
    QTest::newRow("reserved bit 3") << clientFrame(0x91, "hi") << 1002;
    QTest::newRow("reserved opcode 3") << clientFrame(0x83, "hi") << 1002;
    QTest::newRow("reserved opcode 0xB") << clientFrame(0x8B, {}) << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x09, "p") << 1002;
    QTest::newRow("ping of 126 bytes") << clientFrame(0x89, QByteArray(126, 'p')) << 1002;
    QTest::newRow("continuation first") << clientFrame(0x80, "x") << 1002;
    QTest::newRow("text inside a fragmented text")
        << clientFrame(0x01, "a") + clientFrame(0x81, "b") << 1002;
    QTest::newRow("invalid UTF-8") << clientFrame(0x81, "\xff\xfe") << 1007;
    QTest::newRow("UTF-16 surrogate in UTF-8") << clientFrame(0x81, "\xed\xa0\x80") << 1007;
    QTest::newRow("overlong UTF-8") << clientFrame(0x81, "\xc0\xaf") << 1007;
    QTest::newRow("close with one byte") << clientFrame(0x88, "\x03") << 1002;
    QTest::newRow("close with code 1005") << clientFrame(0x88, closePayload(1005)) << 1002;
    QTest::newRow("close with code 999") << clientFrame(0x88, closePayload(999)) << 1002;
    QTest::newRow("close with code 5000") << clientFrame(0x88, closePayload(5000)) << 1002;
    QTest::newRow("close reason not UTF-8")
        << clientFrame(0x88, closePayload(1000, "\xff")) << 1007;
    QTest::newRow("64-bit length with the top bit set")
        << announcedLength(0x81, 1ull << 63) << 1009;
    QTest::newRow("longer than the limit") << clientFrame(0x81, QByteArray(1025, 'x')) << 1009;
    QTest::newRow("fragments together longer than the limit")
        << clientFrame(0x01, QByteArray(600, 'x')) + clientFrame(0x80, QByteArray(600, 'x'))
        << 1009;
}

void TestWsFrameReader::refusesWhatTheRfcForbids()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);

    WsFrameReader reader(1024);
    reader.append(bytes);
    const QList<WsFrameReader::Message> messages = readAll(reader);
    QVERIFY(!messages.isEmpty());
    QCOMPARE(int(messages.back().kind), int(Kind::Refused));
    QCOMPARE(int(messages.back().closeCode), closeCode);
    QVERIFY(!messages.back().payload.isEmpty());  // why, for the log
    QVERIFY(reader.refused());
    for (qsizetype i = 0; i + 1 < messages.size(); ++i)
        QCOMPARE_NE(int(messages[i].kind), int(Kind::Text));  // nothing of it was delivered
}

void TestWsFrameReader::sameResultWhateverTheSplit()
{
    const QByteArray stream = clientFrame(0x81, "first") + clientFrame(0x89, "ping")
                              + clientFrame(0x01, QByteArray(200, 'a'))
                              + clientFrame(0x80, QByteArray(200, 'b'))
                              + clientFrame(0x88, closePayload(1001, "away"));
    for (const int chunk : {1, 2, 3, 7, 64, 1000}) {
        WsFrameReader reader(64 * 1024);
        QList<WsFrameReader::Message> messages;
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            reader.append(
                QByteArrayView(stream).sliced(at, std::min<qsizetype>(chunk, stream.size() - at)));
            messages += readAll(reader);
        }
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[0].payload, QByteArray("first"));
        QCOMPARE(int(messages[1].kind), int(Kind::Ping));
        QCOMPARE(messages[2].payload, QByteArray(200, 'a') + QByteArray(200, 'b'));
        QCOMPARE(int(messages[3].kind), int(Kind::Close));
        QCOMPARE(int(messages[3].closeCode), 1001);
        QCOMPARE(messages[3].payload, QByteArray("away"));
    }
}

void TestWsFrameReader::tooLongIsRefusedBeforeThePayloadArrives()
{
    WsFrameReader reader(64 * 1024);
    reader.append(announcedLength(0x81, 1'000'000'000));  // a gigabyte is announced, none sent
    const auto message = reader.next();
    QVERIFY(message);
    QCOMPARE(int(message->kind), int(Kind::Refused));
    QCOMPARE(int(message->closeCode), 1009);
    QCOMPARE(reader.bufferedBytes(), 0);
}

void TestWsFrameReader::nothingIsReadAfterARefusal()
{
    WsFrameReader reader(1024);
    reader.append(clientFrame(0x82, "binary") + clientFrame(0x81, "text after it"));
    QCOMPARE(readAll(reader).size(), 1);
    reader.append(clientFrame(0x81, "more"));
    QVERIFY(!reader.next());
    QCOMPARE(reader.bufferedBytes(), 0);
}

QTEST_APPLESS_MAIN(TestWsFrameReader)
#include "tst_wsframereader.moc"
