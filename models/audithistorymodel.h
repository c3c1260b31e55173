#pragma once

#include "events/auditlog.h"
#include "pagedtablemodel.h"

namespace kucun {

// The audit log's rows for the Events panel's history view (SPEC §8.1), newest first, a page
// at a time.
class AuditHistoryModel : public PagedTableModel<AuditRecord>
{
    Q_OBJECT

public:
    enum Column { TimeColumn, ChannelColumn, TypeColumn, StatusColumn, PayloadColumn, ColumnCount };

    explicit AuditHistoryModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};

}  // namespace kucun
