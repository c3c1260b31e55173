#include "cache/memorycollections.h"
#include "cache/memorystore.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <atomic>
#include <thread>

using kucun::MemoryStore;
using kucun::Millis;

namespace {

MemoryStore::Options smallStore(size_t maxBytes = size_t(64) << 20, Millis sweep = Millis(100))
{
    MemoryStore::Options options;
    options.maxBytes = maxBytes;
    options.shardCount = 4;
    options.sweepInterval = sweep;
    return options;
}

std::string keyName(int i)
{
    return "kucun:products:detail:" + std::to_string(i);
}

}  // namespace

class TestMemoryStore : public QObject
{
    Q_OBJECT

private slots:
    void storesAndReadsBack();
    void ttlAnswersLikeRedis();
    void expiredKeyIsNeverReturned();
    void expiresKeysWithoutReads();
    void changeTtl();
    void evictionKeepsTheBound();
    void scanOfOneTimeKeysSparesTheHotSet();
    void refusesAnEntryThatCannotFit();
    void tagsInvalidateExactlyTheirKeys();
    void deletingAKeyLeavesItsTagSets();
    void aTagSetWrittenBySaddIsTheTag();
    void stringsSetsAndHashesShareOneKeyspace();
    void setsAndHashesTakeTheirRoomFromStrings();
    void aNameIsNeverTwoTypes();
    void patternInvalidation_data();
    void patternInvalidation();
    void scanVisitsEveryKeyOnce();
    void scanRefusesABadCursor();
    void locksBelongToTheirHolder();
    void describesKeys();
    void concurrentReadersAndWritersAgree();
};

void TestMemoryStore::storesAndReadsBack()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:a", "{\"qty\":5}", Millis(0)).ok());
    QCOMPARE(store.lookup("kucun:a"), std::optional<QByteArray>("{\"qty\":5}"));
    QVERIFY(!store.lookup("kucun:b"));

    QVERIFY(store.store("kucun:a", "{\"qty\":6}", Millis(0)).ok());  // overwrite
    QCOMPARE(store.lookup("kucun:a"), std::optional<QByteArray>("{\"qty\":6}"));
    QCOMPARE(store.snapshotStats().keys, 1);

    const std::string binary("a\0b", 3);
    QVERIFY(store.store("kucun:bin", binary, Millis(0)).ok());
    QCOMPARE(store.lookup("kucun:bin")->size(), 3);
    QVERIFY(store.store("kucun:empty", "", Millis(0)).ok());
    QCOMPARE(store.lookup("kucun:empty"), std::optional<QByteArray>(QByteArray()));
    QVERIFY(!store.store("", "x", Millis(0)).ok());
}

void TestMemoryStore::ttlAnswersLikeRedis()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:ttl", "v", Millis(60000)).ok());
    QVERIFY(store.store("kucun:forever", "v", Millis(0)).ok());
    const qint64 left = store.remainingTtl("kucun:ttl");
    QVERIFY2(left > 59000 && left <= 60000, qPrintable(QString::number(left)));
    QCOMPARE(store.remainingTtl("kucun:forever"), kucun::kTtlNoExpiry);
    QCOMPARE(store.remainingTtl("kucun:missing"), kucun::kTtlMissing);
    QVERIFY(!store.store("kucun:neg", "v", Millis(-5)).ok());
}

void TestMemoryStore::expiredKeyIsNeverReturned()
{
    // No sweep during the test: only the read path's own check stands between the caller and
    // the stale value.
    MemoryStore store(smallStore(size_t(64) << 20, Millis(3600 * 1000)));
    // Half a second: read back at once even on a loaded machine under a sanitizer.
    QVERIFY(store.store("kucun:short", "v", Millis(500)).ok());
    QVERIFY(store.lookup("kucun:short"));
    QTRY_VERIFY(!store.lookup("kucun:short"));
    QCOMPARE(store.remainingTtl("kucun:short"), kucun::kTtlMissing);
}

