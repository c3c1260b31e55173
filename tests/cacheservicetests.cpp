// The CacheService behaviours of SPEC §3, compiled twice: on the memory engine (tst_cacheservice)
// and on a real redis-server (tst_cacheservice_redis, KUCUN_TEST_ON_REDIS). The bodies only
// talk to the store through the CacheStore interface, so both engines face the same checks.

#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#ifdef KUCUN_TEST_ON_REDIS
#include "support/redisfixture.h"
#endif

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using kucun::CacheService;
using kucun::GetOrSetOptions;
using kucun::LoadResult;
using kucun::MemoryStore;
using kucun::Millis;

namespace {

[[maybe_unused]] MemoryStore::Options storeOptions()
{
    MemoryStore::Options options;
    options.maxBytes = size_t(64) << 20;
    options.shardCount = 4;
    return options;
}

LoadResult value(const char *text)
{
    return std::optional<QByteArray>(QByteArray(text));
}

}  // namespace

// The cache's port, faked: records what the service reports, from whichever thread reports it.
class InvalidationRecorder final : public kucun::InvalidationListener
{
public:
    struct Heard
    {
        QString kind;  // "tag" or "namespace"
        QString target;
        qint64 removed = 0;
        kucun::InvalidationCause cause = kucun::InvalidationCause::Request;
    };

    void tagInvalidated(const QString &tag, qint64 removed, kucun::InvalidationCause cause) override
    {
        std::lock_guard lock(m_mutex);
        m_heard.append({QStringLiteral("tag"), tag, removed, cause});
    }
    void namespaceInvalidated(const QString &pattern, qint64 removed,
                              kucun::InvalidationCause cause) override
    {
        std::lock_guard lock(m_mutex);
        m_heard.append({QStringLiteral("namespace"), pattern, removed, cause});
    }
    QList<Heard> heard() const
    {
        std::lock_guard lock(m_mutex);
        return m_heard;
    }

private:
    mutable std::mutex m_mutex;
    QList<Heard> m_heard;
};

class TestCacheService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void keysAreNamespaced();
    void singleFlightCallsTheLoaderOnce();
    void failingLoaderFailsEveryWaiterAndCachesNothing();
    void throwingLoaderIsAnError();
    void nullIsCachedAsTheSentinel();
    void jitterSpreadsTtls();
    void jitterZeroKeepsTheTtl();
    void invalidateTagRemovesExactlyItsKeysAndTellsTheListener();
    void invalidateNamespace_data();
    void invalidateNamespace();
    void emptyNamespacePatternIsRefused();
    void namespaceInvalidationLeavesLocksToTheirHolders();
    void lockWaitReadsTheHoldersValue();
    void abandonedLockFallsBackToLoading();
    void statsPerSegment();
    void jsonHelpers();
    void keysPageDescribesKeys();
    void concurrentUseIsSafe();

private:
    // Looks at the store directly, past the service.
    std::optional<QByteArray> raw(const QByteArray &key)
    {
        return m_store->get(key).result().value();
    }
    qint64 pttl(const QByteArray &key) { return m_store->ttl(key).result().value(); }
    QList<QByteArray> tagMembers(const QByteArray &tagKey)
    {
        return m_store->tagMembers(tagKey).result().value();
    }
    bool lock(const QByteArray &key, const QByteArray &token, Millis ttl)
    {
        return m_store->tryLock(key, token, ttl).result().value();
    }
    bool unlock(const QByteArray &key, const QByteArray &token)
    {
        return m_store->unlock(key, token).result().value();
    }
    void put(const QByteArray &key, const QByteArray &value, Millis ttl)
    {
        m_store->set(key, value, ttl, {}).result();
    }
    // Cache entries under the namespace: not tag sets or locks.
    qint64 entryCount()
    {
        const auto count = [this](const QByteArray &pattern) {
            return m_store->invalidatePattern(pattern, true, 0, {}).result().value().count;
        };
        return count("kucun:*") - count("kucun:tag:*") - count("kucun:lock:*");
    }

#ifdef KUCUN_TEST_ON_REDIS
    std::unique_ptr<kucun::test::RedisFixture> m_redis;
#else
    std::unique_ptr<MemoryStore> m_memory;
