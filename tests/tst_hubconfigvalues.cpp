// Each setting of SPEC §1 through the loader: its default, the values it takes (by flag and by
// environment, the same typed value either way) and the values it refuses, with the one-line
// error of each. The loader's other rules: tst_hubconfigloader.

#include "config/hubconfigloader.h"
#include "support/configscratch.h"

#include <QFile>
#include <QTest>

using kucun::HubConfig;
using kucun::LoadOutcome;
using kucun::SettingId;
using kucun::SettingSource;

namespace {

const QString kFlagPrefix = QStringLiteral("--");

const kucun::SettingInfo &infoByEnv(const QString &envName)
{
    for (const kucun::SettingInfo &info : kucun::allSettings()) {
        if (envName == QLatin1String(info.envName))
            return info;
    }
    qFatal("no setting named %s", qPrintable(envName));
}

// The typed value a setting ended up with, as text, so one data table covers all settings.
QString typedValue(const HubConfig &config, SettingId id)
{
    switch (id) {
    case SettingId::RedisUrl:
        return config.redis ? config.redis->redacted() : QString();
    case SettingId::RedisPoolSize:
        return QString::number(config.redisPoolSize);
    case SettingId::KeyNamespace:
        return config.keyNamespace;
    case SettingId::WsHost:
        return config.wsHost.toString();
    case SettingId::WsPort:
        return QString::number(config.wsPort);
    case SettingId::AllowedOrigins:
        return config.allowedOrigins.join(u',');
    case SettingId::JwtSecret:
        return QString::fromUtf8(config.jwtSecret);
    case SettingId::DataDir:
        return config.dataDir;
    case SettingId::CacheMaxMb:
        return QString::number(config.cacheMaxMb);
    case SettingId::Language:
        return config.language;
    case SettingId::RoutesFile:
        return config.routesFile;
    case SettingId::AuditMaxRows:
        return QString::number(config.auditMaxRows);
    case SettingId::AuditMaxAgeDays:
        return QString::number(config.auditMaxAgeDays);
    case SettingId::AuditMaxMb:
        return QString::number(config.auditMaxMb);
    case SettingId::WsMaxClients:
        return QString::number(config.wsMaxClients);
    case SettingId::WsMaxQueueMb:
        return QString::number(config.wsMaxQueueMb);
    case SettingId::WsHistoryMaxMb:
        return QString::number(config.wsHistoryMaxMb);
    case SettingId::WsMaxChannels:
        return QString::number(config.wsMaxChannels);
    case SettingId::WsHandshakeTimeoutMs:
        return QString::number(config.wsHandshakeTimeoutMs);
    case SettingId::WsMaxHandshakes:
        return QString::number(config.wsMaxHandshakes);
    case SettingId::WsMaxHandshakesPerAddress:
        return QString::number(config.wsMaxHandshakesPerAddress);
    case SettingId::WsUnauthQueueKb:
        return QString::number(config.wsUnauthQueueKb);
    case SettingId::HttpPort:
        return config.httpPort ? QString::number(*config.httpPort) : QStringLiteral("off");
    case SettingId::HttpHost:
        return config.httpHost.toString();
    case SettingId::AdminKey:
        return QString::fromUtf8(config.adminKey);
    case SettingId::ViewerKey:
        return QString::fromUtf8(config.viewerKey);
    case SettingId::TlsCert:
        return config.tls.certificateFile;
    case SettingId::TlsKey:
        return config.tls.keyFile;
    case SettingId::HttpRateLimit:
        return QString::number(config.httpRateLimit);
    case SettingId::RespPort:
        return config.respPort ? QString::number(*config.respPort) : QStringLiteral("off");
    case SettingId::RespHost:
        return config.respHost.toString();
    case SettingId::RespPassword:
        return QString::fromUtf8(config.respPassword);
    case SettingId::WsHistory:
        return config.wsSharedHistory ? QStringLiteral("shared") : QStringLiteral("local");
    case SettingId::EventStream:
        return QString::fromUtf8(config.eventStream);
    case SettingId::EventTrace:
        return config.eventTrace ? QStringLiteral("on") : QStringLiteral("off");
    }
    return {};
}

}  // namespace

