#include "support/redisfixture.h"

#include <QDeadlineTimer>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <mutex>

using namespace std::chrono_literals;
using kucun::Millis;
using kucun::test::RedisFixture;

class TestRedisStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void entriesFollowTheLayout();
    void tagSetsAndInvalidationAreInteroperable();
    void tagInvalidationCountsOnlyExistingKeys();
    void locksUseTokens();
    void ttlAndExpire();
    void scanPagesThroughEveryKey();
    void patternInvalidationUsesScan_data();
    void patternInvalidationUsesScan();
    void statsComeFromInfo();
    void failsFastWhenRedisIsDown();
    void callbackFormAnswersInTheStoreThread();
    void droppedRequestsAreAnsweredWithAnError();

private:
    std::unique_ptr<RedisFixture> m_redis;
};

void TestRedisStore::init()
{
    m_redis = std::make_unique<RedisFixture>();
    QVERIFY(m_redis->start());
}

void TestRedisStore::cleanup()
{
    m_redis.reset();
}

void TestRedisStore::entriesFollowTheLayout()
{
    kucun::RedisStore &store = *m_redis->store;
    QVERIFY(store
                .set("kucun:products:detail:42", R"({"id":"42"})", 60s,
                     {"kucun:tag:products", "kucun:tag:products:42"})
                .result()
                .ok());
    QCOMPARE(m_redis->server.cli({"GET", "kucun:products:detail:42"}),
             QStringLiteral(R"({"id":"42"})"));
    const qint64 pttl = m_redis->server.cli({"PTTL", "kucun:products:detail:42"}).toLongLong();
    QVERIFY(pttl > 55000 && pttl <= 60000);
    QCOMPARE(m_redis->server.cli({"TYPE", "kucun:tag:products:42"}), QStringLiteral("set"));
    QCOMPARE(m_redis->server.cli({"SMEMBERS", "kucun:tag:products:42"}),
             QStringLiteral("kucun:products:detail:42"));
    QVERIFY(m_redis->server.cli({"PTTL", "kucun:tag:products:42"}).toLongLong() >= pttl - 1000);

    QCOMPARE(store.get("kucun:products:detail:42").result().value(),
             std::optional<QByteArray>(R"({"id":"42"})"));
    QVERIFY(!store.get("kucun:missing").result().value().has_value());
    QVERIFY(store.set("kucun:forever", "v", 0ms, {}).result().ok());
    QCOMPARE(m_redis->server.cli({"PTTL", "kucun:forever"}), QStringLiteral("-1"));
    QCOMPARE(store.remove({"kucun:forever", "kucun:nothing"}).result().value(), 1);
}

void TestRedisStore::tagSetsAndInvalidationAreInteroperable()
{
    // Written by another client (the seed's Next.js site) in the §4 layout…
    m_redis->server.cli({"SET", "kucun:inventory:summary:7", "{}"});
    m_redis->server.cli({"SET", "kucun:products:detail:7", "{}"});
    m_redis->server.cli({"SET", "kucun:products:detail:8", "{}"});
    m_redis->server.cli(
        {"SADD", "kucun:tag:products:7", "kucun:inventory:summary:7", "kucun:products:detail:7"});
    // …and invalidated by the hub.
    const kucun::PatternMatch removed
        = m_redis->store->invalidateTag("kucun:tag:products:7", 50).result().value();
    QCOMPARE(removed.count, 2);
    QList<QByteArray> names = removed.sample;
    std::sort(names.begin(), names.end());
    QCOMPARE(names, (QList<QByteArray>{"kucun:inventory:summary:7", "kucun:products:detail:7"}));
    QCOMPARE(m_redis->server.cli({"EXISTS", "kucun:inventory:summary:7", "kucun:products:detail:7",
                                  "kucun:tag:products:7"}),
             QStringLiteral("0"));
    QCOMPARE(m_redis->server.cli({"EXISTS", "kucun:products:detail:8"}), QStringLiteral("1"));
    QVERIFY(m_redis->store->tagMembers("kucun:tag:products:7").result().value().isEmpty());
}

void TestRedisStore::tagInvalidationCountsOnlyExistingKeys()
{
    QStringList args{"SADD", "kucun:tag:big"};
    for (int i = 0; i < 2500; ++i) {  // more than one UNLINK slice in the script
        args << QStringLiteral("kucun:k:%1").arg(i);
        if (i % 2 == 0)
            QVERIFY(m_redis->store->set(QStringLiteral("kucun:k:%1").arg(i).toUtf8(), "v", 60s, {})
                        .result()
                        .ok());
    }
    m_redis->server.cli(args);
    // The 50 names are of keys that existed, whichever SMEMBERS gave first.
    const kucun::PatternMatch removed
        = m_redis->store->invalidateTag("kucun:tag:big", 50).result().value();
    QCOMPARE(removed.count, 1250);
    QCOMPARE(removed.sample.size(), 50);
    for (const QByteArray &name : removed.sample)
        QCOMPARE(name.mid(QByteArrayLiteral("kucun:k:").size()).toInt() % 2, 0);
    QCOMPARE(m_redis->server.cli({"DBSIZE"}), QStringLiteral("0"));
}

