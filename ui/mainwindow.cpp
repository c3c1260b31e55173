#include "mainwindow.h"

#include "hubsettingsmodel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>

namespace kucun {

MainWindow::MainWindow(EngineHost &engine, const HubConfig &config, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_settingsModel(new HubSettingsModel(config, this))
    , m_settingsView(new QTableView(this))
{
    setWindowTitle(tr("Kucun Hub"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/kucun-hub.png")));
    resize(960, 600);

    m_settingsView->setModel(m_settingsModel);
    m_settingsView->setObjectName(QStringLiteral("settingsView"));
    m_settingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_settingsView->setAlternatingRowColors(true);
    m_settingsView->verticalHeader()->hide();
    m_settingsView->horizontalHeader()->setStretchLastSection(true);
    m_settingsView->resizeColumnsToContents();  // eleven rows: cheap
    setCentralWidget(m_settingsView);

    buildMenus();
    buildStatusBar();

    connect(&m_engine, &EngineHost::stateChanged, this, &MainWindow::showEngineState);
    connect(&m_engine, &EngineHost::clientCountChanged, this, &MainWindow::showEngineState);
    connect(&m_engine, &EngineHost::modeChanged, this, &MainWindow::showEngineState);
    showEngineState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &MainWindow::quitRequested);
    // Spelled out: QKeySequence::Quit is empty under themes with the Windows key scheme.
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

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
    statusBar()->addWidget(m_engineStateLabel);
    statusBar()->addWidget(m_wsAddressLabel);
    statusBar()->addPermanentWidget(m_clientsLabel);
}

void MainWindow::showEngineState()
{
    QString state;
    switch (m_engine.state()) {
    case EngineHost::State::Stopped:
        state = tr("Engine: stopped");
        break;
    case EngineHost::State::Starting:
        state = tr("Engine: starting…");
        break;
    case EngineHost::State::Running:
        state = tr("Engine: %1").arg(m_engine.mode());
        break;
    case EngineHost::State::Stopping:
        state = tr("Engine: stopping…");
        break;
    case EngineHost::State::Failed:
        state = tr("Engine: failed (%1)").arg(m_engine.failureReason());
        break;
    }
    m_engineStateLabel->setText(state);
    m_wsAddressLabel->setText(m_engine.state() == EngineHost::State::Running
                                  ? tr("WebSocket: %1").arg(m_engine.wsUrl().toString())
                                  : tr("WebSocket: not listening"));
    m_clientsLabel->setText(tr("Clients: %n", nullptr, m_engine.clientCount()));
}

QString MainWindow::engineStateText() const
{
    return m_engineStateLabel->text();
}

QString MainWindow::wsAddressText() const
{
    return m_wsAddressLabel->text();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Kucun Hub"),
                       tr("<h3>Kucun Hub %1</h3><p>The cache and realtime hub of a warehouse "
                          "site: cache engine, event bus and WebSocket hub in one program.</p>")
                           .arg(QStringLiteral(KUCUN_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The window goes when the engine has stopped; the owner decides, so the close is refused
    // here and turned into a request.
    event->ignore();
    emit quitRequested();
}

}  // namespace kucun
