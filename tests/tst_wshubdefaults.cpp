// The WebSocket hub with the limits a user gets when nothing is configured (SPEC §6): the
// other hub tests set small limits to be quick; these check the defaults themselves.

#include "support/wshubtesting.h"

using kucun::HubConfig;
using kucun::WsHub;
using kucun::test::HubWithClient;
using kucun::test::parse;
using kucun::test::send;

class TestWsHubDefaults : public QObject
{
    Q_OBJECT

private slots:
    void welcomeAnnouncesTheHeartbeat();
    void burstOf200ThenRateLimited();
    void subscriptionsStopAt128();
    void messagesUpTo64KiB_data();
    void messagesUpTo64KiB();
    void publishThatWouldArriveTooLargeIsRefused();
};

void TestWsHubDefaults::welcomeAnnouncesTheHeartbeat()
{
    HubWithClient fixture(kucun::test::wsTestConfig());
    QVERIFY(fixture.start());
    QCOMPARE(parse(fixture.received.at(0).at(0)).value("heartbeat").toInt(), 25);
    const WsHub::Limits defaults;
    QCOMPARE(defaults.heartbeatInterval, std::chrono::seconds(25));
    QCOMPARE(defaults.pongTimeout, std::chrono::seconds(10));
}

void TestWsHubDefaults::burstOf200ThenRateLimited()
{
    HubWithClient fixture(kucun::test::wsTestConfig());
    QVERIFY(fixture.start());
    // 300 at once: the burst of 200 passes, plus what 100/s gives back while the hub reads them
    // (a fraction of a second, even under a sanitizer); the rest is refused, not dropped.
    for (int i = 0; i < 300; ++i)
        send(fixture.client, {{"type", "ping"}, {"id", i}});
    QTRY_COMPARE_WITH_TIMEOUT(fixture.received.size(), 301, 20000);
    int pongs = 0;
    int limited = 0;
    for (int i = 1; i <= 300; ++i) {
        const QJsonObject answer = parse(fixture.received.at(i).at(0));
        pongs += answer.value("type").toString() == u"pong" ? 1 : 0;
        limited += answer.value("code").toString() == u"rate_limited" ? 1 : 0;
    }
    QCOMPARE(pongs + limited, 300);
    QVERIFY2(pongs >= 200 && pongs < 300, qPrintable(QString::number(pongs)));
    for (int i = 1; i <= 200; ++i)  // the burst itself is never refused
        QCOMPARE(parse(fixture.received.at(i).at(0)).value("type").toString(),
                 QStringLiteral("pong"));
    QVERIFY(limited > 0);
    QCOMPARE(fixture.disconnected.size(), 0);
}

void TestWsHubDefaults::subscriptionsStopAt128()
{
    HubWithClient fixture(kucun::test::wsTestConfig());
    QVERIFY(fixture.start());
    for (int i = 0; i < 129; ++i)
        send(fixture.client, {{"type", "subscribe"}, {"channel", QStringLiteral("c%1").arg(i)}});
    QTRY_COMPARE(fixture.received.size(), 130);
    QCOMPARE(parse(fixture.received.at(128).at(0)).value("type").toString(),
             QStringLiteral("subscribed"));
    const QJsonObject refused = parse(fixture.received.at(129).at(0));
    QCOMPARE(refused.value("code").toString(), QStringLiteral("forbidden"));
    QVERIFY(refused.value("message").toString().contains(QStringLiteral("128 subscriptions")));
}

void TestWsHubDefaults::messagesUpTo64KiB_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<bool>("closed");
    QTest::addRow("64 KiB exactly") << 64 * 1024 << false;
    QTest::addRow("one byte more") << 64 * 1024 + 1 << true;
}

void TestWsHubDefaults::messagesUpTo64KiB()
{
    QFETCH(int, bytes);
    QFETCH(bool, closed);
    HubWithClient fixture(kucun::test::wsTestConfig());
    QVERIFY(fixture.start());
    // A ping padded to the size: answered when it fits, the connection closed with 1009 if not.
    const QByteArray head = R"({"type":"ping","pad":")";
    const QByteArray message = head + QByteArray(bytes - head.size() - 2, 'x') + "\"}";
    QCOMPARE(message.size(), bytes);
    fixture.client.sendTextMessage(QString::fromUtf8(message));
    if (closed) {
        QTRY_COMPARE(fixture.disconnected.size(), 1);
        QCOMPARE(fixture.client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    } else {
        QTRY_COMPARE(fixture.received.size(), 2);
        QCOMPARE(parse(fixture.received.at(1).at(0)).value("type").toString(),
                 QStringLiteral("pong"));
        QCOMPARE(fixture.disconnected.size(), 0);
    }
}

void TestWsHubDefaults::publishThatWouldArriveTooLargeIsRefused()
{
    HubWithClient fixture(kucun::test::wsTestConfig());
    QVERIFY(fixture.start());
    QWebSocket listener;
    QSignalSpy heard(&listener, &QWebSocket::textMessageReceived);
    listener.open(fixture.hub.serverUrl());
    QTRY_COMPARE(heard.size(), 1);
    kucun::test::send(listener, {{"type", "subscribe"}, {"channel", "big"}});
    QTRY_COMPARE(heard.size(), 2);

    // The request is exactly 64 KiB, so it is taken; the message it would become carries "ts"
    // and "offset" instead of "type" and "id", a few bytes more, which no client would take.
    QJsonObject big{{"type", "publish"}, {"channel", "big"}, {"data", ""}, {"id", 7}};
    const qsizetype frame = QJsonDocument(big).toJson(QJsonDocument::Compact).size();
    big.insert("data", QString(64 * 1024 - frame, u'x'));
    QCOMPARE(QJsonDocument(big).toJson(QJsonDocument::Compact).size(), 64 * 1024);
    send(fixture.client, big);
    // A small one after it: its arrival shows the big one was refused, not merely slow.
    send(fixture.client, {{"type", "publish"}, {"channel", "big"}, {"data", "small"}, {"id", 8}});
    QTRY_COMPARE(fixture.received.size(), 3);
    const QJsonObject refused = parse(fixture.received.at(1).at(0));
    QCOMPARE(refused.value("type").toString(), QStringLiteral("error"));
    QCOMPARE(refused.value("code").toString(), QStringLiteral("too_large"));
    QCOMPARE(refused.value("id").toInt(), 7);
    QCOMPARE(parse(fixture.received.at(2).at(0)).value("offset").toInt(), 1);
    QTRY_COMPARE(heard.size(), 3);
    QCOMPARE(parse(heard.at(2).at(0)).value("data").toString(), QStringLiteral("small"));
    QCOMPARE(fixture.disconnected.size(), 0);
}

QTEST_GUILESS_MAIN(TestWsHubDefaults)
#include "tst_wshubdefaults.moc"
