#include "hubconfigloader.h"

#include "settingparsers.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace kucun {

namespace {

const QString kProgram = QStringLiteral("kucun-hub");
// Settings files are a few dozen lines; anything much larger is not one.
constexpr qint64 kMaxSettingsFileBytes = 1 << 20;

QString errorLine(const QString &name, const QString &reason)
{
    return QStringLiteral("%1: %2: %3").arg(kProgram, name, reason);
}

QString defaultText(SettingId id, const HubConfigLoader::Inputs &inputs)
{
    switch (id) {
    case SettingId::RedisPoolSize:
        return QStringLiteral("3");
    case SettingId::KeyNamespace:
        return QStringLiteral("kucun");
    case SettingId::WsHost:
        return QStringLiteral("127.0.0.1");
    case SettingId::WsPort:
        return QStringLiteral("3002");
    case SettingId::AllowedOrigins:
        return QStringLiteral("http://localhost:3001");
    case SettingId::DataDir:
        return inputs.defaultDataDir;
    case SettingId::CacheMaxMb:
        return QStringLiteral("256");
    case SettingId::AuditMaxRows:
        return QStringLiteral("1000000");
    case SettingId::AuditMaxAgeDays:
        return QStringLiteral("30");
    case SettingId::AuditMaxMb:
        return QStringLiteral("256");
    case SettingId::WsMaxClients:
        return QStringLiteral("10000");
    case SettingId::WsMaxQueueMb:
        return QStringLiteral("4");
    case SettingId::WsHistoryMaxMb:
        return QStringLiteral("64");
    case SettingId::WsMaxChannels:
        return QStringLiteral("10000");
    case SettingId::WsHandshakeTimeoutMs:
        return QStringLiteral("5000");
    case SettingId::WsMaxHandshakes:
        return QStringLiteral("1024");
    case SettingId::WsMaxHandshakesPerAddress:
        return QStringLiteral("64");
    case SettingId::WsUnauthQueueKb:
        return QStringLiteral("64");
    case SettingId::HttpPort:
        return QStringLiteral("3003");
    case SettingId::HttpHost:
        return QStringLiteral("127.0.0.1");
    case SettingId::HttpRateLimit:
        return QStringLiteral("1000");
    case SettingId::RespPort:
        return QStringLiteral("6380");
    case SettingId::RespHost:
        return QStringLiteral("127.0.0.1");
    case SettingId::WsHistory:
        return QStringLiteral("shared");
    case SettingId::EventTrace:
        return QStringLiteral("on");
    case SettingId::AdminKey:
    case SettingId::ViewerKey:
    case SettingId::TlsCert:
    case SettingId::TlsKey:
    case SettingId::RedisUrl:
    case SettingId::JwtSecret:
    case SettingId::Language:
    case SettingId::RoutesFile:
    case SettingId::RespPassword:
    case SettingId::EventStream:
        return {};
    }
    Q_UNREACHABLE();
}

struct CommandLineOptions
{
    QCommandLineParser parser;
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")},
                            QStringLiteral("Show this help and exit.")};
    QCommandLineOption version{QStringLiteral("version"),
                               QStringLiteral("Show the version and exit.")};
    QCommandLineOption headless{QStringLiteral("headless"),
                                QStringLiteral("Run without a window: engine and WebSocket hub "
                                               "only, logs on stderr.")};
    QCommandLineOption demo{QStringLiteral("demo"),
                            QStringLiteral("Also run the built-in warehouse traffic simulator.")};
    QCommandLineOption demoFault{QStringLiteral("demo-fault"),
                                 QStringLiteral("With --demo, inject faults: slow=MS (loader "
                                                "latency), fail=PERCENT (failing loaders), "
                                                "stampede=N (concurrent misses on one key, every "
                                                "%1 s), burst=N (events/s), redis-cut (the Redis "
                                                "link cut), separated by commas.")
                                     .arg(DemoFaults::kStampedeIntervalMs / 1000),
                                 QStringLiteral("faults")};
    QCommandLineOption attach{QStringLiteral("attach"),
                              QStringLiteral("Show the hub running at this HTTP address "
                                             "(http[s]://host:port) instead of one of its own; "
                                             "the key comes from HUB_ADMIN_KEY or "
                                             "HUB_VIEWER_KEY."),
                              QStringLiteral("url")};
    QCommandLineOption readOnly{QStringLiteral("read-only"),
                                QStringLiteral("A window that shows everything and changes "
                                               "nothing.")};
    QCommandLineOption record{QStringLiteral("record"),
                              QStringLiteral("Write every event and ws: message the hub handles "
                                             "to this file, as JSON lines with their times."),
                              QStringLiteral("file")};
    QCommandLineOption replay{QStringLiteral("replay"),
                              QStringLiteral("Send the messages of a recording again, in order, "
                                             "onto the bus."),
                              QStringLiteral("file")};
    QCommandLineOption replaySpeed{QStringLiteral("replay-speed"),
                                   QStringLiteral("The replay's pace: X times the recorded one "
                                                  "(0.01 to 1000), or max."),
                                   QStringLiteral("x")};
    QCommandLineOption config{QStringLiteral("config"),
                              QStringLiteral("Settings file (INI) to read instead of the "
                                             "user's own."),
                              QStringLiteral("file")};
    std::vector<QCommandLineOption> settings;

