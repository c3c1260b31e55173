// The WebSocket hub's limits (SPEC §6): message size (1009), request rate, subscriptions,
// clients, heartbeats that drop silent clients, slow consumers cut while others receive, the
// history budget, and which of them come from the settings. The protocol itself: tst_wshub.

#include "support/rawwsclient.h"
#include "support/wshubtesting.h"
#include "ws/wshub.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using kucun::HubConfig;
using kucun::WsHub;
using namespace kucun::test;

class TestWsHubLimits : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void oversizedMessageClosesWith1009();
    void tooManyRequestsAreRateLimited();
    void subscriptionsAreLimited();
    void heartbeatKeepsAnsweringClients();
    void heartbeatDropsSilentClients();
    void clientCountIsLimited();
    void limitsComeFromTheSettings();
    void slowConsumerIsCutWhileOthersReceive();
    void messagesEvictedByTheHistoryBudgetAreNotRecovered();

private:
    HubConfig testConfig() const { return kucun::test::wsTestConfig(); }
};

void TestWsHubLimits::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("QObject|QSocketNotifier|thread")));
}

void TestWsHubLimits::oversizedMessageClosesWith1009()
{
    HubWithClient fixture(testConfig());
    QVERIFY(fixture.start());
    QWebSocket &client = fixture.client;
    QSignalSpy &disconnected = fixture.disconnected;
    client.sendTextMessage(QString(65 * 1024, u'x'));
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

void TestWsHubLimits::tooManyRequestsAreRateLimited()
{
    // One request a second, five at once: of twenty pings sent together five pass, plus one
    // for each second the hub takes over them (a few at most, even under a sanitizer).
    WsHub::Limits limits;
    limits.requestsPerSecond = 1;
    limits.burst = 5;
    HubWithClient fixture(testConfig(), limits);
    QVERIFY(fixture.start());
    for (int i = 0; i < 20; ++i)
        send(fixture.client, {{"type", "ping"}, {"id", i}});
    QTRY_COMPARE(fixture.received.size(), 21);
    int pongs = 0;
    int limited = 0;
    for (int i = 1; i < 21; ++i) {
        const QJsonObject answer = parse(fixture.received.at(i).at(0));
        pongs += answer.value("type").toString() == u"pong" ? 1 : 0;
        limited += answer.value("code").toString() == u"rate_limited" ? 1 : 0;
        QCOMPARE(answer.value("id").toInt(-1), i - 1);  // refused or not, the id comes back
    }
    QCOMPARE(pongs + limited, 20);
    QVERIFY2(pongs >= 5 && limited >= 12, qPrintable(QString::number(pongs)));
    QCOMPARE(fixture.disconnected.size(), 0);  // refused, not dropped
}

void TestWsHubLimits::subscriptionsAreLimited()
{
    WsHub::Limits limits;
    limits.maxSubscriptions = 3;
    HubWithClient fixture(testConfig(), limits);
    QVERIFY(fixture.start());
    for (const char *channel : {"a", "b", "c", "d", "a"})
        send(fixture.client, {{"type", "subscribe"}, {"channel", channel}});
    QTRY_COMPARE(fixture.received.size(), 6);
    QCOMPARE(parse(fixture.received.at(3).at(0)).value("type").toString(),
             QStringLiteral("subscribed"));
    const QJsonObject refused = parse(fixture.received.at(4).at(0));
    QCOMPARE(refused.value("code").toString(), QStringLiteral("forbidden"));
    QVERIFY(refused.value("message").toString().contains(QStringLiteral("3 subscriptions")));
    // Subscribing again to a channel it has is fine.
    QCOMPARE(parse(fixture.received.at(5).at(0)).value("type").toString(),
             QStringLiteral("subscribed"));
}

void TestWsHubLimits::heartbeatKeepsAnsweringClients()
{
    WsHub::Limits limits;
    // A second to answer each ping: a margin that holds for a client on this very thread under
    // a sanitizer on a busy machine.
    limits.heartbeatInterval = std::chrono::milliseconds(50);
    limits.pongTimeout = std::chrono::milliseconds(1000);
    HubWithClient fixture(testConfig(), limits);
    QVERIFY(fixture.start());
    QCOMPARE(parse(fixture.received.at(0).at(0)).value("heartbeat").toInt(), 1);  // rounded up
    // QWebSocket answers pings by itself: many heartbeats and three pong timeouts later the
    // client is still there (a client that did not answer would be gone after one).
    QTest::qWait(3000);
    QCOMPARE(fixture.disconnected.size(), 0);
    QCOMPARE(fixture.hub.clientCount(), 1);
}

void TestWsHubLimits::heartbeatDropsSilentClients()
{
    WsHub::Limits limits;
    limits.heartbeatInterval = std::chrono::milliseconds(50);
    limits.pongTimeout = std::chrono::milliseconds(200);
    WsHub hub(testConfig(), limits);
    QCOMPARE(hub.listen(), std::nullopt);
    QSignalSpy gone(&hub, &WsHub::clientDisconnected);
    kucun::test::RawWsClient silent;  // reads, but never answers a ping
    QVERIFY(silent.open(hub.serverUrl()));
    const QList<kucun::test::RawWsClient::Frame> frames = silent.readUntil(0x9, 5000);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().opcode, 0x9);  // a ping came
    QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, 10000);
    QCOMPARE(hub.clientCount(), 0);
}

