#pragma once

#include "cache/cacheservice.h"

#include <QAbstractTableModel>

namespace kucun {

// The tags of the Invalidate panel (SPEC §8.1): each tag with how many keys it names, as the
// cache reported them when last asked (the panel asks on demand: tags change with every write).
class TagsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TagColumn, KeysColumn, ColumnCount };

    explicit TagsModel(QObject *parent = nullptr);

    void setTags(const QList<TagCount> &tags);
    QString tagAt(int row) const { return m_tags[row].tag; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<TagCount> m_tags;
};

}  // namespace kucun
