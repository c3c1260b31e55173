#pragma once

#include "snapshottablemodel.h"
#include "ws/wsclient.h"

namespace kucun {

// The WebSocket clients of the Clients & channels panel (SPEC §8.1), one row per client.
class ClientsModel : public SnapshotTableModel<WsClientInfo>
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        AddressColumn,
        OriginColumn,
        UserColumn,
        SubscriptionsColumn,
        MessagesInColumn,
        MessagesOutColumn,
        QueuedColumn,
        ConnectedColumn,
        ColumnCount
    };
    enum Role { ClientIdRole = Qt::UserRole + 1 };

    explicit ClientsModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const WsClientInfo &client) const override { return client.id; }
};

}  // namespace kucun
