#include "mainwindow.h"

#include "adminlogpanel.h"
#include "changeguard.h"
#include "channelsmodel.h"
#include "clientsmodel.h"
#include "config/hubconfigloader.h"
#include "connectdialog.h"
#include "connectionspanel.h"
#include "demofaultsdialog.h"
#include "engine/demosimulator.h"
#include "eventspanel.h"
#include "eventstreammodel.h"
#include "flowpanel.h"
#include "hotkeyspanel.h"
#include "hubattachment.h"
#include "invalidatepanel.h"
#include "keyspanel.h"
#include "metricshistorymodel.h"
#include "overviewpanel.h"
#include "publishpanel.h"
#include "settingspanel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>

namespace kucun {

MainWindow::MainWindow(HubLink &engine, const HubConfig &config, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_config(config)
    , m_history(new MetricsHistoryModel(MetricsHistoryModel::kDefaultCapacity, this))
    , m_eventStream(new EventStreamModel(EventStreamModel::kDefaultCapacity, this))
    , m_clientsModel(new ClientsModel(this))
    , m_channelsModel(new ChannelsModel(this))
{
    setWindowTitle(m_engine.remoteName().isEmpty()
                       ? tr("Kucun Hub")
                       : tr("Kucun Hub — %1").arg(m_engine.remoteName()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kucun-hub.png")));
    setObjectName(QStringLiteral("mainWindow"));
    resize(1100, 720);

    buildPanels(config);
    buildMenusAndToolbar();
    buildStatusBar();
    buildTrayIcon();
    restoreWindowState();

    connect(&m_engine, &HubLink::stateChanged, this, &MainWindow::showEngineState);
    connect(&m_engine, &HubLink::clientCountChanged, this, &MainWindow::showEngineState);
    connect(&m_engine, &HubLink::modeChanged, this, &MainWindow::showEngineState);
    connect(&m_engine, &HubLink::telemetry, this, &MainWindow::takeTelemetry);
    connect(&m_engine, &HubLink::readOnlyChanged, this, &MainWindow::showReadOnly);
    showEngineState();
    showReadOnly();
}

void MainWindow::showReadOnly()
{
    const bool readOnly = m_engine.isReadOnly();
    m_readOnlyLabel->setVisible(readOnly);
    m_readOnlyLabel->setToolTip(readOnly ? ChangeGuard::readOnlyTip(m_engine) : QString());
    ChangeGuard::enable(m_demoAction, true, m_engine, m_demoTip);
    ChangeGuard::enable(m_demoRate, true, m_engine);
    if (m_engine.canApplySettings())
        m_settings->setReadOnly(readOnly ? ChangeGuard::readOnlyTip(m_engine) : QString());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels(const HubConfig &config)
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("panels"));
    m_tabs->setDocumentMode(true);
    m_overview = new OverviewPanel(m_engine, *m_history, this);
    m_keys = new KeysPanel(m_engine, this);
    m_hotKeys = new HotKeysPanel(this);
    m_invalidate = new InvalidatePanel(m_engine, this);
    m_events = new EventsPanel(*m_eventStream, m_engine, this);
    m_connections = new ConnectionsPanel(m_engine, *m_clientsModel, *m_channelsModel, this);
    m_publish = new PublishPanel(m_engine, this);
    m_adminLog = new AdminLogPanel(m_engine, this);
    m_flow = new FlowPanel(m_engine, this);

    m_settings = new SettingsPanel(config,
                                   config.settingsFile.isEmpty()
                                       ? HubConfigLoader::defaultUserSettingsFile()
                                       : config.settingsFile,
                                   this);

    // In the order of Panel.
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_keys, tr("&Keys"));
    m_tabs->addTab(m_hotKeys, tr("&Hot keys"));
    m_tabs->addTab(m_invalidate, tr("&Invalidate"));
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_connections, tr("&Clients && channels"));
    m_tabs->addTab(m_publish, tr("&Publish"));
    m_tabs->addTab(m_settings, tr("&Settings"));
    // An attached hub's settings are its own box's (its file, environment and flags): the ones
    // this window was started with say nothing about it.
    m_tabs->setTabVisible(int(Panel::Settings), m_engine.canApplySettings());
    m_tabs->addTab(m_adminLog, tr("&Admin log"));
    m_tabs->addTab(m_flow, tr("&Flow"));
    setCentralWidget(m_tabs);
    connect(m_flow, &FlowPanel::eventsFilterChosen, this, [this](const QString &filter) {
        m_events->showHistory(false);
        m_events->setFilterText(filter);
        showPanel(Panel::Events);
    });

    const auto showActivity = [this](const QString &text) { statusBar()->showMessage(text); };
    connect(m_keys, &KeysPanel::activity, this, showActivity);
    connect(m_invalidate, &InvalidatePanel::activity, this, showActivity);
    connect(m_connections, &ConnectionsPanel::activity, this, showActivity);
    connect(m_publish, &PublishPanel::activity, this, showActivity);
    connect(m_settings, &SettingsPanel::activity, this, showActivity);
    connect(m_settings, &SettingsPanel::applyRequested, &m_engine, &HubLink::applySettings);
}

void MainWindow::setSettingsReloader(std::function<std::variant<HubConfig, QString>()> reloader)
{
    m_settings->setReloader(std::move(reloader));
}

void MainWindow::showPanel(Panel panel)
{
    m_tabs->setCurrentIndex(int(panel));
}

void MainWindow::buildMenusAndToolbar()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *connectAction
        = fileMenu->addAction(tr("&Connect to hub…"), this, &MainWindow::connectToHub);
    connectAction->setObjectName(QStringLiteral("connectAction"));
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &MainWindow::quitRequested);
    // Spelled out: QKeySequence::Quit is empty under themes with the Windows key scheme.
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (!m_tabs->isTabVisible(i))
            continue;
        QAction *action = viewMenu->addAction(m_tabs->tabText(i), this,
                                              [this, i] { m_tabs->setCurrentIndex(i); });
        // Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth.
        if (i < 10)
            action->setShortcut(
                QKeySequence(Qt::CTRL | Qt::Key(i < 9 ? Qt::Key_1 + i : Qt::Key_0)));
    }

    QToolBar *toolbar = addToolBar(tr("Demo"));
    toolbar->setObjectName(QStringLiteral("demoToolbar"));
    m_demoAction
        = toolbar->addAction(QIcon(QStringLiteral(":/icons/demo.png")), tr("&Demo traffic"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_demoAction->setObjectName(QStringLiteral("demoAction"));
    m_demoAction->setCheckable(true);
    m_demoAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_demoTip = tr("Generate warehouse traffic through the engine: reads, stock changes, orders");
    m_demoAction->setToolTip(m_demoTip);
    m_demoRate = new QSpinBox(this);
    m_demoRate->setObjectName(QStringLiteral("demoRate"));
    m_demoRate->setRange(1, DemoSimulator::kMaxRate);
    m_demoRate->setValue(DemoSimulator::kDefaultRate);
    // One change when the user is done typing "500", not three (5, 50, 500) in the admin log.
    m_demoRate->setKeyboardTracking(false);
    m_demoRate->setSuffix(tr(" ops/s"));
    toolbar->addWidget(m_demoRate);
    m_faultsAction = toolbar->addAction(tr("Faults…"));
    m_faultsAction->setObjectName(QStringLiteral("demoFaultsAction"));
    m_faultsAction->setToolTip(tr("Slow and failing loaders, a stampede, a burst, the Redis link "
                                  "cut: watch the cache's guards at work"));
    viewMenu->addSeparator();
    viewMenu->addAction(m_demoAction);
    viewMenu->addAction(m_faultsAction);
    connect(m_faultsAction, &QAction::triggered, this, [this] {
        if (!m_faultsDialog)
            m_faultsDialog = new DemoFaultsDialog(m_engine, this);
        m_faultsDialog->show();
        m_faultsDialog->raise();
        m_faultsDialog->activateWindow();
    });
    const auto showFaults = [this](const DemoFaults &faults) {
        m_faultsAction->setText(faults.any() ? tr("Faults (%n on)…", nullptr, faults.activeCount())
                                             : tr("Faults…"));
    };
    connect(&m_engine, &HubLink::demoFaultsChanged, this, showFaults);
    showFaults(m_engine.demoFaults());
    connect(&m_engine, &HubLink::demoStampedeFinished, this, [this](const StampedeReport &report) {
        statusBar()->showMessage(DemoFaultsDialog::stampedeText(report), 5000);
    });

    connect(m_demoAction, &QAction::toggled, this,
            [this](bool on) { m_engine.setDemoRate(on ? m_demoRate->value() : 0); });
    connect(m_demoRate, &QSpinBox::valueChanged, this, [this](int rate) {
        if (m_demoAction->isChecked())
            m_engine.setDemoRate(rate);
    });
    connect(&m_engine, &HubLink::demoRateChanged, this, [this](int rate) {
        const QSignalBlocker blockAction(m_demoAction);
        const QSignalBlocker blockRate(m_demoRate);
        m_demoAction->setChecked(rate > 0);
        if (rate > 0)
            m_demoRate->setValue(rate);
    });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *aboutAction
        = helpMenu->addAction(tr("&About Kucun Hub"), this, &MainWindow::showAbout);
    aboutAction->setMenuRole(QAction::AboutRole);
}

void MainWindow::buildStatusBar()
{
    m_engineStateLabel = new QLabel(this);
    m_engineStateLabel->setObjectName(QStringLiteral("engineStateLabel"));
    m_wsAddressLabel = new QLabel(this);
    m_wsAddressLabel->setObjectName(QStringLiteral("wsAddressLabel"));
    m_wsAddressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clientsLabel = new QLabel(this);
    m_clientsLabel->setObjectName(QStringLiteral("clientsLabel"));
    m_hitRateLabel = new QLabel(this);
    m_hitRateLabel->setObjectName(QStringLiteral("hitRateLabel"));
    m_hitRateLabel->setText(tr("Hit rate: –"));
    m_readOnlyLabel = new QLabel(tr("Read-only"), this);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyLabel"));
    m_readOnlyLabel->setVisible(false);
    statusBar()->addWidget(m_engineStateLabel);
    statusBar()->addWidget(m_wsAddressLabel);
    statusBar()->addPermanentWidget(m_readOnlyLabel);
    statusBar()->addPermanentWidget(m_hitRateLabel);
    statusBar()->addPermanentWidget(m_clientsLabel);
}

void MainWindow::buildTrayIcon()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Kucun Hub"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(m_demoAction);
    menu->addSeparator();
    menu->addAction(tr("&Quit"), this, &MainWindow::quitRequested);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason why) {
                if (why == QSystemTrayIcon::Trigger)
                    setVisible(!isVisible());
            });
    m_tray->show();
}

