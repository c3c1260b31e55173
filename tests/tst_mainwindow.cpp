#include "audithistorymodel.h"
#include "cache/cacheservice.h"
#include "config/hubconfig.h"
#include "engine/demosimulator.h"
#include "engine/enginehost.h"
#include "eventspanel.h"
#include "eventstreammodel.h"
#include "flowmodel.h"
#include "flowpanel.h"
#include "flowview.h"
#include "invalidatepanel.h"
#include "keysmodel.h"
#include "keyspanel.h"
#include "mainwindow.h"
#include "overviewpanel.h"
#include "publishpanel.h"
#include "settingspanel.h"
#include "support/askengine.h"
#include "support/runningwindow.h"
#include "support/sentinelgroup.h"
#include "tagsmodel.h"
#include "uitranslation.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTranslator>
#include <QTreeView>
#include <QTreeWidget>

using kucun::EngineHost;
using kucun::HubConfig;
using kucun::MainWindow;
using kucun::test::RunningWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void opensWithTitleAndEngineState();
    void secretsAreNotShown();
    void demoFillsThePanels();
    void invalidatePanelPreviewsThenRemoves();
    void publishedEventsReachTheStream();
    void publishRefusesBadInput();
    void flowShowsWhatAPublishedEventDid();
    void eventsPanelRecordsExportsAndReplays();
    void settingsApplyRestartsTheEngine();
    void quitAndCloseAskTheOwner();
    void showsAFailedEngine();
    void overviewNamesTheSentinelMasterAndTheStreamLag();
    void chineseTranslationIsInstalled();

private:
    static HubConfig testConfig();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // window state goes to a throwaway QSettings
    // English as users get it: plural forms ("1 key", "3 keys") come from the translation.
    QCOMPARE(kucun::installUiTranslation(*qApp, QStringLiteral("en")), QStringLiteral("en"));
}

HubConfig TestMainWindow::testConfig()
{
    HubConfig config;
    config.wsPort = 0;
    return config;
}

void TestMainWindow::secretsAreNotShown()
{
    // A Redis password and the JWT secret appear nowhere in the window's text: Overview,
    // Settings and every other panel, while the engine runs (on Redis that does not answer).
    const QString password = QStringLiteral("Pw-that-must-not-show-4410");
    const QByteArray secret = "jwt-secret-that-must-not-show-9921";
    HubConfig config = testConfig();
    config.redis
        = kucun::RedisUrl::parse(QStringLiteral("redis://admin:%1@127.0.0.1:1/0").arg(password))
              .url;
    config.jwtSecret = secret;
    RunningWindow hub(config);
    QVERIFY(hub.start());
    QStringList shown{hub.window.windowTitle(), hub.window.statusBar()->currentMessage()};
    for (const QLabel *label : hub.window.findChildren<QLabel *>())
        shown << label->text() << label->toolTip();
    for (const QLineEdit *line : hub.window.findChildren<QLineEdit *>())
        shown << line->text() << line->placeholderText();
    for (const QPlainTextEdit *text : hub.window.findChildren<QPlainTextEdit *>())
        shown << text->toPlainText();
    for (const QTextEdit *text : hub.window.findChildren<QTextEdit *>())
        shown << text->toPlainText();
    for (const QAbstractItemView *view : hub.window.findChildren<QAbstractItemView *>()) {
        const QAbstractItemModel *model = view->model();
        for (int row = 0; model && row < model->rowCount(); ++row) {
            for (int column = 0; column < model->columnCount(); ++column) {
                const QModelIndex index = model->index(row, column);
                shown << index.data().toString() << index.data(Qt::ToolTipRole).toString();
            }
        }
    }
    const QString all = shown.join(u'\n');
    QVERIFY2(all.contains(QStringLiteral("redis://admin:***@127.0.0.1:1")),
             qPrintable(all));  // shown, redacted
    QVERIFY2(!all.contains(password), qPrintable(all));
    QVERIFY2(!all.contains(QString::fromLatin1(secret)), qPrintable(all));
}