#endif
    kucun::CacheStore *m_store = nullptr;
    std::unique_ptr<InvalidationRecorder> m_invalidations;
    std::unique_ptr<CacheService> m_service;
};

void TestCacheService::init()
{
#ifdef KUCUN_TEST_ON_REDIS
    m_redis = std::make_unique<kucun::test::RedisFixture>();
    QVERIFY(m_redis->start());
    m_store = m_redis->store;
#else
    m_memory = std::make_unique<MemoryStore>(storeOptions());
    m_store = m_memory.get();
#endif
    m_invalidations = std::make_unique<InvalidationRecorder>();
    m_service
        = std::make_unique<CacheService>(*m_store, QStringLiteral("kucun"), m_invalidations.get());
}

void TestCacheService::cleanup()
{
    m_service.reset();
    m_invalidations.reset();
    m_store = nullptr;
#ifdef KUCUN_TEST_ON_REDIS
    m_redis.reset();
#else
    m_memory.reset();
#endif
}

void TestCacheService::keysAreNamespaced()
{
    QVERIFY(m_service->set("products:detail:42", "{}", 60s, {"products:42"}).result().ok());
    QVERIFY(raw("kucun:products:detail:42"));
    QCOMPARE(tagMembers("kucun:tag:products:42"), QList<QByteArray>{"kucun:products:detail:42"});
    QCOMPARE(m_service->lockKey("x"), QByteArray("kucun:lock:x"));
}

void TestCacheService::singleFlightCallsTheLoaderOnce()
{
    constexpr int kCallers = 64;
    std::atomic<int> loaderCalls{0};
    std::latch start(kCallers);
    std::vector<LoadResult> results(kCallers);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
        callers.emplace_back([&, i] {
            start.arrive_and_wait();
            results[size_t(i)] = m_service
                                     ->getOrSet("dashboard:overview", 60s,
                                                [&]() -> LoadResult {
                                                    loaderCalls.fetch_add(1);
                                                    std::this_thread::sleep_for(50ms);
                                                    return value("{\"orders\":7}");
                                                })
                                     .result();
        });
    }
    for (std::thread &caller : callers)
        caller.join();
    QCOMPARE(loaderCalls.load(), 1);
    for (const LoadResult &result : results) {
        QVERIFY(result.ok());
        QCOMPARE(result.value(), std::optional<QByteArray>("{\"orders\":7}"));
    }
    QCOMPARE(raw("kucun:dashboard:overview"), std::optional<QByteArray>("{\"orders\":7}"));
}

void TestCacheService::failingLoaderFailsEveryWaiterAndCachesNothing()
{
    constexpr int kCallers = 16;
    std::atomic<int> loaderCalls{0};
    std::latch start(kCallers);
    std::vector<LoadResult> results(kCallers);
    std::vector<std::thread> callers;
    const auto failing = [&]() -> LoadResult {
        loaderCalls.fetch_add(1);
        std::this_thread::sleep_for(30ms);
        return kucun::Error{QStringLiteral("database unavailable")};
    };
    for (int i = 0; i < kCallers; ++i) {
        callers.emplace_back([&, i] {
            start.arrive_and_wait();
            results[size_t(i)] = m_service->getOrSet("products:detail:9", 60s, failing).result();
        });
    }
    for (std::thread &caller : callers)
        caller.join();
    QCOMPARE(loaderCalls.load(), 1);
    for (const LoadResult &result : results) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error(), QStringLiteral("database unavailable"));
    }
    QVERIFY(!raw("kucun:products:detail:9"));
    // The failure is not remembered: the next caller tries again.
    QVERIFY(
        m_service->getOrSet("products:detail:9", 60s, [] { return value("ok"); }).result().ok());
    QCOMPARE(raw("kucun:products:detail:9"), std::optional<QByteArray>("ok"));
}

void TestCacheService::throwingLoaderIsAnError()
{
    const LoadResult result
        = m_service->getOrSet("x", 60s, []() -> LoadResult { throw std::runtime_error("boom"); })
              .result();
    QVERIFY(!result.ok());
    QVERIFY(result.error().contains(QStringLiteral("threw")));
}

