// The Flow diagram's vocabulary (SPEC §14): the nodes a trace passes, tag shapes folded into
// one node, and the engine's tally of edges with its bound.

#include "events/eventflow.h"

#include <QTest>

using kucun::EventTrace;
using kucun::FlowEdgeCount;
using kucun::FlowTally;
namespace EventFlow = kucun::EventFlow;

namespace {

EventTrace inventoryTrace(const QString &productId, qint64 removed, qint64 written)
{
    EventTrace trace;
    trace.source = kucun::EventSource::Redis;
    trace.type = QStringLiteral("inventory:change");
    trace.accepted = true;
    trace.rule = QStringLiteral("#2 inventory:change");
    EventTrace::Invalidation tag;
    tag.target = QStringLiteral("products:") + productId;
    tag.removed = removed;
    trace.invalidations.append(tag);
    tag.target = QStringLiteral("dashboard:overview");
    tag.removed = -1;  // failed: counts as nothing removed
    trace.invalidations.append(tag);
    trace.wsChannel = QStringLiteral("inventory");
    trace.delivery.written = written;
    return trace;
}

}  // namespace

class TestEventFlow : public QObject
{
    Q_OBJECT

private slots:
    void cacheNodesFoldIds_data();
    void cacheNodesFoldIds();
    void edgesOfATrace();
    void tallyAddsUpAndIsBounded();
};

void TestEventFlow::cacheNodesFoldIds_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("node");
    QTest::addRow("product") << "products:42"
                             << "cache:products:*";
    QTest::addRow("summary") << "inventory:summary:42"
                             << "cache:inventory:summary:*";
    QTest::addRow("no id") << "dashboard:overview"
                           << "cache:dashboard:overview";
    QTest::addRow("namespace") << "products:list:"
                               << "cache:products:list:";
    QTest::addRow("order id") << "sales-orders:SO-1001"
                              << "cache:sales-orders:*";
}

void TestEventFlow::cacheNodesFoldIds()
{
    QFETCH(QString, target);
    QFETCH(QString, node);
    QCOMPARE(EventFlow::cacheNode(target), node);
    QCOMPARE(EventFlow::kindOf(node), EventFlow::NodeKind::Cache);
}

void TestEventFlow::edgesOfATrace()
{
    const QList<FlowEdgeCount> edges = EventFlow::edgesOf(inventoryTrace("7", 3, 5));
    const QString rule = QStringLiteral("rule:#2 inventory:change");
    QCOMPARE(edges, (QList<FlowEdgeCount>{{"source:redis", "bus", 1},
                                          {"bus", rule, 1},
                                          {rule, "cache:products:*", 3},
                                          {rule, "cache:dashboard:overview", 0},
                                          {rule, "channel:inventory", 1},
                                          {"channel:inventory", "clients", 5}}));
    EventTrace refused;
    refused.source = kucun::EventSource::Http;
    QCOMPARE(EventFlow::edgesOf(refused),
             (QList<FlowEdgeCount>{{"source:http", "bus", 1}, {"bus", "refused", 1}}));
    EventTrace passed;
    passed.accepted = true;
    passed.wsChannel = QStringLiteral("orders");
    QCOMPARE(EventFlow::edgesOf(passed).at(1).to, EventFlow::kPassThrough);
    QCOMPARE(EventFlow::nameOf(rule), QStringLiteral("#2 inventory:change"));
}

void TestEventFlow::tallyAddsUpAndIsBounded()
{
    FlowTally tally;
    tally.add(inventoryTrace("1", 2, 4));
    tally.add(inventoryTrace("2", 1, 4));
    const QList<FlowEdgeCount> taken = tally.take();
    QCOMPARE(taken.size(), 6);
    QCOMPARE(taken.at(0), (FlowEdgeCount{"source:redis", "bus", 2}));
    QCOMPARE(taken.at(2).count, 3);  // keys removed under products:* by both
    QCOMPARE(taken.at(5).count, 8);
    QVERIFY(tally.take().isEmpty());

    // Ever new channels (ws: messages to random names) fold into one node beyond the bound.
    for (int i = 0; i < FlowTally::kMaxEdges + 500; ++i) {
        EventTrace trace;
        trace.accepted = true;
        trace.wsChannel = QStringLiteral("c%1").arg(i);
        trace.delivery.written = 1;
        tally.add(trace);
    }
    const QList<FlowEdgeCount> bounded = tally.take();
    QVERIFY(bounded.size() <= FlowTally::kMaxEdges + 2);
    qint64 toClients = 0;
    for (const FlowEdgeCount &edge : bounded) {
        if (edge.to == EventFlow::kClients)
            toClients += edge.count;
    }
    QCOMPARE(toClients, FlowTally::kMaxEdges + 500);  // nothing lost, only folded
}

QTEST_GUILESS_MAIN(TestEventFlow)
#include "tst_eventflow.moc"
