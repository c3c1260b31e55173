#pragma once

#include "config/hubconfig.h"
#include "engine/enginehost.h"

#include <QMainWindow>

class QLabel;
class QTableView;

namespace kucun {

class HubSettingsModel;

// The desktop shell: menus, the status bar with the engine state and the WebSocket address, and
// the settings in effect. The panels of SPEC §8.1 plug into it. Reads the engine only through
// the EngineHost it is given.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(EngineHost &engine, const HubConfig &config, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The texts shown in the status bar, for tests and accessibility.
    QString engineStateText() const;
    QString wsAddressText() const;

signals:
    // The user asked to quit (menu, shortcut or window close); the owner stops the engine first.
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void showEngineState();
    void showAbout();

    EngineHost &m_engine;
    HubSettingsModel *m_settingsModel = nullptr;
    QTableView *m_settingsView = nullptr;
    QLabel *m_engineStateLabel = nullptr;
    QLabel *m_wsAddressLabel = nullptr;
    QLabel *m_clientsLabel = nullptr;
};

}  // namespace kucun
