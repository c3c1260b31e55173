#pragma once

#include "events/eventflow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <deque>

namespace kucun {

// The Flow panel's figures (SPEC §14), from the telemetry's flow counts: one row per edge of
// the diagram with what went along it in all and per second over the last kWindowMs. The
// diagram draws nodes() and the rows; the table beside it shows the rows.
class FlowModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FromColumn, ToColumn, TotalColumn, RateColumn, ColumnCount };
    static constexpr qint64 kWindowMs = 10'000;
    // Edges kept one by one; beyond, new cache shapes and channels go to the folded nodes of
    // EventFlow::folded(), so that a new source or rule still shows. The folded edges may add a
    // few rows beyond this (one per rule and source at most).
    static constexpr int kMaxEdges = 2000;

    struct Edge
    {
        QString from;
        QString to;
        qint64 total = 0;
        double perSecond = 0;
    };
    struct Node
    {
        QString id;  // "source:redis", "bus", …
        EventFlow::NodeKind kind = EventFlow::NodeKind::Bus;
        qint64 total = 0;  // what came in (what went out, for a source)
        double perSecond = 0;
    };

    explicit FlowModel(QObject *parent = nullptr);

    // One report's counts at `atMs` (wall clock); rates slide with it.
    void addCounts(qint64 atMs, const QList<FlowEdgeCount> &counts);
    void clear();

    const QList<Edge> &edges() const { return m_edges; }
    // Every node an edge touches, sources first, then in the diagram's column order.
    QList<Node> nodes() const;
    // -1 when no such edge.
    int rowOf(const QString &from, const QString &to) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Recent
    {
        qint64 atMs;
        qint64 count;
    };

    QList<Edge> m_edges;
    QList<std::deque<Recent>> m_recent;  // per row: the counts within the window
    QList<qint64> m_recentSums;  // per row: their sum
    QHash<std::pair<QString, QString>, int> m_rows;
};

}  // namespace kucun
