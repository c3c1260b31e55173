// The WebSocket transport on its own: handshakes, ready-made frames written in order and in one
// batch per event-loop turn, the close frame after what was queued, what a slow reader leaves
// queued, connections reported as they come and go, and what a hostile client cannot make it
// hold: unfinished handshakes, pongs it never reads, frames the RFC forbids.

#include "support/rawwsclient.h"
#include "ws/wsframe.h"
#include "ws/wstransport.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <sys/resource.h>

using kucun::WsTransport;
using namespace std::chrono_literals;
using kucun::test::RawWsClient;

class TestWsTransport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reportsConnectionsMessagesAndDepartures();
    void framesGoOutInOrderAndTheCloseFrameLast();
    void refusedOriginGets403AndNoConnection();
    void slowReaderLeavesBytesQueued();
    void unfinishedHandshakesAreDroppedAfterTheTimeout();
    void handshakeRoomIsSharedBetweenAddresses();
    void aBurstFromOneAddressIsLetIn();
    void pongsToANonReaderCountAgainstItsQueue();
    void pingsBeyondTheRateGetNoPong();
    void forbiddenFramesCloseWithTheirCode_data();
    void forbiddenFramesCloseWithTheirCode();
    void peerCloseIsAnsweredAndTheConnectionEnds();

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

    // A TCP connection from `from` that starts a handshake and never finishes it.
    static std::unique_ptr<QTcpSocket> unfinishedHandshake(const QUrl &url,
                                                           const QHostAddress &from)
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->bind(from);
        socket->connectToHost(url.host(), quint16(url.port()));
        if (socket->waitForConnected(5000))
            socket->write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
        return socket;
    }

    static WsTransport::Options options()
    {
        WsTransport::Options options;
        options.allowedOrigins = {QStringLiteral("http://localhost:3001")};
        options.maxMessageBytes = 64 * 1024;
        options.closeGrace = 200ms;  // peers that never answer a close go sooner
        return options;
    }
};

void TestWsTransport::initTestCase()
{
    // A burst of a thousand connections: both of their ends are in this process.
    rlimit limit{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = std::max<rlim_t>(limit.rlim_cur, std::min<rlim_t>(limit.rlim_max, 4096));
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0);
}

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

void TestWsTransport::unfinishedHandshakesAreDroppedAfterTheTimeout()
{
    WsTransport::Options shortTimeout = options();
    shortTimeout.handshakeTimeout = 300ms;
    WsTransport transport(shortTimeout);
    QCOMPARE(transport.listen(), std::nullopt);
    QSignalSpy connected(&transport, &WsTransport::connected);
    std::vector<std::unique_ptr<QTcpSocket>> stalled;
    for (int i = 0; i < 20; ++i)
        stalled.push_back(unfinishedHandshake(transport.serverUrl(), QHostAddress::LocalHost));
    QTRY_COMPARE(transport.handshakeCount(), 20);
    // Dropped without an answer once the timeout has passed; nothing was reported connected.
    QTRY_COMPARE_WITH_TIMEOUT(transport.handshakeCount(), 0, 10000);
    for (const auto &socket : stalled)
        QTRY_COMPARE(socket->state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(connected.size(), 0);
    // A client that does finish gets in.
    RawWsClient client;
    QVERIFY(client.open(transport.serverUrl()));
    QTRY_COMPARE(connected.size(), 1);
}

void TestWsTransport::handshakeRoomIsSharedBetweenAddresses()
{
    WsTransport::Options capped = options();
    capped.maxHandshakes = 5;
    capped.maxHandshakesPerAddress = 2;
    capped.handshakeTimeout = 60s;  // none is dropped for its age while the test goes on
    WsTransport transport(capped);
    QCOMPARE(transport.listen(), std::nullopt);
    const QUrl url = transport.serverUrl();
    const auto address
        = [](int last) { return QHostAddress(QStringLiteral("127.0.0.%1").arg(last)); };
    // What a connection has been answered: 503 and closed, or nothing (still held) for a while.
    const auto refused = [](QTcpSocket &socket, std::chrono::milliseconds within) {
        QByteArray answer;
        (void)QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            int(within.count()));
        return answer.startsWith("HTTP/1.1 503 ");
    };

    // Free room: one address borrows all of it.
    std::vector<std::unique_ptr<QTcpSocket>> first;
    for (int i = 0; i < 5; ++i) {
        first.push_back(unfinishedHandshake(url, address(1)));
        QTRY_COMPARE(transport.handshakeCount(), i + 1);
    }
    // All in use: more from it is refused, and a newcomer takes a borrowed place back, the
    // borrower's oldest, until the newcomer has its own share.
    QVERIFY(refused(*unfinishedHandshake(url, address(1)), 5s));
    std::vector<std::unique_ptr<QTcpSocket>> second;
    for (int i = 0; i < 2; ++i) {
        second.push_back(unfinishedHandshake(url, address(2)));
        QVERIFY(refused(*first[i], 5s));
        QCOMPARE(transport.handshakeCount(), 5);
    }
    QVERIFY(refused(*unfinishedHandshake(url, address(2)), 5s));
    const auto third = unfinishedHandshake(url, address(3));
    QVERIFY(refused(*first[2], 5s));
    // Now every place is someone's share: a fourth address is refused, and nobody else is.
    QVERIFY(refused(*unfinishedHandshake(url, address(4)), 5s));
    QCOMPARE(transport.handshakeCount(), 5);
    for (QTcpSocket *held :
         {first[3].get(), first[4].get(), second[0].get(), second[1].get(), third.get()})
        QVERIFY(!refused(*held, 50ms));

    first.clear();  // those peers give up: room again
    second.clear();
    QTRY_COMPARE(transport.handshakeCount(), 1);
    RawWsClient client;
    QVERIFY(client.open(url));
}

