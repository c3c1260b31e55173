// The hub's Redis-protocol front as a site meets it (SPEC §12): the real binary, redis-cli, a
// raw Redis client and a WebSocket page. The ready line names the front; redis-cli works against
// it; what the site publishes on `channel:*` cascades through the hub exactly like a Redis
// message (the tag set the site wrote is invalidated, the page gets the routed event, Redis
// subscribers hear it); RESP_PASSWORD is Redis's requirepass; the front is off when asked and
// a taken port stops the start with a clear line.

#include "support/hubprocess.h"
#include "support/redisserver.h"
#include "support/respclient.h"
#include "support/wssubscriber.h"

#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using kucun::test::HubProcess;
using kucun::test::redisCli;
using kucun::test::RespClient;

class TestHubResp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void redisCliWorksAgainstTheFront();
    void redisBenchmarkRunsItsTests();
    void aSitePublishCascadesLikeARedisMessage();
    void passwordIsRequiredWhenSet();
    void frontCanBeSwitchedOff();
    void aTakenPortStopsTheStart();

private:
    // Starts a headless hub with `extra` settings; its Redis-protocol port, or 0.
    quint16 startHub(HubProcess &hub, const QMap<QString, QString> &extra = {});

    QTemporaryDir m_home;
};

void TestHubResp::initTestCase()
{
    QVERIFY(m_home.isValid());
}

quint16 TestHubResp::startHub(HubProcess &hub, const QMap<QString, QString> &extra)
{
    QProcessEnvironment env = HubProcess::cleanEnvironment(m_home.path());
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    if (!hub.start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env)
        || !hub.waitForReady().isValid())
        return 0;
    return hub.readyPort(QStringLiteral("resp"));
}

void TestHubResp::redisCliWorksAgainstTheFront()
{
    HubProcess hub;
    const quint16 port = startHub(hub);
    QVERIFY2(port > 0, qPrintable(hub.readyLine));

    QCOMPARE(redisCli(port, {"PING"}), QStringLiteral("PONG"));
    QCOMPARE(redisCli(port, {"SET", "kucun:products:detail:1", "{\"id\":1}", "EX", "300"}),
             QStringLiteral("OK"));
    QCOMPARE(redisCli(port, {"GET", "kucun:products:detail:1"}), QStringLiteral("{\"id\":1}"));
    QCOMPARE(redisCli(port, {"-x", "SET", "kucun:from:stdin"}, "piped value"),
             QStringLiteral("OK"));
    QCOMPARE(redisCli(port, {"GET", "kucun:from:stdin"}),
             QStringLiteral("piped value\n").trimmed());
    QCOMPARE(redisCli(port, {"SADD", "kucun:tag:products", "kucun:products:detail:1"}),
             QStringLiteral("1"));
    // --scan follows SCAN's cursor to the end, as a site's tooling does.
    QStringList scanned = redisCli(port, {"--scan", "--pattern", "kucun:*"}).split(u'\n');
    scanned.sort();
    QCOMPARE(scanned,
             (QStringList{"kucun:from:stdin", "kucun:products:detail:1", "kucun:tag:products"}));
    const QString info = redisCli(port, {"INFO"});
    QVERIFY2(info.contains(QStringLiteral("redis_version:7.0.0")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("db0:keys=3,")), qPrintable(info));
    // Commands typed line by line, as at redis-cli's prompt.
    QCOMPARE(redisCli(port, {}, "TYPE kucun:tag:products\nSCARD kucun:tag:products\n"),
             QStringLiteral("set\n1"));
    QVERIFY(hub.stop());
}

void TestHubResp::redisBenchmarkRunsItsTests()
{
    HubProcess hub;
    const quint16 port = startHub(hub);
    QVERIFY2(port > 0, qPrintable(hub.readyLine));
    // The commands of redis-benchmark's tests the front has, plain and pipelined; what it asks
    // at start (CONFIG GET save, appendonly) must not stop it either.
    for (const QString &pipeline : {QStringLiteral("1"), QStringLiteral("16")}) {
        QProcess benchmark;
        benchmark.start(QStringLiteral("redis-benchmark"),
                        {"-h", "127.0.0.1", "-p", QString::number(port), "-n", "2000", "-c", "8",
                         "-P", pipeline, "-t", "ping,set,get,incr,sadd,hset,mset", "--csv"});
        QVERIFY(benchmark.waitForFinished(60000));
        const QByteArray output = benchmark.readAllStandardOutput();
        const QByteArray errors = benchmark.readAllStandardError();
        QVERIFY2(benchmark.exitCode() == 0, errors.constData());
        QVERIFY2(!output.contains("ERR") && !errors.contains("ERR"), output + errors);
        for (const char *test : {"\"PING_INLINE\"", "\"PING_MBULK\"", "\"SET\"", "\"GET\"",
                                 "\"INCR\"", "\"SADD\"", "\"HSET\"", "\"MSET (10 keys)\""})
            QVERIFY2(output.contains(test), output.constData());
    }
    QCOMPARE(redisCli(port, {"SCARD", "myset"}).toInt() > 0, true);  // its SADDs landed
    QVERIFY(hub.stop());
}

