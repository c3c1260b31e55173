// The settings loader's rules (SPEC §1): precedence of flag, environment, file and default,
// flags and arguments, help and version, one-line errors, secrets never echoed, and which engine
// it chose and why. Each setting's allowed and refused values: tst_hubconfigvalues.

#include "config/hubconfigloader.h"
#include "support/configscratch.h"

#include <QTest>

using kucun::LoadOutcome;
using kucun::SettingId;
using kucun::SettingSource;

namespace {

const QString kFlagPrefix = QStringLiteral("--");

}  // namespace

class TestHubConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void precedence_data();
    void precedence();
    void overriddenBadValueIsNotLookedAt();
    void flagWithEqualsSign();
    void refusesUnknownFlagsAndArguments_data();
    void refusesUnknownFlagsAndArguments();
    void attachTakesAHubsAddress_data();
    void attachTakesAHubsAddress();
    void replaySpeedTakesAPaceOrMax_data();
    void replaySpeedTakesAPaceOrMax();
    void demoFaultGoesWithTheDemo_data();
    void demoFaultGoesWithTheDemo();
    void helpListsEverySetting();
    void versionNamesTheProgram();
    void errorStaysOnOneLine();
    void secretsAreNeverEchoed();
    void engineChoiceSaysWhichAndWhy_data();
    void engineChoiceSaysWhichAndWhy();

private:
    kucun::test::ConfigScratch m_dir;  // where the settings files and folders go
};

void TestHubConfigLoader::precedence_data()
{
    QTest::addColumn<bool>("withFlag");
    QTest::addColumn<bool>("withEnv");
    QTest::addColumn<bool>("withFile");
    QTest::addColumn<int>("expectedPort");
    QTest::addColumn<SettingSource>("expectedSource");

    QTest::addRow("flag beats all") << true << true << true << 3333 << SettingSource::CommandLine;
    QTest::addRow("flag beats file") << true << false << true << 3333 << SettingSource::CommandLine;
    QTest::addRow("env beats file") << false << true << true << 2222 << SettingSource::Environment;
    QTest::addRow("file beats default") << false << false << true << 1111 << SettingSource::File;
    QTest::addRow("default") << false << false << false << 3002 << SettingSource::Default;
}

void TestHubConfigLoader::precedence()
{
    QFETCH(bool, withFlag);
    QFETCH(bool, withEnv);
    QFETCH(bool, withFile);
    QFETCH(int, expectedPort);
    QFETCH(SettingSource, expectedSource);

    QStringList flags;
    if (withFlag)
        flags << QStringLiteral("--ws-port") << QStringLiteral("3333");
    if (withFile)
        flags << QStringLiteral("--config")
              << m_dir.writeIni("WS_PORT=1111\nREDIS_NAMESPACE=filens\n");
    QProcessEnvironment env;
    if (withEnv)
        env.insert(QStringLiteral("WS_PORT"), QStringLiteral("2222"));

    const LoadOutcome outcome = m_dir.load(flags, env);
    QVERIFY2(outcome.action == LoadOutcome::Action::Run, qPrintable(outcome.text));
    QCOMPARE(outcome.config.wsPort, quint16(expectedPort));
    QCOMPARE(outcome.config.effectiveSetting(SettingId::WsPort).source, expectedSource);
    QCOMPARE(outcome.config.effectiveSetting(SettingId::WsPort).displayValue,
             QString::number(expectedPort));
    // A setting only the file names still comes from the file.
    QCOMPARE(outcome.config.keyNamespace,
             withFile ? QStringLiteral("filens") : QStringLiteral("kucun"));
}

void TestHubConfigLoader::overriddenBadValueIsNotLookedAt()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("abc"));
    const LoadOutcome outcome
        = m_dir.load({QStringLiteral("--ws-port"), QStringLiteral("4000")}, env);
    QVERIFY2(outcome.action == LoadOutcome::Action::Run, qPrintable(outcome.text));
    QCOMPARE(outcome.config.wsPort, quint16(4000));
}

void TestHubConfigLoader::flagWithEqualsSign()
{
    const LoadOutcome outcome = m_dir.load(
        {QStringLiteral("--ws-port=4001"), QStringLiteral("--headless"), QStringLiteral("--demo")});
    QVERIFY2(outcome.action == LoadOutcome::Action::Run, qPrintable(outcome.text));
    QCOMPARE(outcome.config.wsPort, quint16(4001));
    QVERIFY(outcome.config.headless);
    QVERIFY(outcome.config.demo);
}

void TestHubConfigLoader::refusesUnknownFlagsAndArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");

    QTest::addRow("misspelt flag")
        << QStringList{"--ws-prot", "1"} << "kucun-hub: --ws-prot: unknown option (see --help)";
    QTest::addRow("short flag") << QStringList{"-x"}
                                << "kucun-hub: -x: unknown option (see --help)";
    QTest::addRow("qt option") << QStringList{"-platform", "xcb"}
                               << "kucun-hub: --platform: unknown option (see --help)";
    QTest::addRow("positional") << QStringList{"serve"}
                                << "kucun-hub: 'serve': unexpected argument (see --help)";
    QTest::addRow("missing value")
        << QStringList{"--ws-port"} << "kucun-hub: Missing value after '--ws-port'.";
}