void TestCacheService::nullIsCachedAsTheSentinel()
{
    int loaderCalls = 0;
    const auto missing = [&]() -> LoadResult {
        ++loaderCalls;
        return std::optional<QByteArray>();
    };
    const LoadResult first = m_service->getOrSet("products:detail:404", 600s, missing).result();
    QVERIFY(first.ok());
    QVERIFY(!first.value().has_value());
    QCOMPARE(raw("kucun:products:detail:404"), std::optional<QByteArray>("__NULL__"));
    const qint64 ttl = pttl("kucun:products:detail:404");
    QVERIFY2(ttl > 55000 && ttl <= 60000, qPrintable(QString::number(ttl)));  // min(ttl, 60 s)

    const LoadResult second = m_service->getOrSet("products:detail:404", 600s, missing).result();
    QVERIFY(second.ok() && !second.value().has_value());
    QCOMPARE(loaderCalls, 1);
    const auto stats = m_service->stats().result().value();
    QCOMPARE(stats.nullHits, 1);
    QVERIFY(!m_service->get("products:detail:404").result().value().has_value());

    GetOrSetOptions options;
    options.nullTtl = 5s;
    QVERIFY(m_service->getOrSet("products:detail:405", 600s, missing, options).result().ok());
    // The sentinel is there, with the null TTL asked for (a missing key, -2, must not pass).
    QCOMPARE(raw("kucun:products:detail:405"), std::optional<QByteArray>("__NULL__"));
    const qint64 nullTtl = pttl("kucun:products:detail:405");
    QVERIFY2(nullTtl > 4000 && nullTtl <= 5000, qPrintable(QString::number(nullTtl)));
}

void TestCacheService::jitterSpreadsTtls()
{
    QSet<qint64> distinct;
    for (int i = 0; i < 200; ++i) {
        const QString key = QStringLiteral("products:detail:%1").arg(i);
        QVERIFY(m_service->getOrSet(key, 100s, [] { return value("v"); }).result().ok());
        const qint64 ttl = pttl(m_service->fullKey(key));
        QVERIFY2(ttl >= 79000 && ttl <= 120000, qPrintable(QString::number(ttl)));
        distinct.insert(ttl / 100);
    }
    QVERIFY2(distinct.size() > 50, qPrintable(QString::number(distinct.size())));
}

void TestCacheService::jitterZeroKeepsTheTtl()
{
    GetOrSetOptions options;
    options.jitter = 0;
    for (int i = 0; i < 20; ++i) {
        const QString key = QStringLiteral("inventory:summary:%1").arg(i);
        QVERIFY(m_service
                    ->getOrSet(
                        key, 100s, [] { return value("v"); }, options)
                    .result()
                    .ok());
        const qint64 ttl = pttl(m_service->fullKey(key));
        QVERIFY2(ttl > 99000 && ttl <= 100000, qPrintable(QString::number(ttl)));
    }
}

