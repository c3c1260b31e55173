#include "audithistorymodel.h"

#include <QDateTime>

namespace kucun {

AuditHistoryModel::AuditHistoryModel(QObject *parent)
    : PagedTableModel(parent)
{
}

int AuditHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditHistoryModel::data(const QModelIndex &index, int role) const
{
    const AuditRecord *record = rowOf(index);
    if (!record || role != Qt::DisplayRole)
        return {};
    const AuditRecord &row = *record;
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(row.ts).toString(
            QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case ChannelColumn:
        return row.channel;
    case TypeColumn:
        return row.type;
    case StatusColumn:
        return row.status;
    case PayloadColumn:
        // Shown cut to 200 characters, or stored cut (AuditLog::Options::maxPayloadBytes): it
        // ends in an ellipsis either way.
        return row.payload.left(200).simplified()
               + (row.payload.size() > 200 || row.payloadCut() ? QStringLiteral("…") : QString());
    default:
        return {};
    }
}

QVariant AuditHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return PagedTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ChannelColumn:
        return tr("Channel");
    case TypeColumn:
        return tr("Type");
    case StatusColumn:
        return tr("Status");
    case PayloadColumn:
        return tr("Payload");
    default:
        return {};
    }
}

}  // namespace kucun
