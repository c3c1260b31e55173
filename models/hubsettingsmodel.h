#pragma once

#include "config/hubconfig.h"

#include <QAbstractTableModel>

namespace kucun {

// The settings the hub runs with, one row per setting of SPEC §1: its name, the value in effect
// (secrets masked) and where that value came from, so an admin can tell why the hub does what
// it does.
class HubSettingsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, SourceColumn, FlagColumn, ColumnCount };

    explicit HubSettingsModel(const HubConfig &config, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString sourceName(SettingSource source);

private:
    HubConfig m_config;
};

}  // namespace kucun