void TestWsHubLimits::clientCountIsLimited()
{
    WsHub::Limits limits;
    limits.maxClients = 2;
    WsHub hub(testConfig(), limits);
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket first;
    QWebSocket second;
    QWebSocket third;
    QSignalSpy firstReceived(&first, &QWebSocket::textMessageReceived);
    QSignalSpy secondReceived(&second, &QWebSocket::textMessageReceived);
    QSignalSpy thirdReceived(&third, &QWebSocket::textMessageReceived);
    QSignalSpy thirdDisconnected(&third, &QWebSocket::disconnected);
    first.open(hub.serverUrl());
    second.open(hub.serverUrl());
    QTRY_COMPARE(firstReceived.size(), 1);
    QTRY_COMPARE(secondReceived.size(), 1);
    third.open(hub.serverUrl());
    QTRY_COMPARE(thirdDisconnected.size(), 1);
    QCOMPARE(int(third.closeCode()), 4029);
    QCOMPARE(thirdReceived.size(), 0);
    QCOMPARE(hub.clientCount(), 2);

    // Room again once someone leaves.
    first.close();
    QTRY_COMPARE(hub.clientCount(), 1);
    QWebSocket fourth;
    QSignalSpy fourthReceived(&fourth, &QWebSocket::textMessageReceived);
    fourth.open(hub.serverUrl());
    QTRY_COMPARE(fourthReceived.size(), 1);
}

void TestWsHubLimits::limitsComeFromTheSettings()
{
    HubConfig config = testConfig();
    config.wsMaxClients = 1;  // WS_MAX_CLIENTS=1
    HubWithClient fixture(config);
    QVERIFY(fixture.start());
    QWebSocket second;
    QSignalSpy secondDisconnected(&second, &QWebSocket::disconnected);
    second.open(fixture.hub.serverUrl());
    QTRY_COMPARE(secondDisconnected.size(), 1);
    QCOMPARE(int(second.closeCode()), 4029);
    QCOMPARE(fixture.hub.clientCount(), 1);
}

