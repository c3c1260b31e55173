#include "cache/keyaccesssketch.h"

#include <QRandomGenerator>
#include <QTest>

using kucun::KeyAccessSketch;

class TestKeyAccessSketch : public QObject
{
    Q_OBJECT

private slots:
    void hotKeysStandOutOfALongTail();
    void countsWhatHappenedToAKey();
    void aMissFilledWithinASecondIsALoad_data();
    void aMissFilledWithinASecondIsALoad();
    void segmentsAreBoundedToo();
    void ttlsFallIntoTheirBuckets_data();
    void ttlsFallIntoTheirBuckets();
};

void TestKeyAccessSketch::hotKeysStandOutOfALongTail()
{
    KeyAccessSketch sketch({64, 16, "kucun"});
    QRandomGenerator random(7);
    qint64 now = 1'000'000;
    const QList<QByteArray> hot{"kucun:products:1", "kucun:products:2", "kucun:inventory:9",
                                "kucun:orders:3", "kucun:dashboard:stats"};
    QHash<QByteArray, qint64> trueCounts;
    for (int i = 0; i < 50'000; ++i) {
        // Half the traffic goes to five keys, the other half to 20 000 others.
        const QByteArray key = random.bounded(2)
                                   ? hot[random.bounded(int(hot.size()))]
                                   : "kucun:tail:" + QByteArray::number(random.bounded(20'000));
        ++trueCounts[key];
        sketch.recordRead(std::string_view(key.constData(), size_t(key.size())), true, ++now);
    }
    const KeyAccessSketch::Snapshot snapshot = sketch.snapshot(1000);
    QCOMPARE(snapshot.top.size(), 64);  // memory is the capacity, not the 20 005 keys
    QSet<QByteArray> topFive;
    for (int i = 0; i < 5; ++i) {
        const KeyAccessSketch::KeyCounts &counts = snapshot.top[i];
        topFive.insert(counts.key);
        // Space-Saving's promise: never under, and over by at most the error it names.
        QVERIFY(counts.count >= trueCounts.value(counts.key));
        QVERIFY(counts.count - counts.error <= trueCounts.value(counts.key));
    }
    QCOMPARE(topFive, QSet<QByteArray>(hot.begin(), hot.end()));
    QCOMPARE(snapshot.reads, 50'000);
}

void TestKeyAccessSketch::countsWhatHappenedToAKey()
{
    KeyAccessSketch sketch({8, 8, "kucun"});
    sketch.recordRead("kucun:products:1", false, 1000);
    sketch.recordWrite("kucun:products:1", 60'000, 1100);
    sketch.recordRead("kucun:products:1", true, 1200);
    sketch.recordRead("kucun:products:1", true, 1300);
    const KeyAccessSketch::KeyCounts counts = sketch.snapshot(1).top.value(0);
    QCOMPARE(counts.key, QByteArray("kucun:products:1"));
    QCOMPARE(counts.count, 4);
    QCOMPARE(counts.error, 0);
    QCOMPARE(counts.reads, 3);
    QCOMPARE(counts.hits, 2);
    QCOMPARE(counts.misses, 1);
    QCOMPARE(counts.writes, 1);
    QCOMPARE(counts.loads, 1);
    QCOMPARE(counts.lastAccessMs, 1300);
    sketch.clear();
    QVERIFY(sketch.snapshot(10).top.isEmpty());
}

void TestKeyAccessSketch::aMissFilledWithinASecondIsALoad_data()
{
    QTest::addColumn<qint64>("writeAfterMs");
    QTest::addColumn<qint64>("loads");
    QTest::newRow("at once") << qint64(5) << qint64(1);
    QTest::newRow("within the second") << qint64(1000) << qint64(1);
    QTest::newRow("later") << qint64(1001) << qint64(0);
}

void TestKeyAccessSketch::aMissFilledWithinASecondIsALoad()
{
    QFETCH(qint64, writeAfterMs);
    QFETCH(qint64, loads);
    KeyAccessSketch sketch({8, 8, "kucun"});
    sketch.recordRead("kucun:k", false, 10'000);
    sketch.recordWrite("kucun:k", 0, 10'000 + writeAfterMs);
    sketch.recordWrite("kucun:k", 0, 10'000 + writeAfterMs + 1);  // a second write is no load
    QCOMPARE(sketch.snapshot(1).top.value(0).loads, loads);
    QCOMPARE(sketch.snapshot(1).loads, loads);
}

void TestKeyAccessSketch::segmentsAreBoundedToo()
{
    KeyAccessSketch sketch({8, 4, "shop"});
    sketch.recordRead("shop:products:1", true, 1);
    sketch.recordRead("shop:products:2", false, 2);
    sketch.recordRead("inventory:3", true, 3);  // not under the namespace: its own first segment
    for (int i = 0; i < 10; ++i)
        sketch.recordRead("shop:seg" + std::to_string(i) + ":x", true, 4);
    const QList<KeyAccessSketch::SegmentCounts> segments = sketch.snapshot(0).segments;
    QCOMPARE(segments.size(), 4);  // three named, the rest together
    QCOMPARE(segments[0].segment, QStringLiteral("(other)"));
    QCOMPARE(segments[0].hits, 9);
    QCOMPARE(segments[1].segment, QStringLiteral("products"));
    QCOMPARE(segments[1].hits, 1);
    QCOMPARE(segments[1].misses, 1);
    QCOMPARE(segments[2].segment, QStringLiteral("inventory"));
    QCOMPARE(segments[3].segment, QStringLiteral("seg0"));
}

void TestKeyAccessSketch::ttlsFallIntoTheirBuckets_data()
{
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<int>("bucket");
    QTest::addColumn<QString>("name");
    QTest::newRow("none") << qint64(0) << 0 << "none";
    QTest::newRow("30 s") << qint64(30'000) << 1 << "<60s";
    QTest::newRow("a minute") << qint64(60'000) << 2 << "<300s";
    QTest::newRow("5 min") << qint64(300'000) << 3 << "<1800s";
    QTest::newRow("1 h") << qint64(3'600'000) << 4 << "<7200s";
    QTest::newRow("12 h") << qint64(43'200'000) << 5 << "<86400s";
    QTest::newRow("a week") << qint64(604'800'000) << 6 << ">=86400s";
}

void TestKeyAccessSketch::ttlsFallIntoTheirBuckets()
{
    QFETCH(qint64, ttlMs);
    QFETCH(int, bucket);
    QFETCH(QString, name);
    KeyAccessSketch sketch({8, 8, "kucun"});
    sketch.recordWrite("kucun:k", ttlMs, 1);
    const auto histogram = sketch.snapshot(0).ttlHistogram;
    for (int i = 0; i < KeyAccessSketch::kTtlBuckets; ++i)
        QCOMPARE(histogram[size_t(i)], i == bucket ? 1 : 0);
    QCOMPARE(KeyAccessSketch::ttlBucketName(bucket), name);
}

QTEST_GUILESS_MAIN(TestKeyAccessSketch)
#include "tst_keyaccesssketch.moc"