void TestMemoryStore::expiresKeysWithoutReads()
{
    MemoryStore store(smallStore(size_t(64) << 20, Millis(20)));
    for (int i = 0; i < 2000; ++i)
        QVERIFY(store.store(keyName(i), "v", Millis(50)).ok());
    QVERIFY(store.store("kucun:keep", "v", Millis(0)).ok());
    QCOMPARE(store.snapshotStats().keys, 2001);
    // Nobody reads: the background sweep alone must take them out, memory included.
    QTRY_COMPARE_WITH_TIMEOUT(store.snapshotStats().keys, 1, 10000);
    QCOMPARE(store.snapshotStats().expirations, 2000);
    QVERIFY(store.lookup("kucun:keep"));
}

void TestMemoryStore::changeTtl()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:k", "v", Millis(0)).ok());
    QVERIFY(store.changeTtl("kucun:k", Millis(5000)));
    QVERIFY(store.remainingTtl("kucun:k") > 4000);
    QVERIFY(store.changeTtl("kucun:k", Millis(0)));
    QCOMPARE(store.remainingTtl("kucun:k"), kucun::kTtlNoExpiry);
    QVERIFY(!store.changeTtl("kucun:missing", Millis(5000)));
    QCOMPARE(store.lookup("kucun:k"), std::optional<QByteArray>("v"));
}

void TestMemoryStore::evictionKeepsTheBound()
{
    const size_t limit = size_t(1) << 20;
    MemoryStore store(smallStore(limit));
    const std::string value(100, 'x');
    for (int i = 0; i < 50000; ++i) {
        QVERIFY(store.store(keyName(i), value, Millis(0)).ok());
        if (i % 1000 == 0)
            QVERIFY(size_t(store.snapshotStats().usedBytes) <= limit);
    }
    const kucun::StoreStats stats = store.snapshotStats();
    QVERIFY(size_t(stats.usedBytes) <= limit);
    QVERIFY(stats.usedBytes > qint64(limit) * 8 / 10);  // the budget is used, not wasted
    QVERIFY(stats.evictions > 40000);
    QCOMPARE(stats.keys + stats.evictions, 50000);
    QVERIFY(store.lookup(keyName(49999)));  // the newest key is there
}

void TestMemoryStore::scanOfOneTimeKeysSparesTheHotSet()
{
    // Room for about 4000 entries. 1000 hot keys are read again and again; then a batch job
    // touches 20 000 keys once each. LRU would lose every hot key; S3-FIFO keeps them.
    MemoryStore store(smallStore(size_t(1) << 20));
    const std::string value(150, 'v');
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 1000; ++i) {
            const std::string key = "kucun:hot:" + std::to_string(i);
            if (!store.lookup(key))
                QVERIFY(store.store(key, value, Millis(0)).ok());
        }
    }
    for (int i = 0; i < 20000; ++i)
        QVERIFY(store.store("kucun:scan:" + std::to_string(i), value, Millis(0)).ok());
    int hotLeft = 0;
    for (int i = 0; i < 1000; ++i)
        hotLeft += store.lookup("kucun:hot:" + std::to_string(i)) ? 1 : 0;
    QVERIFY2(hotLeft >= 950, qPrintable(QStringLiteral("%1 of 1000 hot keys left").arg(hotLeft)));
}

void TestMemoryStore::refusesAnEntryThatCannotFit()
{
    MemoryStore store(smallStore(size_t(1) << 20));
    QVERIFY(store.store("kucun:small", "v", Millis(0)).ok());
    const std::string huge(600 * 1024, 'x');
    const auto result = store.store("kucun:huge", huge, Millis(0));
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(QStringLiteral("does not fit the memory limit")),
             qPrintable(result.error()));
    QVERIFY(!store.lookup("kucun:huge"));
    QVERIFY(store.lookup("kucun:small"));  // nothing else changed
}

