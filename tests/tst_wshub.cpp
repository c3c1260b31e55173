// The WebSocket hub's protocol v1 (SPEC §6): welcome, origins, subscribe and deliver, publish,
// malformed requests, recovery with `since`, closing, and what the GUI and the administrator
// see. The per-client limits and heartbeats: tst_wshublimits.

#include "support/rawwsclient.h"
#include "support/wshubtesting.h"
#include "ws/wshub.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

using kucun::HubConfig;
using kucun::WsHub;
using namespace kucun::test;

class TestWsHub : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void welcomesEveryClient();
    void originPolicy_data();
    void originPolicy();
    void closeAllSendsGoingAwayAndDrains();
    void closeAllWithoutClientsDrainsAtOnce();
    void listenFailureIsReported();
    void subscribeDeliverUnsubscribe();
    void malformedRequestsGetErrorsAndTheConnectionStays_data();
    void malformedRequestsGetErrorsAndTheConnectionStays();
    void pingIsAnsweredWithItsId();
    void publishReachesSubscribers();
    void publishRefusals_data();
    void publishRefusals();
    void subscribeWithSinceRecovers();
    void telemetryAndDisconnect();

private:
    HubConfig testConfig() const { return kucun::test::wsTestConfig(); }
};

void TestWsHub::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("QObject|QSocketNotifier|thread")));
}

void TestWsHub::welcomesEveryClient()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QVERIFY(hub.serverUrl().port() > 0);
    QSignalSpy connected(&hub, &WsHub::clientConnected);

    QWebSocket first;
    QWebSocket second;
    QSignalSpy firstMessages(&first, &QWebSocket::textMessageReceived);
    QSignalSpy secondMessages(&second, &QWebSocket::textMessageReceived);
    first.open(hub.serverUrl());
    second.open(hub.serverUrl());
    QTRY_COMPARE(firstMessages.size(), 1);
    QTRY_COMPARE(secondMessages.size(), 1);

    const QJsonObject welcome = parse(firstMessages.at(0).at(0));
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(welcome.value(QStringLiteral("protocol")).toInt(), 1);
    QCOMPARE(welcome.value(QStringLiteral("heartbeat")).toInt(), 25);
    const QString firstId = welcome.value(QStringLiteral("clientId")).toString();
    const QString secondId
        = parse(secondMessages.at(0).at(0)).value(QStringLiteral("clientId")).toString();
    QVERIFY(!firstId.isEmpty());
    QVERIFY(firstId != secondId);
    QCOMPARE(connected.size(), 2);
    QCOMPARE(hub.clientCount(), 2);

    QSignalSpy disconnected(&hub, &WsHub::clientDisconnected);
    first.close();
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), firstId);
    QCOMPARE(hub.clientCount(), 1);
}

void TestWsHub::originPolicy_data()
{
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("accepted");

    const QStringList standard{"http://localhost:3001"};
    QTest::addRow("no origin (server process)") << standard << "" << true;
    QTest::addRow("allowed origin") << standard << "http://localhost:3001" << true;
    QTest::addRow("foreign origin") << standard << "http://evil.example" << false;
    QTest::addRow("other port") << standard << "http://localhost:3002" << false;
    QTest::addRow("any origin") << QStringList{"*"} << "http://evil.example" << true;
    QTest::addRow("empty allowlist") << QStringList{} << "http://localhost:3001" << false;
}

void TestWsHub::originPolicy()
{
    QFETCH(QStringList, allowed);
    QFETCH(QString, origin);
    QFETCH(bool, accepted);

    HubConfig config = testConfig();
    config.allowedOrigins = allowed;
    WsHub hub(config);
    QCOMPARE(hub.listen(), std::nullopt);

    QWebSocket client(origin);
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(QNetworkRequest(hub.serverUrl()));
    if (accepted) {
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(hub.clientCount(), 1);
    } else {
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(messages.size(), 0);
        QCOMPARE(hub.clientCount(), 0);
    }
    // What a browser sees: the HTTP status of the handshake itself.
    kucun::test::RawWsClient raw;
    QCOMPARE(raw.open(hub.serverUrl(), origin.toUtf8()), accepted);
    QCOMPARE(raw.statusLine().left(12),
             accepted ? QByteArray("HTTP/1.1 101") : QByteArray("HTTP/1.1 403"));
}