void TestWsHubLimits::slowConsumerIsCutWhileOthersReceive()
{
    WsHub::Limits limits;
    limits.maxQueuedBytes = 256 * 1024;
    limits.closeGrace = std::chrono::seconds(20);  // time enough to read up to the close frame
    WsHub hub(testConfig(), limits);
    QCOMPARE(hub.listen(), std::nullopt);

    QWebSocket fast;
    QSignalSpy fastReceived(&fast, &QWebSocket::textMessageReceived);
    QSignalSpy fastDisconnected(&fast, &QWebSocket::disconnected);
    fast.open(hub.serverUrl());
    QTRY_COMPARE(fastReceived.size(), 1);
    send(fast, {{"type", "subscribe"}, {"channel", "stream"}});
    QTRY_COMPARE(fastReceived.size(), 2);

    kucun::test::RawWsClient slow;
    QVERIFY(slow.open(hub.serverUrl()));
    slow.sendText(R"({"type":"subscribe","channel":"stream"})");
    QVERIFY(!slow.readUntil(0x1, 5000).isEmpty());  // welcome
    QTRY_VERIFY(hub.channelInfos().size() == 1 && hub.channelInfos().first().subscribers == 2);
    slow.stopReading();

    // The slow client stops reading; the hub keeps delivering until its queue passes the limit.
    const QString chunk(16 * 1024, u'x');
    int delivered = 0;
    const auto slowIsSubscribed = [&hub] { return hub.channelInfos().first().subscribers == 2; };
    while (slowIsSubscribed() && delivered < 3000) {  // bounded: at most 48 MiB
        hub.deliverToChannel("stream", chunk);
        ++delivered;
        QCoreApplication::processEvents();  // the fast client reads, the hub writes
    }
    QVERIFY2(!slowIsSubscribed(), "the slow client was never cut");
    // Everyone else got everything.
    QTRY_COMPARE_WITH_TIMEOUT(fastReceived.size(), 2 + delivered, 20000);
    QCOMPARE(fastDisconnected.size(), 0);

    // What the slow client finds when it reads again: what was queued, then close 1008.
    slow.startReading();
    const QList<kucun::test::RawWsClient::Frame> frames = slow.readUntil(0x8, 20000);
    QVERIFY(!frames.isEmpty());
    QCOMPARE(frames.last().opcode, 0x8);
    QCOMPARE(frames.last().closeCode(), 1008);
    QVERIFY(frames.size() - 1 < delivered + 2);
}

void TestWsHubLimits::messagesEvictedByTheHistoryBudgetAreNotRecovered()
{
    WsHub::Limits limits;
    limits.history.totalBytes = 16 * 1024;
    HubWithClient fixture(testConfig(), limits);
    QVERIFY(fixture.start());
    send(fixture.client, {{"type", "subscribe"}, {"channel", "inventory"}});
    QTRY_COMPARE(fixture.received.size(), 2);
    const QString epoch = parse(fixture.received.at(1).at(0)).value("epoch").toString();
    fixture.hub.deliverToChannel("inventory", QJsonObject{{"n", 1}});
    fixture.hub.deliverToChannel("inventory", QJsonObject{{"n", 2}});
    // 40 KB on other channels push the inventory history out of the 16 KiB budget.
    for (int i = 0; i < 40; ++i)
        fixture.hub.deliverToChannel(QStringLiteral("bulk-%1").arg(i % 4), QString(1000, u'x'));
    QTRY_COMPARE(fixture.received.size(), 4);

    send(fixture.client, {{"type", "subscribe"},
                          {"channel", "inventory"},
                          {"since", QJsonObject{{"offset", 1}, {"epoch", epoch}}}});
    QTRY_COMPARE(fixture.received.size(), 5);  // no replay: only the reply
    const QJsonObject subscribed = parse(fixture.received.at(4).at(0));
    QCOMPARE(subscribed.value("type").toString(), QStringLiteral("subscribed"));
    QCOMPARE(subscribed.value("recovered").toBool(true), false);
    QCOMPARE(subscribed.value("offset").toInteger(), 2);
    QCOMPARE(subscribed.value("epoch").toString(), epoch);  // the stream goes on
}

QTEST_GUILESS_MAIN(TestWsHubLimits)
#include "tst_wshublimits.moc"
