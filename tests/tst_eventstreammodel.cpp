#include "eventstreammodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using kucun::EventRecord;
using kucun::EventStreamModel;

namespace {

EventRecord record(int n, QByteArray payload = {}, bool accepted = true)
{
    EventRecord event;
    event.receivedAtMs = 1'700'000'000'000 + n;
    event.channel = QStringLiteral("channel:order:status");
    event.type = QStringLiteral("order:status");
    event.payload
        = payload.isEmpty()
              ? QStringLiteral(R"({"type":"order:status","orderId":"SO-%1","status":"paid"})")
                    .arg(n)
                    .toUtf8()
              : payload;
    event.accepted = accepted;
    event.reason = accepted ? QString() : QStringLiteral("not JSON");
    return event;
}

QList<EventRecord> records(int from, int count)
{
    QList<EventRecord> list;
    for (int i = from; i < from + count; ++i)
        list.append(record(i));
    return list;
}

QString orderAt(const EventStreamModel &model, int row)
{
    return model.index(row, EventStreamModel::SummaryColumn).data().toString().section(u':', 0, 0);
}

}  // namespace

class TestEventStreamModel : public QObject
{
    Q_OBJECT

private slots:
    void satisfiesTheModelContract();
    void batchesAreOneInsertEach();
    void keepsOnlyTheNewestWhenFull();
    void pauseHoldsAndResumeShows();
    void summaries_data();
    void summaries();
};

void TestEventStreamModel::satisfiesTheModelContract()
{
    EventStreamModel model(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(records(0, 30));
    model.append(records(30, 30));  // overflows: rows go at the top
    model.setPaused(true);
    model.append(records(60, 10));
    model.setPaused(false);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEventStreamModel::batchesAreOneInsertEach()
{
    EventStreamModel model(1000);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(records(0, 500));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(orderAt(model, 0), QStringLiteral("SO-0"));
    QCOMPARE(orderAt(model, 499), QStringLiteral("SO-499"));
    QCOMPARE(model.index(0, EventStreamModel::TimeColumn).data().toString().size(), 12);
}

void TestEventStreamModel::keepsOnlyTheNewestWhenFull()
{
    EventStreamModel model(100);
    model.append(records(0, 80));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.append(records(80, 50));
    QCOMPARE(removed.size(), 1);  // one batch out, one batch in
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(orderAt(model, 0), QStringLiteral("SO-30"));
    QCOMPARE(orderAt(model, 99), QStringLiteral("SO-129"));
    model.append(records(1000, 250));  // more than fits at once
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(orderAt(model, 0), QStringLiteral("SO-1150"));
}

void TestEventStreamModel::pauseHoldsAndResumeShows()
{
    EventStreamModel model(100);
    model.append(records(0, 10));
    model.setPaused(true);
    model.append(records(10, 5));
    QCOMPARE(model.rowCount(), 10);  // the view stands still
    QCOMPARE(model.heldCount(), 5);
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 15);
    QCOMPARE(model.heldCount(), 0);
    QCOMPARE(orderAt(model, 14), QStringLiteral("SO-14"));
}

void TestEventStreamModel::summaries_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("summary");

    QTest::addRow("inventory")
        << "inventory:change"
        << QByteArray(
               R"({"productId":"42","oldQuantity":100,"newQuantity":95,"reason":"销售出库"})")
        << true << QStringLiteral("42: 100 → 95 (销售出库)");
    QTest::addRow("order with previous status")
        << "order:status"
        << QByteArray(R"({"orderId":"SO-1001","status":"shipped","previousStatus":"paid"})") << true
        << "SO-1001: paid → shipped";
    QTest::addRow("data update") << "data:update"
                                 << QByteArray(
                                        R"({"resource":"products","id":"42","action":"update"})")
                                 << true << "update products 42";
    QTest::addRow("invalidate tag") << "cache:invalidate" << QByteArray(R"({"tag":"products:42"})")
                                    << true << "tag products:42";
    QTest::addRow("ws message") << "" << QByteArray(R"({"hello":  "world"})") << true
                                << R"({"hello": "world"})";
    QTest::addRow("rejected: the reason") << "" << QByteArray("garbage") << false << "not JSON";
}

void TestEventStreamModel::summaries()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, payload);
    QFETCH(bool, accepted);
    QFETCH(QString, summary);
    EventRecord event = record(1, payload, accepted);
    event.type = type;
    QCOMPARE(EventStreamModel::summaryOf(event), summary);
}

QTEST_GUILESS_MAIN(TestEventStreamModel)
#include "tst_eventstreammodel.moc"