void MainWindow::takeTelemetry(const EngineTelemetryPtr &telemetry)
{
    m_history->addReport(*telemetry);
    m_eventStream->append(telemetry->events);
    if (telemetry->hasConnections) {
        m_clientsModel->setRows(telemetry->clients);
        m_channelsModel->setRows(telemetry->channels);
        m_hotKeys->showSnapshot(telemetry->keyAccess.get());
    }
    m_overview->showTelemetry(*telemetry);
    const CacheStats &cache = telemetry->cache;
    m_hitRateLabel->setText(
        cache.hits + cache.misses == 0
            ? tr("Hit rate: –")
            : tr("Hit rate: %1%").arg(QLocale().toString(cache.hitRate() * 100, 'f', 1)));
    if (m_tray) {
        m_tray->setToolTip(tr("Kucun Hub: %1, %n client(s)", nullptr, telemetry->wsClientCount)
                               .arg(telemetry->mode));
    }
}

void MainWindow::showEngineState()
{
    const QString remote = m_engine.remoteName();
    QString state;
    switch (m_engine.state()) {
    case HubLink::State::Stopped:
        state = remote.isEmpty() ? tr("Engine: stopped") : tr("Hub %1: not attached").arg(remote);
        break;
    case HubLink::State::Starting:
        state = remote.isEmpty() ? tr("Engine: starting…") : tr("Hub %1: connecting…").arg(remote);
        break;
    case HubLink::State::Running:
        state = remote.isEmpty() ? tr("Engine: %1").arg(m_engine.mode())
                                 : tr("Hub %1: %2").arg(remote, m_engine.mode());
        break;
    case HubLink::State::Stopping:
        state = tr("Engine: stopping…");
        break;
    case HubLink::State::Failed:
        state = remote.isEmpty() ? tr("Engine: failed (%1)").arg(m_engine.failureReason())
                                 : tr("Hub %1: %2").arg(remote, m_engine.failureReason());
        break;
    case HubLink::State::Reconnecting:
        state = tr("Hub %1: reconnecting… (%2)").arg(remote, m_engine.failureReason());
        break;
    }
    m_engineStateLabel->setText(state);
    m_wsAddressLabel->setText(m_engine.state() == HubLink::State::Running
                                  ? tr("WebSocket: %1").arg(m_engine.wsUrl().toString())
                                  : tr("WebSocket: not listening"));
    m_clientsLabel->setText(tr("Clients: %n", nullptr, m_engine.clientCount()));
    // A lost link keeps the last data on screen, greyed, until the hub is back.
    m_tabs->setEnabled(m_engine.state() != HubLink::State::Reconnecting);
}

