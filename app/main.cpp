// kucun-hub: settings -> Engine (+ MainWindow unless --headless). SPEC §1.

#include "changeguard.h"
#include "config/hubconfigloader.h"
#include "engine/demosimulator.h"
#include "engine/enginehost.h"
#include "engine/remotehub.h"
#include "events/routingtable.h"
#include "hubattachment.h"
#include "mainwindow.h"
#include "uitranslation.h"
#include "unixsignalwatcher.h"

#include <QApplication>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>

namespace {

using kucun::EngineHost;

Q_LOGGING_CATEGORY(lcApp, "kucun.app")

void writeLine(FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    if (!text.endsWith(u'\n'))
        std::fputc('\n', stream);
    std::fflush(stream);  // the ready line is read through a pipe by scripts and tests
}

void setUpLogging()
{
    // Both are overridden by QT_MESSAGE_PATTERN and QT_LOGGING_RULES when those are set.
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-dd hh:mm:ss.zzz} "
        "%{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
        "%{if-critical}error%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"));
    QLoggingCategory::setFilterRules(QStringLiteral("kucun.*.debug=false"));
}

// Every WebSocket client is a file descriptor, and WS_MAX_CLIENTS of them are allowed (10 000
// by default): the usual soft limit of 1 024 would make the hub refuse connections long before
// that. The hard limit is what the administrator allows; take all of it.
void raiseOpenFileLimit(int maxClients)
{
    // The clients, plus Redis, the audit log, the HTTP side, the GUI.
    const rlim_t wanted = rlim_t(maxClients) + 256;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < wanted) {
        qCWarning(lcApp) << "at most" << limit.rlim_cur
                         << "open files are allowed (ulimit -n, LimitNOFILE): the hub will take"
                         << "fewer than the" << maxClients
                         << "WebSocket clients WS_MAX_CLIENTS allows";
    }
}

bool hasDisplay()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    return env.contains(QStringLiteral("QT_QPA_PLATFORM"))
           || env.contains(QStringLiteral("DISPLAY"))
           || env.contains(QStringLiteral("WAYLAND_DISPLAY"));
}

// Runs the engine until it has stopped: after SIGINT/SIGTERM, a quit from the window, or a
// failed start (exit code 1). `window` is null when headless.
int runHub(QCoreApplication &app, EngineHost &engine, kucun::MainWindow *window)
{
    kucun::UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    int exitCode = 0;

    QObject::connect(
        &engine, &EngineHost::started, &app, [&engine](const QUrl &url, const QString &mode) {
            // SPEC §1: the fields always in this order, ws= first.
            const auto orOff = [](const QUrl &where) {
                return where.isEmpty() ? QStringLiteral("off") : where.toString();
            };
            writeLine(stdout, QStringLiteral("kucun-hub ready ws=%1 http=%2 resp=%3 engine=%4")
                                  .arg(url.toString(), orOff(engine.httpUrl()),
                                       orOff(engine.respUrl()), mode));
        });
    QObject::connect(&engine, &EngineHost::startFailed, &app,
                     [&exitCode, window](const QString &reason) {
                         exitCode = 1;
                         writeLine(stderr, QStringLiteral("kucun-hub: %1").arg(reason));
                         if (window) {
                             QMessageBox::critical(
                                 window, kucun::MainWindow::tr("Kucun Hub"),
                                 kucun::MainWindow::tr("The hub could not start: %1").arg(reason));
                         }
                     });
    QObject::connect(&engine, &EngineHost::finished, &app,
                     [&app, &exitCode] { app.exit(exitCode); });

    const auto shutDown = [&engine, &app, &exitCode] {
        if (engine.state() == EngineHost::State::Stopped
            || engine.state() == EngineHost::State::Failed)
            app.exit(exitCode);
        else
            engine.stop();
    };
    QObject::connect(&signalWatcher, &kucun::UnixSignalWatcher::signalReceived, &app,
                     [&shutDown](int signalNumber) {
                         qCInfo(lcApp) << "signal" << signalNumber << "received, shutting down";
                         shutDown();
                     });
    if (window) {
        QObject::connect(window, &kucun::MainWindow::quitRequested, &app, shutDown);
        window->show();
    }

    // An inherited REDIS_URL must not move a hub off the embedded engine without a word.
    qCInfo(lcApp).noquote() << "engine:" << engine.config().engineChoice();
    engine.start();
    return app.exec();
}

