// Redis through Sentinel (SPEC §4, §10) with a real master, replica and three redis-sentinel
// processes: the client finds the master through the sentinels, gets by with one of them down,
// says why when none knows the master, follows a failover by itself, and a hub under a stream of
// messages goes on delivering through the promoted replica with its clients still connected.

#include "engine/engine.h"
#include "redis/redisclient.h"
#include "support/sentinelgroup.h"
#include "support/wssubscriber.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using kucun::RedisClient;
using kucun::RedisReply;
using kucun::test::SentinelGroup;

namespace {

RedisReply await(RedisClient &client, const QList<QByteArray> &command)
{
    std::optional<RedisReply> answer;
    client.command(command, &client, [&answer](const RedisReply &reply) { answer = reply; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000))
        return RedisReply::error(QStringLiteral("no answer within 10 s"));
    return *answer;
}

kucun::RedisUrl urlOf(const QString &text)
{
    return *kucun::RedisUrl::parse(text).url;
}

}  // namespace

class TestRedisSentinel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void findsTheMasterThroughTheSentinels();
    void oneSentinelDownIsNoMatter();
    void saysWhyWhenNoSentinelKnowsTheMaster();
    void followsAFailoverByItself();
    void aHubFollowsAKilledMasterUnderAStream();

private:
    std::unique_ptr<SentinelGroup> m_group;
};

void TestRedisSentinel::init()
{
    m_group = std::make_unique<SentinelGroup>();
    QVERIFY(m_group->start());
}

void TestRedisSentinel::cleanup()
{
    m_group.reset();
}

void TestRedisSentinel::findsTheMasterThroughTheSentinels()
{
    RedisClient client(urlOf(m_group->url()), 2);
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QCOMPARE(client.server(), QStringLiteral("127.0.0.1:%1").arg(m_group->master().port()));
    QCOMPARE(client.sentinelCount(), 3);
    QTRY_COMPARE(client.sentinelsAnswering(), 3);
    const RedisReply set = await(client, {"SET", "where", "master"});
    QCOMPARE(set.text, QByteArray("OK"));
    QCOMPARE(m_group->master().cli({"GET", "where"}), QStringLiteral("master"));
}

void TestRedisSentinel::oneSentinelDownIsNoMatter()
{
    m_group->killSentinel(0);
    RedisClient client(urlOf(m_group->url()), 1);
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QTRY_COMPARE(client.sentinelsAnswering(), 2);
    QCOMPARE(client.server(), QStringLiteral("127.0.0.1:%1").arg(m_group->master().port()));
}

void TestRedisSentinel::saysWhyWhenNoSentinelKnowsTheMaster()
{
    QString url = m_group->url();
    url.replace(QStringLiteral("/mymaster"), QStringLiteral("/nosuchmaster"));
    RedisClient client(urlOf(url), 1);
    client.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        client.lastError().contains(QStringLiteral("no sentinel named the master 'nosuchmaster'")),
        10000);
    QVERIFY(client.state() != RedisClient::State::Up);
    QVERIFY(client.server().isEmpty());
}

void TestRedisSentinel::followsAFailoverByItself()
{
    RedisClient client(urlOf(m_group->url()), 2);
    QSignalSpy states(&client, &RedisClient::stateChanged);
    client.start();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    const quint16 replicaPort = m_group->replica().port();

    // An orderly failover: the sentinels promote the replica and announce it.
    QCOMPARE(kucun::test::redisCli(m_group->sentinelPort(1), {"SENTINEL", "FAILOVER", "mymaster"}),
             QStringLiteral("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(client.server(), QStringLiteral("127.0.0.1:%1").arg(replicaPort),
                              30000);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::State::Up, 10000);
    QVERIFY(client.masterSwitches() >= 1);
    // The pool writes to the new master: nothing answers READONLY.
    QTRY_COMPARE_WITH_TIMEOUT(await(client, {"SET", "after", "failover"}).text, QByteArray("OK"),
                              10000);
    QCOMPARE(m_group->replica().cli({"GET", "after"}), QStringLiteral("failover"));
}

void TestRedisSentinel::aHubFollowsAKilledMasterUnderAStream()
{
    kucun::HubConfig config;
    config.wsPort = 0;
    config.redis = urlOf(m_group->url());
    config.redisPoolSize = 2;
    kucun::Engine hub(config);
    QSignalSpy started(&hub, &kucun::Engine::started);
    hub.start();
    QVERIFY(started.wait(15000) || !started.isEmpty());
    QCOMPARE(started.first().at(1).toString(), QStringLiteral("redis"));
    kucun::test::WsSubscriber browser;
    QVERIFY(browser.open(hub.wsUrl()));
    QVERIFY(browser.subscribe(QStringLiteral("stream")));
    QSignalSpy gone(&browser.socket, &QWebSocket::disconnected);

    // The site publishes every 50 ms on whichever server the sentinels call the master.
    int next = 0;
    int firstAfterKill = -1;
    quint16 masterPort = m_group->masterPort();
    QTimer site;
    connect(&site, &QTimer::timeout, &site, [&] {
        const QString sent = kucun::test::redisCli(
            masterPort, {"PUBLISH", "ws:stream", QStringLiteral(R"({"seq":%1})").arg(next)});
        if (sent.isEmpty() || sent.startsWith(QStringLiteral("Could not connect"))
            || sent.startsWith(QStringLiteral("ERR"))) {
            masterPort = m_group->masterPort();  // not there: ask again
            return;
        }
        ++next;
    });
    site.start(50);
    QTRY_VERIFY(browser.messagesOn(QStringLiteral("stream")).size() >= 5);

    QElapsedTimer sinceKill;
    m_group->master().kill();
    sinceKill.start();
    firstAfterKill = next;
    const auto deliveredAfterKill = [&] {
        for (const QJsonObject &message : browser.messagesOn(QStringLiteral("stream"))) {
            if (message.value("data").toObject().value("seq").toInt() >= firstAfterKill)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(deliveredAfterKill(), 30000);
    const qint64 failoverMs = sinceKill.elapsed();
    site.stop();
    qInfo("first delivery through the new master %lld ms after the master was killed "
          "(down-after-milliseconds %d)",
          failoverMs, SentinelGroup::kDownAfterMs);
    QCOMPARE(hub.mode(), QStringLiteral("redis"));
    QCOMPARE(gone.size(), 0);  // the browser never noticed but for the pause
    QCOMPARE(m_group->masterPort(), m_group->replica().port());
}

QTEST_GUILESS_MAIN(TestRedisSentinel)
#include "tst_redissentinel.moc"