void TestMainWindow::opensWithTitleAndEngineState()
{
    const HubConfig config = testConfig();
    EngineHost engine(config);
    MainWindow window(engine, config);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QCOMPARE(window.windowTitle(), QStringLiteral("Kucun Hub"));
    QVERIFY(!window.windowIcon().isNull());
    QVERIFY(
        !window.findChild<QAction *>(QStringLiteral("demoAction"))->icon().pixmap(16, 16).isNull());
    QCOMPARE(window.menuBar()->actions().size(), 3);
    QCOMPARE(window.findChild<QTabWidget *>(QStringLiteral("panels"))->count(), 10);
    QCOMPARE(window.engineStateText(), QStringLiteral("Engine: stopped"));

    engine.start();
    QCOMPARE(window.engineStateText(), QStringLiteral("Engine: starting…"));
    QTRY_COMPARE(window.engineStateText(), QStringLiteral("Engine: memory"));
    QCOMPARE(window.wsAddressText(),
             QStringLiteral("WebSocket: %1").arg(engine.wsUrl().toString()));
    auto *stateLabel = window.statusBar()->findChild<QLabel *>(QStringLiteral("engineStateLabel"));
    QVERIFY(stateLabel && stateLabel->isVisible());

    auto *settings = window.findChild<QTableView *>(QStringLiteral("settingsView"));
    QVERIFY(settings);
    QCOMPARE(settings->model()->rowCount(), kucun::kSettingCount);

    QSignalSpy finished(&engine, &EngineHost::finished);
    engine.stop();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(window.engineStateText(), QStringLiteral("Engine: stopped"));
    QCOMPARE(window.wsAddressText(), QStringLiteral("WebSocket: not listening"));
}

void TestMainWindow::quitAndCloseAskTheOwner()
{
    const HubConfig config = testConfig();
    EngineHost engine(config);
    MainWindow window(engine, config);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy quit(&window, &MainWindow::quitRequested);

    window.close();
    QCOMPARE(quit.size(), 1);
    QVERIFY(window.isVisible());  // the owner closes it once the engine has stopped

    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QCOMPARE(quit.size(), 2);
}

void TestMainWindow::showsAFailedEngine()
{
    HubConfig config = testConfig();
    EngineHost blocker(config);
    QSignalSpy started(&blocker, &EngineHost::started);
    blocker.start();
    QTRY_COMPARE(started.size(), 1);
    config.wsPort = static_cast<quint16>(blocker.wsUrl().port());

    EngineHost engine(config);
    MainWindow window(engine, config);
    window.show();
    engine.start();
    QTRY_VERIFY(
        window.engineStateText().startsWith(QStringLiteral("Engine: failed (cannot listen")));
}

void TestMainWindow::chineseTranslationIsInstalled()
{
    const QString language = kucun::installUiTranslation(*qApp, QStringLiteral("zh_CN"));
    QCOMPARE(language, QStringLiteral("zh_CN"));
    const HubConfig config = testConfig();
    EngineHost engine(config);
    MainWindow window(engine, config);
    QCOMPARE(window.windowTitle(), QStringLiteral("库存中枢"));
    QCOMPARE(window.engineStateText(), QStringLiteral("引擎：已停止"));
    QCOMPARE(window.menuBar()->actions().at(0)->text(), QStringLiteral("文件(&F)"));
    const auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("panels"));
    QCOMPARE(tabs->tabText(int(MainWindow::Panel::Overview)), QStringLiteral("概览(&O)"));
    QCOMPARE(tabs->tabText(int(MainWindow::Panel::Keys)), QStringLiteral("键(&K)"));
    QCOMPARE(tabs->tabText(int(MainWindow::Panel::HotKeys)), QStringLiteral("热点键(&H)"));
}