void TestCacheService::invalidateTagRemovesExactlyItsKeysAndTellsTheListener()
{
    for (int i = 0; i < 10; ++i)
        QVERIFY(m_service
                    ->set(QStringLiteral("products:detail:%1").arg(i), "v", 60s,
                          {"products", QStringLiteral("products:%1").arg(i)})
                    .result()
                    .ok());
    QVERIFY(m_service->set("inventory:summary:1", "v", 60s, {"inventory:summary:1"}).result().ok());

    // The preview names what would go and changes nothing.
    const kucun::PatternMatch preview = m_service->tagPreview("products", 3).result().value();
    QCOMPARE(preview.count, 10);
    QCOMPARE(preview.sample.size(), 3);
    QVERIFY(preview.sample.first().startsWith("products:detail:"));
    QCOMPARE(m_service->tagPreview("nothing").result().value().count, 0);
    // The tag list: every tag with its count; a prefix or a glob narrows it.
    const QList<kucun::TagCount> all = m_service->tags().result().value();
    QCOMPARE(all.size(), 12);  // products, products:0..9, inventory:summary:1
    QCOMPARE(all.first().tag, QStringLiteral("inventory:summary:1"));
    QCOMPARE(all[1].tag, QStringLiteral("products"));
    QCOMPARE(all[1].keys, 10);
    QCOMPARE(m_service->tags("products:").result().value().size(), 10);
    QCOMPARE(m_service->tags("products:?").result().value().size(), 10);
    QCOMPARE(m_service->tags("inv*", 5).result().value().size(), 1);
    QCOMPARE(m_service->tags({}, 3).result().value().size(), 3);
    QVERIFY(!m_service->tagPreview(QString()).result().ok());
    QCOMPARE(entryCount(), 11);

    const auto removed = m_service->invalidateTag("products:3").result();
    QVERIFY(removed.ok());
    QCOMPARE(removed.value(), 1);
    QVERIFY(!raw("kucun:products:detail:3"));
    QVERIFY(raw("kucun:products:detail:4"));

    // The sampled form names keys that were removed, relative to the namespace.
    const kucun::PatternMatch sampled
        = m_service->invalidateTagSampled("products", 5, kucun::InvalidationCause::Request)
              .result()
              .value();
    QCOMPARE(sampled.count, 9);
    QCOMPARE(sampled.sample.size(), 5);
    for (const QByteArray &key : sampled.sample) {
        QVERIFY2(key.startsWith("products:detail:") && key != "products:detail:3", key);
        QVERIFY(!raw("kucun:" + key));
    }
    QVERIFY(raw("kucun:inventory:summary:1"));
    QCOMPARE(entryCount(), 1);

    // A cascade (the router's) is reported as such: the events floor decides what to announce.
    QCOMPARE(m_service->invalidateTag("inventory:summary:1", kucun::InvalidationCause::Cascade)
                 .result()
                 .value(),
             1);
    const QList<InvalidationRecorder::Heard> heard = m_invalidations->heard();
    QCOMPARE(heard.size(), 3);  // the previews and the tag list told it nothing
    QCOMPARE(heard[0].kind, QStringLiteral("tag"));
    QCOMPARE(heard[0].target, QStringLiteral("products:3"));
    QCOMPARE(heard[0].removed, 1);
    QCOMPARE(heard[0].cause, kucun::InvalidationCause::Request);
    QCOMPARE(heard[1].target, QStringLiteral("products"));
    QCOMPARE(heard[1].removed, 9);
    QCOMPARE(heard[2].cause, kucun::InvalidationCause::Cascade);
    QCOMPARE(entryCount(), 0);
    const auto stats = m_service->stats().result().value();
    QCOMPARE(stats.invalidations, 3);
    QCOMPARE(stats.invalidatedKeys, 11);
}

void TestCacheService::invalidateNamespace_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<int>("expected");

    QTest::addRow("prefix form") << "products:list:" << 5;
    QTest::addRow("glob form") << "inventory:*" << 3;
    QTest::addRow("glob inside") << "products:*:7" << 1;
}

void TestCacheService::invalidateNamespace()
{
    QFETCH(QString, pattern);
    QFETCH(int, expected);
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_service->set(QStringLiteral("products:list:%1").arg(i), "v", 60s).result().ok());
    for (int i = 0; i < 3; ++i)
        QVERIFY(
            m_service->set(QStringLiteral("inventory:summary:%1").arg(i), "v", 60s).result().ok());
    QVERIFY(m_service->set("products:detail:7", "v", 60s).result().ok());
    const qint64 total = 9;

    const auto dry = m_service->invalidateNamespace(pattern, true, 3).result();
    QVERIFY(dry.ok());
    QCOMPARE(dry.value().count, expected);
    QCOMPARE(dry.value().sample.size(), std::min(3, expected));
    for (const QByteArray &key : dry.value().sample)
        QVERIFY(key.startsWith("kucun:"));
    QCOMPARE(entryCount(), total);

    const auto done = m_service->invalidateNamespace(pattern).result();
    QCOMPARE(done.value().count, expected);
    QCOMPARE(entryCount(), total - expected);
    const QList<InvalidationRecorder::Heard> heard = m_invalidations->heard();
    QCOMPARE(heard.size(), 1);  // the dry run told nobody
    QCOMPARE(heard.first().kind, QStringLiteral("namespace"));
    QCOMPARE(heard.first().target, pattern);
    QCOMPARE(heard.first().removed, expected);
}

