#include "channelsmodel.h"

namespace kucun {

ChannelsModel::ChannelsModel(QObject *parent)
    : SnapshotTableModel(parent)
{
}

int ChannelsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChannelRegistry::ChannelInfo &channel = rowAt(index.row());
    if (role == Qt::ToolTipRole && index.column() == StreamColumn) {
        return channel.shared ? tr("Epoch %1, shared in Redis by every hub").arg(channel.epoch)
                              : tr("Epoch %1, this hub's own").arg(channel.epoch);
    }
    if (role == Qt::TextAlignmentRole && index.column() != NameColumn
        && index.column() != StreamColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return channel.name;
    case SubscribersColumn:
        return channel.subscribers;
    case RateColumn:
        return channel.messagesPerSecond;
    case HistoryColumn:
        return channel.historySize;
    case OffsetColumn:
        return channel.offset;
    case StreamColumn:
        return channel.shared ? tr("shared") : tr("local");
    default:
        return {};
    }
}

QVariant ChannelsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Channel");
    case SubscribersColumn:
        return tr("Subscribers");
    case RateColumn:
        return tr("Messages/s");
    case HistoryColumn:
        return tr("History");
    case OffsetColumn:
        return tr("Offset");
    case StreamColumn:
        return tr("Stream");
    default:
        return {};
    }
}

}  // namespace kucun
