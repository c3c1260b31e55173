#include "cache/cachekey.h"

#include <QJsonArray>
#include <QTest>

using kucun::buildCacheKey;

class TestCacheKey : public QObject
{
    Q_OBJECT

private slots:
    void knownVectors_data();
    void knownVectors();
    void orderDoesNotMatter();
    void differentParamsDiffer();
};

void TestCacheKey::knownVectors_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<QString>("expected");

    // Expected digests: SHA-1 over the canonical JSON, computed independently of Qt.
    QTest::addRow("list query") << "products:list"
                                << QJsonObject{{"page", 1},
                                               {"pageSize", 20},
                                               {"search", QStringLiteral("螺丝")}}
                                << "products:list:cbcb16f48745c330";
    QTest::addRow("nested, unsorted")
        << "inventory:list"
        << QJsonObject{{"b", QJsonObject{{"y", 2}, {"x", 1}}},
                       {"a", QJsonArray{3, QJsonObject{{"d", 1}, {"c", 2}}}}}
        << "inventory:list:e9bc11589675efa5";
    QTest::addRow("no params") << "dashboard" << QJsonObject{} << "dashboard:bf21a9e8fbc5a384";
}

void TestCacheKey::knownVectors()
{
    QFETCH(QString, prefix);
    QFETCH(QJsonObject, params);
    QFETCH(QString, expected);
    QCOMPARE(buildCacheKey(prefix, params), expected);
}

void TestCacheKey::orderDoesNotMatter()
{
    QJsonObject first;
    first.insert("warehouse", "WH-1");
    first.insert("category", "bolts");
    first.insert("page", 2);
    QJsonObject second;
    second.insert("page", 2);
    second.insert("category", "bolts");
    second.insert("warehouse", "WH-1");
    QCOMPARE(buildCacheKey("products:list", first), buildCacheKey("products:list", second));
}

void TestCacheKey::differentParamsDiffer()
{
    QVERIFY(buildCacheKey("p", {{"page", 1}}) != buildCacheKey("p", {{"page", 2}}));
    QVERIFY(buildCacheKey("p", {{"page", 1}}) != buildCacheKey("q", {{"page", 1}}));
    QVERIFY(buildCacheKey("p", {{"page", 1}}) != buildCacheKey("p", {{"page", "1"}}));
}

QTEST_APPLESS_MAIN(TestCacheKey)
#include "tst_cachekey.moc"
