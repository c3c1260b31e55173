// The HTTP side's settings (SPEC §1): port and address, the API keys, the write rate and the
// TLS pair, each checked like every other setting (exit 2 with one line), and the pairs that are
// each allowed but not together: a certificate without its key, a key that is not the
// certificate's, a viewer key without an admin key. Keys are never echoed.

#include "support/configscratch.h"
#include "support/tlsfiles.h"

#include <QFile>
#include <QTest>

using kucun::LoadOutcome;

namespace {

const QString kAdminKey = QStringLiteral("admin-key-0123456789");
const QString kViewerKey = QStringLiteral("viewer-key-0123456789");

}  // namespace

class TestHubConfigHttp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaults();
    void acceptsGoodValues();
    void refuses_data();
    void refuses();
    void keysAreNeverEchoed();

private:
    kucun::test::ConfigScratch m_dir;
    kucun::test::TlsFiles m_pair;
    kucun::test::TlsFiles m_other;  // another pair: its key is not m_pair's
    QString m_encryptedKey;
    QString m_notPem;
};

void TestHubConfigHttp::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_pair.make(m_dir.path(), QStringLiteral("hub"), &error), qPrintable(error));
    QVERIFY2(m_other.make(m_dir.path(), QStringLiteral("other"), &error), qPrintable(error));
    m_encryptedKey = m_dir.filePath(QStringLiteral("encrypted.key"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("pkey"), QStringLiteral("-in"), m_pair.key,
                   QStringLiteral("-aes256"), QStringLiteral("-passout"),
                   QStringLiteral("pass:secret"), QStringLiteral("-out"), m_encryptedKey});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    m_notPem = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile notes(m_notPem);
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a certificate\n");
}

void TestHubConfigHttp::defaults()
{
    const LoadOutcome outcome = m_dir.load({});
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.httpPort, std::optional<quint16>(3003));
    QCOMPARE(outcome.config.httpHost, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(outcome.config.adminKey.isEmpty());
    QVERIFY(outcome.config.viewerKey.isEmpty());
    QCOMPARE(outcome.config.httpRateLimit, 1000);
    QVERIFY(!outcome.config.tls.enabled());
}

void TestHubConfigHttp::acceptsGoodValues()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HUB_ADMIN_KEY"), kAdminKey);
    env.insert(QStringLiteral("HUB_VIEWER_KEY"), kViewerKey);
    const LoadOutcome outcome = m_dir.load(
        {QStringLiteral("--http-port"), QStringLiteral("0"), QStringLiteral("--http-host"),
         QStringLiteral("0.0.0.0"), QStringLiteral("--http-rate-limit"), QStringLiteral("0"),
         QStringLiteral("--tls-cert"), m_pair.certificate, QStringLiteral("--tls-key"), m_pair.key},
        env);
    QCOMPARE(outcome.action, LoadOutcome::Action::Run);
    QCOMPARE(outcome.config.httpPort, std::optional<quint16>(0));
    QCOMPARE(outcome.config.httpHost, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(outcome.config.adminKey, kAdminKey.toUtf8());
    QCOMPARE(outcome.config.viewerKey, kViewerKey.toUtf8());
    QCOMPARE(outcome.config.httpRateLimit, 0);
    QVERIFY(outcome.config.tls.enabled());
    QVERIFY(outcome.config.tls.keyMatchesCertificate());

    const LoadOutcome off = m_dir.load({QStringLiteral("--http-port"), QStringLiteral("off")});
    QCOMPARE(off.action, LoadOutcome::Action::Run);
    QVERIFY(!off.config.httpPort);
}