void TestMainWindow::demoFillsThePanels()
{
    RunningWindow hub(testConfig());
    QVERIFY(hub.start());
    hub.window.findChild<QAction *>(QStringLiteral("demoAction"))->trigger();  // the toolbar
    QTRY_COMPARE(hub.engine.demoRate(), kucun::DemoSimulator::kDefaultRate);

    // Within seconds: events in the stream, a hit rate in the status bar and the overview,
    // keys in the tree.
    QTRY_VERIFY_WITH_TIMEOUT(hub.window.eventStream()->rowCount() > 5, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(hub.window.hitRateText() != QStringLiteral("Hit rate: –"), 15000);
    QVERIFY(hub.window.overviewPanel()->counterText(QStringLiteral("hitRate")).endsWith(u'%'));
    QCOMPARE(hub.window.overviewPanel()->counterText(QStringLiteral("engine")),
             QStringLiteral("memory"));

    hub.window.showPanel(MainWindow::Panel::Keys);
    kucun::KeysPanel *keys = hub.window.keysPanel();
    keys->reload();
    QTRY_VERIFY_WITH_TIMEOUT(keys->model() && keys->model()->rowCount() > 0, 10000);
    QStringList groups;
    for (int row = 0; row < keys->model()->rowCount(); ++row)
        groups << keys->model()->index(row, 0).data().toString();
    QVERIFY2(groups.contains(QStringLiteral("products:"))
                 || groups.contains(QStringLiteral("inventory:")),
             qPrintable(groups.join(u' ')));

    hub.window.findChild<QAction *>(QStringLiteral("demoAction"))->trigger();
    QTRY_COMPARE(hub.engine.demoRate(), 0);
}

namespace {

// Whether the running engine holds a value under `key`, asked as a panel asks.
bool holds(kucun::EngineHost &engine, const QString &key)
{
    const auto value = kucun::test::askCache<std::optional<QByteArray>>(
        engine, [key](kucun::CacheService &cache) { return cache.get(key); });
    return value.ok() && value.value().has_value();
}

}  // namespace

void TestMainWindow::invalidatePanelPreviewsThenRemoves()
{
    RunningWindow hub(testConfig());
    QVERIFY(hub.start());
    for (int i = 0; i < 3; ++i) {
        QVERIFY(kucun::test::askCache<bool>(hub.engine, [i](kucun::CacheService &cache) {
                    return cache.set(
                        QStringLiteral("products:detail:%1").arg(i), "{}", std::chrono::minutes(1),
                        {QStringLiteral("products:%1").arg(i), QStringLiteral("shelf-a")});
                }).ok());
    }
    QVERIFY(kucun::test::askCache<bool>(hub.engine, [](kucun::CacheService &cache) {
                return cache.set(QStringLiteral("inventory:summary:9"), "{}",
                                 std::chrono::minutes(1), {QStringLiteral("shelf-b")});
            }).ok());

    hub.window.showPanel(MainWindow::Panel::Invalidate);
    kucun::InvalidatePanel *panel = hub.window.invalidatePanel();
    panel->setConfirmation(false);
    // The tag list shows what there is to invalidate.
    panel->refreshTags();
    QTRY_COMPARE(panel->tags()->rowCount(), 5);  // products:0..2, shelf-a, shelf-b
    QStringList tags;
    for (int row = 0; row < panel->tags()->rowCount(); ++row)
        tags << panel->tags()->tagAt(row);
    QCOMPARE(tags.indexOf(QStringLiteral("shelf-a")), 3);
    QCOMPARE(panel->tags()->index(3, kucun::TagsModel::KeysColumn).data().toInt(), 3);

    panel->setTarget(kucun::InvalidatePanel::Kind::Tag, QStringLiteral("shelf-a"));
    panel->preview();
    QTRY_COMPARE(panel->previewText(), QStringLiteral("3 keys would be invalidated."));
    QVERIFY(holds(hub.engine, QStringLiteral("products:detail:0")));

    panel->invalidate();
    QTRY_COMPARE(panel->logLines().size(), 1);
    QVERIFY(panel->logLines().first().endsWith(
        QStringLiteral("Invalidated tag shelf-a: 3 keys removed")));
    for (int i = 0; i < 3; ++i)
        QVERIFY(!holds(hub.engine, QStringLiteral("products:detail:%1").arg(i)));
    QVERIFY(holds(hub.engine, QStringLiteral("inventory:summary:9")));

    // By namespace: the dry run counts, the real run removes.
    panel->setTarget(kucun::InvalidatePanel::Kind::Namespace, QStringLiteral("inventory:"));
    panel->preview();
    QTRY_COMPARE(panel->previewText(), QStringLiteral("1 key would be invalidated."));
    panel->invalidate();
    QTRY_COMPARE(panel->logLines().size(), 2);
    QVERIFY(!holds(hub.engine, QStringLiteral("inventory:summary:9")));
}

void TestMainWindow::publishedEventsReachTheStream()
{
    QTemporaryDir dataDir;  // for the audit log
    HubConfig config = testConfig();
    config.dataDir = dataDir.path();
    RunningWindow hub(config);
    QVERIFY(hub.start());
    hub.window.showPanel(MainWindow::Panel::Publish);
    kucun::PublishPanel *publish = hub.window.publishPanel();
    publish->chooseType(QStringLiteral("order:status"));
    publish->setField(QStringLiteral("orderId"), QStringLiteral("SO-4242"));
    publish->setField(QStringLiteral("status"), QStringLiteral("shipped"));
    publish->setField(QStringLiteral("previousStatus"), QStringLiteral("paid"));
    QVERIFY(publish->publish());

    kucun::EventStreamModel *stream = hub.window.eventStream();
    QTRY_VERIFY_WITH_TIMEOUT(stream->rowCount() >= 1, 10000);
    const int last = stream->rowCount() - 1;
    QCOMPARE(stream->index(last, kucun::EventStreamModel::TypeColumn).data().toString(),
             QStringLiteral("order:status"));
    QCOMPARE(stream->index(last, kucun::EventStreamModel::SummaryColumn).data().toString(),
             QStringLiteral("SO-4242: paid → shipped"));
    QVERIFY(stream->index(last, 0).data(kucun::EventStreamModel::AcceptedRole).toBool());

    // And the filter of the Events panel finds it.
    hub.window.showPanel(MainWindow::Panel::Events);
    kucun::EventsPanel *events = hub.window.eventsPanel();
    events->setFilterText(QStringLiteral("SO-4242"));
    QCOMPARE(events->visibleRowCount(), 1);
    events->setFilterText(QStringLiteral("SO-0000"));
    QCOMPARE(events->visibleRowCount(), 0);

    // The audit log has it too (written in batches: ask again until it is there).
    events->setFilterText(QStringLiteral("SO-4242"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            events->showHistory(false);
            events->showHistory(true);
            return QTest::qWaitFor([&] { return events->history()->rowCount() > 0; }, 300);
        }(),
        10000);
    QCOMPARE(events->history()->rowCount(), 1);
    QCOMPARE(events->history()->recordAt(0).type, QStringLiteral("order:status"));
    QCOMPARE(events->visibleRowCount(), 1);
    events->showHistory(false);
    QCOMPARE(events->visibleRowCount(), 1);  // the live stream, filtered, again
}

void TestMainWindow::flowShowsWhatAPublishedEventDid()
{
    QTemporaryDir dataDir;  // the trace is read back from the audit log
    HubConfig config = testConfig();
    config.dataDir = dataDir.path();
    RunningWindow hub(config);
    QVERIFY(hub.start());
    const kucun::Result<bool> seeded
        = kucun::test::askCache<bool>(hub.engine, [](kucun::CacheService &cache) {
              return cache.set(QStringLiteral("products:detail:42"), "{}", std::chrono::minutes(1),
                               {QStringLiteral("products:42")});
          });
    QVERIFY(seeded.ok() && seeded.value());
    hub.window.showPanel(MainWindow::Panel::Flow);
    kucun::FlowPanel *flow = hub.window.flowPanel();
    hub.engine.publish(QStringLiteral("channel:inventory:change"),
                       R"({"type":"inventory:change","productId":"42","oldQuantity":5,)"
                       R"("newQuantity":4,"reason":"sale","timestamp":1})");

    // The diagram's edges: from the window, through the rule, one key removed, to the channel.
    kucun::FlowModel *model = flow->model();
    const QString rule = QStringLiteral("rule:#2 inventory:change");
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(rule, QStringLiteral("channel:inventory")) >= 0, 10000);
    const auto total = [model](const QString &from, const QString &to) {
        return model->index(model->rowOf(from, to), kucun::FlowModel::TotalColumn)
            .data(Qt::UserRole)
            .toLongLong();
    };
    QCOMPARE(total(QStringLiteral("source:window"), QStringLiteral("bus")), 1);
    QCOMPARE(total(rule, QStringLiteral("cache:products:*")), 1);
    QVERIFY(!flow->view()->nodeRect(QStringLiteral("channel:inventory")).isNull());
    QVERIFY(flow->statusText().contains(u"1 traced"));

    // Its trace in the list; chosen, its timeline.
    QTRY_COMPARE(flow->tracesList()->topLevelItemCount(), 1);
    flow->tracesList()->setCurrentItem(flow->tracesList()->topLevelItem(0));
    QVERIFY(flow->timelineText().contains(u"rule #2 inventory:change"));
    QVERIFY2(flow->timelineText().contains(u"tag products:42: 1 key removed — products:detail:42"),
             qPrintable(flow->timelineText()));

    // A node chosen on the diagram: the Events panel, filtered by it.
    const QRectF channel = flow->view()->nodeRect(QStringLiteral("channel:inventory"));
    QTest::mouseClick(flow->view(), Qt::LeftButton, {}, channel.center().toPoint());
    QCOMPARE(hub.window.findChild<QTabWidget *>(QStringLiteral("panels"))->currentIndex(),
             int(MainWindow::Panel::Events));
    kucun::EventsPanel *events = hub.window.eventsPanel();
    QCOMPARE(events->visibleRowCount(), 1);
    // The event chosen there: its JSON and, once the hub answered, its trace.
    events->view()->setCurrentIndex(events->view()->model()->index(0, 0));
    auto *detail = events->findChild<QPlainTextEdit *>();
    QVERIFY(detail);
    QTRY_VERIFY_WITH_TIMEOUT(detail->toPlainText().contains(u"rule #2 inventory:change"), 10000);
    QVERIFY(detail->toPlainText().contains(u"\"productId\""));

    // Loads in progress as a report gives them, and a hub that does not trace.
    kucun::EngineTelemetry report;
    report.atMs = QDateTime::currentMSecsSinceEpoch();
    report.hasConnections = true;
    report.flights = {
        {QStringLiteral("products:detail:7"), 64, kucun::FlightInfo::Stage::WaitingForLock, 1500}};
    flow->showTelemetry(report);
    QCOMPARE(flow->flightsList()->topLevelItemCount(), 1);
    QCOMPARE(flow->flightsList()->topLevelItem(0)->text(0), QStringLiteral("products:detail:7"));
    QCOMPARE(flow->flightsList()->topLevelItem(0)->text(1), QStringLiteral("64"));
    QCOMPARE(flow->flightsList()->topLevelItem(0)->text(2),
             QStringLiteral("waiting: another process holds the lock"));
    QVERIFY(flow->statusText().contains(u"HUB_EVENT_TRACE=off"));
}

