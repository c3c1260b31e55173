// The demo's faults from the window (SPEC §14): the toolbar's Faults… opens the dialog; what is
// set there reaches the engine, and the cache's guards show at work in the Overview and Flow
// panels: one load shared by a stampede's readers, the lock wait, and with Redis the degraded
// mode of a cut link.

#include "demofaultsdialog.h"
#include "engine/demostampede.h"
#include "flowpanel.h"
#include "overviewpanel.h"
#include "support/redisserver.h"
#include "support/runningwindow.h"
#include "uitranslation.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTreeWidget>

using kucun::DemoFaultsDialog;
using kucun::HubConfig;
using kucun::MainWindow;
using kucun::test::RunningWindow;

class TestDemoFaultsDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stampedeShowsOneSharedLoad();
    void redisCutShowsDegradedMode();

private:
    static DemoFaultsDialog *open(MainWindow &window);
};

void TestDemoFaultsDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCOMPARE(kucun::installUiTranslation(*qApp, QStringLiteral("en")), QStringLiteral("en"));
}

DemoFaultsDialog *TestDemoFaultsDialog::open(MainWindow &window)
{
    window.findChild<QAction *>(QStringLiteral("demoFaultsAction"))->trigger();
    auto *dialog = window.findChild<DemoFaultsDialog *>();
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

void TestDemoFaultsDialog::stampedeShowsOneSharedLoad()
{
    HubConfig config;
    config.wsPort = 0;
    RunningWindow hub(config);
    QVERIFY(hub.start());
    QAction *faults = hub.window.findChild<QAction *>(QStringLiteral("demoFaultsAction"));
    QCOMPARE(faults->text(), QStringLiteral("Faults…"));
    DemoFaultsDialog *dialog = open(hub.window);
    QVERIFY(dialog);

    // No Redis here: nothing to cut, and the box says why.
    auto *cut = dialog->findChild<QCheckBox *>(QStringLiteral("redisCut"));
    QVERIFY(!cut->isEnabled());
    QVERIFY(cut->toolTip().contains(QStringLiteral("embedded engine")));

    // A slow loader first, then the stampede: its readers arrive while the other process loads.
    dialog->findChild<QSpinBox *>(QStringLiteral("slowLoaders"))->setValue(2000);
    QTRY_COMPARE(faults->text(), QStringLiteral("Faults (1 on)…"));  // the engine runs with it
    QCOMPARE(hub.engine.demoFaults().loaderLatencyMs, 2000);
    dialog->findChild<QSpinBox *>(QStringLiteral("stampede"))->setValue(64);
    QTRY_COMPARE(faults->text(), QStringLiteral("Faults (2 on)…"));
    QCOMPARE(hub.engine.demoFaults().stampedeReaders, 64);

    // The Flow panel lists the one load, with the 64 readers waiting on the other's lock.
    hub.window.showPanel(MainWindow::Panel::Flow);
    const QTreeWidget *loads = hub.window.flowPanel()->flightsList();
    const auto stampedeRow = [loads]() -> const QTreeWidgetItem * {
        for (int row = 0; row < loads->topLevelItemCount(); ++row)
            if (loads->topLevelItem(row)->text(0) == kucun::DemoStampede::kKey)
                return loads->topLevelItem(row);
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(stampedeRow() && stampedeRow()->text(1) == u"64", 10000);
    QVERIFY2(stampedeRow()->text(2).contains(QStringLiteral("another process")),
             qPrintable(stampedeRow()->text(2)));

    // Once done: the dialog and the status bar say what it came to; the counters show the guards.
    auto *last = dialog->findChild<QLabel *>(QStringLiteral("lastStampede"));
    QTRY_VERIFY_WITH_TIMEOUT(!last->text().isEmpty(), 20000);
    QVERIFY2(last->text().startsWith(QStringLiteral(
                 "Last stampede on products:detail:0: readers missing at once 64, loader calls 1, "
                 "answered 64, failed 0, most sharing one load 64, lock waits 1, ")),
             qPrintable(last->text()));
    QCOMPARE(hub.window.statusBar()->currentMessage(), last->text());
    const kucun::OverviewPanel *overview = hub.window.overviewPanel();
    // No other traffic: each stampede makes one lock wait and 63 readers joining the first
    // one's load (another may have come by now: one every 10 s).
    QTRY_VERIFY(overview->counterText(QStringLiteral("lockWaits")).toInt() >= 1);
    QVERIFY(overview->counterText(QStringLiteral("sharedLoads")).section(u' ', 0, 0).toInt() >= 63);
    QVERIFY2(
        hub.window.flowPanel()->guardsLine().startsWith(QStringLiteral("Guards: shared loads ")),
        qPrintable(hub.window.flowPanel()->guardsLine()));

    dialog->findChild<QPushButton *>(QStringLiteral("clearFaults"))->click();
    QTRY_COMPARE(faults->text(), QStringLiteral("Faults…"));
    QVERIFY(!hub.engine.demoFaults().any());
    QCOMPARE(dialog->findChild<QSpinBox *>(QStringLiteral("stampede"))->value(), 0);

    // A read-only window shows the faults and changes none.
    hub.engine.setReadOnly(QStringLiteral("started with --read-only"));
    QVERIFY(!dialog->findChild<QSpinBox *>(QStringLiteral("burst"))->isEnabled());
    QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("clearFaults"))->isEnabled());
}

void TestDemoFaultsDialog::redisCutShowsDegradedMode()
{
    kucun::test::RedisServer server;
    QVERIFY(server.start());
    HubConfig config;
    config.wsPort = 0;
    config.redis = kucun::RedisUrl::parse(server.url()).url;
    RunningWindow hub(config);
    QVERIFY(hub.start());
    const kucun::OverviewPanel *overview = hub.window.overviewPanel();
    QTRY_COMPARE(overview->counterText(QStringLiteral("engine")), QStringLiteral("redis"));
    DemoFaultsDialog *dialog = open(hub.window);
    QVERIFY(dialog);
    auto *cut = dialog->findChild<QCheckBox *>(QStringLiteral("redisCut"));
    QVERIFY(cut->isEnabled());

    cut->setChecked(true);
    QTRY_COMPARE_WITH_TIMEOUT(hub.engine.mode(), QStringLiteral("degraded"), 10000);
    QTRY_COMPARE(
        overview->counterText(QStringLiteral("engine")),
        QStringLiteral("degraded: the Redis link is cut (a demo fault), serving from memory"));
    QTRY_VERIFY(
        hub.window.flowPanel()->guardsLine().contains(QStringLiteral("the Redis link is cut")));
    // Redis itself is up all the while: only the hub's link is gone.
    QCOMPARE(server.cli({"PING"}), QStringLiteral("PONG"));

    cut->setChecked(false);
    QTRY_COMPARE_WITH_TIMEOUT(hub.engine.mode(), QStringLiteral("redis"), 10000);
    QTRY_COMPARE(overview->counterText(QStringLiteral("engine")), QStringLiteral("redis"));
    QVERIFY(!hub.window.flowPanel()->guardsLine().contains(QStringLiteral("degraded")));
}

QTEST_MAIN(TestDemoFaultsDialog)
#include "tst_demofaultsdialog.moc"