void TestRedisStore::locksUseTokens()
{
    kucun::RedisStore &store = *m_redis->store;
    QVERIFY(store.tryLock("kucun:lock:k", "token-a", 5000ms).result().value());
    QCOMPARE(m_redis->server.cli({"GET", "kucun:lock:k"}), QStringLiteral("token-a"));
    QVERIFY(m_redis->server.cli({"PTTL", "kucun:lock:k"}).toLongLong() > 4000);
    QVERIFY(!store.tryLock("kucun:lock:k", "token-b", 5000ms).result().value());
    QVERIFY(!store.unlock("kucun:lock:k", "token-b").result().value());
    QCOMPARE(m_redis->server.cli({"GET", "kucun:lock:k"}), QStringLiteral("token-a"));
    QVERIFY(store.unlock("kucun:lock:k", "token-a").result().value());
    QCOMPARE(m_redis->server.cli({"EXISTS", "kucun:lock:k"}), QStringLiteral("0"));
    // A lock taken by another client is respected too.
    m_redis->server.cli({"SET", "kucun:lock:other", "theirs", "PX", "5000"});
    QVERIFY(!store.tryLock("kucun:lock:other", "ours", 5000ms).result().value());
}

void TestRedisStore::ttlAndExpire()
{
    kucun::RedisStore &store = *m_redis->store;
    QVERIFY(store.set("kucun:t", "v", 0ms, {}).result().ok());
    QCOMPARE(store.ttl("kucun:t").result().value(), kucun::kTtlNoExpiry);
    QVERIFY(store.expire("kucun:t", 9000ms).result().value());
    QVERIFY(store.ttl("kucun:t").result().value() > 8000);
    QVERIFY(store.expire("kucun:t", 0ms).result().value());
    QCOMPARE(store.ttl("kucun:t").result().value(), kucun::kTtlNoExpiry);
    QVERIFY(!store.expire("kucun:none", 9000ms).result().value());
    QCOMPARE(store.ttl("kucun:none").result().value(), kucun::kTtlMissing);
}

void TestRedisStore::scanPagesThroughEveryKey()
{
    QStringList args{"MSET"};
    for (int i = 0; i < 500; ++i)
        args << QStringLiteral("kucun:products:%1").arg(i) << "v";
    args << "kucun:orders:1"
         << "v";
    m_redis->server.cli(args);
    QSet<QByteArray> seen;
    QByteArray cursor;
    int pages = 0;
    do {
        const auto page = m_redis->store->scan("kucun:products:*", cursor, 50).result();
        QVERIFY(page.ok());
        for (const QByteArray &key : page.value().keys)
            seen.insert(key);
        cursor = page.value().nextCursor;
        QVERIFY(++pages < 1000);
    } while (!cursor.isEmpty());
    QCOMPARE(seen.size(), 500);
    QVERIFY(!m_redis->store->scan("*", "not-a-cursor", 10).result().ok());
    const auto details
        = m_redis->store->describe({"kucun:orders:1", "kucun:none"}).result().value();
    QCOMPARE(details[0].sizeBytes, 1);
    QCOMPARE(details[0].ttlMs, kucun::kTtlNoExpiry);
    QCOMPARE(details[1].ttlMs, kucun::kTtlMissing);
}

void TestRedisStore::patternInvalidationUsesScan_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<int>("expected");
    QTest::addRow("prefix") << QByteArray("kucun:products:list:*") << 1500;
    QTest::addRow("glob") << QByteArray("kucun:inventory:*:7") << 1;
    QTest::addRow("none") << QByteArray("kucun:orders:*") << 0;
}

void TestRedisStore::patternInvalidationUsesScan()
{
    QFETCH(QByteArray, pattern);
    QFETCH(int, expected);
    QStringList args{"MSET"};
    for (int i = 0; i < 1500; ++i)  // more than one SCAN batch
        args << QStringLiteral("kucun:products:list:%1").arg(i) << "v";
    args << "kucun:inventory:summary:7"
         << "v"
         << "other:products:list:1"
         << "v";
    m_redis->server.cli(args);

    const auto dry = m_redis->store->invalidatePattern(pattern, true, 5, {}).result();
    QVERIFY(dry.ok());
    QCOMPARE(dry.value().count, expected);
    QCOMPARE(dry.value().sample.size(), std::min(5, expected));
    QCOMPARE(m_redis->server.cli({"DBSIZE"}), QStringLiteral("1502"));

    const auto done = m_redis->store->invalidatePattern(pattern, false, 0, {}).result();
    QCOMPARE(done.value().count, expected);
    QCOMPARE(m_redis->server.cli({"DBSIZE"}).toInt(), 1502 - expected);
    QCOMPARE(m_redis->server.cli({"EXISTS", "other:products:list:1"}), QStringLiteral("1"));
}