void TestMainWindow::eventsPanelRecordsExportsAndReplays()
{
    QTemporaryDir dataDir;
    HubConfig config = testConfig();
    config.dataDir = dataDir.path();
    RunningWindow hub(config);
    QVERIFY(hub.start());
    hub.window.showPanel(MainWindow::Panel::Events);
    kucun::EventsPanel *events = hub.window.eventsPanel();
    const QString recording = dataDir.filePath(QStringLiteral("recorded.jsonl"));
    events->startRecording(recording);
    QTRY_VERIFY(events->recordStatusText().startsWith(u"Recording to"));
    const QStringList orders{QStringLiteral("SO-1"), QStringLiteral("SO-2"),
                             QStringLiteral("SO-3")};
    for (const QString &order : orders) {
        hub.engine.publish(QStringLiteral("channel:order:status"),
                           QStringLiteral(R"({"type":"order:status","orderId":"%1",)"
                                          R"("status":"paid","timestamp":1})")
                               .arg(order)
                               .toUtf8());
    }
    kucun::EventStreamModel *stream = hub.window.eventStream();
    QTRY_COMPARE_WITH_TIMEOUT(stream->rowCount(), 3, 10000);
    events->stopRecording();
    QTRY_COMPARE(events->recordStatusText(), QStringLiteral("Recording stopped"));
    QFile recorded(recording);
    QVERIFY(recorded.open(QIODevice::ReadOnly));
    QCOMPARE(recorded.readAll().count('\n'), 3);

    // The selection exported: oldest first, times from 0; nothing selected is an error.
    const QString exported = dataDir.filePath(QStringLiteral("exported.jsonl"));
    events->view()->clearSelection();
    QVERIFY(!events->exportSelection(exported).ok());
    events->view()->selectAll();
    const kucun::Result<qint64> written = events->exportSelection(exported);
    QVERIFY(written.ok());
    QCOMPARE(written.value(), 3);
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines.first()).object().value("t").toInteger(), 0);
    QVERIFY(lines.first().contains("SO-1"));

    // Replayed as fast as it goes: the same three again, from "replay", in the admin log.
    events->setReplaySpeed(0);
    events->replayRecording(exported);
    QTRY_COMPARE(events->recordStatusText(), QStringLiteral("Replaying 3 messages"));
    QTRY_COMPARE_WITH_TIMEOUT(stream->rowCount(), 6, 10000);
    for (int row = 3; row < 6; ++row) {
        QCOMPARE(stream->recordAt(row).from, kucun::EventSource::Replay);
        QVERIFY(stream->recordAt(row).payload.contains(orders[row - 3].toUtf8()));
    }
    events->replayRecording(dataDir.filePath(QStringLiteral("missing.jsonl")));
    QTRY_VERIFY(events->recordStatusText().startsWith(u"Not replayed: cannot read"));
}