    explicit CommandLineOptions(const HubConfigLoader::Inputs &inputs)
    {
        parser.setApplicationDescription(
            QStringLiteral("Kucun Hub: the cache and realtime hub of a warehouse site.\n"
                           "Settings, highest first: flag > environment > settings file > "
                           "default."));
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        parser.addOption(help);
        parser.addOption(version);
        parser.addOption(headless);
        parser.addOption(demo);
        parser.addOption(demoFault);
        parser.addOption(attach);
        parser.addOption(readOnly);
        parser.addOption(record);
        parser.addOption(replay);
        parser.addOption(replaySpeed);
        parser.addOption(config);
        for (const SettingInfo &info : allSettings()) {
            QString description = QString::fromLatin1(info.description)
                                  + QStringLiteral(" [env %1").arg(QLatin1String(info.envName));
            const QString fallback = defaultText(info.id, inputs);
            if (!fallback.isEmpty())
                description += QStringLiteral(", default %1").arg(fallback);
            description += u']';
            settings.emplace_back(QString::fromLatin1(info.flag), description,
                                  QString::fromLatin1(info.valueName));
            parser.addOption(settings.back());
        }
    }
};

// The settings file's values, keyed by setting; absent settings are not in the map.
struct FileValues
{
    std::map<SettingId, QString> values;
    QString error;  // a complete error line when the file cannot be used
};

FileValues readSettingsFile(const QString &path, const QString &nameForErrors)
{
    FileValues result;
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        result.error = errorLine(
            nameForErrors, QStringLiteral("%1 is not a readable file").arg(quotedForMessage(path)));
        return result;
    }
    // QSettings reads what it can and calls the rest empty: a file that cannot be read, or is
    // not text, must be refused before it gets there.
    QFile raw(path);
    QByteArray content;
    if (raw.open(QIODevice::ReadOnly))
        content = raw.read(kMaxSettingsFileBytes + 1);
    if (!raw.isOpen() || raw.error() != QFileDevice::NoError) {
        result.error
            = errorLine(nameForErrors, QStringLiteral("%1 cannot be read (%2)")
                                           .arg(quotedForMessage(path), raw.errorString()));
        return result;
    }
    if (content.size() > kMaxSettingsFileBytes || content.contains('\0')
        || !QUtf8StringView(content).isValidUtf8()) {
        result.error = errorLine(nameForErrors,
                                 QStringLiteral("%1 is not a settings file (UTF-8 text, INI, at "
                                                "most %2 KiB)")
                                     .arg(quotedForMessage(path))
                                     .arg(kMaxSettingsFileBytes >> 10));
        return result;
    }
    const QSettings file(path, QSettings::IniFormat);
    if (file.status() != QSettings::NoError) {
        result.error
            = errorLine(nameForErrors,
                        QStringLiteral("%1 is not a valid INI file").arg(quotedForMessage(path)));
        return result;
    }
    // Top-level keys are settings, named as their environment variables. Groups belong to
    // others (the GUI keeps its window state in one) and are left alone.
    for (const QString &key : file.childKeys()) {
        const auto known = std::find_if(allSettings().begin(), allSettings().end(),
                                        [&key](const SettingInfo &candidate) {
                                            return key == QLatin1String(candidate.envName);
                                        });
        if (known == allSettings().end()) {
            result.error
                = errorLine(nameForErrors, QStringLiteral("%1 has an unknown setting %2")
                                               .arg(quotedForMessage(path), quotedForMessage(key)));
            return result;
        }
        const QVariant value = file.value(key);
        // QSettings reads an unquoted "a,b" as a list: give it back its commas.
        result.values[known->id] = value.typeId() == QMetaType::QStringList
                                       ? value.toStringList().join(u',')
                                       : value.toString();
    }
    return result;
}

