#pragma once

#include "config/hubconfig.h"

#include <QWidget>

#include <functional>
#include <variant>

class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace kucun {

class HubSettingsModel;

// The Settings panel (SPEC §8.1): above, every setting in effect and where its value came from;
// below, the user's settings file (INI, QSettings) with one field per setting. Saving checks each
// value with the same rules as the command line and writes nothing unless all pass. The file is
// read at start; "Save and apply now" also reloads the settings (flags and environment still win)
// and restarts the engine with them, when the window was given a way to reload.
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

    // Reads the settings again as at start (flags, environment, this file): the new settings, or
    // why they are refused.
    using Reloader = std::function<std::variant<HubConfig, QString>()>;
    void setReloader(Reloader reloader);
    // Saves, reloads and asks for the engine to restart with the result; false when any step
    // was refused (the reason is shown).
    bool apply();
    // Not empty: the settings are shown but cannot be saved or applied, and this says why.
    void setReadOnly(const QString &why);

signals:
    void activity(const QString &text);
    void applyRequested(const kucun::HubConfig &config);

private:
    void load();

    const QString m_file;
    HubSettingsModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QList<QLineEdit *> m_fields;  // in SettingId order
    QLabel *m_status = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_applyButton = nullptr;
    Reloader m_reloader;
};

}  // namespace kucun