// --attach: a window on a hub running elsewhere (SPEC §13), until the window or a signal ends it.
int runAttached(QApplication &app, const kucun::HubConfig &config)
{
    // The key the hub was given is the key to it: the admin key, else the viewer key.
    const QByteArray key = !config.adminKey.isEmpty() ? config.adminKey : config.viewerKey;
    kucun::HubAttachment attachment(config.attachUrl, key, config, config.readOnly);
    kucun::UnixSignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&attachment, &kucun::HubAttachment::closed, &app, [&app] { app.exit(0); });
    QObject::connect(&signalWatcher, &kucun::UnixSignalWatcher::signalReceived, &app,
                     [&app](int) { app.exit(0); });
    const QString warning = kucun::RemoteHub::plainTextWarning(config.attachUrl);
    if (!warning.isEmpty())
        qCWarning(lcApp).noquote() << warning;
    attachment.start();
    return app.exec();
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("Kucun"));
    QCoreApplication::setApplicationName(QStringLiteral("kucun-hub"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KUCUN_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    using kucun::HubConfigLoader;
    using kucun::LoadOutcome;
    const LoadOutcome outcome = HubConfigLoader::load(
        {arguments, QProcessEnvironment::systemEnvironment(),
         HubConfigLoader::defaultUserSettingsFile(), HubConfigLoader::defaultDataDir()});
    switch (outcome.action) {
    case LoadOutcome::Action::ShowHelp:
    case LoadOutcome::Action::ShowVersion:
        writeLine(stdout, outcome.text);
        return 0;
    case LoadOutcome::Action::Fail:
        writeLine(stderr, outcome.text);
        return HubConfigLoader::kBadSettingExitCode;
    case LoadOutcome::Action::Run:
        break;
    }
    const kucun::HubConfig &config = outcome.config;
    if (const auto failure = kucun::prepareDataDir(config)) {
        writeLine(stderr, *failure);
        return HubConfigLoader::kBadSettingExitCode;
    }

    if (!config.routesFile.isEmpty()) {
        // Checked now so that a bad table stops the hub before anything starts (exit 2).
        const kucun::RoutingTable::LoadResult routes
            = kucun::RoutingTable::fromFile(config.routesFile);
        if (!routes.table) {
            writeLine(stderr, QStringLiteral("kucun-hub: HUB_ROUTES: '%1' %2")
                                  .arg(config.routesFile, routes.error));
            return HubConfigLoader::kBadSettingExitCode;
        }
    }

    setUpLogging();
    raiseOpenFileLimit(config.wsMaxClients);
    if (config.headless) {
        QCoreApplication app(argc, argv);
        EngineHost engine(config);
        if (config.demo) {
            engine.setDemoRate(kucun::DemoSimulator::kDefaultRate);
            engine.setDemoFaults(config.demoFaults);
        }
        return runHub(app, engine, nullptr);
    }

    if (!hasDisplay()) {
        writeLine(stderr, QStringLiteral("kucun-hub: no display (DISPLAY and WAYLAND_DISPLAY are "
                                         "unset); use --headless to run without a window"));
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(false);  // quitting waits for the engine to stop
    kucun::installUiTranslation(app, config.language);
    if (!config.attachUrl.isEmpty())
        return runAttached(app, config);
    EngineHost engine(config);
    // --demo is how the hub starts, not a change made in the window: before --read-only.
    if (config.demo) {
        engine.setDemoRate(kucun::DemoSimulator::kDefaultRate);
        engine.setDemoFaults(config.demoFaults);
    }
    if (config.readOnly)
        engine.setReadOnly(kucun::ChangeGuard::readOnlyFlagReason());
    kucun::MainWindow window(engine, config);
    // "Save and apply now" reads the settings as this start did: same flags, same environment.
    window.setSettingsReloader([arguments]() -> std::variant<kucun::HubConfig, QString> {
        const LoadOutcome again = HubConfigLoader::load(
            {arguments, QProcessEnvironment::systemEnvironment(),
             HubConfigLoader::defaultUserSettingsFile(), HubConfigLoader::defaultDataDir()});
        if (again.action != LoadOutcome::Action::Run)
            return again.text;
        if (const auto failure = kucun::prepareDataDir(again.config))
            return *failure;
        return again.config;
    });
    return runHub(app, engine, &window);
}
