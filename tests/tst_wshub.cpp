#include "ws/wshub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using kucun::HubConfig;
using kucun::WsHub;

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

private:
    HubConfig testConfig() const;
    QJsonObject nextJson(QSignalSpy &messages, int index) const;
};

void TestWsHub::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("QObject|QSocketNotifier|thread")));
}

HubConfig TestWsHub::testConfig() const
{
    HubConfig config;
    config.wsPort = 0;
    config.allowedOrigins = {QStringLiteral("http://localhost:3001")};
    return config;
}

QJsonObject TestWsHub::nextJson(QSignalSpy &messages, int index) const
{
    return QJsonDocument::fromJson(messages.at(index).at(0).toString().toUtf8()).object();
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

    const QJsonObject welcome = nextJson(firstMessages, 0);
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(welcome.value(QStringLiteral("protocol")).toInt(), 1);
    QCOMPARE(welcome.value(QStringLiteral("heartbeat")).toInt(), 25);
    const QString firstId = welcome.value(QStringLiteral("clientId")).toString();
    const QString secondId
        = nextJson(secondMessages, 0).value(QStringLiteral("clientId")).toString();
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

QTEST_GUILESS_MAIN(TestWsHub)
#include "tst_wshub.moc"
