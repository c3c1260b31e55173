#include "config/hubconfig.h"
#include "engine/enginehost.h"
#include "mainwindow.h"
#include "uitranslation.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTranslator>

using kucun::EngineHost;
using kucun::HubConfig;
using kucun::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void opensWithTitleAndEngineState();
    void quitAndCloseAskTheOwner();
    void showsAFailedEngine();
    void chineseTranslationIsInstalled();

private:
    static HubConfig testConfig();
};

HubConfig TestMainWindow::testConfig()
{
    HubConfig config;
    config.wsPort = 0;
    return config;
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
    QCOMPARE(window.menuBar()->actions().size(), 2);
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
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