void TestHubConfigLoader::refusesUnknownFlagsAndArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const LoadOutcome outcome = m_dir.load(arguments);
    QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
    QCOMPARE(outcome.text, expected);
}

void TestHubConfigLoader::attachTakesAHubsAddress_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("attached");  // empty: refused
    QTest::addRow("http") << QStringList{"--attach", "http://127.0.0.1:3003"}
                          << "http://127.0.0.1:3003";
    QTest::addRow("https, trailing slash")
        << QStringList{"--attach", "https://shop-box:3003/"} << "https://shop-box:3003";
    QTest::addRow("read-only too")
        << QStringList{"--attach", "https://shop-box", "--read-only"} << "https://shop-box";
    QTest::addRow("no scheme") << QStringList{"--attach", "shop-box:3003"} << QString();
    QTest::addRow("ws scheme") << QStringList{"--attach", "ws://shop-box:3001"} << QString();
    QTest::addRow("a path") << QStringList{"--attach", "http://shop-box:3003/api"} << QString();
    QTest::addRow("a user") << QStringList{"--attach", "http://admin@shop-box:3003"} << QString();
    QTest::addRow("headless") << QStringList{"--attach", "http://127.0.0.1:3003", "--headless"}
                              << QString();
    QTest::addRow("demo") << QStringList{"--attach", "http://127.0.0.1:3003", "--demo"}
                          << QString();
}

void TestHubConfigLoader::attachTakesAHubsAddress()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, attached);
    const LoadOutcome outcome = m_dir.load(arguments);
    if (attached.isEmpty()) {
        QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
        QVERIFY2(outcome.text.startsWith(QStringLiteral("kucun-hub: --attach")),
                 qPrintable(outcome.text));
        QVERIFY(!outcome.text.contains(u'\n'));
        return;
    }
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.attachUrl.toString(), attached);
    QCOMPARE(outcome.config.readOnly, arguments.contains(QStringLiteral("--read-only")));
}

void TestHubConfigLoader::replaySpeedTakesAPaceOrMax_data()
{
    QTest::addColumn<QString>("speed");
    QTest::addColumn<double>("taken");  // -1: refused
    QTest::addRow("max") << "max" << 0.0;
    QTest::addRow("ten") << "10" << 10.0;
    QTest::addRow("slower") << "0.5" << 0.5;
    QTest::addRow("zero") << "0" << -1.0;
    QTest::addRow("negative") << "-2" << -1.0;
    QTest::addRow("too fast") << "1001" << -1.0;
    QTest::addRow("words") << "fast" << -1.0;
}

void TestHubConfigLoader::replaySpeedTakesAPaceOrMax()
{
    QFETCH(QString, speed);
    QFETCH(double, taken);
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--replay"), QStringLiteral("r.jsonl"),
                                            QStringLiteral("--record"), QStringLiteral("w.jsonl"),
                                            QStringLiteral("--replay-speed"), speed});
    if (taken < 0) {
        QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
        QVERIFY2(outcome.text.startsWith(QStringLiteral("kucun-hub: --replay-speed: ")),
                 qPrintable(outcome.text));
        return;
    }
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.replaySpeed, taken);
    QCOMPARE(outcome.config.replayFile, QStringLiteral("r.jsonl"));
    QCOMPARE(outcome.config.recordFile, QStringLiteral("w.jsonl"));
}

void TestHubConfigLoader::demoFaultGoesWithTheDemo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("faults");  // text() of what was taken; empty: refused
    QTest::addColumn<QString>("refusal");
    QTest::addRow("taken") << QStringList{"--demo", "--demo-fault", "stampede=64,slow=200"}
                           << "slow=200,stampede=64" << QString();
    QTest::addRow("cut with Redis")
        << QStringList{"--demo", "--demo-fault", "redis-cut", "--redis", "redis://127.0.0.1:1"}
        << "redis-cut" << QString();
    QTest::addRow("without --demo") << QStringList{"--demo-fault", "burst=100"} << QString()
                                    << "kucun-hub: --demo-fault goes with --demo";
    QTest::addRow("a bad item") << QStringList{"--demo", "--demo-fault", "fail=120"} << QString()
                                << "kucun-hub: --demo-fault: fail: '120' is not a number from 0 "
                                   "to 100";
    QTest::addRow("cut without Redis")
        << QStringList{"--demo", "--demo-fault", "redis-cut"} << QString()
        << "kucun-hub: --demo-fault: redis-cut needs Redis";
}

void TestHubConfigLoader::demoFaultGoesWithTheDemo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, faults);
    QFETCH(QString, refusal);
    const LoadOutcome outcome = m_dir.load(arguments);
    if (faults.isEmpty()) {
        QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
        QVERIFY2(outcome.text.startsWith(refusal), qPrintable(outcome.text));
        QVERIFY(!outcome.text.contains(u'\n'));
        return;
    }
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.demoFaults.text(), faults);
    QVERIFY(outcome.config.demo);
}

