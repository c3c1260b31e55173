// The token rules of SPEC §6 against a real hub: tokens in the URL and in `auth` messages,
// refusals with 4001, what a token allows, expiry, and how little a client without a token can
// make the hub hold for it. The rest of the protocol: tst_wshub.

#include "support/rawwsclient.h"
#include "support/wshubtesting.h"
#include "ws/wshub.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using kucun::HubConfig;
using kucun::WsHub;
using namespace kucun::test;

class TestWsHubAuth : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void tokenInTheUrlGrantsItsChannels();
    void badTokensClose4001_data();
    void badTokensClose4001();
    void authMessageAuthenticates();
    void withoutATokenOnlyPingAndAuthWork();
    void expiredTokensAreClosed_data();
    void expiredTokensAreClosed();
    void aPingFloodFromAStrangerQueuesAlmostNothing();
    void aStrangerThatDoesNotReadIsCutAtItsSmallBudget();
    void aTokenInTheUrlGivesTheFullBudget();

private:
    // Every hub here checks tokens.
    static HubConfig testConfig()
    {
        HubConfig config = wsTestConfig();
        config.jwtSecret = kSecret;
        return config;
    }
};

void TestWsHubAuth::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("QObject|QSocketNotifier|thread")));
}

void TestWsHubAuth::tokenInTheUrlGrantsItsChannels()
{
    const HubConfig config = testConfig();
    WsHub hub(config);
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(withToken(hub.serverUrl(), pickerToken()));
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(typeOf(received, 0), QStringLiteral("welcome"));

    send(client, {{"type", "subscribe"}, {"channel", "inventory"}});
    send(client, {{"type", "subscribe"}, {"channel", "orders:SO-7"}});
    send(client, {{"type", "subscribe"}, {"channel", "products"}, {"id", 3}});
    send(client, {{"type", "publish"}, {"channel", "orders:SO-7"}, {"data", 1}});
    send(client, {{"type", "publish"}, {"channel", "inventory"}, {"data", 1}, {"id", 5}});
    // The published message on orders:SO-7 comes to the client too: it is subscribed.
    QTRY_COMPARE(received.size(), 7);
    QCOMPARE(typeOf(received, 1), QStringLiteral("subscribed"));
    QCOMPARE(typeOf(received, 2), QStringLiteral("subscribed"));
    const QJsonObject forbiddenChannel = parse(received.at(3).at(0));
    QCOMPARE(forbiddenChannel.value("code").toString(), QStringLiteral("forbidden"));
    QCOMPARE(forbiddenChannel.value("id").toInt(), 3);
    QCOMPARE(parse(received.at(4).at(0)).value("channel").toString(),
             QStringLiteral("orders:SO-7"));
    QCOMPARE(typeOf(received, 5), QStringLiteral("published"));
    const QJsonObject forbiddenPublish = parse(received.at(6).at(0));
    QCOMPARE(forbiddenPublish.value("code").toString(), QStringLiteral("forbidden"));
    QCOMPARE(forbiddenPublish.value("id").toInt(), 5);

    QCOMPARE(hub.clientInfos().size(), 1);
    QCOMPARE(hub.clientInfos().first().subject, QStringLiteral("picker-1"));
}

void TestWsHubAuth::badTokensClose4001_data()
{
    QTest::addColumn<bool>("inUrl");
    QTest::addColumn<QByteArray>("jwt");

    const QByteArray forged = token({{"sub", "x"}, {"exp", inAMinute()}}, "not the secret");
    const QByteArray expired = token({{"sub", "x"}, {"exp", inAMinute() - 3600}});
    const QByteArray noExp = token({{"sub", "x"}});
    for (const bool inUrl : {true, false}) {
        const char *how = inUrl ? "url" : "auth message";
        QTest::addRow("%s: forged", how) << inUrl << forged;
        QTest::addRow("%s: expired", how) << inUrl << expired;
        QTest::addRow("%s: no exp", how) << inUrl << noExp;
        QTest::addRow("%s: not a JWT", how) << inUrl << QByteArray("abc");
    }
}