void TestRedisStore::statsComeFromInfo()
{
    QVERIFY(m_redis->store->set("kucun:a", "v", 60s, {}).result().ok());
    QVERIFY(m_redis->store->get("kucun:a").result().ok());
    QVERIFY(m_redis->store->get("kucun:b").result().ok());
    const kucun::StoreStats stats = m_redis->store->stats().result().value();
    QCOMPARE(stats.keys, 1);
    QVERIFY(stats.usedBytes > 0);
    QVERIFY(stats.serverHits >= 1);
    QVERIFY(stats.serverMisses >= 1);
}

void TestRedisStore::failsFastWhenRedisIsDown()
{
    m_redis->server.kill();
    QVERIFY(m_redis->waitFor(kucun::RedisClient::State::Down));
    QDeadlineTimer deadline(5000);
    const auto result = m_redis->store->get("kucun:a").result();
    QVERIFY(!deadline.hasExpired());
    QVERIFY(!result.ok());
    QVERIFY(result.error().startsWith(QStringLiteral("Redis: ")));
    // And comes back by itself.
    QVERIFY(m_redis->server.restart());
    QVERIFY(m_redis->waitFor(kucun::RedisClient::State::Up, 15000));
    QVERIFY(m_redis->store->set("kucun:a", "v", 60s, {}).result().ok());
}

void TestRedisStore::callbackFormAnswersInTheStoreThread()
{
    kucun::RedisStore &store = *m_redis->store;
    struct Answer
    {
        QThread *thread = nullptr;
        QString text;
    };
    std::mutex mutex;
    QList<Answer> answers;
    const auto record = [&](const QString &text) {
        std::lock_guard lock(mutex);
        answers.append({QThread::currentThread(), text});
    };
    const auto answerCount = [&] {
        std::lock_guard lock(mutex);
        return answers.size();
    };

    store.setThen("kucun:cb", "value", 60s, {"kucun:tag:cb"}, [&](const auto &stored) {
        record(stored.ok() ? QStringLiteral("stored") : stored.error());
        // Chained from inside the answer, on the store's thread: sent at once, answered later.
        store.getThen("kucun:cb", [&](const auto &read) {
            record(read.ok() && read.value() ? QString::fromUtf8(*read.value()) : QString());
        });
    });
    QTRY_COMPARE(answerCount(), 2);
    QCOMPARE(answers[0].text, QStringLiteral("stored"));
    QCOMPARE(answers[1].text, QStringLiteral("value"));
    QCOMPARE(answers[0].thread, store.thread());
    QCOMPARE(answers[1].thread, store.thread());
    QCOMPARE(m_redis->server.cli({"SMEMBERS", "kucun:tag:cb"}), QStringLiteral("kucun:cb"));

    // A bad TTL is refused before anything is sent, and the key keeps its value.
    store.setThen("kucun:cb", "other", -1ms, {}, [&](const auto &stored) {
        record(stored.ok() ? QStringLiteral("stored") : stored.error());
    });
    QTRY_COMPARE(answerCount(), 3);
    QCOMPARE(answers[2].text, QStringLiteral("a TTL cannot be negative"));
    QCOMPARE(m_redis->server.cli({"GET", "kucun:cb"}), QStringLiteral("value"));
}

void TestRedisStore::droppedRequestsAreAnsweredWithAnError()
{
    // The store goes away with a GET on the wire: its reply has nobody to go to, and the caller
    // must still hear something.
    std::mutex mutex;
    QString answer;
    QMetaObject::invokeMethod(
        m_redis->store,
        [&] {
            m_redis->store->getThen("kucun:gone", [&](const auto &result) {
                std::lock_guard lock(mutex);
                answer = result.ok() ? QStringLiteral("ok") : result.error();
            });
            delete m_redis->store;
            m_redis->store = nullptr;
        },
        Qt::BlockingQueuedConnection);
    QTRY_VERIFY([&] {
        std::lock_guard lock(mutex);
        return !answer.isEmpty();
    }());
    QCOMPARE(answer, QStringLiteral("the cache engine went away"));
}

QTEST_GUILESS_MAIN(TestRedisStore)
#include "tst_redisstore.moc"