void TestWsTransport::aBurstFromOneAddressIsLetIn()
{
    // A reconnect burst behind one reverse proxy: every connection is made before any sends its
    // upgrade request. The default share per address is far below the burst.
    constexpr int kBurst = 1000;
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 2 * kBurst + 100)
        QSKIP("the descriptor limit is below what a burst of a thousand needs here");
    WsTransport::Options patient = options();
    patient.handshakeTimeout = 60s;  // however slow this build connects them
    WsTransport transport(patient);
    QCOMPARE(transport.listen(), std::nullopt);
    QSignalSpy connected(&transport, &WsTransport::connected);
    const QUrl url = transport.serverUrl();
    std::vector<std::unique_ptr<QTcpSocket>> burst;
    for (int i = 0; i < kBurst; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(url.host(), quint16(url.port()));
        burst.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(transport.handshakeCount(), kBurst, 30000);
    for (const auto &socket : burst) {
        socket->write(QByteArrayLiteral("GET / HTTP/1.1\r\nHost: localhost\r\n"
                                        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                        "Sec-WebSocket-Version: 13\r\n\r\n"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), kBurst, 30000);
    QCOMPARE(transport.handshakeCount(), 0);
    for (const auto &socket : burst) {
        QTRY_VERIFY(socket->bytesAvailable() > 0);
        QVERIFY(socket->readAll().startsWith("HTTP/1.1 101 "));
    }
}

void TestWsTransport::pongsToANonReaderCountAgainstItsQueue()
{
    WsTransport::Options small = options();
    small.queueLimit = 64 * 1024;
    small.pingsPerSecond = 1e9;  // every ping is answered: only the queue limit holds
    small.pingBurst = 1e9;
    WsTransport transport(small);
    QCOMPARE(transport.listen(), std::nullopt);
    QSignalSpy connected(&transport, &WsTransport::connected);
    QSignalSpy overflow(&transport, &WsTransport::queueOverflow);
    RawWsClient client;
    QVERIFY(client.open(transport.serverUrl()));
    QTRY_COMPARE(connected.size(), 1);
    const auto connection = connected.at(0).at(0).value<kucun::WsConnection *>();
    client.stopReading();

    // Pings with the longest payload until the pongs no longer fit in the kernel's buffers and
    // the queue limit is passed; bounded, should the limit never be reported.
    const QByteArray payload(125, 'p');
    for (int batch = 0; batch < 400 && overflow.isEmpty(); ++batch) {
        for (int i = 0; i < 500; ++i)
            client.sendFrame(0x89, payload);
        QTest::qWait(2);
    }
    QCOMPARE(overflow.size(), 1);
    QCOMPARE(overflow.at(0).at(0).value<kucun::WsConnection *>(), connection);
    QVERIFY(transport.queuedBytes(connection) > small.queueLimit);
}

void TestWsTransport::pingsBeyondTheRateGetNoPong()
{
    WsTransport::Options slow = options();
    slow.pingBurst = 5;
    slow.pingsPerSecond = 0.001;  // no token comes back while the test runs
    WsTransport transport(slow);
    QCOMPARE(transport.listen(), std::nullopt);
    RawWsClient client;
    QVERIFY(client.open(transport.serverUrl()));
    for (int i = 0; i < 50; ++i)
        client.sendFrame(0x89, QByteArray::number(i));
    client.sendText("after the pings");  // to know when the pings have all been read
    QSignalSpy messages(&transport, &WsTransport::messageReceived);
    QTRY_COMPARE(messages.size(), 1);
    // The pongs were queued while the pings were read, before the text: they all went out in
    // the writes of that turn. Read until five are in, then a while longer for any sixth.
    QList<QByteArray> pongs;
    const auto readPongs = [&] {
        for (const RawWsClient::Frame &frame : client.read(50))
            pongs.append(frame.payload);
        return pongs.size() >= 5;
    };
    QVERIFY(QTest::qWaitFor(readPongs, 5000));
    (void)QTest::qWaitFor([&] { return readPongs() && pongs.size() > 5; }, 200);
    QCOMPARE(pongs, QList<QByteArray>({"0", "1", "2", "3", "4"}));
}

void TestWsTransport::forbiddenFramesCloseWithTheirCode_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("masked");
    QTest::addColumn<int>("closeCode");

    QTest::newRow("unmasked text") << 0x81 << QByteArray(R"({"type":"ping"})") << false << 1002;
    QTest::newRow("binary") << 0x82 << QByteArray("\x01\x02\x03") << true << 1003;
    QTest::newRow("reserved opcode") << 0x85 << QByteArray() << true << 1002;
    QTest::newRow("text that is not UTF-8") << 0x81 << QByteArray("\xc3\x28") << true << 1007;
    QTest::newRow("longer than the limit")
        << 0x81 << QByteArray(64 * 1024 + 1, 'x') << true << 1009;
}

