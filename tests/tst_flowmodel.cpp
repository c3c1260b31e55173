// The Flow panel's model (SPEC §14): from a sequence of telemetry flow counts, the edges and
// nodes with the totals and per-second rates the sequence implies, rates sliding with the clock,
// and a bound on edges.

#include "flowmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::FlowEdgeCount;
using kucun::FlowModel;
namespace EventFlow = kucun::EventFlow;

namespace {

const QString kRule = QStringLiteral("rule:#2 inventory:change");

QList<FlowEdgeCount> oneSecondOfInventory(qint64 events)
{
    return {{QStringLiteral("source:demo"), EventFlow::kBus, events},
            {EventFlow::kBus, kRule, events},
            {kRule, QStringLiteral("cache:products:*"), 2 * events},
            {kRule, QStringLiteral("channel:inventory"), events},
            {QStringLiteral("channel:inventory"), EventFlow::kClients, 3 * events}};
}

}  // namespace

class TestFlowModel : public QObject
{
    Q_OBJECT

private slots:
    void edgesAndRatesFollowTheCounts();
    void nodesAddUpTheirEdgesInColumnOrder();
    void edgesAreBounded();
};

void TestFlowModel::edgesAndRatesFollowTheCounts()
{
    FlowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Ten seconds at 50 events a second (one report a second here), then a quiet spell.
    for (int second = 1; second <= 10; ++second)
        model.addCounts(second * 1000, oneSecondOfInventory(50));
    QCOMPARE(model.rowCount(), 5);
    const int source = model.rowOf(QStringLiteral("source:demo"), EventFlow::kBus);
    const int cache = model.rowOf(kRule, QStringLiteral("cache:products:*"));
    const int clients = model.rowOf(QStringLiteral("channel:inventory"), EventFlow::kClients);
    QVERIFY(source >= 0 && cache >= 0 && clients >= 0);
    QCOMPARE(model.index(source, FlowModel::TotalColumn).data(Qt::UserRole).toLongLong(), 500);
    QCOMPARE(model.index(source, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 50.0);
    QCOMPARE(model.index(cache, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 100.0);
    QCOMPARE(model.index(clients, FlowModel::TotalColumn).data(Qt::UserRole).toLongLong(), 1500);
    QCOMPARE(model.index(clients, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 150.0);
    QCOMPARE(model.rowOf(EventFlow::kBus, EventFlow::kRefused), -1);

    // Five quiet seconds: half the window is empty, the rate halves; totals stay.
    model.addCounts(15'000, {});
    QCOMPARE(model.index(source, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 25.0);
    QCOMPARE(model.index(source, FlowModel::TotalColumn).data(Qt::UserRole).toLongLong(), 500);
    // A refused event adds its edge; the rest go quiet.
    model.addCounts(21'000, {{QStringLiteral("source:redis"), EventFlow::kBus, 1},
                             {EventFlow::kBus, EventFlow::kRefused, 1}});
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.index(source, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 0.0);
    const int refused = model.rowOf(EventFlow::kBus, EventFlow::kRefused);
    QCOMPARE(model.index(refused, FlowModel::RateColumn).data(Qt::UserRole).toDouble(), 0.1);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.nodes().isEmpty());
}

void TestFlowModel::nodesAddUpTheirEdgesInColumnOrder()
{
    FlowModel model;
    model.addCounts(1000, oneSecondOfInventory(10));
    model.addCounts(1000, {{QStringLiteral("source:redis"), EventFlow::kBus, 4},
                           {EventFlow::kBus, EventFlow::kRefused, 4}});
    const QList<FlowModel::Node> nodes = model.nodes();
    QStringList ids;
    for (const FlowModel::Node &node : nodes)
        ids.append(node.id);
    QCOMPARE(ids, (QStringList{"source:demo", "source:redis", "bus", kRule, "refused",
                               "cache:products:*", "channel:inventory", "clients"}));
    const auto node = [&nodes](const QString &id) {
        for (const FlowModel::Node &n : nodes) {
            if (n.id == id)
                return n;
        }
        return FlowModel::Node{};
    };
    QCOMPARE(node(QStringLiteral("source:demo")).total, 10);  // what it sent
    QCOMPARE(node(QStringLiteral("bus")).total, 14);  // what came in from both sources
    QCOMPARE(node(QStringLiteral("refused")).total, 4);
    QCOMPARE(node(QStringLiteral("cache:products:*")).total, 20);  // keys removed
    QCOMPARE(node(QStringLiteral("clients")).total, 30);  // writes
    QCOMPARE(node(QStringLiteral("bus")).perSecond, 1.4);
    QCOMPARE(node(QStringLiteral("bus")).kind, EventFlow::NodeKind::Bus);
}

void TestFlowModel::edgesAreBounded()
{
    FlowModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FlowEdgeCount> many;
    for (int i = 0; i < FlowModel::kMaxEdges + 100; ++i)
        many.append({kRule, QStringLiteral("channel:c%1").arg(i), 1});
    model.addCounts(1000, many);
    // The first kMaxEdges one by one, the rest in the folded channel node.
    QCOMPARE(model.rowCount(), FlowModel::kMaxEdges + 1);
    QCOMPARE(model.edges().last().to, QStringLiteral("channel:…"));
    QCOMPARE(model.edges().last().total, 100);
    model.addCounts(2000, many);  // the kept ones count on
    QCOMPARE(model.rowCount(), FlowModel::kMaxEdges + 1);
    QCOMPARE(model.edges().first().total, 2);
    QCOMPARE(model.edges().last().total, 200);
    // A new source still shows as itself.
    model.addCounts(3000, {{QStringLiteral("source:replay"), EventFlow::kBus, 1}});
    QVERIFY(model.rowOf(QStringLiteral("source:replay"), EventFlow::kBus) >= 0);
}

QTEST_GUILESS_MAIN(TestFlowModel)
#include "tst_flowmodel.moc"
