#pragma once

#include "eventtrace.h"

#include <QHash>
#include <QList>
#include <QString>

namespace kucun {

// One edge of the Flow diagram (SPEC §14) and how much went along it: events on most edges,
// keys removed on an edge to the cache, socket writes on the edge to the clients.
struct FlowEdgeCount
{
    QString from;
    QString to;
    qint64 count = 0;
    friend bool operator==(const FlowEdgeCount &, const FlowEdgeCount &) = default;
};

// The Flow diagram's nodes, named "<kind>:<name>" (source:redis, bus, rule:#2 inventory:change,
// refused, cache:products:*, channel:inventory, clients), and the path a trace took through
// them. One place for the names, read by the engine's tally and by the panel.
namespace EventFlow {

inline const QString kBus = QStringLiteral("bus");
inline const QString kRefused = QStringLiteral("refused");
inline const QString kClients = QStringLiteral("clients");
// The rule node of ws:<channel> messages, which pass through without a rule.
inline const QString kPassThrough = QStringLiteral("rule:ws:");

enum class NodeKind { Source, Bus, Rule, Refused, Cache, Channel, Clients };

QString sourceNode(EventSource source);
QString ruleNode(const QString &rule);
// Tags and namespaces grouped by shape: segments with a digit become `*` (products:42 →
// products:*), so that a thousand products make one node.
QString cacheNode(const QString &target);
QString channelNode(const QString &channel);
NodeKind kindOf(const QString &node);
// The node's name without its kind ("redis", "#2 inventory:change", "products:*").
QString nameOf(const QString &node);

// The edges the trace went along, in order, with their counts.
QList<FlowEdgeCount> edgesOf(const EventTrace &trace);
// Where a node goes once a diagram holds as many edges as it may: cache shapes and channels
// (the two kinds a publisher can make without end) into one node each, "cache:…" and
// "channel:…"; sources and rules are few by nature and stay.
QString folded(const QString &node);

}  // namespace EventFlow

// Adds up the edges of many traces between two telemetry reports (engine thread). Bounded: a
// route table with ever new tag shapes folds the newest into "cache:…" beyond kMaxEdges.
class FlowTally
{
public:
    static constexpr int kMaxEdges = 1000;

    void add(const EventTrace &trace);
    // What was added since the last take(), and starts again.
    QList<FlowEdgeCount> take();

private:
    QHash<std::pair<QString, QString>, qint64> m_counts;
    QList<std::pair<QString, QString>> m_order;  // first seen first
};

}  // namespace kucun