QString MainWindow::engineStateText() const
{
    return m_engineStateLabel->text();
}

QString MainWindow::wsAddressText() const
{
    return m_wsAddressLabel->text();
}

QString MainWindow::hitRateText() const
{
    return m_hitRateLabel->text();
}

bool MainWindow::isReadOnlyShown() const
{
    return !m_readOnlyLabel->isHidden();
}

void MainWindow::connectToHub()
{
    ConnectDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    attachTo(dialog.url(), dialog.key());
}

HubAttachment *MainWindow::attachTo(const QUrl &url, const QByteArray &key)
{
    // A window of its own, living until it is closed; this window goes on as it was.
    // Started --read-only, the windows it opens are too. They go when closed, or before the
    // application does (not after it, as its children would).
    auto *attachment = new HubAttachment(url, key, m_config, m_config.readOnly);
    connect(attachment, &HubAttachment::closed, attachment, &QObject::deleteLater);
    connect(qApp, &QCoreApplication::aboutToQuit, attachment, [attachment] { delete attachment; });
    attachment->start();
    return attachment;
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Kucun Hub"),
                       tr("<h3>Kucun Hub %1</h3><p>The cache and realtime hub of a warehouse "
                          "site: cache engine, event bus and WebSocket hub in one program.</p>")
                           .arg(QStringLiteral(KUCUN_VERSION)));
}

void MainWindow::restoreWindowState()
{
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/panel"), 0).toInt());
}

void MainWindow::saveWindowState() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/panel"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The window goes when the engine has stopped; the owner decides, so the close is refused
    // here and turned into a request.
    saveWindowState();
    event->ignore();
    emit quitRequested();
}

}  // namespace kucun