// Settings that are each allowed but not together; the error line names the one to change.
std::optional<QString> refusedCombination(const HubConfig &config)
{
    const TlsCredentials &tls = config.tls;
    if (tls.certificatePem.isEmpty() != tls.keyPem.isEmpty()) {
        const bool noCertificate = tls.certificatePem.isEmpty();
        const SettingId missing = noCertificate ? SettingId::TlsCert : SettingId::TlsKey;
        const SettingId given = noCertificate ? SettingId::TlsKey : SettingId::TlsCert;
        return errorLine(config.settingName(given),
                         QStringLiteral("is set but %1 is not; TLS needs both files")
                             .arg(QLatin1String(settingInfo(missing).envName)));
    }
    if (tls.enabled() && !tls.keyMatchesCertificate()) {
        return errorLine(
            config.settingName(SettingId::TlsKey),
            QStringLiteral("%1 is not the private key of the certificate in %2")
                .arg(quotedForMessage(tls.keyFile), quotedForMessage(tls.certificateFile)));
    }
    if (config.demoFaults.redisCut && !config.redis) {
        return QStringLiteral("%1: --demo-fault: redis-cut needs Redis (REDIS_URL); %2")
            .arg(kProgram, DemoFaults::kNoLinkToCut);
    }
    if (!config.viewerKey.isEmpty() && config.adminKey.isEmpty()) {
        // Without an admin key every loopback caller may do everything, so a viewer key alone
        // would restrict no one while looking as if it did.
        return errorLine(config.settingName(SettingId::ViewerKey),
                         QStringLiteral("is set but HUB_ADMIN_KEY is not; set an admin key too"));
    }
    if (!config.viewerKey.isEmpty() && config.viewerKey == config.adminKey) {
        return errorLine(config.settingName(SettingId::ViewerKey),
                         QStringLiteral("is the same as HUB_ADMIN_KEY; a viewer key must differ"));
    }
    return std::nullopt;
}

}  // namespace