void TestWsTransport::forbiddenFramesCloseWithTheirCode()
{
    QFETCH(int, first);
    QFETCH(QByteArray, payload);
    QFETCH(bool, masked);
    QFETCH(int, closeCode);

    Connected fixture;
    QVERIFY(fixture.open());
    QSignalSpy messages(&fixture.transport, &WsTransport::messageReceived);
    QSignalSpy gone(&fixture.transport, &WsTransport::disconnected);
    fixture.client.sendFrame(quint8(first), payload, masked);
    const QList<RawWsClient::Frame> frames = fixture.client.readUntil(0x8, 5000);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().opcode, 0x8);
    QCOMPARE(frames.last().closeCode(), closeCode);
    // The client does not answer the close: the connection is dropped after the grace.
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(messages.size(), 0);
}

void TestWsTransport::peerCloseIsAnsweredAndTheConnectionEnds()
{
    Connected fixture;
    QVERIFY(fixture.open());
    QSignalSpy gone(&fixture.transport, &WsTransport::disconnected);
    fixture.client.sendFrame(0x88, QByteArray("\x0f\xa0", 2) + "done");  // 4000 "done"
    const QList<RawWsClient::Frame> frames = fixture.client.readUntil(0x8, 5000);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().closeCode(), 4000);  // echoed
    QTRY_VERIFY(!fixture.client.isConnected());  // the server closes the socket first
    QTRY_COMPARE(gone.size(), 1);
}

QTEST_GUILESS_MAIN(TestWsTransport)
#include "tst_wstransport.moc"
