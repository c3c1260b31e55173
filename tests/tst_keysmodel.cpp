#include "core/globpattern.h"
#include "keysmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using kucun::KeyDetails;
using kucun::KeysModel;

namespace {

// Keys in memory, served in SCAN-like pages that answer later, as the engine would.
class FakeKeySource : public kucun::KeySource
{
public:
    QList<KeyDetails> keys;
    QStringList patternsAsked;
    int pagesServed = 0;

    void add(const QString &key, qint64 ttlMs = 60'000, qint64 size = 10)
    {
        keys.append({("kucun:" + key).toUtf8(), ttlMs, size, {}});
    }

    void fetchPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                   PageCallback done) override
    {
        patternsAsked.append(pattern);
        ++pagesServed;
        const QByteArray glob = ("kucun:" + pattern).toUtf8();
        // A real SCAN looks at `count` slots and returns those that match: the same here.
        const qsizetype start = cursor.isEmpty() ? 0 : cursor.toLongLong();
        const qsizetype end = std::min(keys.size(), start + count);
        kucun::KeyPage page;
        for (qsizetype i = start; i < end; ++i) {
            if (kucun::globMatches(
                    std::string_view(glob.constData(), size_t(glob.size())),
                    std::string_view(keys[i].key.constData(), size_t(keys[i].key.size()))))
                page.keys.append(keys[i]);
        }
        page.nextCursor = end < keys.size() ? QByteArray::number(end) : QByteArray();
        QTimer::singleShot(0, context, [done, page] { done(page); });
    }
    QString keyPrefix() const override { return QStringLiteral("kucun:"); }
};

QStringList childrenOf(const KeysModel &model, const QModelIndex &parent = {})
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names << model.index(row, 0, parent).data().toString();
    return names;
}

QModelIndex childNamed(const KeysModel &model, const QString &name, const QModelIndex &parent = {})
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        if (model.index(row, 0, parent).data().toString() == name)
            return model.index(row, 0, parent);
    }
    return {};
}

// Fetches everything under `parent`, as a user scrolling and expanding would.
void loadAll(KeysModel &model, const QModelIndex &parent = {})
{
    for (int round = 0; round < 1000 && (model.canFetchMore(parent) || model.isLoading());
         ++round) {
        if (model.canFetchMore(parent))
            model.fetchMore(parent);
        QVERIFY(QTest::qWaitFor([&] { return !model.isLoading(); }, 5000));
    }
}

}  // namespace

class TestKeysModel : public QObject
{
    Q_OBJECT

private slots:
    void satisfiesTheModelContract();
    void groupsLoadLazily();
    void filterSelectsKeys();
    void sparseMatchesKeepLoading();
    void ttlCountsDownOnVisibleRowsOnly();
    void removedKeysLeaveTheTree();
    void manyKeysAreNeverLoadedAtOnce();
};

void TestKeysModel::satisfiesTheModelContract()
{
    FakeKeySource source;
    for (int i = 0; i < 30; ++i)
        source.add(QStringLiteral("products:detail:%1").arg(i));
    source.add(QStringLiteral("inventory:summary:1"));
    source.add(QStringLiteral("standalone"), -1);
    KeysModel model(source);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    loadAll(model);
    const QModelIndex products = childNamed(model, "products:");
    loadAll(model, products);
    loadAll(model, childNamed(model, "detail:", products));
    model.removeKey(QStringLiteral("products:detail:3"));
    model.setFilter(QStringLiteral("inventory:*"));
    loadAll(model);
}

