#pragma once

#include "engine/enginetelemetry.h"

#include <QAbstractTableModel>

#include <array>
#include <deque>
#include <optional>

namespace kucun {

// The time series behind the Overview charts (SPEC §8.1): one row per second with the hit rate
// and the cache operations, events and WebSocket messages per second over that second, turned
// from the running totals of the telemetry reports. Keeps the last `capacity` seconds; charts
// map its columns with QVXYModelMapper.
class MetricsHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,  // ms since the epoch (a double, for the chart's axis)
        HitRateColumn,  // percent
        CacheOpsColumn,
        EventsColumn,
        WsMessagesColumn,
        ColumnCount
    };
    static constexpr int kDefaultCapacity = 600;  // ten minutes

    explicit MetricsHistoryModel(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    // Feeds a report; adds a row once a second of reports has gone by.
    void addReport(const EngineTelemetry &report);
    // The latest point, for labels: all zero before the first.
    double latest(Column column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Totals
    {
        qint64 atMs = 0;
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 events = 0;
        qint64 deliveries = 0;
    };
    using Point = std::array<double, ColumnCount>;

    const int m_capacity;
    std::deque<Point> m_points;
    std::optional<Totals> m_last;
};

}  // namespace kucun
