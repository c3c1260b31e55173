#include "settingspanel.h"

#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using kucun::SettingsPanel;

class TestSettingsPanel : public QObject
{
    Q_OBJECT

private slots:
    void savesCheckedValuesOnly();
};

void TestSettingsPanel::savesCheckedValuesOnly()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("kucun-hub.ini"));
    {
        QSettings existing(file, QSettings::IniFormat);
        existing.setValue(QStringLiteral("WS_PORT"), QStringLiteral("3002"));
        existing.setValue(QStringLiteral("window/geometry"), QByteArray("kept"));
    }
    kucun::HubConfig config;
    SettingsPanel panel(config, file);
    QCOMPARE(panel.view()->model()->rowCount(), kucun::kSettingCount);

    // One bad value: nothing is written, and the reason names the setting.
    panel.setValue(QStringLiteral("WS_PORT"), QStringLiteral("abc"));
    panel.setValue(QStringLiteral("REDIS_NAMESPACE"), QStringLiteral("shop"));
    QVERIFY(!panel.save());
    QVERIFY2(panel.statusText().contains(QStringLiteral("WS_PORT: 'abc' is not a port number")),
             qPrintable(panel.statusText()));
    QCOMPARE(QSettings(file, QSettings::IniFormat).value(QStringLiteral("WS_PORT")).toString(),
             QStringLiteral("3002"));
    QVERIFY(!QSettings(file, QSettings::IniFormat).contains(QStringLiteral("REDIS_NAMESPACE")));

    // All good: written; an emptied field leaves the file; the GUI's own groups stay.
    panel.setValue(QStringLiteral("WS_PORT"), QString());
    QVERIFY(panel.save());
    const QSettings saved(file, QSettings::IniFormat);
    QCOMPARE(saved.value(QStringLiteral("REDIS_NAMESPACE")).toString(), QStringLiteral("shop"));
    QVERIFY(!saved.contains(QStringLiteral("WS_PORT")));
    QCOMPARE(saved.value(QStringLiteral("window/geometry")).toByteArray(), QByteArray("kept"));
    QVERIFY(panel.statusText().contains(QStringLiteral("restart")));
}

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