void TestWsHubAuth::badTokensClose4001()
{
    QFETCH(bool, inUrl);
    QFETCH(QByteArray, jwt);
    const HubConfig config = testConfig();
    WsHub hub(config);
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(inUrl ? withToken(hub.serverUrl(), jwt) : hub.serverUrl());
    if (!inUrl) {
        QTRY_COMPARE(received.size(), 1);  // welcome
        send(client, {{"type", "auth"}, {"token", QString::fromLatin1(jwt)}});
    }
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(int(client.closeCode()), 4001);
    QVERIFY(!client.closeReason().isEmpty());
    QCOMPARE(received.size(), inUrl ? 0 : 1);  // nothing, not even a welcome, on a bad URL token
    QTRY_COMPARE(hub.clientCount(), 0);
}

void TestWsHubAuth::authMessageAuthenticates()
{
    const HubConfig config = testConfig();
    HubWithClient fixture(config);
    QVERIFY(fixture.start());
    QSignalSpy &received = fixture.received;
    send(fixture.client,
         {{"type", "auth"}, {"token", QString::fromLatin1(pickerToken())}, {"id", 1}});
    send(fixture.client, {{"type", "subscribe"}, {"channel", "inventory"}});
    QTRY_COMPARE(received.size(), 3);
    const QJsonObject authed = parse(received.at(1).at(0));
    QCOMPARE(authed.value("type").toString(), QStringLiteral("authed"));
    QCOMPARE(authed.value("sub").toString(), QStringLiteral("picker-1"));
    QCOMPARE(authed.value("id").toInt(), 1);
    QCOMPARE(typeOf(received, 2), QStringLiteral("subscribed"));

    // A new token that allows less ends the subscriptions it does not cover.
    const QByteArray narrower
        = token({{"sub", "picker-1"}, {"exp", inAMinute()}, {"channels", QJsonArray{"orders:*"}}});
    send(fixture.client, {{"type", "auth"}, {"token", QString::fromLatin1(narrower)}});
    QTRY_COMPARE(received.size(), 5);
    QCOMPARE(typeOf(received, 3), QStringLiteral("unsubscribed"));
    QCOMPARE(parse(received.at(3).at(0)).value("channel").toString(), QStringLiteral("inventory"));
    // The hub's own doing, not an answer: no "id" at all (not "id":null).
    QVERIFY(!parse(received.at(3).at(0)).contains("id"));
    QCOMPARE(typeOf(received, 4), QStringLiteral("authed"));
    fixture.hub.deliverToChannel("inventory", 1);
    send(fixture.client, {{"type", "ping"}});
    QTRY_COMPARE(received.size(), 6);
    QCOMPARE(typeOf(received, 5), QStringLiteral("pong"));
    QCOMPARE(fixture.disconnected.size(), 0);
}

void TestWsHubAuth::withoutATokenOnlyPingAndAuthWork()
{
    const HubConfig config = testConfig();
    WsHub::Limits limits;
    limits.authTimeout = std::chrono::milliseconds(300);
    HubWithClient fixture(config, limits);
    QVERIFY(fixture.start());
    send(fixture.client, {{"type", "subscribe"}, {"channel", "inventory"}, {"id", 1}});
    send(fixture.client, {{"type", "ping"}});
    QTRY_COMPARE(fixture.received.size(), 3);
    const QJsonObject refused = parse(fixture.received.at(1).at(0));
    QCOMPARE(refused.value("code").toString(), QStringLiteral("unauthorized"));
    QCOMPARE(refused.value("id").toInt(), 1);
    QCOMPARE(typeOf(fixture.received, 2), QStringLiteral("pong"));
    // No token in time: closed.
    QTRY_COMPARE_WITH_TIMEOUT(fixture.disconnected.size(), 1, 10000);
    QCOMPARE(int(fixture.client.closeCode()), 4001);
}

void TestWsHubAuth::expiredTokensAreClosed_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("in the URL") << "url";
    QTest::newRow("in an auth request") << "auth";
    QTest::newRow("a shorter one replacing a longer one") << "reauth";
}

