#include "flowmodel.h"

#include <QLocale>

#include <algorithm>

namespace kucun {

FlowModel::FlowModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void FlowModel::addCounts(qint64 atMs, const QList<FlowEdgeCount> &counts)
{
    QList<FlowEdgeCount> added;
    QHash<std::pair<QString, QString>, qsizetype> addedAt;
    for (const FlowEdgeCount &count : counts) {
        std::pair<QString, QString> key{count.from, count.to};
        auto row = m_rows.constFind(key);
        if (row == m_rows.constEnd() && !addedAt.contains(key)
            && m_edges.size() + added.size() >= kMaxEdges) {
            key = {EventFlow::folded(count.from), EventFlow::folded(count.to)};
            row = m_rows.constFind(key);
        }
        if (row != m_rows.constEnd()) {
            m_edges[*row].total += count.count;
            m_recent[*row].push_back({atMs, count.count});
            m_recentSums[*row] += count.count;
        } else if (const auto at = addedAt.constFind(key); at != addedAt.constEnd()) {
            added[*at].count += count.count;
        } else {
            addedAt.insert(key, added.size());
            added.append({key.first, key.second, count.count});
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_edges.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const FlowEdgeCount &count : std::as_const(added)) {
            m_rows.insert({count.from, count.to}, int(m_edges.size()));
            m_edges.append({count.from, count.to, count.count, 0});
            m_recent.append(std::deque<Recent>{{atMs, count.count}});
            m_recentSums.append(count.count);
        }
        endInsertRows();
    }
    // Every rate slides with the clock, those of quiet edges down to 0.
    for (qsizetype row = 0; row < m_edges.size(); ++row) {
        std::deque<Recent> &recent = m_recent[row];
        while (!recent.empty() && recent.front().atMs <= atMs - kWindowMs) {
            m_recentSums[row] -= recent.front().count;
            recent.pop_front();
        }
        m_edges[row].perSecond = double(m_recentSums[row]) * 1000.0 / double(kWindowMs);
    }
    if (!m_edges.isEmpty())
        emit dataChanged(index(0, TotalColumn), index(int(m_edges.size()) - 1, RateColumn));
}

void FlowModel::clear()
{
    beginResetModel();
    m_edges.clear();
    m_recent.clear();
    m_recentSums.clear();
    m_rows.clear();
    endResetModel();
}

QList<FlowModel::Node> FlowModel::nodes() const
{
    QHash<QString, Node> byId;
    QStringList order;
    const auto touch = [&](const QString &id) -> Node & {
        auto it = byId.find(id);
        if (it == byId.end()) {
            order.append(id);
            it = byId.insert(id, Node{id, EventFlow::kindOf(id), 0, 0});
        }
        return *it;
    };
    for (const Edge &edge : m_edges) {
        Node &from = touch(edge.from);
        if (from.kind == EventFlow::NodeKind::Source) {
            from.total += edge.total;
            from.perSecond += edge.perSecond;
        }
        Node &to = touch(edge.to);
        to.total += edge.total;
        to.perSecond += edge.perSecond;
    }
    QList<Node> nodes;
    for (const QString &id : std::as_const(order))
        nodes.append(byId.value(id));
    std::stable_sort(nodes.begin(), nodes.end(),
                     [](const Node &a, const Node &b) { return int(a.kind) < int(b.kind); });
    return nodes;
}

int FlowModel::rowOf(const QString &from, const QString &to) const
{
    return m_rows.value({from, to}, -1);
}

int FlowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_edges.size());
}

int FlowModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FlowModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Edge &edge = m_edges[index.row()];
    // UserRole: the figures as numbers, for sorting and tests; DisplayRole: as the locale writes.
    if (role == Qt::DisplayRole || role == Qt::UserRole) {
        const bool display = role == Qt::DisplayRole;
        switch (index.column()) {
        case FromColumn:
            return edge.from;
        case ToColumn:
            return edge.to;
        case TotalColumn:
            return display ? QVariant(QLocale().toString(edge.total)) : QVariant(edge.total);
        case RateColumn:
            return display ? QVariant(QLocale().toString(edge.perSecond, 'f', 1))
                           : QVariant(edge.perSecond);
        }
    } else if (role == Qt::TextAlignmentRole && index.column() >= TotalColumn) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant FlowModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FromColumn:
        return tr("From");
    case ToColumn:
        return tr("To");
    case TotalColumn:
        return tr("Total");
    case RateColumn:
        return tr("Per second");
    }
    return {};
}

}  // namespace kucun
