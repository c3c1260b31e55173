// The Hot keys panel (SPEC §12) in a real window on a running engine: what a site does with its
// keys through the Redis-protocol front shows up as the site's hottest keys with their reads,
// hit rate and writes, the hit rate per segment and the TTLs written; with the front off, the
// panel says why it is empty.

#include "engine/enginehost.h"
#include "engine/enginetelemetry.h"
#include "hotkeysmodel.h"
#include "hotkeyspanel.h"
#include "mainwindow.h"
#include "support/respclient.h"
#include "support/runningwindow.h"
#include "uitranslation.h"

#include <QApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include <algorithm>

using kucun::EngineHost;
using kucun::HotKeysModel;
using kucun::HubConfig;
using kucun::MainWindow;
using kucun::test::RespClient;
using kucun::test::RunningWindow;

class TestHotKeysPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheSitesTraffic();
    void saysWhenTheFrontIsOff();
};

namespace {

QString cell(const QTableView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

}  // namespace

void TestHotKeysPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCOMPARE(kucun::installUiTranslation(*qApp, QStringLiteral("en")), QStringLiteral("en"));
}

void TestHotKeysPanel::showsTheSitesTraffic()
{
    HubConfig config;
    config.wsPort = 0;
    config.respPort = 0;
    RunningWindow hub(config);
    hub.window.showPanel(MainWindow::Panel::HotKeys);
    QVERIFY(hub.start());
    RespClient site;
    QVERIFY(site.connectTo(quint16(hub.engine.respUrl().port())));
    QCOMPARE(site.command({"GET", "kucun:products:detail:7"}), QByteArray("$-1\r\n"));
    QCOMPARE(site.command({"SET", "kucun:products:detail:7", "{}", "EX", "30"}),
             QByteArray("+OK\r\n"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(site.command({"GET", "kucun:products:detail:7"}), QByteArray("$2\r\n{}\r\n"));
    QCOMPARE(site.command({"SET", "kucun:orders:1", "{}"}), QByteArray("+OK\r\n"));

    kucun::HotKeysPanel *panel = hub.window.hotKeysPanel();
    QTRY_COMPARE(panel->keysView()->model()->rowCount(), 2);
    const QTableView *keys = panel->keysView();
    QCOMPARE(cell(keys, 0, HotKeysModel::KeyColumn), QStringLiteral("kucun:products:detail:7"));
    QCOMPARE(cell(keys, 0, HotKeysModel::AccessesColumn), QStringLiteral("5"));
    QCOMPARE(cell(keys, 0, HotKeysModel::ReadsColumn), QStringLiteral("4"));
    QCOMPARE(cell(keys, 0, HotKeysModel::HitRateColumn), QStringLiteral("75.0 %"));
    QCOMPARE(cell(keys, 0, HotKeysModel::WritesColumn), QStringLiteral("1"));
    QCOMPARE(cell(keys, 0, HotKeysModel::LoadsColumn), QStringLiteral("1"));  // miss, then set
    QCOMPARE(cell(keys, 1, HotKeysModel::KeyColumn), QStringLiteral("kucun:orders:1"));

    const QTableView *segments = panel->segmentsView();
    QCOMPARE(segments->model()->rowCount(), 1);  // the write to orders is no lookup
    QCOMPARE(cell(segments, 0, kucun::KeySegmentsModel::SegmentColumn), QStringLiteral("products"));
    QCOMPARE(cell(segments, 0, kucun::KeySegmentsModel::HitRateColumn), QStringLiteral("75.0 %"));
    // One write with no TTL, one with 30 s.
    QCOMPARE(panel->ttlBars(), (QList<qreal>{1, 1, 0, 0, 0, 0, 0}));
    QVERIFY2(panel->summaryText().contains(QStringLiteral("4 reads, 2 writes, 1 loads")),
             qPrintable(panel->summaryText()));
    QVERIFY(panel->isEnabled());
}

void TestHotKeysPanel::saysWhenTheFrontIsOff()
{
    HubConfig config;
    config.wsPort = 0;  // no respPort: the front is off
    RunningWindow hub(config);
    hub.window.showPanel(MainWindow::Panel::HotKeys);
    QVERIFY(hub.start());
    // Until a report with the connections has come (every 500 ms).
    QSignalSpy reports(&hub.engine, &EngineHost::telemetry);
    QTRY_VERIFY(std::any_of(reports.cbegin(), reports.cend(), [](const QList<QVariant> &report) {
        return report.at(0).value<kucun::EngineTelemetryPtr>()->hasConnections;
    }));
    kucun::HotKeysPanel *panel = hub.window.hotKeysPanel();
    QVERIFY(!panel->isEnabled());
    QVERIFY2(panel->summaryText().contains(QStringLiteral("Redis-protocol front is off")),
             qPrintable(panel->summaryText()));
    QCOMPARE(panel->keysView()->model()->rowCount(), 0);
}

QTEST_MAIN(TestHotKeysPanel)
#include "tst_hotkeyspanel.moc"
