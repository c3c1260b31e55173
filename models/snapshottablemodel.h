#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace kucun {

// A table whose rows are replaced by a fresh snapshot now and then (the clients and channels the
// engine reports every 500 ms). A row keeps its place while its key is in the snapshots, so a
// selection survives the updates: rows whose key went are removed, the others are updated in
// place (one dataChanged), new keys are appended.
template <typename Row> class SnapshotTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(const QList<Row> &snapshot)
    {
        QHash<QString, qsizetype> incoming;
        for (qsizetype i = 0; i < snapshot.size(); ++i)
            incoming.insert(keyOf(snapshot[i]), i);

        // Bottom up, in runs, so that each removal leaves the rows above where they were.
        for (qsizetype row = m_rows.size() - 1; row >= 0;) {
            if (incoming.contains(keyOf(m_rows[row]))) {
                --row;
                continue;
            }
            qsizetype first = row;
            while (first > 0 && !incoming.contains(keyOf(m_rows[first - 1])))
                --first;
            beginRemoveRows({}, int(first), int(row));
            m_rows.remove(first, row - first + 1);
            endRemoveRows();
            row = first - 1;
        }

        QSet<QString> kept;
        for (Row &row : m_rows) {
            const QString key = keyOf(row);
            row = snapshot[incoming.value(key)];
            kept.insert(key);
        }
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, columnCount() - 1));

        QList<Row> added;
        for (const Row &row : snapshot) {
            if (!kept.contains(keyOf(row)))
                added.append(row);
        }
        if (!added.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
            m_rows += added;
            endInsertRows();
        }
    }

    const Row &rowAt(int row) const { return m_rows[row]; }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

protected:
    virtual QString keyOf(const Row &row) const = 0;

private:
    QList<Row> m_rows;
};

}  // namespace kucun