void TestHubConfigHttp::refuses_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("line");  // the whole error line; "%1" stands for a file

    QTest::newRow("port") << QStringList{
        "--http-port",
        "80000"} << "kucun-hub: --http-port: '80000' is not a port number (0-65535) or off";
    QTest::newRow("port word") << QStringList{
        "--http-port",
        "on"} << "kucun-hub: --http-port: 'on' is not a port number (0-65535) or off";
    QTest::newRow("host") << QStringList{"--http-host", "shop.example"}
                          << "kucun-hub: --http-host: 'shop.example' is not an IP address (e.g. "
                             "127.0.0.1, ::1, 0.0.0.0, localhost)";
    QTest::newRow("rate") << QStringList{"--http-rate-limit", "-5"}
                          << "kucun-hub: --http-rate-limit: '-5' is not a rate per second (a whole "
                             "number from 0 to 10000000)";
    QTest::newRow("short admin key")
        << QStringList{"--admin-key", "short"}
        << "kucun-hub: --admin-key: a key of 5 bytes is too short (at least 16 bytes; empty turns "
           "it off)";
    QTest::newRow("viewer without admin")
        << QStringList{"--viewer-key", kViewerKey}
        << "kucun-hub: --viewer-key: is set but HUB_ADMIN_KEY is not; set an admin key too";
    QTest::newRow("same keys")
        << QStringList{"--admin-key", kAdminKey, "--viewer-key", kAdminKey}
        << "kucun-hub: --viewer-key: is the same as HUB_ADMIN_KEY; a viewer key must differ";
}

void TestHubConfigHttp::refuses()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, line);
    const LoadOutcome outcome = m_dir.load(flags);
    QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
    QCOMPARE(outcome.text, line);
}

void TestHubConfigHttp::keysAreNeverEchoed()
{
    // The TLS refusals name the files; the key settings never show the key.
    struct Case
    {
        QStringList flags;
        QString expected;
    };
    const QList<Case> cases{
        {{QStringLiteral("--tls-cert"), m_pair.certificate},
         QStringLiteral("kucun-hub: --tls-cert: is set but HUB_TLS_KEY is not; TLS needs both "
                        "files")},
        {{QStringLiteral("--tls-key"), m_pair.key},
         QStringLiteral("kucun-hub: --tls-key: is set but HUB_TLS_CERT is not; TLS needs both "
                        "files")},
        {{QStringLiteral("--tls-cert"), m_pair.certificate, QStringLiteral("--tls-key"),
          m_other.key},
         QStringLiteral("kucun-hub: --tls-key: '%1' is not the private key of the certificate in "
                        "'%2'")
             .arg(m_other.key, m_pair.certificate)},
        {{QStringLiteral("--tls-cert"), m_notPem, QStringLiteral("--tls-key"), m_pair.key},
         QStringLiteral("kucun-hub: --tls-cert: '%1' holds no PEM certificate (-----BEGIN "
                        "CERTIFICATE-----)")
             .arg(m_notPem)},
        {{QStringLiteral("--tls-cert"), m_pair.certificate, QStringLiteral("--tls-key"),
          m_pair.certificate},
         QStringLiteral("kucun-hub: --tls-key: '%1' holds no PEM private key (RSA, EC or DSA)")
             .arg(m_pair.certificate)},
        {{QStringLiteral("--tls-cert"), m_pair.certificate, QStringLiteral("--tls-key"),
          m_encryptedKey},
         QStringLiteral("kucun-hub: --tls-key: '%1' is encrypted; give the key without a pass "
                        "phrase and protect the file by its permissions")
             .arg(m_encryptedKey)},
        {{QStringLiteral("--tls-cert"), m_dir.filePath(QStringLiteral("missing.crt"))},
         QStringLiteral("kucun-hub: --tls-cert: '%1' cannot be read (No such file or directory)")
             .arg(m_dir.filePath(QStringLiteral("missing.crt")))},
    };
    for (const Case &c : cases) {
        const LoadOutcome outcome = m_dir.load(c.flags);
        QCOMPARE(outcome.action, LoadOutcome::Action::Fail);
        QCOMPARE(outcome.text, c.expected);
    }
    const QString secret = QStringLiteral("my-secret-key-of-15");
    const LoadOutcome shortKey = m_dir.load({QStringLiteral("--admin-key"), secret.left(15)});
    QCOMPARE(shortKey.action, LoadOutcome::Action::Fail);
    QVERIFY(!shortKey.text.contains(secret.left(15)));
    QProcessEnvironment env;
    env.insert(QStringLiteral("HUB_ADMIN_KEY"), kAdminKey);
    const LoadOutcome loaded = m_dir.load({}, env);
    QCOMPARE(loaded.config.effectiveSetting(kucun::SettingId::AdminKey).displayValue,
             QStringLiteral("***"));
}

QTEST_GUILESS_MAIN(TestHubConfigHttp)
#include "tst_hubconfighttp.moc"
