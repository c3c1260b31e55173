#include "config/hubconfigloader.h"
#include "support/configscratch.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using kucun::HubConfigLoader;
using kucun::LoadOutcome;
using kucun::SettingId;
using kucun::SettingSource;

// HubConfigLoader and the files around it: the settings file it reads (--config or the user's
// own) and the data folder prepareDataDir() makes. The values themselves are in
// tst_hubconfigloader.
class TestHubConfigFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void settingsFileErrors();
    void settingsFileCommaListsAndGroups();
    void userSettingsFileIsReadWithoutConfigFlag();
    void configFlagReplacesUserSettingsFile();
    void prepareDataDirCreatesTheFolder();
    void prepareDataDirRefusesAnImpossiblePath();
    void prepareDataDirNamesTheSettingAsGiven();
    void prepareDataDirRefusesAReadOnlyFolder();

private:
    kucun::test::ConfigScratch m_dir;  // where the settings files and folders go
    QString m_plainFile;  // a regular file: no folder can be made below it
};

void TestHubConfigFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_plainFile = m_dir.filePath(QStringLiteral("plain.txt"));
    QFile plain(m_plainFile);
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("{}");
}

void TestHubConfigFiles::settingsFileErrors()
{
    const QString missing = m_dir.filePath(QStringLiteral("nope.ini"));
    QCOMPARE(m_dir.load({QStringLiteral("--config"), missing}).text,
             QStringLiteral("kucun-hub: --config: '%1' is not a readable file").arg(missing));

    // A file that opens but cannot be read: refused, not read as empty.
    if (QFileInfo(QStringLiteral("/proc/self/mem")).isFile()) {
        const QString text
            = m_dir.load({QStringLiteral("--config"), QStringLiteral("/proc/self/mem")}).text;
        QVERIFY2(text.startsWith(
                     QStringLiteral("kucun-hub: --config: '/proc/self/mem' cannot be read (")),
                 qPrintable(text));
        QCOMPARE(text.count(u'\n'), 0);
    }

    // Not text: binary, a NUL byte, broken UTF-8, or far too long for a settings file.
    const QString notText = QStringLiteral("kucun-hub: --config: '%1' is not a settings file "
                                           "(UTF-8 text, INI, at most 1024 KiB)");
    for (const QByteArray &content :
         {QByteArray("\x7f"
                     "ELF\x02\x01\x01\0\0\0",
                     10),
          QByteArray("WS_PORT=3002\n\0", 14), QByteArray("WS_HOST=\xff\xfe\n"),
          QByteArray("# ") + QByteArray(1 << 20, 'x') + "\nWS_PORT=3002\n"}) {
        const QString file = m_dir.writeIni(content);
        const LoadOutcome outcome = m_dir.load({QStringLiteral("--config"), file});
        QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
        QCOMPARE(outcome.text, notText.arg(file));
    }

    const QString typo = m_dir.writeIni("WS_PROT=3003\n");
    QCOMPARE(
        m_dir.load({QStringLiteral("--config"), typo}).text,
        QStringLiteral("kucun-hub: --config: '%1' has an unknown setting 'WS_PROT'").arg(typo));
}

void TestHubConfigFiles::settingsFileCommaListsAndGroups()
{
    const QString ini = m_dir.writeIni("WS_ALLOWED_ORIGINS=http://a:1,https://b\n"
                                       "[window]\ngeometry=whatever\n");
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--config"), ini});
    QVERIFY2(outcome.action == LoadOutcome::Action::Run, qPrintable(outcome.text));
    QCOMPARE(outcome.config.allowedOrigins,
             (QStringList{QStringLiteral("http://a:1"), QStringLiteral("https://b")}));
    QCOMPARE(outcome.config.settingsFile, ini);
}