void TestWsHub::closeAllSendsGoingAwayAndDrains()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(hub.serverUrl());
    QTRY_COMPARE(messages.size(), 1);

    QSignalSpy drained(&hub, &WsHub::drained);
    hub.closeAll(std::chrono::seconds(5));
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(drained.size(), 1);
    QCOMPARE(hub.clientCount(), 0);

    // Once draining, the hub takes no one new.
    QWebSocket late;
    QSignalSpy lateMessages(&late, &QWebSocket::textMessageReceived);
    QSignalSpy lateDisconnected(&late, &QWebSocket::disconnected);
    late.open(hub.serverUrl());
    QTRY_COMPARE(lateDisconnected.size(), 1);
    QCOMPARE(lateMessages.size(), 0);
    QCOMPARE(drained.size(), 1);
}

void TestWsHub::closeAllWithoutClientsDrainsAtOnce()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QSignalSpy drained(&hub, &WsHub::drained);
    hub.closeAll(std::chrono::seconds(5));
    QCOMPARE(drained.size(), 1);
}

void TestWsHub::listenFailureIsReported()
{
    WsHub first(testConfig());
    QCOMPARE(first.listen(), std::nullopt);
    HubConfig config = testConfig();
    config.wsPort = static_cast<quint16>(first.serverUrl().port());
    WsHub second(config);
    const auto failure = second.listen();
    QVERIFY(failure.has_value());
    QVERIFY2(failure->startsWith(
                 QStringLiteral("cannot listen on 127.0.0.1 port %1: ").arg(config.wsPort)),
             qPrintable(*failure));
}

void TestWsHub::subscribeDeliverUnsubscribe()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket subscriber;
    QWebSocket bystander;
    QSignalSpy received(&subscriber, &QWebSocket::textMessageReceived);
    QSignalSpy bystanderReceived(&bystander, &QWebSocket::textMessageReceived);
    subscriber.open(hub.serverUrl());
    bystander.open(hub.serverUrl());
    QTRY_COMPARE(received.size(), 1);  // welcome
    QTRY_COMPARE(bystanderReceived.size(), 1);

    send(subscriber, {{"type", "subscribe"}, {"channel", "inventory"}, {"id", 7}});
    QTRY_COMPARE(received.size(), 2);
    const QJsonObject subscribed = parse(received.at(1).at(0));
    QCOMPARE(subscribed.value("type").toString(), QStringLiteral("subscribed"));
    QCOMPARE(subscribed.value("channel").toString(), QStringLiteral("inventory"));
    QCOMPARE(subscribed.value("offset").toInteger(), 0);
    QCOMPARE(subscribed.value("recovered").toBool(true), false);
    QCOMPARE(subscribed.value("id").toInt(), 7);
    const QString epoch = subscribed.value("epoch").toString();
    QVERIFY(!epoch.isEmpty());

    hub.deliverToChannel("inventory", QJsonObject{{"productId", "42"}});
    hub.deliverToChannel("orders", QJsonObject{{"orderId", "SO-1"}});  // nobody listens
    hub.deliverToChannel("inventory", QJsonObject{{"productId", "43"}});
    QTRY_COMPARE(received.size(), 4);
    const QJsonObject first = parse(received.at(2).at(0));
    QCOMPARE(first.value("channel").toString(), QStringLiteral("inventory"));
    QCOMPARE(first.value("data").toObject().value("productId").toString(), QStringLiteral("42"));
    QCOMPARE(first.value("offset").toInteger(), 1);
    QVERIFY(first.value("ts").toDouble() > 1.7e12);
    QCOMPARE(parse(received.at(3).at(0)).value("offset").toInteger(), 2);  // +1 per message
    QCOMPARE(bystanderReceived.size(), 1);  // only subscribers get channel messages

    send(subscriber, {{"type", "unsubscribe"}, {"channel", "inventory"}});
    QTRY_COMPARE(received.size(), 5);
    QCOMPARE(parse(received.at(4).at(0)).value("type").toString(), QStringLiteral("unsubscribed"));
    hub.deliverToChannel("inventory", QJsonObject{{"productId", "44"}});
    send(subscriber, {{"type", "ping"}});  // a marker: its pong comes after anything sent before
    QTRY_COMPARE(received.size(), 6);
    QCOMPARE(parse(received.at(5).at(0)).value("type").toString(), QStringLiteral("pong"));
}

void TestWsHub::malformedRequestsGetErrorsAndTheConnectionStays_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("code");

    QTest::addRow("not JSON") << "subscribe inventory"
                              << "bad_json";
    QTest::addRow("array") << "[1,2]"
                           << "bad_json";
    QTest::addRow("unknown type") << R"({"type":"teleport"})"
                                  << "unknown_type";
    QTest::addRow("no type") << R"({"channel":"inventory"})"
                             << "unknown_type";
    QTest::addRow("bad channel") << R"({"type":"subscribe","channel":"in ventory"})"
                                 << "bad_channel";
    QTest::addRow("long channel")
        << QStringLiteral(R"({"type":"subscribe","channel":"%1"})").arg(QString(65, u'c'))
        << "bad_channel";
    QTest::addRow("no channel") << R"({"type":"subscribe"})"
                                << "bad_channel";
}

