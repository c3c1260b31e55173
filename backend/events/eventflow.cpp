#include "eventflow.h"

namespace kucun {

namespace {

const QString kOtherCache = QStringLiteral("cache:…");
const QString kOtherChannel = QStringLiteral("channel:…");

}  // namespace

QString EventFlow::sourceNode(EventSource source)
{
    return QStringLiteral("source:") + EventSources::name(source);
}

QString EventFlow::ruleNode(const QString &rule)
{
    return QStringLiteral("rule:") + rule;
}

QString EventFlow::cacheNode(const QString &target)
{
    QStringList segments = target.split(u':');
    for (QString &segment : segments) {
        if (std::any_of(segment.cbegin(), segment.cend(), [](QChar c) { return c.isDigit(); }))
            segment = QStringLiteral("*");
    }
    return QStringLiteral("cache:") + segments.join(u':');
}

QString EventFlow::channelNode(const QString &channel)
{
    return QStringLiteral("channel:") + channel;
}

EventFlow::NodeKind EventFlow::kindOf(const QString &node)
{
    if (node == kBus)
        return NodeKind::Bus;
    if (node == kRefused)
        return NodeKind::Refused;
    if (node == kClients)
        return NodeKind::Clients;
    if (node.startsWith(u"source:"))
        return NodeKind::Source;
    if (node.startsWith(u"rule:"))
        return NodeKind::Rule;
    if (node.startsWith(u"cache:"))
        return NodeKind::Cache;
    return NodeKind::Channel;
}

QString EventFlow::nameOf(const QString &node)
{
    const qsizetype colon = node.indexOf(u':');
    return colon < 0 ? node : node.mid(colon + 1);
}

QList<FlowEdgeCount> EventFlow::edgesOf(const EventTrace &trace)
{
    QList<FlowEdgeCount> edges{{sourceNode(trace.source), kBus, 1}};
    if (!trace.accepted) {
        edges.append({kBus, kRefused, 1});
        return edges;
    }
    const QString rule = trace.type.isEmpty() ? kPassThrough : ruleNode(trace.rule);
    edges.append({kBus, rule, 1});
    for (const EventTrace::Invalidation &invalidation : trace.invalidations)
        edges.append(
            {rule, cacheNode(invalidation.target), std::max<qint64>(0, invalidation.removed)});
    if (!trace.wsChannel.isEmpty()) {
        const QString channel = channelNode(trace.wsChannel);
        edges.append({rule, channel, 1});
        edges.append({channel, kClients, trace.delivery.written});
    }
    return edges;
}

QString EventFlow::folded(const QString &node)
{
    switch (kindOf(node)) {
    case NodeKind::Cache:
        return kOtherCache;
    case NodeKind::Channel:
        return kOtherChannel;
    default:
        return node;
    }
}

void FlowTally::add(const EventTrace &trace)
{
    for (const FlowEdgeCount &edge : EventFlow::edgesOf(trace)) {
        std::pair<QString, QString> key{edge.from, edge.to};
        auto it = m_counts.find(key);
        if (it == m_counts.end() && m_counts.size() >= kMaxEdges) {
            key = {EventFlow::folded(edge.from), EventFlow::folded(edge.to)};
            it = m_counts.find(key);
        }
        if (it == m_counts.end()) {
            m_order.append(key);
            it = m_counts.insert(key, 0);
        }
        *it += edge.count;
    }
}

QList<FlowEdgeCount> FlowTally::take()
{
    QList<FlowEdgeCount> edges;
    edges.reserve(m_order.size());
    for (const auto &key : std::as_const(m_order))
        edges.append({key.first, key.second, m_counts.value(key)});
    m_counts.clear();
    m_order.clear();
    return edges;
}

}  // namespace kucun