void TestMainWindow::publishRefusesBadInput()
{
    RunningWindow hub(testConfig());
    QVERIFY(hub.start());
    kucun::PublishPanel *publish = hub.window.publishPanel();
    publish->chooseType(QStringLiteral("inventory:change"));
    publish->setField(QStringLiteral("productId"), QStringLiteral("42"));
    publish->setField(QStringLiteral("oldQuantity"), QStringLiteral("ten"));
    QVERIFY(!publish->publish());
    QVERIFY2(publish->statusText().contains(QStringLiteral("must be a number")),
             qPrintable(publish->statusText()));

    publish->chooseType(QStringLiteral("ws"));
    publish->setField(QStringLiteral("channel"), QStringLiteral("bad channel"));
    publish->setField(QStringLiteral("json"), QStringLiteral("{}"));
    QVERIFY(!publish->publish());
    publish->setField(QStringLiteral("channel"), QStringLiteral("inventory"));
    publish->setField(QStringLiteral("json"), QStringLiteral("{not json"));
    QVERIFY(!publish->publish());
    QVERIFY(publish->statusText().startsWith(QStringLiteral("Not sent: The message is not JSON")));
    // A good message after the bad ones: when it shows, anything sent before it would have too.
    publish->setField(QStringLiteral("channel"), QStringLiteral("marker"));
    publish->setField(QStringLiteral("json"), QStringLiteral("{\"marker\":true}"));
    QVERIFY(publish->publish());
    QTRY_COMPARE(hub.window.eventStream()->rowCount(), 1);  // the marker alone: nothing else went
    QCOMPARE(hub.window.eventStream()
                 ->index(0, kucun::EventStreamModel::ChannelColumn)
                 .data()
                 .toString(),
             QStringLiteral("ws:marker"));
}

