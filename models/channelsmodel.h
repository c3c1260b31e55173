#pragma once

#include "snapshottablemodel.h"
#include "ws/channelregistry.h"

namespace kucun {

// The WebSocket channels of the Clients & channels panel (SPEC §8.1), one row per channel.
class ChannelsModel : public SnapshotTableModel<ChannelRegistry::ChannelInfo>
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        SubscribersColumn,
        RateColumn,
        HistoryColumn,
        OffsetColumn,
        StreamColumn,  // shared (in Redis) or local history
        ColumnCount
    };

    explicit ChannelsModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const ChannelRegistry::ChannelInfo &channel) const override
    {
        return channel.name;
    }
};

}  // namespace kucun
