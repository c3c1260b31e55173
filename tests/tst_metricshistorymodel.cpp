#include "metricshistorymodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::EngineTelemetry;
using kucun::MetricsHistoryModel;

namespace {

EngineTelemetry report(qint64 atMs, qint64 hits, qint64 misses, qint64 events, qint64 deliveries)
{
    EngineTelemetry telemetry;
    telemetry.atMs = atMs;
    telemetry.cache.hits = hits;
    telemetry.cache.misses = misses;
    telemetry.eventsTotal = events;
    telemetry.wsDeliveriesTotal = deliveries;
    return telemetry;
}

double cell(const MetricsHistoryModel &model, int row, int column)
{
    return model.index(row, column).data().toDouble();
}

}  // namespace

class TestMetricsHistoryModel : public QObject
{
    Q_OBJECT

private slots:
    void oneRowPerSecondOfRates();
    void keepsTheLastCapacityRows();
    void aHubStartedAgainGivesNoNegativeRates();
};

void TestMetricsHistoryModel::oneRowPerSecondOfRates()
{
    MetricsHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 t0 = 1'700'000'000'000;
    model.addReport(report(t0, 0, 0, 0, 0));
    for (int i = 1; i < 20; ++i)  // 50 ms reports: not a second yet
        model.addReport(report(t0 + i * 50, i, 0, 0, 0));
    QCOMPARE(model.rowCount(), 0);
    model.addReport(report(t0 + 1000, 90, 10, 25, 4000));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::HitRateColumn), 90.0);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::CacheOpsColumn), 100.0);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::EventsColumn), 25.0);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::WsMessagesColumn), 4000.0);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::TimeColumn), double(t0 + 1000));

    // Two seconds without reads: rates per second over the interval; the hit rate holds.
    model.addReport(report(t0 + 3000, 90, 10, 35, 4000));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 1, MetricsHistoryModel::EventsColumn), 5.0);
    QCOMPARE(cell(model, 1, MetricsHistoryModel::CacheOpsColumn), 0.0);
    QCOMPARE(cell(model, 1, MetricsHistoryModel::HitRateColumn), 90.0);
    QCOMPARE(model.latest(MetricsHistoryModel::EventsColumn), 5.0);
}

void TestMetricsHistoryModel::keepsTheLastCapacityRows()
{
    MetricsHistoryModel model(5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int second = 0; second <= 8; ++second)
        model.addReport(report(second * 1000, 0, 0, second * 10, 0));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(cell(model, 0, MetricsHistoryModel::TimeColumn), 4000.0);
    QCOMPARE(cell(model, 4, MetricsHistoryModel::TimeColumn), 8000.0);
}

void TestMetricsHistoryModel::aHubStartedAgainGivesNoNegativeRates()
{
    MetricsHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 t0 = 1'700'000'000'000;
    model.addReport(report(t0, 0, 0, 0, 0));
    model.addReport(report(t0 + 1000, 900, 100, 50, 500));
    QCOMPARE(model.rowCount(), 1);
    // Restarted (or another hub behind the same address): its totals start again from nothing.
    model.addReport(report(t0 + 2000, 10, 0, 1, 5));
    QCOMPARE(model.rowCount(), 1);  // no point from the fall
    model.addReport(report(t0 + 3000, 30, 0, 3, 25));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.latest(MetricsHistoryModel::CacheOpsColumn), 20.0);
    QCOMPARE(model.latest(MetricsHistoryModel::EventsColumn), 2.0);
    QCOMPARE(model.latest(MetricsHistoryModel::WsMessagesColumn), 20.0);
}

QTEST_GUILESS_MAIN(TestMetricsHistoryModel)
#include "tst_metricshistorymodel.moc"
