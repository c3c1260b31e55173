#include "hotkeysmodel.h"

#include "cache/memorystore.h"

#include <QLocale>

namespace kucun {

QString hitRateText(qint64 hits, qint64 misses)
{
    if (hits + misses == 0)
        return QStringLiteral("–");
    return QLocale().toString(100.0 * double(hits) / double(hits + misses), 'f', 1)
           + QStringLiteral(" %");
}

namespace {

QVariant rightAligned()
{
    return int(Qt::AlignRight | Qt::AlignVCenter);
}

}  // namespace

HotKeysModel::HotKeysModel(QObject *parent)
    : SnapshotTableModel(parent)
{
}

int HotKeysModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HotKeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyAccessSketch::KeyCounts &key = rowAt(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != KeyColumn)
        return rightAligned();
    if (role == Qt::ToolTipRole && index.column() == AccessesColumn && key.error > 0) {
        return tr("Counted since the key entered the list; up to %1 of these may belong to "
                  "keys it replaced")
            .arg(key.error);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KeyColumn:
        return QString::fromUtf8(key.key);
    case AccessesColumn:
        return key.count;
    case ReadsColumn:
        return key.reads;
    case HitRateColumn:
        return hitRateText(key.hits, key.misses);
    case MissesColumn:
        return key.misses;
    case WritesColumn:
        return key.writes;
    case LoadsColumn:
        return key.loads;
    case IdleColumn:
        return tr("%1 s").arg(std::max<qint64>(0, MemoryStore::nowMs() - key.lastAccessMs) / 1000);
    default:
        return {};
    }
}

QVariant HotKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case AccessesColumn:
        return tr("Accesses");
    case ReadsColumn:
        return tr("Reads");
    case HitRateColumn:
        return tr("Hit rate");
    case MissesColumn:
        return tr("Misses");
    case WritesColumn:
        return tr("Writes");
    case LoadsColumn:
        return tr("Loads");
    case IdleColumn:
        return tr("Idle");
    default:
        return {};
    }
}

KeySegmentsModel::KeySegmentsModel(QObject *parent)
    : SnapshotTableModel(parent)
{
}

int KeySegmentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeySegmentsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyAccessSketch::SegmentCounts &segment = rowAt(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != SegmentColumn)
        return rightAligned();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SegmentColumn:
        return segment.segment;
    case HitsColumn:
        return segment.hits;
    case MissesColumn:
        return segment.misses;
    case HitRateColumn:
        return hitRateText(segment.hits, segment.misses);
    default:
        return {};
    }
}

QVariant KeySegmentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SegmentColumn:
        return tr("Segment");
    case HitsColumn:
        return tr("Hits");
    case MissesColumn:
        return tr("Misses");
    case HitRateColumn:
        return tr("Hit rate");
    default:
        return {};
    }
}

}  // namespace kucun
