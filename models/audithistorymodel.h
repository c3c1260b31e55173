#pragma once

#include "events/auditlog.h"

#include <QAbstractTableModel>

namespace kucun {

// The audit log's rows for the Events panel's history view (SPEC §8.1), newest first, a page
// at a time: the panel asks the log for a page and appends it here; "older" asks for the page
// before the smallest id shown.
class AuditHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, ChannelColumn, TypeColumn, StatusColumn, PayloadColumn, ColumnCount };

    explicit AuditHistoryModel(QObject *parent = nullptr);

    void clear();
    void appendPage(const QList<AuditRecord> &rows);
    const AuditRecord &recordAt(int row) const { return m_rows[row]; }
    // Where the next (older) page starts: the smallest id shown, 0 when empty.
    qint64 oldestId() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AuditRecord> m_rows;
};

}  // namespace kucun