class TestHubConfigValues : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaultsMatchTheSpec();
    void acceptsGoodValues_data();
    void acceptsGoodValues();
    void refusesBadValues_data();
    void refusesBadValues();

private:
    kucun::test::ConfigScratch m_dir;  // where the settings files and folders go
    QString m_routesFile;
    QString m_plainFile;
};

void TestHubConfigValues::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_routesFile = m_dir.filePath(QStringLiteral("routes.json"));
    QFile routes(m_routesFile);
    QVERIFY(routes.open(QIODevice::WriteOnly));
    routes.write("{}");
    m_plainFile = m_routesFile;
}

void TestHubConfigValues::defaultsMatchTheSpec()
{
    const LoadOutcome outcome = m_dir.load({});
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    const HubConfig &config = outcome.config;
    QVERIFY(!config.redis);
    QCOMPARE(config.redisPoolSize, 3);
    QCOMPARE(config.keyNamespace, QStringLiteral("kucun"));
    QCOMPARE(config.wsHost.toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(config.wsPort, quint16(3002));
    QCOMPARE(config.allowedOrigins, QStringList{QStringLiteral("http://localhost:3001")});
    QVERIFY(config.jwtSecret.isEmpty());
    QCOMPARE(config.dataDir, m_dir.filePath(QStringLiteral("default-data")));
    QCOMPARE(config.cacheMaxMb, 256);
    QVERIFY(config.language.isEmpty());
    QVERIFY(config.routesFile.isEmpty());
    QCOMPARE(config.auditMaxRows, 1'000'000);
    QCOMPARE(config.auditMaxAgeDays, 30);
    QCOMPARE(config.auditMaxMb, 256);
    QCOMPARE(config.wsMaxClients, 10'000);
    QCOMPARE(config.wsMaxQueueMb, 4);
    QCOMPARE(config.respPort, std::optional<quint16>(6380));
    QCOMPARE(config.respHost, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(config.respPassword.isEmpty());
    QVERIFY(config.wsSharedHistory);
    QVERIFY(config.eventStream.isEmpty());
    QVERIFY(config.eventTrace);
    QVERIFY(!config.headless);
    QVERIFY(!config.demo);
    for (const kucun::SettingInfo &info : kucun::allSettings())
        QCOMPARE(config.effectiveSetting(info.id).source, SettingSource::Default);
}

void TestHubConfigValues::acceptsGoodValues_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    const QString secret32(32, u'k');
    QTest::addRow("redis empty") << "REDIS_URL"
                                 << ""
                                 << "";
    QTest::addRow("redis db") << "REDIS_URL"
                              << "redis://127.0.0.1:6380/2"
                              << "redis://127.0.0.1:6380/2";
    QTest::addRow("redis password") << "REDIS_URL"
                                    << "redis://:pw@h"
                                    << "redis://:***@h:6379";
    QTest::addRow("pool 1") << "REDIS_POOL_SIZE"
                            << "1"
                            << "1";
    QTest::addRow("pool 64") << "REDIS_POOL_SIZE"
                             << "64"
                             << "64";
    QTest::addRow("pool leading zero") << "REDIS_POOL_SIZE"
                                       << "007"
                                       << "7";
    QTest::addRow("namespace") << "REDIS_NAMESPACE"
                               << "shop-2.prod_a"
                               << "shop-2.prod_a";
    QTest::addRow("host v4") << "WS_HOST"
                             << "127.0.0.1"
                             << "127.0.0.1";
    QTest::addRow("host any") << "WS_HOST"
                              << "0.0.0.0"
                              << "0.0.0.0";
    QTest::addRow("host v6") << "WS_HOST"
                             << "::1"
                             << "::1";
    QTest::addRow("host localhost") << "WS_HOST"
                                    << "localhost"
                                    << "127.0.0.1";
    QTest::addRow("port 0") << "WS_PORT"
                            << "0"
                            << "0";
    QTest::addRow("port 65535") << "WS_PORT"
                                << "65535"
                                << "65535";
    QTest::addRow("origins two") << "WS_ALLOWED_ORIGINS"
                                 << "https://shop.example.com, http://127.0.0.1:8080/"
                                 << "https://shop.example.com,http://127.0.0.1:8080";
    QTest::addRow("origins any") << "WS_ALLOWED_ORIGINS"
                                 << "*"
                                 << "*";
    QTest::addRow("origins none") << "WS_ALLOWED_ORIGINS"
                                  << ""
                                  << "";
    QTest::addRow("origins case") << "WS_ALLOWED_ORIGINS"
                                  << "HTTP://Shop.Example.com"
                                  << "http://shop.example.com";
    QTest::addRow("origins duplicate") << "WS_ALLOWED_ORIGINS"
                                       << "http://a,http://a/"
                                       << "http://a";
    QTest::addRow("secret 32 bytes") << "HUB_JWT_SECRET" << secret32 << secret32;
    QTest::addRow("secret empty") << "HUB_JWT_SECRET"
                                  << ""
                                  << "";
    const QString dataDir = m_dir.filePath(QStringLiteral("data"));
    QTest::addRow("data dir") << "HUB_DATA_DIR" << dataDir << dataDir;
    QTest::addRow("ws clients 1") << "WS_MAX_CLIENTS"
                                  << "1"
                                  << "1";
    QTest::addRow("ws queue 64") << "WS_MAX_QUEUE_MB"
                                 << "64"
                                 << "64";
    QTest::addRow("history 512") << "WS_HISTORY_MAX_MB"
                                 << "512"
                                 << "512";
    QTest::addRow("channels 1") << "WS_MAX_CHANNELS"
                                << "1"
                                << "1";
    QTest::addRow("handshake 100 ms") << "WS_HANDSHAKE_TIMEOUT_MS"
                                      << "100"
                                      << "100";
    QTest::addRow("handshakes 5000") << "WS_MAX_HANDSHAKES"
                                     << "5000"
                                     << "5000";
    QTest::addRow("handshakes per address 1000") << "WS_MAX_HANDSHAKES_PER_ADDRESS"
                                                 << "1000"
                                                 << "1000";
    QTest::addRow("unauthenticated queue 4") << "WS_UNAUTH_QUEUE_KB"
                                             << "4"
                                             << "4";
    QTest::addRow("cache 1") << "HUB_CACHE_MAX_MB"
                             << "1"
                             << "1";
    QTest::addRow("cache 1 TiB") << "HUB_CACHE_MAX_MB"
                                 << "1048576"
                                 << "1048576";
    QTest::addRow("lang en") << "HUB_LANG"
                             << "en"
                             << "en";
    QTest::addRow("lang zh_CN") << "HUB_LANG"
                                << "zh_CN"
                                << "zh_CN";
    QTest::addRow("lang zh-CN") << "HUB_LANG"
                                << "zh-CN"
                                << "zh_CN";
    QTest::addRow("lang system") << "HUB_LANG"
                                 << "system"
                                 << "";
    QTest::addRow("audit 8 MiB") << "HUB_AUDIT_MAX_MB"
                                 << "8"
                                 << "8";
    QTest::addRow("audit 64 GiB") << "HUB_AUDIT_MAX_MB"
                                  << "65536"
                                  << "65536";
    QTest::addRow("routes file") << "HUB_ROUTES" << m_routesFile << m_routesFile;
    QTest::addRow("resp port 0") << "RESP_PORT"
                                 << "0"
                                 << "0";
    QTest::addRow("resp off") << "RESP_PORT"
                              << "off"
                              << "off";
    QTest::addRow("resp host any") << "RESP_HOST"
                                   << "0.0.0.0"
                                   << "0.0.0.0";
    QTest::addRow("resp password") << "RESP_PASSWORD"
                                   << "s3cret pass"
                                   << "s3cret pass";
    QTest::addRow("event stream") << "HUB_EVENT_STREAM"
                                  << "shop:events"
                                  << "shop:events";
    QTest::addRow("event stream off") << "HUB_EVENT_STREAM"
                                      << ""
                                      << "";
    QTest::addRow("history local") << "WS_HISTORY"
                                   << "local"
                                   << "local";
    QTest::addRow("history shared, any case") << "WS_HISTORY"
                                              << "Shared"
                                              << "shared";
    QTest::addRow("traces off") << "HUB_EVENT_TRACE"
                                << "OFF"
                                << "off";
    QTest::addRow("traces on") << "HUB_EVENT_TRACE"
                               << "on"
                               << "on";
    QTest::addRow("routes empty") << "HUB_ROUTES"
                                  << ""
                                  << "";
}

void TestHubConfigValues::acceptsGoodValues()
{
    QFETCH(QString, setting);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const kucun::SettingInfo &info = infoByEnv(setting);

    const LoadOutcome byFlag = m_dir.load({kFlagPrefix + QLatin1String(info.flag), value});
    QVERIFY2(byFlag.action == LoadOutcome::Action::Run, qPrintable(byFlag.text));
    QCOMPARE(typedValue(byFlag.config, info.id), expected);
    QCOMPARE(byFlag.config.effectiveSetting(info.id).source, SettingSource::CommandLine);

    QProcessEnvironment env;
    env.insert(setting, value);
    const LoadOutcome byEnv = m_dir.load({}, env);
    QVERIFY2(byEnv.action == LoadOutcome::Action::Run, qPrintable(byEnv.text));
    QCOMPARE(typedValue(byEnv.config, info.id), expected);
    QCOMPARE(byEnv.config.effectiveSetting(info.id).source, SettingSource::Environment);
}

void TestHubConfigValues::refusesBadValues_data()
{
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason");  // what follows "NAME: " in the error line

    const QString redisForm
        = QStringLiteral("is not a Redis URL (redis://[user:pass@]host[:port][/db] or "
                         "redis+sentinel://[user:pass@]host[:port][,host[:port]…]/master[/db])");
    QTest::addRow("redis http") << "REDIS_URL"
                                << "http://x"
                                << "'http://x' " + redisForm
                                       + ": the scheme must be redis:// or redis+sentinel://";
    QTest::addRow("sentinel without a master")
        << "REDIS_URL"
        << "redis+sentinel://s1:26379,s2:26379"
        << "'redis+sentinel://s1:26379,s2:26379' " + redisForm
               + ": the master's name is missing (…/mymaster)";
    QTest::addRow("sentinel with an empty host")
        << "REDIS_URL"
        << "redis+sentinel://s1,,s2/mymaster"
        << "'redis+sentinel://s1,,s2/mymaster' " + redisForm
               + ": '' is not a sentinel's host[:port]";
    QTest::addRow("sentinel password hidden")
        << "REDIS_URL"
        << "redis+sentinel://:hunter2@s1:0/mymaster"
        << "'redis+sentinel://:***@s1:0/mymaster' " + redisForm + ": port 0 cannot be connected to";
    QTest::addRow("redis tls") << "REDIS_URL"
                               << "rediss://x"
                               << "'rediss://x' " + redisForm
                                      + ": TLS (rediss://) is not supported";
    QTest::addRow("redis db") << "REDIS_URL"
                              << "redis://x/db1"
                              << "'redis://x/db1' " + redisForm
                                     + ": the database must be a number (redis://host/0)";

    const QString poolRule = QStringLiteral("is not a pool size (a whole number from 1 to 64)");
    for (const char *bad : {"0", "65", "-1", "two", "3.0", " 3", ""})
        QTest::addRow("pool '%s'", bad)
            << "REDIS_POOL_SIZE" << bad
            << QStringLiteral("'%1' ").arg(QLatin1String(bad)) + poolRule;

    const QString nsRule
        = QStringLiteral("is not a key namespace (1-64 characters of A-Z a-z 0-9 _ . -)");
    for (const QString &bad : {QString(), QStringLiteral("a:b"), QStringLiteral("a*"),
                               QString(65, u'n'), QStringLiteral("库存")})
        QTest::addRow("namespace '%s'", qPrintable(bad))
            << "REDIS_NAMESPACE" << bad << QStringLiteral("'%1' ").arg(bad) + nsRule;

    const QString hostRule
        = QStringLiteral("is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0, localhost)");
    for (const char *bad : {"", "example.com", "300.1.1.1", "fe80::1%eth0"})
        QTest::addRow("host '%s'", bad)
            << "WS_HOST" << bad << QStringLiteral("'%1' ").arg(QLatin1String(bad)) + hostRule;

    for (const char *bad : {"abc", "-1", "65536", "", "80 ", "1e3", "+80"})
        QTest::addRow("port '%s'", bad)
            << "WS_PORT" << bad
            << QStringLiteral("'%1' is not a port number (0-65535)").arg(QLatin1String(bad));

    const QString originRule
        = QStringLiteral("is not an origin (http[s]://host[:port], comma separated, or * for any)");
    for (const char *bad :
         {"ftp://x", "localhost:3001", "http://x/path", "http://", "http://u:p@x", "http://x?q=1"})
        QTest::addRow("origin '%s'", bad)
            << "WS_ALLOWED_ORIGINS" << QStringLiteral("http://ok,%1").arg(QLatin1String(bad))
            << QStringLiteral("'%1' ").arg(QLatin1String(bad)) + originRule;

    QTest::addRow("secret short") << "HUB_JWT_SECRET"
                                  << "short"
                                  << "a secret of 5 bytes is too short (HS256 needs at least 32 "
                                     "bytes; empty turns authentication off)";

    QTest::addRow("data dir empty") << "HUB_DATA_DIR"
                                    << ""
                                    << "'' is not a folder path";
    QTest::addRow("data dir is a file")
        << "HUB_DATA_DIR" << m_plainFile
        << QStringLiteral("'%1' exists and is not a folder").arg(m_plainFile);

    const QString cacheRule
        = QStringLiteral("is not a size in MiB (a whole number from 1 to 1048576)");
    for (const char *bad : {"0", "1048577", "lots", "256MB"})
        QTest::addRow("cache '%s'", bad)
            << "HUB_CACHE_MAX_MB" << bad
            << QStringLiteral("'%1' ").arg(QLatin1String(bad)) + cacheRule;

    for (const char *bad : {"0", "1000001", "many", "-5"})
        QTest::addRow("ws clients '%s'", bad)
            << "WS_MAX_CLIENTS" << bad
            << QStringLiteral("'%1' is not a number of clients (a whole number from 1 to 1000000)")
                   .arg(QLatin1String(bad));
    for (const char *bad : {"0", "1025", "4MB"})
        QTest::addRow("ws queue '%s'", bad)
            << "WS_MAX_QUEUE_MB" << bad
            << QStringLiteral("'%1' is not a size in MiB (a whole number from 1 to 1024)")
                   .arg(QLatin1String(bad));
    // The bounds against hostile clients: each refuses what would switch it off or overflow.
    const struct
    {
        const char *name;
        const char *bad;
        const char *rule;
    } hostileBounds[] = {
        {"WS_HISTORY_MAX_MB", "0", "a size in MiB (a whole number from 1 to 65536)"},
        {"WS_HISTORY_MAX_MB", "64MB", "a size in MiB (a whole number from 1 to 65536)"},
        {"WS_MAX_CHANNELS", "0", "a number of channels (a whole number from 1 to 1000000)"},
        {"WS_HANDSHAKE_TIMEOUT_MS", "50",
         "a time in milliseconds (a whole number from 100 to 600000)"},
        {"WS_HANDSHAKE_TIMEOUT_MS", "5s",
         "a time in milliseconds (a whole number from 100 to 600000)"},
        {"WS_MAX_HANDSHAKES", "0", "a number of connections (a whole number from 1 to 1000000)"},
        {"WS_MAX_HANDSHAKES_PER_ADDRESS", "-1",
         "a number of connections (a whole number from 1 to 1000000)"},
        {"WS_UNAUTH_QUEUE_KB", "1", "a size in KiB (a whole number from 4 to 1048576)"},
    };
    for (const auto &bound : hostileBounds) {
        QTest::addRow("%s '%s'", bound.name, bound.bad)
            << bound.name << bound.bad
            << QStringLiteral("'%1' is not %2")
                   .arg(QLatin1String(bound.bad), QLatin1String(bound.rule));
    }

    for (const char *bad : {"fr", "zh_TW", "english"})
        QTest::addRow("lang '%s'", bad)
            << "HUB_LANG" << bad
            << QStringLiteral("'%1' is not a supported language (en, zh_CN, or empty for the "
                              "system locale)")
                   .arg(QLatin1String(bad));

    for (const char *bad : {"999", "100000001", "many"})
        QTest::addRow("audit rows '%s'", bad)
            << "HUB_AUDIT_MAX_ROWS" << bad
            << QStringLiteral("'%1' is not a row count (a whole number from 1000 to 100000000)")
                   .arg(QLatin1String(bad));
    for (const char *bad : {"0", "3651", "1.5"})
        QTest::addRow("audit days '%s'", bad)
            << "HUB_AUDIT_MAX_AGE_DAYS" << bad
            << QStringLiteral("'%1' is not a number of days (a whole number from 1 to 3650)")
                   .arg(QLatin1String(bad));

    for (const char *bad : {"7", "65537", "0", "1e3", "256MB"})
        QTest::addRow("audit MiB '%s'", bad)
            << "HUB_AUDIT_MAX_MB" << bad
            << QStringLiteral("'%1' is not a size in MiB (a whole number from 8 to 65536)")
                   .arg(QLatin1String(bad));

    const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
    QTest::addRow("routes missing")
        << "HUB_ROUTES" << missing << QStringLiteral("'%1' is not a readable file").arg(missing);
    QTest::addRow("routes folder")
        << "HUB_ROUTES" << m_dir.path()
        << QStringLiteral("'%1' is not a readable file").arg(m_dir.path());
    QTest::addRow("resp port") << "RESP_PORT"
                               << "6380x"
                               << "'6380x' is not a port number (0-65535) or off";
    QTest::addRow("resp host") << "RESP_HOST"
                               << "redis.local"
                               << "'redis.local' is not an IP address (e.g. 127.0.0.1, ::1, "
                                  "0.0.0.0, localhost)";
    QTest::addRow("resp password line break")
        << "RESP_PASSWORD"
        << "pass\nword"
        << "a password cannot hold control characters or line breaks";
    QTest::addRow("resp password long") << "RESP_PASSWORD" << QString(1025, u'p')
                                        << "a password of 1025 bytes is too long (at most 1024 "
                                           "bytes)";
    QTest::addRow("event stream with a space")
        << "HUB_EVENT_STREAM"
        << "shop events"
        << "'shop events' is not a stream name (up to 256 characters, no spaces or control "
           "characters; empty for none)";
    QTest::addRow("history") << "WS_HISTORY"
                             << "redis"
                             << "'redis' is not a kind of history (shared or local)";
    QTest::addRow("trace") << "HUB_EVENT_TRACE"
                           << "yes"
                           << "'yes' is not on or off";
}

void TestHubConfigValues::refusesBadValues()
{
    QFETCH(QString, setting);
    QFETCH(QString, value);
    QFETCH(QString, reason);
    const kucun::SettingInfo &info = infoByEnv(setting);
    const QString flag = kFlagPrefix + QLatin1String(info.flag);

    const LoadOutcome byFlag = m_dir.load({flag, value});
    QCOMPARE(byFlag.action, LoadOutcome::Action::Fail);
    QCOMPARE(byFlag.text, QStringLiteral("kucun-hub: %1: %2").arg(flag, reason));

    QProcessEnvironment env;
    env.insert(setting, value);
    const LoadOutcome byEnv = m_dir.load({}, env);
    QCOMPARE(byEnv.action, LoadOutcome::Action::Fail);
    QCOMPARE(byEnv.text, QStringLiteral("kucun-hub: %1: %2").arg(setting, reason));

    const QString ini = m_dir.writeIni(setting.toUtf8() + "=\"" + value.toUtf8() + "\"\n");
    const LoadOutcome byFile = m_dir.load({QStringLiteral("--config"), ini});
    QCOMPARE(byFile.action, LoadOutcome::Action::Fail);
    QCOMPARE(byFile.text, QStringLiteral("kucun-hub: %1 in '%2': %3").arg(setting, ini, reason));
}

QTEST_GUILESS_MAIN(TestHubConfigValues)
#include "tst_hubconfigvalues.moc"