void TestCacheService::namespaceInvalidationLeavesLocksToTheirHolders()
{
    // Another process holds the lock of a key it is loading (SPEC §3's breakdown guard). On
    // Redis the lock is a key under the namespace, which `*` matches; the memory engine keeps
    // its locks apart, so there the test shows the same behaviour from the outside.
    QVERIFY(lock(m_service->lockKey("products:detail:1"), "holder-token", 60s));
    QVERIFY(m_service->set("products:detail:1", "v", 60s).result().ok());
    QVERIFY(m_service->set("inventory:summary:1", "v", 60s).result().ok());

    const auto preview = m_service->invalidateNamespace("*", true, 10).result();
    QCOMPARE(preview.value().count, 2);  // the two entries; not the lock
    for (const QByteArray &key : preview.value().sample)
        QVERIFY2(!key.contains(":lock:"), key.constData());
    QCOMPARE(m_service->invalidateNamespace("*").result().value().count, 2);
    QCOMPARE(entryCount(), 0);
    // The lock is still its holder's: nobody else gets it, and the holder can release it.
    QVERIFY(!lock(m_service->lockKey("products:detail:1"), "another-token", 60s));
    QVERIFY(unlock(m_service->lockKey("products:detail:1"), "holder-token"));
}

void TestCacheService::emptyNamespacePatternIsRefused()
{
    QVERIFY(m_service->set("a", "v", 60s).result().ok());
    const auto result = m_service->invalidateNamespace(QString()).result();
    QVERIFY(!result.ok());
    QCOMPARE(entryCount(), 1);
    QVERIFY(!m_service->invalidateTag(QString()).result().ok());
}

void TestCacheService::lockWaitReadsTheHoldersValue()
{
    // Another process holds the lock and is computing the value.
    QVERIFY(lock("kucun:lock:dashboard:stats", "other-process", Millis(5000)));
    std::thread holder([this] {
        std::this_thread::sleep_for(150ms);
        put("kucun:dashboard:stats", "{\"from\":\"holder\"}", Millis(60000));
        unlock("kucun:lock:dashboard:stats", "other-process");
    });
    int loaderCalls = 0;
    const LoadResult result = m_service
                                  ->getOrSetWithLock("dashboard:stats", 60s,
                                                     [&] {
                                                         ++loaderCalls;
                                                         return value("{\"from\":\"us\"}");
                                                     })
                                  .result();
    holder.join();
    QVERIFY(result.ok());
    QCOMPARE(result.value(), std::optional<QByteArray>("{\"from\":\"holder\"}"));
    QCOMPARE(loaderCalls, 0);
    QCOMPARE(m_service->stats().result().value().lockWaits, 1);
}

void TestCacheService::abandonedLockFallsBackToLoading()
{
    QVERIFY(lock("kucun:lock:dashboard:stats", "crashed-process", Millis(60000)));
    GetOrSetOptions options;
    options.lockTtl = 200ms;  // how long we are prepared to wait
    const LoadResult result
        = m_service
              ->getOrSetWithLock(
                  "dashboard:stats", 60s, [] { return value("{\"from\":\"us\"}"); }, options)
              .result();
    QVERIFY(result.ok());
    QCOMPARE(result.value(), std::optional<QByteArray>("{\"from\":\"us\"}"));
    QCOMPARE(raw("kucun:dashboard:stats"), std::optional<QByteArray>("{\"from\":\"us\"}"));
    // Our own lock, when we get one, is released after storing.
    QVERIFY(m_service->getOrSetWithLock("inventory:summary:1", 60s, [] { return value("v"); })
                .result()
                .ok());
    QVERIFY(lock("kucun:lock:inventory:summary:1", "next", Millis(1000)));
}

