#include "audithistorymodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::AuditHistoryModel;
using kucun::AuditRecord;

namespace {

QList<AuditRecord> page(qint64 firstId, int count)
{
    QList<AuditRecord> rows;
    for (int i = 0; i < count; ++i) {
        AuditRecord row;
        row.id = firstId - i;  // newest first, as the log answers
        row.ts = 1'700'000'000'000 + row.id;
        row.channel = QStringLiteral("channel:order:status");
        row.type = QStringLiteral("order:status");
        row.payload = QStringLiteral(R"({"orderId":"SO-%1",   "status":"paid"})").arg(row.id);
        row.status = QStringLiteral("accepted");
        rows.append(row);
    }
    return rows;
}

}  // namespace

class TestAuditHistoryModel : public QObject
{
    Q_OBJECT

private slots:
    void pagesAppendNewestFirst();
    void cutPayloadEndsInAnEllipsis();
};

void TestAuditHistoryModel::pagesAppendNewestFirst()
{
    AuditHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.oldestId(), 0);
    model.appendPage(page(500, 200));
    QCOMPARE(model.rowCount(), 200);
    QCOMPARE(model.oldestId(), 301);
    model.appendPage(page(300, 50));  // "older"
    QCOMPARE(model.rowCount(), 250);
    QCOMPARE(model.oldestId(), 251);
    QCOMPARE(model.index(0, AuditHistoryModel::PayloadColumn).data().toString(),
             QStringLiteral(R"({"orderId":"SO-500", "status":"paid"})"));
    QCOMPARE(model.index(249, AuditHistoryModel::StatusColumn).data().toString(),
             QStringLiteral("accepted"));
    QCOMPARE(model.recordAt(249).id, 251);
    model.appendPage({});
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestAuditHistoryModel::cutPayloadEndsInAnEllipsis()
{
    AuditHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<AuditRecord> rows = page(2, 2);
    rows[0].payload = QStringLiteral(R"({"orderId":"SO-2","no)");  // what the log kept
    rows[0].payloadBytes = 70'000;  // what arrived
    rows[1].payloadBytes = rows[1].payload.size();
    model.appendPage(rows);
    QCOMPARE(model.index(0, AuditHistoryModel::PayloadColumn).data().toString(),
             QStringLiteral(R"({"orderId":"SO-2","no…)"));
    QCOMPARE(model.index(1, AuditHistoryModel::PayloadColumn).data().toString(),
             QStringLiteral(R"({"orderId":"SO-1", "status":"paid"})"));
}

QTEST_GUILESS_MAIN(TestAuditHistoryModel)
#include "tst_audithistorymodel.moc"
