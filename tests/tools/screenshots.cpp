// scripts/screenshots: one PNG per panel of the window, with the demo traffic running, and two
// of a window attached to it through its HTTP side, for the README. Usage: kucun_screenshots
// OUTPUT_FOLDER [LANGUAGE]

#include "engine/enginehost.h"
#include "engine/remotehub.h"
#include "eventspanel.h"
#include "flowpanel.h"
#include "hubattachment.h"
#include "invalidatepanel.h"
#include "keysmodel.h"
#include "keyspanel.h"
#include "mainwindow.h"
#include "tagsmodel.h"
#include "uitranslation.h"

#include <QApplication>
#include <QDir>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>
#include <QWebSocket>

using namespace kucun;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: kucun_screenshots OUTPUT_FOLDER [LANGUAGE]\n");
        return 2;
    }
    QStandardPaths::setTestModeEnabled(true);
    const QDir output(QString::fromLocal8Bit(argv[1]));
    const QString language = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("en");
    const QString suffix = language == u"en" ? QString() : u'-' + language;
    installUiTranslation(app, language);

    QTemporaryDir dataDir;
    HubConfig config;
    config.wsPort = 0;
    config.dataDir = dataDir.path();
    config.httpPort = 0;  // for the window attached through it
    EngineHost engine(config);
    engine.setDemoRate(200);
    MainWindow window(engine, config);
    window.resize(1280, 800);
    window.show();
    engine.start();
    if (!QTest::qWaitFor([&] { return engine.state() == EngineHost::State::Running; }, 10000))
        return 1;
    // A few browsers and a server process, so that the Clients & channels panel has something
    // to show and WebSocket messages flow.
    QList<QWebSocket *> clients;
    const QList<QPair<QString, QStringList>> browsers{
        {QStringLiteral("http://localhost:3001"),
         {QStringLiteral("inventory"), QStringLiteral("orders")}},
        {QStringLiteral("http://localhost:3001"), {QStringLiteral("products")}},
        {QString(), {QStringLiteral("inventory"), QStringLiteral("cache")}}};
    for (const auto &[origin, channels] : browsers) {
        auto *client = new QWebSocket(origin, QWebSocketProtocol::VersionLatest, &app);
        const QStringList subscriptions = channels;
        QObject::connect(client, &QWebSocket::connected, client, [client, subscriptions] {
            for (const QString &channel : subscriptions)
                client->sendTextMessage(
                    QStringLiteral(R"({"type":"subscribe","channel":"%1"})").arg(channel));
        });
        client->open(QNetworkRequest(engine.wsUrl()));
        clients << client;
    }
    QTest::qWait(12000);  // a dozen chart points, a few thousand events

    const auto save = [&](MainWindow::Panel panel, const QString &name) {
        window.showPanel(panel);
        QTest::qWait(300);
        const QString file = output.filePath(name + suffix + QStringLiteral(".png"));
        if (!window.grab().save(file))
            std::fprintf(stderr, "could not write %s\n", qPrintable(file));
    };
    save(MainWindow::Panel::Overview, QStringLiteral("overview"));

    window.showPanel(MainWindow::Panel::Keys);
    window.keysPanel()->reload();
    QTreeView *keys = window.keysPanel()->view();
    if (!QTest::qWaitFor([&] { return keys->model() && keys->model()->rowCount() > 0; }, 5000))
        std::fprintf(stderr, "the Keys panel stayed empty\n");
    for (int depth = 0, row = 0; depth < 2; ++depth) {  // open products: and its first group
        const QModelIndex group = depth == 0 ? keys->model()->index(row, 0)
                                             : keys->model()->index(0, 0, keys->currentIndex());
        keys->expand(group);
        keys->setCurrentIndex(group);
        QTest::qWait(800);
    }
    const QModelIndex firstKey = keys->model()->index(0, 0, keys->currentIndex());
    if (firstKey.isValid())
        keys->setCurrentIndex(firstKey);
    QTest::qWait(500);
    save(MainWindow::Panel::Keys, QStringLiteral("keys"));

    window.showPanel(MainWindow::Panel::Invalidate);
    InvalidatePanel *invalidate = window.invalidatePanel();
    if (QTest::qWaitFor([&] { return invalidate->tags()->rowCount() > 0; }, 3000)) {
        invalidate->setTarget(InvalidatePanel::Kind::Tag, invalidate->tags()->tagAt(0));
        invalidate->preview();
    }
    QTest::qWait(500);
    save(MainWindow::Panel::Invalidate, QStringLiteral("invalidate"));
    QTableView *events = window.eventsPanel()->view();
    events->selectRow(events->model()->rowCount() - 3);
    save(MainWindow::Panel::Events, QStringLiteral("events"));
    save(MainWindow::Panel::Connections, QStringLiteral("clients"));
    save(MainWindow::Panel::Publish, QStringLiteral("publish"));
    save(MainWindow::Panel::Settings, QStringLiteral("settings"));
    // The Flow panel with pulses under way and one event's path and timeline chosen.
    window.showPanel(MainWindow::Panel::Flow);
    QTest::qWait(1500);
    QTreeWidget *traces = window.flowPanel()->tracesList();
    if (traces->topLevelItemCount() > 0)
        traces->setCurrentItem(traces->topLevelItem(0));
    save(MainWindow::Panel::Flow, QStringLiteral("flow"));

    // A second window attached to this hub through its HTTP side, read-only, as an admin's
    // desktop shows a hub running headless on the shop's box; a few admin actions for its log.
    engine.invalidate({Invalidation::Kind::Tag, invalidate->tags()->tagAt(0)}, nullptr, {});
    engine.publish(QStringLiteral("ws:orders"), QByteArrayLiteral(R"({"note":"restocked"})"));
    HubAttachment attached(engine.httpUrl(), {}, config, true);
    attached.window().resize(1280, 800);
    attached.start();
    if (!QTest::qWaitFor([&] { return attached.hub().state() == HubLink::State::Running; }, 10000))
        std::fprintf(stderr, "the attached window did not attach\n");
    QTest::qWait(6000);  // its charts fill from the stream
    const auto saveAttached = [&](MainWindow::Panel panel, const QString &name) {
        attached.window().showPanel(panel);
        QTest::qWait(500);
        const QString file = output.filePath(name + suffix + QStringLiteral(".png"));
        if (!attached.window().grab().save(file))
            std::fprintf(stderr, "could not write %s\n", qPrintable(file));
    };
    saveAttached(MainWindow::Panel::Overview, QStringLiteral("attached-overview"));
    saveAttached(MainWindow::Panel::AdminLog, QStringLiteral("attached-admin-log"));
    attached.hub().stop();

    engine.setDemoRate(0);
    QSignalSpy finished(&engine, &EngineHost::finished);
    engine.stop();
    (void)finished.wait(10000);
    return 0;
}