void TestMemoryStore::tagsInvalidateExactlyTheirKeys()
{
    MemoryStore store(smallStore());
    for (int i = 0; i < 100; ++i) {
        std::vector<std::string_view> tags{"kucun:tag:products"};
        if (i % 10 == 0)
            tags.push_back("kucun:tag:products:list");
        QVERIFY(store.store(keyName(i), "v", Millis(0), tags).ok());
    }
    QVERIFY(store.store("kucun:inventory:summary:1", "v", Millis(0), {"kucun:tag:inventory"}).ok());
    QCOMPARE(store.membersOfTag("kucun:tag:products:list").size(), 10);

    // The sample names keys that were removed, as they were stored.
    const kucun::PatternMatch listed = store.dropTag("kucun:tag:products:list", 3);
    QCOMPARE(listed.count, 10);
    QCOMPARE(listed.sample.size(), 3);
    for (const QByteArray &key : listed.sample)
        QVERIFY2(!store.lookup(std::string_view(key.constData(), size_t(key.size())))
                     && key.startsWith("kucun:"),
                 key);
    // 90 + 1 keys, and the two tag sets still holding some: DBSIZE counts sets, as in Redis.
    QCOMPARE(store.snapshotStats().keys, 93);
    QVERIFY(!store.lookup(keyName(0)));
    QVERIFY(store.lookup(keyName(1)));
    QVERIFY(store.membersOfTag("kucun:tag:products:list").isEmpty());
    QCOMPARE(store.membersOfTag("kucun:tag:products").size(), 90);  // its members left it

    QCOMPARE(store.dropTag("kucun:tag:products", 0).count, 90);
    QCOMPARE(store.dropTag("kucun:tag:products", 0).count, 0);
    QVERIFY(store.lookup("kucun:inventory:summary:1"));
}

void TestMemoryStore::deletingAKeyLeavesItsTagSets()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:a", "v", Millis(0), {"kucun:tag:t"}).ok());
    QVERIFY(store.store("kucun:b", "v", Millis(0), {"kucun:tag:t"}).ok());
    QCOMPARE(store.erase({"kucun:a", "kucun:missing"}), 1);
    QCOMPARE(store.membersOfTag("kucun:tag:t"), QList<QByteArray>{"kucun:b"});
    QVERIFY(store.store("kucun:b", "v2", Millis(0)).ok());  // re-set without tags
    QVERIFY(store.membersOfTag("kucun:tag:t").isEmpty());
    QVERIFY(store.allTagSizes().empty());
}

static void addToSet(MemoryStore &store, std::string_view name, std::string_view member)
{
    store.collections().withCreated<kucun::MemorySet>(
        name, MemoryStore::nowMs(), [&](kucun::MemorySet &set) { return set.add(member); });
}

void TestMemoryStore::aTagSetWrittenBySaddIsTheTag()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:a", "v", Millis(0)).ok());
    QVERIFY(store.store("kucun:b", "v", Millis(0), {"kucun:tag:t"}).ok());
    addToSet(store, "kucun:tag:t", "kucun:a");  // as a site's SADD
    QCOMPARE(store.allTagSizes().size(), size_t(1));
    QCOMPARE(store.dropTag("kucun:tag:t", 0).count, 2);
    QVERIFY(!store.lookup("kucun:a"));
    QVERIFY(!store.lookup("kucun:b"));
    QVERIFY(store.typeOf("kucun:tag:t") == MemoryStore::KeyType::None);  // the set went too
}

