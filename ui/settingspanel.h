#pragma once

#include "config/hubconfig.h"

#include <QWidget>

class QGridLayout;
class QLabel;
class QLineEdit;
class QTableView;

namespace kucun {

class HubSettingsModel;

// The Settings panel (SPEC §8.1): above, every setting in effect and where its value came from;
// below, the user's settings file (INI, QSettings) with one field per setting. Saving checks each
// value with the same rules as the command line and writes nothing unless all pass. The file is
// read at start, so changes apply at the next start (flags and environment still win).
class SettingsPanel : public QWidget
{
    Q_OBJECT

public:
    SettingsPanel(const HubConfig &config, QString settingsFile, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // For tests: fill a field by its environment name ("WS_PORT") and save.
    void setValue(const QString &envName, const QString &value);
    bool save();
    QString statusText() const;

signals:
    void activity(const QString &text);

private:
    void load();

    const QString m_file;
    HubSettingsModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QList<QLineEdit *> m_fields;  // in SettingId order
    QLabel *m_status = nullptr;
};

}  // namespace kucun
