#include "adminlogmodel.h"

#include <QDateTime>

namespace kucun {

AdminLogModel::AdminLogModel(QObject *parent)
    : PagedTableModel(parent)
{
}

int AdminLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AdminLogModel::data(const QModelIndex &index, int role) const
{
    const AdminAction *row = rowOf(index);
    if (!row || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(row->ts).toString(
            QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case RoleColumn:
        return row->role;
    case PeerColumn:
        // The window of the hub's own process has no address.
        return row->peer.isEmpty() ? tr("(the hub's window)") : row->peer;
    case ActionColumn:
        return row->action;
    case TargetColumn:
        return row->target;
    case ResultColumn:
        return role == Qt::ToolTipRole ? row->result : row->result.left(200).simplified();
    default:
        return {};
    }
}

QVariant AdminLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return PagedTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case RoleColumn:
        return tr("Role");
    case PeerColumn:
        return tr("Peer");
    case ActionColumn:
        return tr("Action");
    case TargetColumn:
        return tr("Target");
    case ResultColumn:
        return tr("Result");
    default:
        return {};
    }
}

}  // namespace kucun
