#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <algorithm>

namespace kucun {

// Rows of a log read a page at a time, newest first (the audit log's events, the admin log): a
// panel asks for a page and appends it here; "older" asks for the page before the smallest id
// shown. `Row` has an `id`. Subclasses give the columns.
template <typename Row> class PagedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void clear()
    {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    void appendPage(const QList<Row> &rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
        m_rows += rows;
        endInsertRows();
    }
    const Row &recordAt(int row) const { return m_rows[row]; }
    // Where the next (older) page starts: the smallest id shown, 0 when empty.
    qint64 oldestId() const
    {
        qint64 oldest = 0;
        for (const Row &row : m_rows)
            oldest = oldest == 0 ? row.id : std::min(oldest, row.id);
        return oldest;
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

protected:
    // The row of a valid index of this model, or null.
    const Row *rowOf(const QModelIndex &index) const
    {
        return checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
                   ? &m_rows[index.row()]
                   : nullptr;
    }

private:
    QList<Row> m_rows;
};

}  // namespace kucun