void TestCacheService::statsPerSegment()
{
    const auto load = [] { return value("v"); };
    for (int i = 0; i < 3; ++i)
        QVERIFY(
            m_service->getOrSet("products:detail:1", 60s, load).result().ok());  // 1 miss, 2 hits
    QVERIFY(m_service->getOrSet("inventory:summary:1", 60s, load).result().ok());  // 1 miss
    QVERIFY(m_service->get("orders:1").result().ok());  // 1 miss

    const kucun::CacheStats stats = m_service->stats().result().value();
    QCOMPARE(stats.hits, 2);
    QCOMPARE(stats.misses, 3);
    QCOMPARE(stats.loads, 2);
    QCOMPARE(stats.hitRate(), 0.4);
    QCOMPARE(stats.segments.value("products").hits, 2);
    QCOMPARE(stats.segments.value("products").misses, 1);
    QCOMPARE(stats.segments.value("inventory").misses, 1);
    QCOMPARE(stats.segments.value("orders").misses, 1);
    QVERIFY(stats.store.keys >= 2);  // the engine's own figure (DBSIZE counts more in Redis)
    QCOMPARE(entryCount(), 2);

    m_service->sampleHitRate(1000);
    QVERIFY(m_service->getOrSet("products:detail:1", 60s, load).result().ok());
    m_service->sampleHitRate(2000);
    const QList<kucun::HitRateSample> samples = m_service->hitRateSamples();
    QCOMPARE(samples.size(), 1);
    QCOMPARE(samples.first().hitRate, 1.0);
    QCOMPARE(samples.first().operationsPerSecond, 1.0);
}

void TestCacheService::jsonHelpers()
{
    const QJsonObject product{{"id", "42"}, {"name", QStringLiteral("六角螺栓")}, {"qty", 95}};
    QVERIFY(m_service->setJson("products:detail:42", product, 60s).result().ok());
    QCOMPARE(m_service->getJson("products:detail:42").result().value(),
             std::optional<QJsonValue>(product));

    QVERIFY(m_service->setJson("inventory:count", 17, 60s).result().ok());
    QCOMPARE(raw("kucun:inventory:count"), std::optional<QByteArray>("17"));
    QCOMPARE(m_service->getJson("inventory:count").result().value()->toInt(), 17);

    const auto loaded = m_service
                            ->getOrSetJson("products:list:abc", 60s,
                                           [] {
                                               return kucun::Result<std::optional<QJsonValue>>(
                                                   std::optional<QJsonValue>(QJsonArray{1, 2}));
                                           })
                            .result();
    QCOMPARE(loaded.value(), std::optional<QJsonValue>(QJsonArray{1, 2}));

    QVERIFY(m_service->set("broken", "{not json", 60s).result().ok());
    const auto broken = m_service->getJson("broken").result();
    QVERIFY(!broken.ok());
    QVERIFY(broken.error().contains(QStringLiteral("is not JSON")));
}

void TestCacheService::keysPageDescribesKeys()
{
    QVERIFY(m_service->set("products:detail:1", "12345", 60s, {"products"}).result().ok());
    QVERIFY(m_service->set("inventory:summary:1", "1", 60s).result().ok());
    const auto page = m_service->keysPage("products:", {}, 100).result();
    QVERIFY(page.ok());
    QCOMPARE(page.value().keys.size(), 1);
    const kucun::KeyDetails &key = page.value().keys.first();
    QCOMPARE(key.key, QByteArray("kucun:products:detail:1"));
    QCOMPARE(key.sizeBytes, 5);
#ifdef KUCUN_TEST_ON_REDIS
    QVERIFY(key.tagKeys.isEmpty());  // Redis keeps tag -> keys only (docs/redis.md)
#else
    QCOMPARE(key.tagKeys, QList<QByteArray>{"kucun:tag:products"});
#endif
    QVERIFY(key.ttlMs > 50000);
}

void TestCacheService::concurrentUseIsSafe()
{
    std::vector<std::thread> workers;
    std::atomic<int> errors{0};
    for (int t = 0; t < 4; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                const QString key = QStringLiteral("products:detail:%1").arg(i % 50);
                const auto result
                    = m_service
                          ->getOrSet(key, 60s, [key] { return value("v"); },
                                     {std::nullopt, 0.2, {QStringLiteral("p%1").arg(i % 5)}})
                          .result();
                if (!result.ok() || result.value() != std::optional<QByteArray>("v"))
                    errors.fetch_add(1);
                if (i % 97 == t)
                    m_service->invalidateTag(QStringLiteral("p%1").arg(i % 5)).result();
                if (i % 113 == t)
                    m_service->del({key}).result();
            }
        });
    }
    for (std::thread &worker : workers)
        worker.join();
    QCOMPARE(errors.load(), 0);
}

QTEST_GUILESS_MAIN(TestCacheService)
#include "cacheservicetests.moc"