void TestKeysModel::groupsLoadLazily()
{
    FakeKeySource source;
    for (int i = 0; i < 2000; ++i)
        source.add(QStringLiteral("products:detail:%1").arg(i));
    source.add(QStringLiteral("inventory:summary:7"), 30'000, 64);
    KeysModel model(source);
    loadAll(model);
    QCOMPARE(childrenOf(model), QStringList({"products:", "inventory:"}));
    // Nothing below the top level was asked for yet, and nothing of it was loaded.
    QCOMPARE(source.patternsAsked.count(QStringLiteral("*")), source.patternsAsked.size());
    QCOMPARE(model.rowCount(childNamed(model, "products:")), 0);
    QVERIFY(model.hasChildren(childNamed(model, "products:")));

    const QModelIndex inventory = childNamed(model, "inventory:");
    loadAll(model, inventory);
    QVERIFY(source.patternsAsked.contains(QStringLiteral("inventory:*")));
    const QModelIndex summary = childNamed(model, "summary:", inventory);
    loadAll(model, summary);
    const QModelIndex key = childNamed(model, "7", summary);
    QVERIFY(key.isValid());
    QCOMPARE(key.data(KeysModel::KeyPathRole).toString(), QStringLiteral("inventory:summary:7"));
    QCOMPARE(key.siblingAtColumn(KeysModel::TypeColumn).data().toString(), QStringLiteral("value"));
    QVERIFY(
        key.siblingAtColumn(KeysModel::TtlColumn).data().toString().endsWith(QStringLiteral(" s")));
    QCOMPARE(key.siblingAtColumn(KeysModel::SizeColumn).data().toString(),
             QStringLiteral("64 bytes"));
    QVERIFY(!model.hasChildren(key));
}

void TestKeysModel::filterSelectsKeys()
{
    FakeKeySource source;
    source.add(QStringLiteral("products:detail:1"));
    source.add(QStringLiteral("products:list:page:1"));
    source.add(QStringLiteral("inventory:summary:1"));
    KeysModel model(source);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(QStringLiteral("products:d*"));
    QCOMPARE(reset.size(), 1);
    loadAll(model);
    QCOMPARE(childrenOf(model), QStringList({"products:"}));
    const QModelIndex products = childNamed(model, "products:");
    loadAll(model, products);
    // Inside a group the filter still applies: the list pages are not shown.
    QCOMPARE(childrenOf(model, products), QStringList({"detail:"}));
}

void TestKeysModel::sparseMatchesKeepLoading()
{
    FakeKeySource source;
    for (int i = 0; i < 5000; ++i)
        source.add(QStringLiteral("noise:%1").arg(i));
    source.add(QStringLiteral("rare:1"));
    KeysModel model(source);
    model.setFilter(QStringLiteral("rare:*"));
    model.fetchMore({});  // one request from the view is enough to find the rare key
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(childrenOf(model), QStringList({"rare:"}));
}

void TestKeysModel::ttlCountsDownOnVisibleRowsOnly()
{
    FakeKeySource source;
    source.add(QStringLiteral("a"), 5'000);
    source.add(QStringLiteral("b"), 5'000);
    source.add(QStringLiteral("c"), -1);
    KeysModel model(source);
    loadAll(model);
    const QModelIndex a = childNamed(model, "a");
    const qint64 before = a.data(KeysModel::TtlMsRole).toLongLong();
    QVERIFY(before > 0 && before <= 5'000);
    QCOMPARE(childNamed(model, "c").siblingAtColumn(KeysModel::TtlColumn).data().toString(),
             QStringLiteral("no expiry"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QTest::qWait(30);
    model.refreshTtl({a});
    QCOMPARE(changed.size(), 1);
    const QModelIndex topLeft = changed.first().at(0).toModelIndex();
    QCOMPARE(topLeft.row(), a.row());
    QCOMPARE(topLeft.column(), int(KeysModel::TtlColumn));
    QVERIFY(a.data(KeysModel::TtlMsRole).toLongLong() < before);
}

void TestKeysModel::removedKeysLeaveTheTree()
{
    FakeKeySource source;
    source.add(QStringLiteral("orders:SO-1"));
    source.add(QStringLiteral("orders:SO-2"));
    KeysModel model(source);
    loadAll(model);
    const QModelIndex orders = childNamed(model, "orders:");
    loadAll(model, orders);
    QCOMPARE(childrenOf(model, orders), QStringList({"SO-1", "SO-2"}));
    model.removeKey(QStringLiteral("orders:SO-1"));
    QCOMPARE(childrenOf(model, orders), QStringList({"SO-2"}));
    model.removeKey(QStringLiteral("orders:nothing"));  // unknown: nothing happens
    QCOMPARE(model.rowCount(orders), 1);
}

void TestKeysModel::manyKeysAreNeverLoadedAtOnce()
{
    // The Keys panel with a big cache: what the view asks for is loaded, page by page, and no
    // more. (A million keys behave the same; 300 000 keep the test quick.)
    FakeKeySource source;
    constexpr int kKeys = 300'000;
    source.keys.reserve(kKeys);
    for (int i = 0; i < kKeys; ++i)
        source.add(QStringLiteral("products:detail:%1").arg(i));
    KeysModel model(source);

    model.fetchMore({});  // the view shows the top level
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(childrenOf(model), QStringList({"products:"}));
    // One page of 500 keys found the group; the other 299 500 were not looked at.
    QCOMPARE(source.pagesServed, 1);
    QVERIFY(model.canFetchMore({}));

    const QModelIndex products = childNamed(model, "products:");
    model.fetchMore(products);
    QTRY_VERIFY(!model.isLoading());
    const QModelIndex detail = childNamed(model, "detail:", products);
    QVERIFY(detail.isValid());
    const int pagesBefore = source.pagesServed;
    model.fetchMore(detail);  // expanding the big group: one page of keys
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(detail), KeysModel::kPageSize);
    QCOMPARE(source.pagesServed, pagesBefore + 1);
    model.fetchMore(detail);  // scrolling to its end: the next page
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(detail), 2 * KeysModel::kPageSize);
}

QTEST_MAIN(TestKeysModel)
#include "tst_keysmodel.moc"