void TestHubConfigLoader::helpListsEverySetting()
{
    for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        const LoadOutcome outcome = m_dir.load({flag});
        QCOMPARE(outcome.action, LoadOutcome::Action::ShowHelp);
        for (const kucun::SettingInfo &info : kucun::allSettings()) {
            QVERIFY2(outcome.text.contains(kFlagPrefix + QLatin1String(info.flag)), info.flag);
            QVERIFY2(outcome.text.contains(QLatin1String(info.envName)), info.envName);
        }
        QVERIFY(outcome.text.contains(QStringLiteral("--headless")));
        QVERIFY(outcome.text.contains(QStringLiteral("--demo")));
        QVERIFY(outcome.text.contains(QStringLiteral("--demo-fault")));
        QVERIFY(outcome.text.contains(QStringLiteral("--config")));
        QVERIFY(outcome.text.contains(QStringLiteral("default 3002")));
        // The program's own name, not Qt's placeholder or the test's.
        QVERIFY2(outcome.text.startsWith(QStringLiteral("Usage: kucun-hub [options]\n")),
                 qPrintable(outcome.text.left(80)));
    }
}

void TestHubConfigLoader::versionNamesTheProgram()
{
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--version")});
    QCOMPARE(outcome.action, LoadOutcome::Action::ShowVersion);
    QCOMPARE(outcome.text, QStringLiteral("kucun-hub %1\n").arg(QStringLiteral(KUCUN_VERSION)));
}

void TestHubConfigLoader::errorStaysOnOneLine()
{
    const LoadOutcome outcome
        = m_dir.load({QStringLiteral("--ws-port"), QStringLiteral("30\n02\t\x01")});
    QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
    QCOMPARE(
        outcome.text,
        QStringLiteral("kucun-hub: --ws-port: '30\\n02\\t\\x01' is not a port number (0-65535)"));

    const LoadOutcome longValue = m_dir.load({QStringLiteral("--namespace"), QString(500, u'x')});
    QVERIFY(longValue.text.size() < 220);
    QVERIFY(!longValue.text.contains(u'\n'));
}

void TestHubConfigLoader::secretsAreNeverEchoed()
{
    const QString password = QStringLiteral("hunter2hunter2");
    const LoadOutcome badUrl = m_dir.load(
        {QStringLiteral("--redis"), QStringLiteral("redis://app:%1@h:99999").arg(password)});
    QCOMPARE(badUrl.action, LoadOutcome::Action::Fail);
    QVERIFY2(!badUrl.text.contains(password), qPrintable(badUrl.text));
    QVERIFY(badUrl.text.contains(QStringLiteral("redis://app:***@h:99999")));

    const LoadOutcome shortSecret = m_dir.load({QStringLiteral("--jwt-secret"), password});
    QCOMPARE(shortSecret.action, LoadOutcome::Action::Fail);
    QVERIFY2(!shortSecret.text.contains(password), qPrintable(shortSecret.text));

    const QString goodSecret(40, u's');
    const LoadOutcome good
        = m_dir.load({QStringLiteral("--jwt-secret"), goodSecret, QStringLiteral("--redis"),
                      QStringLiteral("redis://:%1@h").arg(password)});
    QCOMPARE(good.action, LoadOutcome::Action::Run);
    QCOMPARE(good.config.effectiveSetting(SettingId::JwtSecret).displayValue,
             QStringLiteral("***"));
    QCOMPARE(good.config.effectiveSetting(SettingId::RedisUrl).displayValue,
             QStringLiteral("redis://:***@h"));
}

void TestHubConfigLoader::engineChoiceSaysWhichAndWhy_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("envUrl");  // empty: REDIS_URL not in the environment
    QTest::addColumn<QString>("expected");

    QTest::addRow("nothing set") << QStringList{} << QString()
                                 << "the embedded engine (no Redis URL is set)";
    QTest::addRow("inherited from the shell")
        << QStringList{} << "redis://:hunter2@127.0.0.1:6379"
        << "Redis at redis://:***@127.0.0.1:6379, from REDIS_URL in the environment";
    QTest::addRow("flag over the shell")
        << QStringList{"--redis", "redis://10.0.0.5:6380/2"} << "redis://127.0.0.1:6379"
        << "Redis at redis://10.0.0.5:6380/2, from --redis";
    QTest::addRow("flag empties it") << QStringList{"--redis", ""} << "redis://127.0.0.1:6379"
                                     << "the embedded engine (the Redis URL is set empty)";
}

void TestHubConfigLoader::engineChoiceSaysWhichAndWhy()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, envUrl);
    QFETCH(QString, expected);
    QProcessEnvironment env;
    if (!envUrl.isEmpty())
        env.insert(QStringLiteral("REDIS_URL"), envUrl);
    const LoadOutcome outcome = m_dir.load(flags, env);
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.engineChoice(), expected);
    QVERIFY(!outcome.config.engineChoice().contains(u"hunter2"));
}

QTEST_GUILESS_MAIN(TestHubConfigLoader)
#include "tst_hubconfigloader.moc"