void TestWsHub::malformedRequestsGetErrorsAndTheConnectionStays()
{
    QFETCH(QString, request);
    QFETCH(QString, code);
    HubWithClient fixture(testConfig());
    QVERIFY(fixture.start());
    QWebSocket &client = fixture.client;
    QSignalSpy &received = fixture.received;
    QSignalSpy &disconnected = fixture.disconnected;
    client.sendTextMessage(request);
    QTRY_COMPARE(received.size(), 2);
    const QJsonObject error = parse(received.at(1).at(0));
    QCOMPARE(error.value("type").toString(), QStringLiteral("error"));
    QCOMPARE(error.value("code").toString(), code);
    QVERIFY(!error.value("message").toString().isEmpty());
    send(client, {{"type", "subscribe"}, {"channel", "orders"}});
    QTRY_COMPARE(received.size(), 3);
    QCOMPARE(parse(received.at(2).at(0)).value("type").toString(), QStringLiteral("subscribed"));
    QCOMPARE(disconnected.size(), 0);
}

void TestWsHub::pingIsAnsweredWithItsId()
{
    HubWithClient fixture(testConfig());
    QVERIFY(fixture.start());
    QWebSocket &client = fixture.client;
    QSignalSpy &received = fixture.received;
    send(client, {{"type", "ping"}, {"id", "req-1"}});
    QTRY_COMPARE(received.size(), 2);
    const QJsonObject pong = parse(received.at(1).at(0));
    QCOMPARE(pong.value("type").toString(), QStringLiteral("pong"));
    QCOMPARE(pong.value("id").toString(), QStringLiteral("req-1"));
    QVERIFY(pong.value("ts").toDouble() > 1.7e12);
}

void TestWsHub::publishReachesSubscribers()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket subscriber;
    QWebSocket publisher;
    QSignalSpy toSubscriber(&subscriber, &QWebSocket::textMessageReceived);
    QSignalSpy toPublisher(&publisher, &QWebSocket::textMessageReceived);
    subscriber.open(hub.serverUrl());
    publisher.open(hub.serverUrl());
    QTRY_COMPARE(toSubscriber.size(), 1);
    QTRY_COMPARE(toPublisher.size(), 1);
    send(subscriber, {{"type", "subscribe"}, {"channel", "orders"}});
    QTRY_COMPARE(toSubscriber.size(), 2);

    send(publisher, {{"type", "publish"},
                     {"channel", "orders"},
                     {"data", QJsonObject{{"orderId", "SO-7"}}},
                     {"id", 3}});
    QTRY_COMPARE(toPublisher.size(), 2);
    const QJsonObject published = parse(toPublisher.at(1).at(0));
    QCOMPARE(published.value("type").toString(), QStringLiteral("published"));
    QCOMPARE(published.value("channel").toString(), QStringLiteral("orders"));
    QCOMPARE(published.value("offset").toInteger(), 1);
    QCOMPARE(published.value("id").toInt(), 3);
    QTRY_COMPARE(toSubscriber.size(), 3);
    const QJsonObject message = parse(toSubscriber.at(2).at(0));
    QCOMPARE(message.value("offset").toInteger(), 1);
    QCOMPARE(message.value("data").toObject().value("orderId").toString(), QStringLiteral("SO-7"));
}

void TestWsHub::publishRefusals_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("code");

    const QByteArray secret(40, 's');
    QTest::addRow("secret set, no token yet")
        << secret << R"({"type":"publish","channel":"orders","data":1})"
        << "unauthorized";
    QTest::addRow("no data") << QByteArray() << R"({"type":"publish","channel":"orders"})"
                             << "bad_json";
    QTest::addRow("bad channel") << QByteArray() << R"({"type":"publish","channel":"a b","data":1})"
                                 << "bad_channel";
}

void TestWsHub::publishRefusals()
{
    QFETCH(QByteArray, secret);
    QFETCH(QString, request);
    QFETCH(QString, code);
    HubConfig config = testConfig();
    config.jwtSecret = secret;
    HubWithClient fixture(config);
    QVERIFY(fixture.start());
    QWebSocket &client = fixture.client;
    QSignalSpy &received = fixture.received;
    client.sendTextMessage(request);
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(parse(received.at(1).at(0)).value("code").toString(), code);
}

