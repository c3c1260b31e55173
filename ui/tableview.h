#pragma once

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QTableView>

namespace kucun {

// A read-only table of whole rows, as the panels show their models.
inline QTableView *makeTableView(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

}  // namespace kucun
