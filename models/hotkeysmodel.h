#pragma once

#include "cache/keyaccesssketch.h"
#include "snapshottablemodel.h"

namespace kucun {

// The Hot keys panel's keys (SPEC §12): the keys Redis-protocol clients use most, one row per
// key, most accessed first in each snapshot.
class HotKeysModel : public SnapshotTableModel<KeyAccessSketch::KeyCounts>
{
    Q_OBJECT

public:
    enum Column {
        KeyColumn,
        AccessesColumn,
        ReadsColumn,
        HitRateColumn,
        MissesColumn,
        WritesColumn,
        LoadsColumn,
        IdleColumn,
        ColumnCount
    };

    explicit HotKeysModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const KeyAccessSketch::KeyCounts &row) const override
    {
        return QString::fromUtf8(row.key);
    }
};

// Hits and misses per first key segment of the same traffic.
class KeySegmentsModel : public SnapshotTableModel<KeyAccessSketch::SegmentCounts>
{
    Q_OBJECT

public:
    enum Column { SegmentColumn, HitsColumn, MissesColumn, HitRateColumn, ColumnCount };

    explicit KeySegmentsModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const KeyAccessSketch::SegmentCounts &row) const override { return row.segment; }
};

// "97.5 %", or "–" when nothing was read.
QString hitRateText(qint64 hits, qint64 misses);

}  // namespace kucun