void TestWsHub::subscribeWithSinceRecovers()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QString epoch;
    {
        QWebSocket first;
        QSignalSpy received(&first, &QWebSocket::textMessageReceived);
        first.open(hub.serverUrl());
        QTRY_COMPARE(received.size(), 1);
        send(first, {{"type", "subscribe"}, {"channel", "inventory"}});
        QTRY_COMPARE(received.size(), 2);
        epoch = parse(received.at(1).at(0)).value("epoch").toString();
        hub.deliverToChannel("inventory", QJsonObject{{"n", 1}});
        hub.deliverToChannel("inventory", QJsonObject{{"n", 2}});
        QTRY_COMPARE(received.size(), 4);
    }
    QTRY_COMPARE(hub.clientCount(), 0);
    for (int n = 3; n <= 5; ++n)  // missed while away
        hub.deliverToChannel("inventory", QJsonObject{{"n", n}});

    HubWithClient back(testConfig());
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(hub.serverUrl());
    QTRY_COMPARE(received.size(), 1);
    send(client, {{"type", "subscribe"},
                  {"channel", "inventory"},
                  {"since", QJsonObject{{"offset", 2}, {"epoch", epoch}}},
                  {"id", 9}});
    QTRY_COMPARE(received.size(), 5);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject message = parse(received.at(1 + i).at(0));
        QCOMPARE(message.value("offset").toInteger(), 3 + i);
        QCOMPARE(message.value("data").toObject().value("n").toInt(), 3 + i);
    }
    const QJsonObject subscribed = parse(received.at(4).at(0));
    QCOMPARE(subscribed.value("type").toString(), QStringLiteral("subscribed"));
    QCOMPARE(subscribed.value("recovered").toBool(), true);
    QCOMPARE(subscribed.value("offset").toInteger(), 5);
    QCOMPARE(subscribed.value("id").toInt(), 9);

    // A stream it never saw (another epoch): nothing replayed, recovered:false.
    send(client, {{"type", "subscribe"},
                  {"channel", "inventory"},
                  {"since", QJsonObject{{"offset", 2}, {"epoch", "0123456789abcdef"}}}});
    QTRY_COMPARE(received.size(), 6);
    QCOMPARE(typeOf(received, 5), QStringLiteral("subscribed"));
    QCOMPARE(parse(received.at(5).at(0)).value("recovered").toBool(true), false);
}

void TestWsHub::telemetryAndDisconnect()
{
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket browser(QStringLiteral("http://localhost:3001"));
    QSignalSpy received(&browser, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&browser, &QWebSocket::disconnected);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    browser.open(QNetworkRequest(hub.serverUrl()));
    QTRY_COMPARE(received.size(), 1);
    const QString clientId = parse(received.at(0).at(0)).value("clientId").toString();
    send(browser, {{"type", "subscribe"}, {"channel", "orders"}});
    send(browser, {{"type", "subscribe"}, {"channel", "inventory"}});
    QTRY_COMPARE(received.size(), 3);
    hub.deliverToChannel("inventory", 1);
    hub.deliverToChannel("inventory", 2);
    QTRY_COMPARE(received.size(), 5);

    const QList<kucun::WsClientInfo> clients = hub.clientInfos();
    QCOMPARE(clients.size(), 1);
    const kucun::WsClientInfo &info = clients.first();
    QCOMPARE(info.id, clientId);
    QCOMPARE(info.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(info.origin, QStringLiteral("http://localhost:3001"));
    QCOMPARE(info.subscriptions, QStringList({"inventory", "orders"}));
    QCOMPARE(info.messagesIn, 2);
    QCOMPARE(info.messagesOut, 5);  // welcome, two replies, two messages
    QVERIFY(info.connectedSinceMs >= before
            && info.connectedSinceMs <= QDateTime::currentMSecsSinceEpoch());

    QList<kucun::ChannelRegistry::ChannelInfo> channels = hub.channelInfos();
    std::sort(channels.begin(), channels.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    QCOMPARE(channels.size(), 2);
    QCOMPARE(channels[0].name, QStringLiteral("inventory"));
    QCOMPARE(channels[0].subscribers, 1);
    QCOMPARE(channels[0].historySize, 2);
    QCOMPARE(channels[0].messagesTotal, 2);
    QCOMPARE(channels[1].name, QStringLiteral("orders"));
    QCOMPARE(channels[1].historySize, 0);

    QVERIFY(!hub.disconnectClient(QStringLiteral("no-such-client")));
    QVERIFY(hub.disconnectClient(clientId));
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(int(browser.closeCode()), 4003);
    QCOMPARE(browser.closeReason(), QStringLiteral("disconnected by the administrator"));
    QTRY_COMPARE(hub.clientCount(), 0);
}

QTEST_GUILESS_MAIN(TestWsHub)
#include "tst_wshub.moc"
