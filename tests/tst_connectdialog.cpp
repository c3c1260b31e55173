// File > Connect to hub… (SPEC §13): saved hubs keep their name and address in the user's
// settings and never the key; where no keyring service runs (here: the session bus points
// nowhere, as on a box without a desktop session) the real QtKeychain says so, the dialog says
// the key is asked for each time, and nothing is kept. Bad addresses are refused with what would
// be right; plain http:// to another machine is warned about.

#include "connectdialog.h"
#include "uitranslation.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using kucun::ConnectDialog;

class TestConnectDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void savedHubKeepsNameAndAddressNeverTheKey();
    void chosenHubFillsTheFields();
    void badAddressIsRefused_data();
    void badAddressIsRefused();
    void plainHttpToAnotherMachineIsWarnedAbout();
    void connectGivesAddressAndKey();
};

void TestConnectDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // No keyring: a session bus nobody listens on.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kucun-hub-test-bus");
    QCOMPARE(kucun::installUiTranslation(*qApp, QStringLiteral("en")), QStringLiteral("en"));
}

void TestConnectDialog::init()
{
    QSettings().clear();
}

void TestConnectDialog::savedHubKeepsNameAndAddressNeverTheKey()
{
    ConnectDialog dialog;
    QSignalSpy keyring(&dialog, &ConnectDialog::keyringAnswered);
    const QString key = QStringLiteral("the-admin-key-0123456789abcdef");
    dialog.setFields(QStringLiteral("Shop box"), QStringLiteral("https://127.0.0.1:3003/"), key,
                     true);
    QVERIFY(dialog.save());
    QVERIFY(keyring.wait(10000));
    QCOMPARE(ConnectDialog::savedHubs(),
             (QList<ConnectDialog::SavedHub>{
                 {QStringLiteral("Shop box"), QUrl(QStringLiteral("https://127.0.0.1:3003"))}}));
    // The keyring could not take it: the user is told, and may not ask again.
    QVERIFY2(dialog.noteText().contains(QStringLiteral("asked for each time")),
             qPrintable(dialog.noteText()));
    QVERIFY(!dialog.rememberAllowed());
    // Nothing of the key in the settings.
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(written.contains("127.0.0.1:3003"));
    QVERIFY(!written.contains(key.toUtf8()));

    // Saved again under the same address: replaced, not added.
    dialog.setFields(QStringLiteral("Shop"), QStringLiteral("https://127.0.0.1:3003"), {}, false);
    QVERIFY(dialog.save());
    QCOMPARE(ConnectDialog::savedHubs().size(), 1);
    QCOMPARE(ConnectDialog::savedHubs().front().name, QStringLiteral("Shop"));
}

void TestConnectDialog::chosenHubFillsTheFields()
{
    ConnectDialog::setSavedHubs(
        {{QStringLiteral("Shop"), QUrl(QStringLiteral("http://127.0.0.1:3003"))},
         {QStringLiteral("Depot"), QUrl(QStringLiteral("https://127.0.0.1:4003"))}});
    ConnectDialog dialog;  // chooses the first, and asks the keyring for its key
    QSignalSpy keyring(&dialog, &ConnectDialog::keyringAnswered);
    QVERIFY(keyring.wait(10000));
    QCOMPARE(dialog.url(), QUrl(QStringLiteral("http://127.0.0.1:3003")));
    QVERIFY(dialog.key().isEmpty());
    QVERIFY2(dialog.noteText().contains(QStringLiteral("asked for each time")),
             qPrintable(dialog.noteText()));
    QVERIFY(!dialog.rememberAllowed());
}

void TestConnectDialog::badAddressIsRefused_data()
{
    QTest::addColumn<QString>("address");
    QTest::addRow("no scheme") << "shop-box:3003";
    QTest::addRow("websocket") << "ws://shop-box:3001";
    QTest::addRow("a path") << "http://shop-box:3003/api/stats";
    QTest::addRow("a user") << "http://admin@shop-box:3003";
    QTest::addRow("empty") << "";
}

void TestConnectDialog::badAddressIsRefused()
{
    QFETCH(QString, address);
    ConnectDialog dialog;
    dialog.setFields(QStringLiteral("x"), address, {}, false);
    QVERIFY(!dialog.save());
    dialog.connectToHub();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY2(dialog.noteText().contains(QStringLiteral("is not a hub's address")),
             qPrintable(dialog.noteText()));
    QVERIFY(ConnectDialog::savedHubs().isEmpty());
}

void TestConnectDialog::plainHttpToAnotherMachineIsWarnedAbout()
{
    ConnectDialog dialog;
    dialog.setFields({}, QStringLiteral("http://192.0.2.10:3003"), {}, false);
    QVERIFY(dialog.noteText().contains(QStringLiteral("unencrypted")));
    dialog.setFields({}, QStringLiteral("https://192.0.2.10:3003"), {}, false);
    QVERIFY(!dialog.noteText().contains(QStringLiteral("unencrypted")));
    dialog.setFields({}, QStringLiteral("http://localhost:3003"), {}, false);
    QVERIFY(!dialog.noteText().contains(QStringLiteral("unencrypted")));
}

void TestConnectDialog::connectGivesAddressAndKey()
{
    ConnectDialog dialog;
    dialog.setFields({}, QStringLiteral("http://127.0.0.1:3003/"), QStringLiteral(" k-123 "),
                     false);
    dialog.connectToHub();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.url(), QUrl(QStringLiteral("http://127.0.0.1:3003")));
    QCOMPARE(dialog.key(), QByteArrayLiteral("k-123"));
    QVERIFY(ConnectDialog::savedHubs().isEmpty());  // connecting is not saving
}

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
