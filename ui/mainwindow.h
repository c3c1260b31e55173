#pragma once

#include "config/hubconfig.h"
#include "engine/hublink.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QSpinBox;
class QSystemTrayIcon;
class QTabWidget;

namespace kucun {

class AdminLogPanel;
class FlowPanel;
class HubAttachment;
class ChannelsModel;
class ClientsModel;
class ConnectionsPanel;
class EventStreamModel;
class EventsPanel;
class HotKeysPanel;
class InvalidatePanel;
class KeysPanel;
class MetricsHistoryModel;
class OverviewPanel;
class DemoFaultsDialog;
class PublishPanel;
class SettingsPanel;

// The desktop window (SPEC §8): the panels of §8.1 as tabs, menus and a toolbar with shortcuts,
// the status bar (engine state, WebSocket address, clients, hit rate), a tray icon, and the
// window's size and layout remembered between runs. Reads the hub only through the HubLink it
// is given (the engine here, or a remote hub); its telemetry feeds the models, in the GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Panel {
        Overview,
        Keys,
        HotKeys,
        Invalidate,
        Events,
        Connections,
        Publish,
        Settings,
        AdminLog,
        Flow
    };

    MainWindow(HubLink &engine, const HubConfig &config, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The texts shown in the status bar, for tests and accessibility.
    QString engineStateText() const;
    QString wsAddressText() const;
    QString hitRateText() const;
    bool isReadOnlyShown() const;

    void showPanel(Panel panel);
    // Opens a window on the hub at `url` (File > Connect to hub…): its own, until closed.
    HubAttachment *attachTo(const QUrl &url, const QByteArray &key);
    // How to read the settings again for "Save and apply now" (the app passes its loader).
    void setSettingsReloader(std::function<std::variant<HubConfig, QString>()> reloader);
    OverviewPanel *overviewPanel() const { return m_overview; }
    KeysPanel *keysPanel() const { return m_keys; }
    HotKeysPanel *hotKeysPanel() const { return m_hotKeys; }
    InvalidatePanel *invalidatePanel() const { return m_invalidate; }
    EventsPanel *eventsPanel() const { return m_events; }
    ConnectionsPanel *connectionsPanel() const { return m_connections; }
    PublishPanel *publishPanel() const { return m_publish; }
    SettingsPanel *settingsPanel() const { return m_settings; }
    AdminLogPanel *adminLogPanel() const { return m_adminLog; }
    FlowPanel *flowPanel() const { return m_flow; }
    EventStreamModel *eventStream() const { return m_eventStream; }
    ClientsModel *clientsModel() const { return m_clientsModel; }

signals:
    // The user asked to quit (menu, shortcut or window close); the owner stops the engine first.
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildPanels(const HubConfig &config);
    void buildMenusAndToolbar();
    void buildStatusBar();
    void buildTrayIcon();
    void showEngineState();
    // The read-only mark in the status bar, and the controls of the window itself.
    void showReadOnly();
    void takeTelemetry(const EngineTelemetryPtr &telemetry);
    void showAbout();
    void connectToHub();
    void restoreWindowState();
    void saveWindowState() const;

    HubLink &m_engine;
    const HubConfig m_config;  // this process's: the windows it opens on other hubs take it
    MetricsHistoryModel *m_history = nullptr;
    EventStreamModel *m_eventStream = nullptr;
    ClientsModel *m_clientsModel = nullptr;
    ChannelsModel *m_channelsModel = nullptr;

    QTabWidget *m_tabs = nullptr;
    OverviewPanel *m_overview = nullptr;
    KeysPanel *m_keys = nullptr;
    HotKeysPanel *m_hotKeys = nullptr;
    InvalidatePanel *m_invalidate = nullptr;
    EventsPanel *m_events = nullptr;
    ConnectionsPanel *m_connections = nullptr;
    PublishPanel *m_publish = nullptr;
    SettingsPanel *m_settings = nullptr;
    AdminLogPanel *m_adminLog = nullptr;
    FlowPanel *m_flow = nullptr;

    QAction *m_demoAction = nullptr;
    QAction *m_faultsAction = nullptr;
    DemoFaultsDialog *m_faultsDialog = nullptr;  // made when first opened
    QSpinBox *m_demoRate = nullptr;
    QLabel *m_engineStateLabel = nullptr;
    QLabel *m_wsAddressLabel = nullptr;
    QLabel *m_clientsLabel = nullptr;
    QLabel *m_hitRateLabel = nullptr;
    QLabel *m_readOnlyLabel = nullptr;
    QString m_demoTip;
    QSystemTrayIcon *m_tray = nullptr;
};

}  // namespace kucun
