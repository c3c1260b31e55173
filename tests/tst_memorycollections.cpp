#include "cache/memorycollections.h"

#include <QTest>

#include <algorithm>

using namespace kucun;

namespace {

constexpr int64_t kNow = 1'000'000;

std::vector<std::string> sorted(std::vector<std::string> items)
{
    std::sort(items.begin(), items.end());
    return items;
}

qint64 addMembers(MemoryCollections &collections, std::string_view name,
                  std::initializer_list<std::string_view> members)
{
    return collections
        .withCreated<MemorySet>(name, kNow,
                                [&](MemorySet &set) {
                                    qint64 added = 0;
                                    for (std::string_view member : members)
                                        added += set.add(member) ? 1 : 0;
                                    return added;
                                })
        .value_or(-1);
}

std::vector<std::string> fieldOrder(MemoryCollections &collections, std::string_view name)
{
    std::vector<std::string> order;
    collections.withExisting<MemoryHash>(name, kNow, [&](MemoryHash *hash) {
        if (hash) {
            for (const auto &[field, value] : hash->fields())
                order.push_back(field + "=" + value);
        }
        return true;
    });
    return order;
}

}  // namespace

class TestMemoryCollections : public QObject
{
    Q_OBJECT

private slots:
    void setsCountNewMembersOnly();
    void anEmptiedCollectionIsGone();
    void hashesKeepTheOrderFieldsWereFirstSet();
    void theOtherKindIsRefused();
    void expiredCollectionsAreNotSeenAndSwept();
    void renameReplacesTheTarget();
    void tagMembersFollowTheirKeys();
    void bytesComeBackWhenCollectionsGo();
};

void TestMemoryCollections::setsCountNewMembersOnly()
{
    MemoryCollections collections;
    QCOMPARE(addMembers(collections, "s", {"a", "b", "a"}), 2);
    QCOMPARE(addMembers(collections, "s", {"b", "c"}), 1);
    QCOMPARE(sorted(collections.setMembers("s", kNow)), (std::vector<std::string>{"a", "b", "c"}));
    QCOMPARE(collections.count(), size_t(1));
    QVERIFY(collections.kindOf("s", kNow) == MemoryCollections::Kind::Set);
}

void TestMemoryCollections::anEmptiedCollectionIsGone()
{
    MemoryCollections collections;
    addMembers(collections, "s", {"a"});
    collections.withExisting<MemorySet>("s", kNow,
                                        [](MemorySet *set) { return set && set->remove("a"); });
    QVERIFY(!collections.kindOf("s", kNow));
    QCOMPARE(collections.count(), size_t(0));
    QVERIFY(!collections.expiryOf("s", kNow));
}

void TestMemoryCollections::hashesKeepTheOrderFieldsWereFirstSet()
{
    MemoryCollections collections;
    const auto newFields = collections.withCreated<MemoryHash>("h", kNow, [](MemoryHash &hash) {
        std::vector<bool> created;
        created.push_back(hash.set("a", "1"));
        created.push_back(hash.set("b", "2"));
        created.push_back(hash.set("c", "3"));
        created.push_back(hash.set("b", "two"));  // an update keeps its place
        hash.remove("a");
        created.push_back(hash.set("a", "one"));  // a field set again goes last
        return created;
    });
    QCOMPARE(newFields, std::optional(std::vector<bool>{true, true, true, false, true}));
    QCOMPARE(fieldOrder(collections, "h"), (std::vector<std::string>{"b=two", "c=3", "a=one"}));
}

void TestMemoryCollections::theOtherKindIsRefused()
{
    MemoryCollections collections;
    addMembers(collections, "s", {"a"});
    bool called = false;
    const auto answer = collections.withCreated<MemoryHash>("s", kNow, [&](MemoryHash &) {
        called = true;
        return true;
    });
    QVERIFY(!answer);
    QVERIFY(!called);
    QCOMPARE(collections.setMembers("s", kNow), std::vector<std::string>{"a"});  // untouched
}