void TestHubResp::aSitePublishCascadesLikeARedisMessage()
{
    HubProcess hub;
    const quint16 port = startHub(hub);
    QVERIFY2(port > 0, qPrintable(hub.readyLine));
    const QUrl ws(QStringLiteral("ws://127.0.0.1:%1").arg(hub.readyPort(QStringLiteral("ws"))));

    // The site caches two keys, one under the tag the event names, and a page listens.
    QCOMPARE(redisCli(port, {"SET", "kucun:inventory:summary:42", "{}", "EX", "300"}),
             QStringLiteral("OK"));
    QCOMPARE(
        redisCli(port, {"SADD", "kucun:tag:inventory:summary:42", "kucun:inventory:summary:42"}),
        QStringLiteral("1"));
    QCOMPARE(redisCli(port, {"SET", "kucun:products:detail:43", "{}"}), QStringLiteral("OK"));
    kucun::test::WsSubscriber page;
    QVERIFY(page.open(ws));
    QVERIFY(page.subscribe(QStringLiteral("inventory")));
    RespClient listener;
    QVERIFY(listener.connectTo(port));
    QVERIFY(listener.command({"PSUBSCRIBE", "channel:*"}).startsWith("*3\r\n$10\r\npsubscribe"));

    const QByteArray event
        = R"({"type":"inventory:change","productId":"42","oldQuantity":100,"newQuantity":95,)"
          R"("reason":"sale","timestamp":1700000000000})";
    QCOMPARE(redisCli(port, {"PUBLISH", "channel:inventory:change", QString::fromUtf8(event)}),
             QStringLiteral("1"));  // the one pattern subscriber, as Redis counts
    // Redis subscribers hear it through the hub's bus, as they would on Redis.
    const QByteArray heard = listener.send({}, 1);
    QVERIFY2(heard.startsWith("*4\r\n$8\r\npmessage\r\n$9\r\nchannel:*\r\n"), heard.constData());
    QVERIFY2(heard.contains(event), heard.constData());

    QTRY_COMPARE(
        redisCli(port, {"EXISTS", "kucun:inventory:summary:42", "kucun:tag:inventory:summary:42"}),
        QStringLiteral("0"));
    QCOMPARE(redisCli(port, {"EXISTS", "kucun:products:detail:43"}), QStringLiteral("1"));
    QTRY_COMPARE(page.messagesOn(QStringLiteral("inventory")).size(), 1);
    const QJsonObject data = page.messagesOn(QStringLiteral("inventory"))
                                 .front()
                                 .value(QStringLiteral("data"))
                                 .toObject();
    QCOMPARE(data.value(QStringLiteral("newQuantity")).toInt(), 95);
    QVERIFY(hub.stop());
}

void TestHubResp::passwordIsRequiredWhenSet()
{
    HubProcess hub;
    const quint16 port
        = startHub(hub, {{QStringLiteral("RESP_PASSWORD"), QStringLiteral("shop-secret")}});
    QVERIFY2(port > 0, qPrintable(hub.readyLine));
    kucun::test::RedisServer redis(
        {QStringLiteral("--requirepass"), QStringLiteral("shop-secret")});
    QVERIFY(redis.start());
    // redis-cli says the same of both, whatever the password.
    const QList<QStringList> invocations{
        {"SET", "k", "v"},
        {"-a", "wrong", "--no-auth-warning", "PING"},
        {"-a", "shop-secret", "--no-auth-warning", "PING"},
        {"-a", "shop-secret", "--no-auth-warning", "SET", "k", "v"},
        {"--user", "default", "--pass", "shop-secret", "--no-auth-warning", "GET", "k"},
    };
    for (const QStringList &arguments : invocations)
        QCOMPARE(redisCli(port, arguments), redisCli(redis.port(), arguments));
    QCOMPARE(redisCli(port, {"-a", "shop-secret", "--no-auth-warning", "GET", "k"}),
             QStringLiteral("v"));
    QVERIFY(hub.stop());
    // The password never reaches the log.
    QVERIFY(!hub.process.readAllStandardError().contains("shop-secret"));
}

void TestHubResp::frontCanBeSwitchedOff()
{
    HubProcess hub;
    QCOMPARE(startHub(hub, {{QStringLiteral("RESP_PORT"), QStringLiteral("off")}}), quint16(0));
    QVERIFY2(hub.readyLine.contains(QStringLiteral(" resp=off engine=memory")),
             qPrintable(hub.readyLine));
    QVERIFY(hub.stop());
}

void TestHubResp::aTakenPortStopsTheStart()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    HubProcess hub;
    QProcessEnvironment env = HubProcess::cleanEnvironment(m_home.path());
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("RESP_PORT"), QString::number(taken.serverPort()));
    QVERIFY(hub.start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env));
    QVERIFY(hub.process.waitForFinished(20000));
    QCOMPARE(hub.process.exitCode(), 1);
    const QByteArray errors = hub.process.readAllStandardError();
    QVERIFY2(errors.contains("kucun-hub: Redis protocol: "), errors.constData());
    QVERIFY(hub.process.readAllStandardOutput().isEmpty());  // no ready line
}

QTEST_GUILESS_MAIN(TestHubResp)
#include "tst_hubresp.moc"