void TestWsHubAuth::expiredTokensAreClosed()
{
    QFETCH(QString, how);
    // Nothing else is due for minutes: only the token's own expiry can close the client.
    WsHub::Limits limits;
    limits.authTimeout = std::chrono::minutes(2);
    limits.heartbeatInterval = std::chrono::minutes(2);
    limits.pongTimeout = std::chrono::minutes(1);
    WsHub hub(testConfig(), limits);
    QCOMPARE(hub.listen(), std::nullopt);
    // Valid for one to two seconds.
    const QByteArray shortLived
        = token({{"sub", "s"}, {"exp", QDateTime::currentSecsSinceEpoch() + 2}});
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(how == "url" ? withToken(hub.serverUrl(), shortLived) : hub.serverUrl());
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(typeOf(received, 0), QStringLiteral("welcome"));
    if (how == "reauth") {
        send(client, {{"type", "auth"}, {"token", QString::fromLatin1(pickerToken())}});
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(typeOf(received, 1), QStringLiteral("authed"));
    }
    if (how != "url") {
        const int before = int(received.size());
        send(client, {{"type", "auth"}, {"token", QString::fromLatin1(shortLived)}});
        QTRY_COMPARE(received.size(), before + 1);
        QCOMPARE(typeOf(received, before), QStringLiteral("authed"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 15000);
    QCOMPARE(int(client.closeCode()), 4001);
    QCOMPARE(client.closeReason(), QStringLiteral("the token has expired"));
}

void TestWsHubAuth::aPingFloodFromAStrangerQueuesAlmostNothing()
{
    // 300 000 pings with the longest payload (39 MB) from a client that never reads: pongs
    // beyond the request rate are not sent, so what waits for it stays small.
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    RawWsClient stranger;
    QVERIFY(stranger.open(hub.serverUrl()));
    stranger.stopReading();
    const QByteArray payload(125, 'p');
    qint64 mostQueued = 0;
    for (int batch = 0; batch < 300; ++batch) {
        for (int i = 0; i < 1000; ++i)
            stranger.sendFrame(0x89, payload);
        QTest::qWait(1);
        for (const kucun::WsClientInfo &info : hub.clientInfos())
            mostQueued = std::max(mostQueued, info.queuedBytes);
    }
    QCOMPARE(hub.clientCount(), 1);  // still there: it was only refused pongs
    QVERIFY2(mostQueued <= WsHub::Limits().maxQueuedBytesUnauthenticated,
             qPrintable(QString::number(mostQueued)));
}

void TestWsHubAuth::aStrangerThatDoesNotReadIsCutAtItsSmallBudget()
{
    // Requests without a token are answered (unauthorized, then rate_limited); a client that
    // sends them and reads nothing is cut once 64 KiB wait for it, not 4 MiB.
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QSignalSpy gone(&hub, &WsHub::clientDisconnected);
    RawWsClient stranger;
    QVERIFY(stranger.open(hub.serverUrl()));
    stranger.stopReading();
    // Cut for more than the stranger's budget, not a token holder's 4 MiB.
    QTest::ignoreMessage(QtInfoMsg,
                         QRegularExpression(QStringLiteral(
                             "closing client .* with 1008 slow consumer: more than 65536 bytes")));
    const QByteArray request = R"({"type":"subscribe","channel":"inventory"})";
    qint64 mostQueued = 0;
    for (int batch = 0; batch < 400 && gone.isEmpty(); ++batch) {
        for (int i = 0; i < 500; ++i)
            stranger.sendText(request);
        QTest::qWait(1);
        for (const kucun::WsClientInfo &info : hub.clientInfos())
            mostQueued = std::max(mostQueued, info.queuedBytes);
    }
    QTRY_COMPARE(gone.size(), 1);
    // Never more than one reply and the close frame beyond the budget.
    const qint64 budget = WsHub::Limits().maxQueuedBytesUnauthenticated;
    QVERIFY2(mostQueued <= budget + 1024, qPrintable(QString::number(mostQueued)));
}

void TestWsHubAuth::aTokenInTheUrlGivesTheFullBudget()
{
    // 200 KB for a client in one event-loop turn: over a stranger's 64 KiB, well within the
    // 4 MiB of a client whose token checked out, here the one in its URL.
    WsHub hub(testConfig());
    QCOMPARE(hub.listen(), std::nullopt);
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(withToken(hub.serverUrl(), pickerToken()));
    QTRY_COMPARE(received.size(), 1);
    send(client, {{"type", "subscribe"}, {"channel", "inventory"}});
    QTRY_COMPARE(received.size(), 2);
    for (int i = 0; i < 200; ++i)
        hub.deliverToChannel("inventory", QString(1000, u'x'));
    QTRY_COMPARE(received.size(), 202);
    QCOMPARE(disconnected.size(), 0);
}

QTEST_GUILESS_MAIN(TestWsHubAuth)
#include "tst_wshubauth.moc"