void TestHubConfigFiles::userSettingsFileIsReadWithoutConfigFlag()
{
    const QString user = m_dir.writeIni("WS_PORT=4100\n");
    const LoadOutcome outcome = m_dir.load({}, {}, user);
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.wsPort, quint16(4100));
    QCOMPARE(outcome.config.effectiveSetting(SettingId::WsPort).source, SettingSource::File);

    // A user file that does not exist yet is simply absent, not an error.
    const LoadOutcome none = m_dir.load({}, {}, m_dir.filePath(QStringLiteral("absent.ini")));
    QCOMPARE(none.action, LoadOutcome::Action::Run);
    QVERIFY(none.config.settingsFile.isEmpty());
}

void TestHubConfigFiles::configFlagReplacesUserSettingsFile()
{
    const QString user = m_dir.writeIni("WS_PORT=4100\nREDIS_NAMESPACE=user\n");
    const QString site = m_dir.writeIni("WS_PORT=4200\n");
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--config"), site}, {}, user);
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.wsPort, quint16(4200));
    QCOMPARE(outcome.config.keyNamespace, QStringLiteral("kucun"));
}

void TestHubConfigFiles::prepareDataDirCreatesTheFolder()
{
    const QString nested = m_dir.filePath(QStringLiteral("a/b/c"));
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--data-dir"), nested});
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QVERIFY(!QDir(nested).exists());  // loading has no side effects
    const auto failure = kucun::prepareDataDir(outcome.config);
    QVERIFY2(!failure, qPrintable(failure.value_or(QString())));
    QVERIFY(QDir(nested).exists());
    QCOMPARE(QDir(nested).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());  // the write check cleans up after itself
}

void TestHubConfigFiles::prepareDataDirRefusesAnImpossiblePath()
{
    // Below a regular file no folder can be made, whoever runs the test.
    const QString impossible = m_plainFile + QStringLiteral("/data");
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--data-dir"), impossible});
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(kucun::prepareDataDir(outcome.config).value_or(QString()),
             QStringLiteral("kucun-hub: --data-dir: '%1' cannot be created").arg(impossible));
}

void TestHubConfigFiles::prepareDataDirNamesTheSettingAsGiven()
{
    const QString impossible = m_plainFile + QStringLiteral("/data");
    const auto refusal = [this](const LoadOutcome &outcome) {
        if (outcome.action != LoadOutcome::Action::Run)
            return outcome.text;
        return kucun::prepareDataDir(outcome.config).value_or(QString());
    };
    const QString reason = QStringLiteral(": '%1' cannot be created").arg(impossible);

    QProcessEnvironment env;
    env.insert(QStringLiteral("HUB_DATA_DIR"), impossible);
    QCOMPARE(refusal(m_dir.load({}, env)), QStringLiteral("kucun-hub: HUB_DATA_DIR") + reason);

    const QString ini = m_dir.writeIni("HUB_DATA_DIR=" + impossible.toUtf8() + "\n");
    QCOMPARE(refusal(m_dir.load({QStringLiteral("--config"), ini})),
             QStringLiteral("kucun-hub: HUB_DATA_DIR in '%1'").arg(ini) + reason);

    QCOMPARE(refusal(m_dir.load({QStringLiteral("--data-dir"), impossible}, env)),
             QStringLiteral("kucun-hub: --data-dir") + reason);
}

void TestHubConfigFiles::prepareDataDirRefusesAReadOnlyFolder()
{
    // /proc exists and is a folder, but nobody, root included, may create a file in it.
    if (!QFileInfo(QStringLiteral("/proc")).isDir())
        QSKIP("no /proc here");
    const LoadOutcome outcome = m_dir.load({QStringLiteral("--data-dir"), QStringLiteral("/proc")});
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(kucun::prepareDataDir(outcome.config).value_or(QString()),
             QStringLiteral("kucun-hub: --data-dir: '/proc' is not writable"));
}

QTEST_GUILESS_MAIN(TestHubConfigFiles)
#include "tst_hubconfigfiles.moc"