void TestMemoryStore::stringsSetsAndHashesShareOneKeyspace()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:s", "v", Millis(0)).ok());
    addToSet(store, "kucun:set", "m");
    store.collections().withCreated<kucun::MemoryHash>(
        "kucun:lock:h", MemoryStore::nowMs(),
        [](kucun::MemoryHash &hash) { return hash.set("f", "v"); });
    QVERIFY(store.typeOf("kucun:s") == MemoryStore::KeyType::String);
    QVERIFY(store.typeOf("kucun:set") == MemoryStore::KeyType::Set);
    QVERIFY(store.typeOf("kucun:lock:h") == MemoryStore::KeyType::Hash);
    QCOMPARE(store.snapshotStats().keys, 3);

    QSet<QByteArray> scanned;
    QByteArray cursor;
    do {
        const auto page = store.scanKeys("kucun:*", cursor, 1);
        QVERIFY(page.ok());
        for (const QByteArray &key : page.value().keys)
            scanned.insert(key);
        cursor = page.value().nextCursor;
    } while (!cursor.isEmpty());
    QCOMPARE(scanned, (QSet<QByteArray>{"kucun:s", "kucun:set", "kucun:lock:h"}));

    QVERIFY(store.changeTtl("kucun:set", Millis(60'000)));
    QVERIFY(store.remainingTtl("kucun:set") > 59'000);
    QVERIFY(store.details({"kucun:set"}).first().ttlMs > 59'000);
    QCOMPARE(store.details({"kucun:set"}).first().type, QByteArray("set"));
    QCOMPARE(store.details({"kucun:s"}).first().type, QByteArray("string"));

    const kucun::PatternMatch dry = store.dropMatching("kucun:*", true, 10, "kucun:lock:");
    QCOMPARE(dry.count, 2);
    QCOMPARE(store.snapshotStats().keys, 3);  // a dry run removes nothing

    QVERIFY(store.store("kucun:set", "now a string", Millis(0)).ok());  // SET replaces any type
    QVERIFY(store.typeOf("kucun:set") == MemoryStore::KeyType::String);
    QCOMPARE(store.remainingTtl("kucun:set"), kucun::kTtlNoExpiry);
    QCOMPARE(store.erase({"kucun:lock:h"}), 1);
    QVERIFY(store.typeOf("kucun:lock:h") == MemoryStore::KeyType::None);
    QCOMPARE(store.snapshotStats().keys, 2);
    QCOMPARE(store.snapshotStats().usedBytes > 0, true);
}

void TestMemoryStore::setsAndHashesTakeTheirRoomFromStrings()
{
    MemoryStore store(smallStore(size_t(1) << 20));
    const std::string value(200, 'v');
    for (int i = 0; i < 20'000; ++i)  // far beyond the megabyte: strings are evicted
        QVERIFY(store.store(keyName(i), value, Millis(0)).ok());
    const auto used = [&store] { return store.snapshotStats().usedBytes; };
    QVERIFY(used() <= qint64(1) << 20);
    // A set grows anyway, the strings making room for it, and the whole stays within budget.
    for (int i = 0; i < 2000; ++i) {
        QVERIFY(store.makeRoomForCollections());
        addToSet(store, "kucun:big-set", "member:" + std::to_string(i) + std::string(40, 'm'));
    }
    QVERIFY2(used() <= qint64(1) << 20, qPrintable(QString::number(used())));
    QVERIFY(store.collections().usedBytes() > 100'000);
    // Sets and hashes alone over the budget: no more room.
    for (int i = 0; store.makeRoomForCollections() && i < 100'000; ++i)
        addToSet(store, "kucun:big-set", "more:" + std::to_string(i) + std::string(40, 'm'));
    QVERIFY(!store.makeRoomForCollections());
}

void TestMemoryStore::aNameIsNeverTwoTypes()
{
    MemoryStore store(smallStore(size_t(1) << 20));
    // A refused string leaves the hash it would have replaced.
    store.collections().withCreated<kucun::MemoryHash>(
        "kucun:h", MemoryStore::nowMs(),
        [](kucun::MemoryHash &hash) { return hash.set("f", "v"); });
    QVERIFY(!store.store("kucun:h", std::string(900 * 1024, 'x'), Millis(0)).ok());
    QVERIFY(store.typeOf("kucun:h") == MemoryStore::KeyType::Hash);
    // A tag named like a string is left off instead of making that name a set too.
    QVERIFY(store.store("kucun:tag:taken", "a string", Millis(0)).ok());
    QVERIFY(store.store("kucun:a", "v", Millis(0), {"kucun:tag:taken", "kucun:tag:free"}).ok());
    QVERIFY(store.typeOf("kucun:tag:taken") == MemoryStore::KeyType::String);
    QCOMPARE(store.membersOfTag("kucun:tag:free"), QList<QByteArray>{"kucun:a"});
    QCOMPARE(store.details({"kucun:a"}).first().tagKeys, QList<QByteArray>{"kucun:tag:free"});
    // A tag's members go whatever their type, as Redis's UNLINK takes any.
    addToSet(store, "kucun:tag:free", "kucun:h");
    QCOMPARE(store.dropTag("kucun:tag:free", 0).count, 2);
    QVERIFY(store.typeOf("kucun:h") == MemoryStore::KeyType::None);
    QVERIFY(store.typeOf("kucun:a") == MemoryStore::KeyType::None);
}

void TestMemoryStore::patternInvalidation_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<int>("expected");

    QTest::addRow("prefix") << QByteArray("kucun:products:list:*") << 30;
    QTest::addRow("glob") << QByteArray("kucun:products:*:7") << 2;
    QTest::addRow("everything") << QByteArray("kucun:*") << 80;
    QTest::addRow("nothing") << QByteArray("kucun:orders:*") << 0;
}

void TestMemoryStore::patternInvalidation()
{
    QFETCH(QByteArray, pattern);
    QFETCH(int, expected);
    MemoryStore store(smallStore());
    for (int i = 0; i < 30; ++i)
        QVERIFY(store.store("kucun:products:list:" + std::to_string(i), "v", Millis(0)).ok());
    for (int i = 0; i < 50; ++i)
        QVERIFY(store.store("kucun:products:detail:" + std::to_string(i), "v", Millis(0)).ok());
    QVERIFY(store.store("other:products:list:1", "v", Millis(0)).ok());

    const kucun::PatternMatch dry = store.dropMatching(pattern.toStdString(), true, 5);
    QCOMPARE(dry.count, expected);
    QCOMPARE(dry.sample.size(), std::min(5, expected));
    QCOMPARE(store.snapshotStats().keys, 81);  // a dry run changes nothing

    const kucun::PatternMatch done = store.dropMatching(pattern.toStdString(), false, 5);
    QCOMPARE(done.count, expected);
    QCOMPARE(store.snapshotStats().keys, 81 - expected);
    QVERIFY(store.lookup("other:products:list:1"));  // another namespace is never touched
}

void TestMemoryStore::scanVisitsEveryKeyOnce()
{
    MemoryStore store(smallStore());
    QSet<QByteArray> expected;
    for (int i = 0; i < 3000; ++i) {
        QVERIFY(store.store(keyName(i), "v", Millis(0)).ok());
        expected.insert(QByteArray::fromStdString(keyName(i)));
    }
    QVERIFY(store.store("kucun:orders:1", "v", Millis(0)).ok());
    QSet<QByteArray> seen;
    QByteArray cursor;
    int pages = 0;
    do {
        const auto page = store.scanKeys("kucun:products:*", cursor, 100);
        QVERIFY(page.ok());
        for (const QByteArray &key : page.value().keys) {
            QVERIFY2(!seen.contains(key), key.constData());
            seen.insert(key);
        }
        QVERIFY(page.value().keys.size() <= 100);
        cursor = page.value().nextCursor;
        QVERIFY(++pages < 10000);
    } while (!cursor.isEmpty());
    QCOMPARE(seen, expected);
}

void TestMemoryStore::scanRefusesABadCursor()
{
    MemoryStore store(smallStore());
    for (const QByteArray &cursor : {QByteArray("x"), QByteArray("99:0"), QByteArray("1:")}) {
        const auto page = store.scanKeys("*", cursor, 10);
        QVERIFY(!page.ok());
        QVERIFY(page.error().contains(QStringLiteral("is not a scan cursor")));
    }
}

void TestMemoryStore::locksBelongToTheirHolder()
{
    MemoryStore store(smallStore());
    QVERIFY(store.acquireLock("kucun:lock:k", "token-a", Millis(200)));
    QVERIFY(!store.acquireLock("kucun:lock:k", "token-b", Millis(200)));
    QVERIFY(!store.releaseLock("kucun:lock:k", "token-b"));
    QVERIFY(store.releaseLock("kucun:lock:k", "token-a"));
    QVERIFY(store.acquireLock("kucun:lock:k", "token-b", Millis(30)));
    // An abandoned lock frees itself after its TTL (bounded wait: 500 tries of 10 ms).
    bool acquired = false;
    for (int attempt = 0; attempt < 500 && !acquired; ++attempt) {
        acquired = store.acquireLock("kucun:lock:k", "token-c", Millis(1000));
        if (!acquired)
            QTest::qWait(10);
    }
    QVERIFY(acquired);
    QVERIFY(!store.releaseLock("kucun:lock:k", "token-b"));

    // A lock is a key, as in Redis: readable, kept by pattern invalidations that spare locks,
    // and one a site took with SET NX PX (a plain store here) is held against the hub too.
    QCOMPARE(store.lookup("kucun:lock:k"), std::optional<QByteArray>("token-c"));
    QCOMPARE(store.dropMatching("kucun:*", false, 0, "kucun:lock:").count, 0);
    QVERIFY(store.releaseLock("kucun:lock:k", "token-c"));
    QVERIFY(store.store("kucun:lock:site", "site-token", Millis(60'000)).ok());
    QVERIFY(!store.acquireLock("kucun:lock:site", "hub-token", Millis(1000)));
    QVERIFY(store.releaseLock("kucun:lock:site", "site-token"));
    QVERIFY(store.acquireLock("kucun:lock:site", "hub-token", Millis(1000)));
}

void TestMemoryStore::describesKeys()
{
    MemoryStore store(smallStore());
    QVERIFY(store.store("kucun:a", "12345", Millis(10000), {"kucun:tag:x", "kucun:tag:y"}).ok());
    const QList<kucun::KeyDetails> details = store.details({"kucun:a", "kucun:none"});
    QCOMPARE(details.size(), 2);
    QCOMPARE(details[0].sizeBytes, 5);
    QVERIFY(details[0].ttlMs > 9000);
    QCOMPARE(details[0].tagKeys, (QList<QByteArray>{"kucun:tag:x", "kucun:tag:y"}));
    QCOMPARE(details[1].ttlMs, kucun::kTtlMissing);
}

void TestMemoryStore::concurrentReadersAndWritersAgree()
{
    // Writers store values that name their key; readers check every value they get. Run under
    // the asan preset this also proves no reader touches freed memory.
    MemoryStore store(smallStore(size_t(2) << 20, Millis(5)));
    constexpr int kKeys = 2000;
    std::atomic<bool> stop{false};
    std::atomic<int> mismatches{0};
    std::atomic<qint64> hits{0};

    const auto writer = [&](quint32 seed) {
        QRandomGenerator random(seed);
        for (int n = 0; n < 60000; ++n) {
            const int i = int(random.bounded(kKeys));
            const std::string key = keyName(i);
            switch (random.bounded(10)) {
            case 0:
                store.erase({QByteArray::fromStdString(key)});
                break;
            case 1:
                store.changeTtl(key, Millis(random.bounded(1, 20)));
                break;
            case 2:
                store.dropTag("kucun:tag:" + std::to_string(i % 7), 0).count;
                break;
            default: {
                const std::string value = key + "=" + std::string(random.bounded(1, 400), 'x');
                store.store(key, value, Millis(random.bounded(2) ? 0 : 10),
                            {"kucun:tag:" + std::to_string(i % 7)});
            }
            }
        }
    };
    const auto reader = [&](quint32 seed) {
        QRandomGenerator random(seed);
        QByteArray value;
        while (!stop.load()) {
            const std::string key = keyName(int(random.bounded(kKeys)));
            if (store.lookup(key, value)) {
                hits.fetch_add(1);
                if (!value.startsWith(QByteArray::fromStdString(key + "=")))
                    mismatches.fetch_add(1);
            }
        }
    };
    std::thread r1(reader, 1u), r2(reader, 2u);
    std::thread w1(writer, 3u), w2(writer, 4u);
    w1.join();
    w2.join();
    stop.store(true);
    r1.join();
    r2.join();
    QCOMPARE(mismatches.load(), 0);
    QVERIFY(hits.load() > 0);
    QVERIFY(size_t(store.snapshotStats().usedBytes) <= size_t(2) << 20);
}

QTEST_GUILESS_MAIN(TestMemoryStore)
#include "tst_memorystore.moc"
