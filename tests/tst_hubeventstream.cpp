// The reliable event stream (SPEC §5, HUB_EVENT_STREAM) with the real binary and a real
// redis-server: events XADDed while the hub was stopped are all handled when it starts, in
// order and once (cascade, WebSocket history, audit log); a hub killed in the middle of a batch
// handles after its restart what it had read and not acknowledged; entries that are not events
// are audited as rejected and acknowledged all the same.

#include "support/httptesting.h"
#include "support/hubprocess.h"
#include "support/redisserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using kucun::test::HubProcess;
using kucun::test::RedisServer;

namespace {

const QString kStream = QStringLiteral("shop:events");

// The group's counters as XINFO GROUPS reports them: "lag", "pending", "entries-read".
qint64 groupField(RedisServer &redis, const QString &field)
{
    const QStringList lines = redis.cli({"XINFO", "GROUPS", kStream}).split(u'\n');
    const qsizetype at = lines.indexOf(field);
    return at >= 0 && at + 1 < lines.size() ? lines[at + 1].toLongLong() : -1;
}

// Keys k:<i> of the hub's namespace, each tagged t:<i>, as the hub's cache writes them.
void writeTaggedKeys(RedisServer &redis, int count)
{
    QByteArray commands;
    for (int i = 0; i < count; ++i) {
        commands
            += QStringLiteral("SET kucun:k:%1 v\nSADD kucun:tag:t:%1 kucun:k:%1\n").arg(i).toUtf8();
    }
    kucun::test::redisCli(redis.port(), {}, commands);
}

// XADDs cache:invalidate events for tags t:<from>…t:<to - 1>, in that order.
void addInvalidations(RedisServer &redis, int from, int to)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QByteArray commands;
    for (int i = from; i < to; ++i) {
        const QByteArray event
            = QJsonDocument(QJsonObject{{"type", "cache:invalidate"},
                                        {"tag", QStringLiteral("t:%1").arg(i)},
                                        {"eventId", QStringLiteral("e-%1").arg(i)},
                                        {"timestamp", now}})
                  .toJson(QJsonDocument::Compact);
        // redis-cli's own quoting: the JSON in single quotes has no single quote of its own.
        commands += "XADD " + kStream.toUtf8() + " * event '" + event + "'\n";
    }
    kucun::test::redisCli(redis.port(), {}, commands);
}

// How many of the keys k:0…k:<count - 1> are still there.
int keysLeft(RedisServer &redis, int count)
{
    QStringList arguments{"EXISTS"};
    for (int i = 0; i < count; ++i)
        arguments.append(QStringLiteral("kucun:k:%1").arg(i));
    return redis.cli(arguments).toInt();
}

}  // namespace

class TestHubEventStream : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void whatCameWhileTheHubWasStoppedIsHandledInOrderOnce();
    void aHubKilledMidBatchHandlesTheRestAfterARestart();
    void entriesThatAreNotEventsAreAuditedAndAcknowledged();

private:
    bool startHub(HubProcess &hub);
    // Waits until the group has read and acknowledged everything.
    bool caughtUp();

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<QTemporaryDir> m_home;
    QNetworkAccessManager m_network;
};

void TestHubEventStream::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY(m_redis->start());
    m_home = std::make_unique<QTemporaryDir>();
}

void TestHubEventStream::cleanup()
{
    m_redis.reset();
    m_home.reset();
}

bool TestHubEventStream::startHub(HubProcess &hub)
{
    QProcessEnvironment env = HubProcess::cleanEnvironment(m_home->path());
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("REDIS_URL"), m_redis->url());
    env.insert(QStringLiteral("HUB_EVENT_STREAM"), kStream);
    // The same folder for every run: the instance, and so its consumer group, stays the same.
    env.insert(QStringLiteral("HUB_DATA_DIR"), m_home->filePath(QStringLiteral("data")));
    if (!hub.start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env)
        || !hub.waitForReady().isValid())
        return false;
    // Its group exists once it reads the stream.
    return QTest::qWaitFor([this] { return groupField(*m_redis, "lag") >= 0; }, 10000);
}

bool TestHubEventStream::caughtUp()
{
    return QTest::qWaitFor(
        [this] { return groupField(*m_redis, "lag") == 0 && groupField(*m_redis, "pending") == 0; },
        30000);
}

