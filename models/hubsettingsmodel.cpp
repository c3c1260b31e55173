#include "hubsettingsmodel.h"

namespace kucun {

HubSettingsModel::HubSettingsModel(const HubConfig &config, QObject *parent)
    : QAbstractTableModel(parent)
    , m_config(config)
{
}

int HubSettingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kSettingCount;
}

int HubSettingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HubSettingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto id = static_cast<SettingId>(index.row());
    const SettingInfo &info = settingInfo(id);
    const EffectiveSetting &effective = m_config.effectiveSetting(id);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn:
            return QString::fromLatin1(info.envName);
        case ValueColumn:
            return effective.displayValue;
        case SourceColumn:
            return sourceName(effective.source);
        case FlagColumn:
            return QStringLiteral("--") + QString::fromLatin1(info.flag);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == NameColumn)
        return tr(info.description);
    return {};
}

QVariant HubSettingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Setting");
    case ValueColumn:
        return tr("Value");
    case SourceColumn:
        return tr("Source");
    case FlagColumn:
        return tr("Flag");
    default:
        return {};
    }
}

QString HubSettingsModel::sourceName(SettingSource source)
{
    switch (source) {
    case SettingSource::Default:
        return tr("default");
    case SettingSource::File:
        return tr("settings file");
    case SettingSource::Environment:
        return tr("environment");
    case SettingSource::CommandLine:
        return tr("command line");
    }
    Q_UNREACHABLE();
}

}  // namespace kucun
