// The WebSocket transport on its own: handshakes, ready-made frames written in order and in one
// batch per event-loop turn, the close frame after what was queued, what a slow reader leaves
// queued, and connections reported as they come and go.

#include "support/rawwsclient.h"
#include "ws/wsframe.h"
#include "ws/wstransport.h"

#include <QSignalSpy>
#include <QTest>

using kucun::WsTransport;
using kucun::test::RawWsClient;

class TestWsTransport : public QObject
{
    Q_OBJECT

private slots:
    void reportsConnectionsMessagesAndDepartures();
    void framesGoOutInOrderAndTheCloseFrameLast();
    void refusedOriginGets403AndNoConnection();
    void slowReaderLeavesBytesQueued();

private:
    // A listening transport and one raw client it has reported connected.
    struct Connected
    {
        WsTransport transport{options()};
        RawWsClient client;
        kucun::WsConnection *connection = nullptr;
        bool open()
        {
            if (transport.listen())
                return false;
            QSignalSpy connected(&transport, &WsTransport::connected);
            if (!client.open(transport.serverUrl())
                || !QTest::qWaitFor([&connected] { return connected.size() == 1; }, 5000))
                return false;
            connection = connected.at(0).at(0).value<kucun::WsConnection *>();
            return true;
        }
    };

    static WsTransport::Options options()
    {
        WsTransport::Options options;
        options.allowedOrigins = {QStringLiteral("http://localhost:3001")};
        options.maxMessageBytes = 64 * 1024;
        return options;
    }
};

void TestWsTransport::reportsConnectionsMessagesAndDepartures()
{
    WsTransport transport(options());
    QCOMPARE(transport.listen(), std::nullopt);
    QSignalSpy connected(&transport, &WsTransport::connected);
    QSignalSpy messages(&transport, &WsTransport::messageReceived);
    QSignalSpy gone(&transport, &WsTransport::disconnected);
    {
        RawWsClient client;
        QVERIFY(client.open(transport.serverUrl()));
        QTRY_COMPARE(connected.size(), 1);
        client.sendText(R"({"type":"ping"})");
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).at(0).value<kucun::WsConnection *>(),
                 connected.at(0).at(0).value<kucun::WsConnection *>());
        QCOMPARE(messages.at(0).at(1).toString(), QStringLiteral(R"({"type":"ping"})"));
    }  // the client goes away
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(gone.at(0).at(0).value<kucun::WsConnection *>(),
             connected.at(0).at(0).value<kucun::WsConnection *>());
}

void TestWsTransport::framesGoOutInOrderAndTheCloseFrameLast()
{
    Connected fixture;
    QVERIFY(fixture.open());
    WsTransport &transport = fixture.transport;
    kucun::WsConnection *connection = fixture.connection;

    for (int i = 0; i < 100; ++i)
        transport.queue(connection, kucun::textFrame(QByteArray::number(i)));
    QVERIFY(transport.queuedBytes(connection) > 0);  // not yet written: this turn is not over
    transport.close(connection, QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    const qint64 queuedAtClose = transport.queuedBytes(connection);
    QVERIFY(!transport.queue(connection, kucun::textFrame("after the close")));  // refused
    QCOMPARE(transport.queuedBytes(connection), queuedAtClose);

    const QList<RawWsClient::Frame> frames = fixture.client.readUntil(0x8, 5000);
    QCOMPARE(frames.size(), 101);
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(frames.at(i).opcode, 0x1);
        QCOMPARE(frames.at(i).payload, QByteArray::number(i));
    }
    QCOMPARE(frames.last().opcode, 0x8);
    QCOMPARE(frames.last().closeCode(), 1000);
}

void TestWsTransport::refusedOriginGets403AndNoConnection()
{
    WsTransport transport(options());
    QCOMPARE(transport.listen(), std::nullopt);
    QSignalSpy connected(&transport, &WsTransport::connected);
    RawWsClient browser;
    QVERIFY(!browser.open(transport.serverUrl(), "http://evil.example"));
    QVERIFY(browser.statusLine().startsWith("HTTP/1.1 403"));
    RawWsClient allowed;
    QVERIFY(allowed.open(transport.serverUrl(), "http://LOCALHOST:3001"));  // case-insensitive
    QTRY_COMPARE(connected.size(), 1);
}

void TestWsTransport::slowReaderLeavesBytesQueued()
{
    Connected fixture;
    QVERIFY(fixture.open());
    WsTransport &transport = fixture.transport;
    kucun::WsConnection *connection = fixture.connection;
    fixture.client.stopReading();

    // 32 MiB offered to a reader that takes nothing: the kernel's buffers fill, the rest waits
    // in Qt's, and queuedBytes says how much.
    const QByteArray frame = kucun::textFrame(QByteArray(64 * 1024 - 16, 'x'));
    for (int i = 0; i < 512; ++i) {
        transport.queue(connection, frame);
        if (i % 64 == 63)
            QTest::qWait(5);  // let the turn end and the writes happen
    }
    QTRY_VERIFY(transport.queuedBytes(connection) > 8 * 1024 * 1024);
    // Less than was offered: the kernel took its share, and only the rest is counted.
    QVERIFY(transport.queuedBytes(connection) < 512 * frame.size());
}

QTEST_GUILESS_MAIN(TestWsTransport)
#include "tst_wstransport.moc"