void TestHubEventStream::whatCameWhileTheHubWasStoppedIsHandledInOrderOnce()
{
    HubProcess first;
    QVERIFY(startHub(first));
    QVERIFY(first.stop());

    constexpr int kEvents = 100;
    writeTaggedKeys(*m_redis, kEvents);
    addInvalidations(*m_redis, 0, kEvents);
    QCOMPARE(keysLeft(*m_redis, kEvents), kEvents);

    HubProcess hub;
    QVERIFY(startHub(hub));
    QVERIFY(caughtUp());
    // Cascade: every tagged key is gone.
    QCOMPARE(keysLeft(*m_redis, kEvents), 0);
    // WebSocket: each went to channel `cache` once, in the order of the stream (its shared
    // history holds them as clients got them).
    QStringList tags;
    const auto deliveredTags = [&] {
        tags.clear();
        const QStringList history
            = m_redis->cli({"XRANGE", "kucun:ws:cache:history", "-", "+"}).split(u'\n');
        for (const QString &line : history) {
            const QJsonObject message = QJsonDocument::fromJson(line.toUtf8()).object();
            if (message.contains(QStringLiteral("data")))
                tags.append(message.value("data").toObject().value("tag").toString());
        }
        return tags.size();
    };
    // Stamped once the hub holds the ingest lease, a moment after it starts.
    QTRY_COMPARE(deliveredTags(), kEvents);
    for (int i = 0; i < kEvents; ++i)
        QCOMPARE(tags[i], QStringLiteral("t:%1").arg(i));
    // Audit: each once, accepted (the log writes in a thread of its own: waited for).
    const QUrl events(QStringLiteral("http://127.0.0.1:%1/api/events?limit=500")
                          .arg(hub.readyPort(QStringLiteral("http"))));
    QStringList audited;
    const auto auditedTags = [&] {
        audited.clear();
        const QJsonArray rows = kucun::test::httpCall(m_network, "GET", events)
                                    .json()[QStringLiteral("events")]
                                    .toArray();
        for (const QJsonValue &row : rows) {
            if (row[QStringLiteral("type")].toString() == u"cache:invalidate"
                && row[QStringLiteral("status")].toString() == u"accepted") {
                audited.append(
                    QJsonDocument::fromJson(row[QStringLiteral("payload")].toString().toUtf8())
                        .object()
                        .value("tag")
                        .toString());
            }
        }
        return audited.size();
    };
    QTRY_COMPARE(auditedTags(), kEvents);
    QCOMPARE(QSet<QString>(audited.cbegin(), audited.cend()).size(), kEvents);
    QVERIFY(hub.stop());
}

void TestHubEventStream::aHubKilledMidBatchHandlesTheRestAfterARestart()
{
    // Many entries waiting when it starts, so that it is killed while catching up: with a batch
    // read and not all of it acknowledged.
    constexpr int kEvents = 20000;
    HubProcess first;
    QVERIFY(startHub(first));
    QVERIFY(first.stop());
    writeTaggedKeys(*m_redis, kEvents);
    addInvalidations(*m_redis, 0, kEvents);

    HubProcess hub;
    QVERIFY(startHub(hub));
    QVERIFY(QTest::qWaitFor([this] { return groupField(*m_redis, "pending") > 0; }, 10000));
    hub.process.kill();
    QVERIFY(hub.process.waitForFinished(10000));
    QVERIFY2(keysLeft(*m_redis, kEvents) > 0,
             "the hub handled everything before it was killed: nothing to prove");
    QVERIFY(groupField(*m_redis, "pending") > 0);  // read by the dead run, never acknowledged

    HubProcess again;
    QVERIFY(startHub(again));
    QVERIFY(caughtUp());
    QCOMPARE(keysLeft(*m_redis, kEvents), 0);
    // The dead run's unacknowledged entries were claimed, not left to it.
    const QUrl metrics(
        QStringLiteral("http://127.0.0.1:%1/metrics").arg(again.readyPort(QStringLiteral("http"))));
    const QByteArray text = kucun::test::httpCall(m_network, "GET", metrics).body;
    const qsizetype at = text.indexOf("\nkucun_hub_event_stream_claimed_total ");
    QVERIFY2(at >= 0, text.constData());
    QVERIFY(text.mid(at + 1).split('\n').value(0).split(' ').value(1).toLongLong() > 0);
    QVERIFY(again.stop());
}

void TestHubEventStream::entriesThatAreNotEventsAreAuditedAndAcknowledged()
{
    HubProcess hub;
    QVERIFY(startHub(hub));
    m_redis->cli({"XADD", kStream, "*", "event", "not json"});
    m_redis->cli({"XADD", kStream, "*", "payload", R"({"type":"cache:invalidate","tag":"x"})"});
    m_redis->cli({"XADD", kStream, "*", "event", R"({"type":"inventory:change","productId":"1"})"});
    QVERIFY(caughtUp());
    const QUrl events(QStringLiteral("http://127.0.0.1:%1/api/events?limit=50")
                          .arg(hub.readyPort(QStringLiteral("http"))));
    QTRY_COMPARE(kucun::test::httpCall(m_network, "GET", events)
                     .json()[QStringLiteral("events")]
                     .toArray()
                     .size(),
                 3);
    const QJsonArray rows = kucun::test::httpCall(m_network, "GET", events)
                                .json()[QStringLiteral("events")]
                                .toArray();
    for (const QJsonValue &row : rows)
        QVERIFY2(row[QStringLiteral("status")].toString().startsWith(QStringLiteral("rejected: ")),
                 qPrintable(row[QStringLiteral("status")].toString()));
    QVERIFY(hub.stop());
}

QTEST_GUILESS_MAIN(TestHubEventStream)
#include "tst_hubeventstream.moc"