void TestMainWindow::settingsApplyRestartsTheEngine()
{
    QTemporaryDir dir;
    HubConfig config = testConfig();
    config.settingsFile = dir.filePath(QStringLiteral("kucun-hub.ini"));
    RunningWindow hub(config);
    QVERIFY(hub.start());
    QSignalSpy started(&hub.engine, &EngineHost::started);
    QSignalSpy finished(&hub.engine, &EngineHost::finished);
    kucun::SettingsPanel *settings = hub.window.settingsPanel();

    // A reload that refuses: nothing restarts, the reason is shown.
    hub.window.setSettingsReloader([]() -> std::variant<HubConfig, QString> {
        return QStringLiteral("kucun-hub: WS_PORT: 'abc' is not a port number (0-65535)");
    });
    QVERIFY(!settings->apply());
    QVERIFY(settings->statusText().contains(QStringLiteral("is not a port number")));

    // A reload with a new namespace: the engine restarts with it, and the window stays.
    HubConfig next = testConfig();
    next.keyNamespace = QStringLiteral("shop2");
    hub.window.setSettingsReloader([next]() -> std::variant<HubConfig, QString> { return next; });
    settings->setValue(QStringLiteral("REDIS_NAMESPACE"), QStringLiteral("shop2"));
    QVERIFY(settings->apply());
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(kucun::test::cacheNamespace(hub.engine).value(), QStringLiteral("shop2"));
    QTRY_COMPARE(hub.window.engineStateText(), QStringLiteral("Engine: memory"));
}

void TestMainWindow::overviewNamesTheSentinelMasterAndTheStreamLag()
{
    // Through Sentinel, with a reliable event stream: the admin sees which server is the master,
    // how many sentinels answer, and how far the hub is behind the stream.
    kucun::test::SentinelGroup group;
    QVERIFY(group.start());
    QTemporaryDir data;
    HubConfig config = testConfig();
    config.redis = kucun::RedisUrl::parse(group.url()).url;
    config.eventStream = "shop:events";
    config.dataDir = data.path();
    RunningWindow hub(config);
    QVERIFY(hub.start());
    const auto *overview = hub.window.overviewPanel();
    QTRY_COMPARE_WITH_TIMEOUT(
        overview->counterText(QStringLiteral("redisServer")),
        QStringLiteral("master 127.0.0.1:%1, 3 of 3 sentinels answer").arg(group.master().port()),
        10000);
    QTRY_COMPARE_WITH_TIMEOUT(overview->counterText(QStringLiteral("streamLag")),
                              QStringLiteral("0 unread, 0 pending"), 10000);
    // Without them: nothing to show there.
    RunningWindow plain(testConfig());
    QVERIFY(plain.start());
    QTRY_COMPARE(plain.window.overviewPanel()->counterText(QStringLiteral("redisServer")),
                 QStringLiteral("–"));
    QCOMPARE(plain.window.overviewPanel()->counterText(QStringLiteral("streamLag")),
             QStringLiteral("–"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
