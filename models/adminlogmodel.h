#pragma once

#include "events/auditlog.h"
#include "pagedtablemodel.h"

namespace kucun {

// The admin log (SPEC §13) for the Admin log panel: who changed what on the hub, and what came
// of it, newest first, a page at a time.
class AdminLogModel : public PagedTableModel<AdminAction>
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        RoleColumn,
        PeerColumn,
        ActionColumn,
        TargetColumn,
        ResultColumn,
        ColumnCount
    };

    explicit AdminLogModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};

}  // namespace kucun
