#include "clientsmodel.h"

#include <QDateTime>
#include <QLocale>

namespace kucun {

ClientsModel::ClientsModel(QObject *parent)
    : SnapshotTableModel(parent)
{
}

int ClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WsClientInfo &client = rowAt(index.row());
    if (role == ClientIdRole)
        return client.id;
    if (role == Qt::TextAlignmentRole && index.column() >= MessagesInColumn
        && index.column() <= QueuedColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return client.id;
    case AddressColumn:
        return client.address;
    case OriginColumn:
        return client.origin.isEmpty() ? tr("(none)") : client.origin;
    case UserColumn:
        return client.subject;
    case SubscriptionsColumn:
        return client.subscriptions.join(QStringLiteral(", "));
    case MessagesInColumn:
        return client.messagesIn;
    case MessagesOutColumn:
        return client.messagesOut;
    case QueuedColumn:
        return QLocale().formattedDataSize(client.queuedBytes);
    case ConnectedColumn:
        return QDateTime::fromMSecsSinceEpoch(client.connectedSinceMs)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    default:
        return {};
    }
}

QVariant ClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Client");
    case AddressColumn:
        return tr("Address");
    case OriginColumn:
        return tr("Origin");
    case UserColumn:
        return tr("User");
    case SubscriptionsColumn:
        return tr("Subscriptions");
    case MessagesInColumn:
        return tr("In");
    case MessagesOutColumn:
        return tr("Out");
    case QueuedColumn:
        return tr("Queued");
    case ConnectedColumn:
        return tr("Connected since");
    default:
        return {};
    }
}

}  // namespace kucun
