#include "tagsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::TagsModel;

class TestTagsModel : public QObject
{
    Q_OBJECT

private slots:
    void showsTagsAndCounts();
};

void TestTagsModel::showsTagsAndCounts()
{
    TagsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTags({{QStringLiteral("inventory:summary:7"), 1}, {QStringLiteral("products"), 200}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, TagsModel::TagColumn).data().toString(), QStringLiteral("products"));
    QCOMPARE(model.index(1, TagsModel::KeysColumn).data().toLongLong(), 200);
    QCOMPARE(model.tagAt(0), QStringLiteral("inventory:summary:7"));
    model.setTags({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestTagsModel)
#include "tst_tagsmodel.moc"