LoadOutcome HubConfigLoader::load(const Inputs &inputs)
{
    CommandLineOptions options(inputs);
    QCommandLineParser &parser = options.parser;
    if (!parser.parse(inputs.arguments)) {
        const QStringList unknown = parser.unknownOptionNames();
        if (unknown.isEmpty()) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: %2").arg(kProgram, parser.errorText())};
        }
        const QString dashes
            = unknown.front().size() == 1 ? QStringLiteral("-") : QStringLiteral("--");
        const QString message = QStringLiteral("%1: %2: unknown option (see --help)")
                                    .arg(kProgram, dashes + unknown.front());
        return {LoadOutcome::Action::Fail, {}, message};
    }
    if (parser.isSet(options.help)) {
        // Qt names the program after argv[0] of a QCoreApplication, or "<executable_name>"
        // before there is one, as here.
        QString help = parser.helpText();
        help.replace(0, help.indexOf(u'\n'), QStringLiteral("Usage: %1 [options]").arg(kProgram));
        return {LoadOutcome::Action::ShowHelp, {}, help};
    }
    if (parser.isSet(options.version))
        return {LoadOutcome::Action::ShowVersion,
                {},
                QStringLiteral("%1 %2\n").arg(kProgram, QStringLiteral(KUCUN_VERSION))};
    if (!parser.positionalArguments().isEmpty()) {
        return {LoadOutcome::Action::Fail,
                {},
                QStringLiteral("%1: %2: unexpected argument (see --help)")
                    .arg(kProgram, quotedForMessage(parser.positionalArguments().front()))};
    }

    HubConfig config;
    config.headless = parser.isSet(options.headless);
    config.demo = parser.isSet(options.demo);
    config.readOnly = parser.isSet(options.readOnly);
    if (parser.isSet(options.demoFault)) {
        const Result<DemoFaults> faults = DemoFaults::parse(parser.value(options.demoFault));
        if (!faults) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: --demo-fault: %2").arg(kProgram, faults.error())};
        }
        if (!config.demo) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: --demo-fault goes with --demo").arg(kProgram)};
        }
        config.demoFaults = faults.value();
    }
    config.recordFile = parser.value(options.record);
    config.replayFile = parser.value(options.replay);
    if (parser.isSet(options.replaySpeed)) {
        const QString text = parser.value(options.replaySpeed);
        bool number = false;
        const double speed = text.toDouble(&number);
        if (text == u"max") {
            config.replaySpeed = 0;
        } else if (!number || !(speed >= 0.01 && speed <= 1000)) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: --replay-speed: %2 is not a pace; expected a number "
                                   "from 0.01 to 1000, or max")
                        .arg(kProgram, quotedForMessage(text))};
        } else {
            config.replaySpeed = speed;
        }
    }
    if (parser.isSet(options.attach)) {
        const QString text = parser.value(options.attach);
        const QUrl url(text, QUrl::StrictMode);
        if (!isHubAddress(url)) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: --attach: %2 is not a hub's HTTP address; expected "
                                   "http://host:port or https://host:port")
                        .arg(kProgram, quotedForMessage(text))};
        }
        if (config.headless || config.demo) {
            return {LoadOutcome::Action::Fail,
                    {},
                    QStringLiteral("%1: --attach shows a hub running elsewhere in a window; it "
                                   "goes with neither --headless nor --demo")
                        .arg(kProgram)};
        }
        config.attachUrl = url.adjusted(QUrl::RemovePath);  // "/" or nothing: the same hub
    }

    FileValues file;
    if (parser.isSet(options.config)) {
        config.settingsFile = parser.value(options.config);
        file = readSettingsFile(config.settingsFile, QStringLiteral("--config"));
    } else if (!inputs.userSettingsFile.isEmpty() && QFileInfo::exists(inputs.userSettingsFile)) {
        config.settingsFile = inputs.userSettingsFile;
        file = readSettingsFile(config.settingsFile, QStringLiteral("settings file"));
    }
    if (!file.error.isEmpty())
        return {LoadOutcome::Action::Fail, {}, file.error};

    for (const SettingInfo &info : allSettings()) {
        const QString envName = QString::fromLatin1(info.envName);
        const QCommandLineOption &flag = options.settings[static_cast<size_t>(info.id)];
        QString value;
        SettingSource source = SettingSource::Default;
        if (parser.isSet(flag)) {
            value = parser.value(flag);
            source = SettingSource::CommandLine;
        } else if (inputs.environment.contains(envName)) {
            value = inputs.environment.value(envName);
            source = SettingSource::Environment;
        } else if (const auto it = file.values.find(info.id); it != file.values.end()) {
            value = it->second;
            source = SettingSource::File;
        } else {
            value = defaultText(info.id, inputs);
        }
        const QString nameForErrors = settingNameFor(info.id, source, config.settingsFile);
        if (const auto refusal = applySetting(info.id, value, config))
            return {LoadOutcome::Action::Fail, {}, errorLine(nameForErrors, *refusal)};
        config.effective[static_cast<size_t>(info.id)] = {displayValue(info.id, value), source};
    }
    if (const auto refusal = refusedCombination(config))
        return {LoadOutcome::Action::Fail, {}, *refusal};
    return {LoadOutcome::Action::Run, config, {}};
}

QString HubConfigLoader::defaultUserSettingsFile()
{
    const QSettings user(QSettings::IniFormat, QSettings::UserScope,
                         QCoreApplication::organizationName(), QCoreApplication::applicationName());
    return user.fileName();
}

QString HubConfigLoader::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

std::optional<QString> prepareDataDir(const HubConfig &config)
{
    const QString name = config.settingName(SettingId::DataDir);
    if (!QDir().mkpath(config.dataDir)) {
        return errorLine(
            name, QStringLiteral("%1 cannot be created").arg(quotedForMessage(config.dataDir)));
    }
    QTemporaryFile probe(QDir(config.dataDir).filePath(QStringLiteral(".write-check-XXXXXX")));
    if (!probe.open()) {
        return errorLine(
            name, QStringLiteral("%1 is not writable").arg(quotedForMessage(config.dataDir)));
    }
    return std::nullopt;
}

}  // namespace kucun