void TestMemoryCollections::expiredCollectionsAreNotSeenAndSwept()
{
    MemoryCollections collections;
    addMembers(collections, "s", {"a"});
    addMembers(collections, "t", {"a"});
    QVERIFY(collections.setExpiry("s", kNow + 10, kNow));
    QCOMPARE(collections.expiryOf("s", kNow), std::optional<int64_t>(kNow + 10));
    QVERIFY(collections.kindOf("s", kNow + 9));
    QVERIFY(!collections.kindOf("s", kNow + 10));
    QVERIFY(collections.setMembers("s", kNow + 10).empty());
    size_t swept = 0;
    for (size_t shard = 0; shard < MemoryCollections::kShards; ++shard)
        swept += collections.sweepExpired(shard, kNow + 10);
    QCOMPARE(swept, size_t(1));
    QCOMPARE(collections.count(), size_t(1));
    QCOMPARE(collections.expirations(), uint64_t(1));
    // A set written after its predecessor expired starts without a TTL.
    addMembers(collections, "s", {"b"});
    QCOMPARE(collections.expiryOf("s", kNow + 20), std::optional<int64_t>(0));
}

void TestMemoryCollections::renameReplacesTheTarget()
{
    MemoryCollections collections;
    addMembers(collections, "from", {"a", "b"});
    collections.withCreated<MemoryHash>("to", kNow,
                                        [](MemoryHash &hash) { return hash.set("f", "v"); });
    QVERIFY(collections.setExpiry("from", kNow + 100, kNow));
    QVERIFY(collections.rename("from", "to", kNow));
    QVERIFY(!collections.kindOf("from", kNow));
    QVERIFY(collections.kindOf("to", kNow) == MemoryCollections::Kind::Set);
    QCOMPARE(collections.expiryOf("to", kNow), std::optional<int64_t>(kNow + 100));
    QCOMPARE(collections.count(), size_t(1));
    QVERIFY(!collections.rename("missing", "to", kNow));
}

void TestMemoryCollections::tagMembersFollowTheirKeys()
{
    MemoryCollections collections;
    collections.addTagMember("ns:tag:t", "ns:a");
    collections.addTagMember("ns:tag:t", "ns:b");
    addMembers(collections, "ns:tag:t", {"ns:c"});  // a site's SADD joins the same set
    collections.removeTagMember("ns:tag:t", "ns:a");
    QCOMPARE(sorted(collections.takeSet("ns:tag:t", kNow)),
             (std::vector<std::string>{"ns:b", "ns:c"}));
    QVERIFY(!collections.kindOf("ns:tag:t", kNow));
    // A hash of a tag's name is left alone by the tag bookkeeping.
    collections.withCreated<MemoryHash>("ns:tag:h", kNow,
                                        [](MemoryHash &hash) { return hash.set("f", "v"); });
    collections.addTagMember("ns:tag:h", "ns:a");
    QVERIFY(collections.takeSet("ns:tag:h", kNow).empty());
    QVERIFY(collections.kindOf("ns:tag:h", kNow) == MemoryCollections::Kind::Hash);
}

void TestMemoryCollections::bytesComeBackWhenCollectionsGo()
{
    MemoryCollections collections;
    QCOMPARE(collections.usedBytes(), size_t(0));
    const std::string longMember(100, 'm');
    for (int i = 0; i < 100; ++i)
        addMembers(collections, "set:" + std::to_string(i % 7), {longMember + std::to_string(i)});
    collections.withCreated<MemoryHash>("h", kNow, [&](MemoryHash &hash) {
        hash.set("field", longMember);
        return hash.set("field", "short");
    });
    QVERIFY(collections.usedBytes() > 100 * longMember.size());
    QVERIFY(collections.rename("set:0", "moved", kNow));
    QVERIFY(collections.erase("set:1", kNow));
    collections.clear();
    QCOMPARE(collections.usedBytes(), size_t(0));
    QCOMPARE(collections.count(), size_t(0));
}

QTEST_GUILESS_MAIN(TestMemoryCollections)
#include "tst_memorycollections.moc"
