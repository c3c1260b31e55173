#include "tagsmodel.h"

namespace kucun {

TagsModel::TagsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TagsModel::setTags(const QList<TagCount> &tags)
{
    beginResetModel();  // a fresh answer, not a change of the old one
    m_tags = tags;
    endResetModel();
}

int TagsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tags.size());
}

int TagsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TagCount &tag = m_tags[index.row()];
    if (role == Qt::TextAlignmentRole && index.column() == KeysColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    return index.column() == TagColumn ? QVariant(tag.tag) : QVariant(tag.keys);
}

QVariant TagsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == TagColumn ? tr("Tag") : tr("Keys");
}

}  // namespace kucun
