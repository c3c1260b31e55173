#include "config/hubconfigloader.h"
#include "hubsettingsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::HubConfigLoader;
using kucun::HubSettingsModel;
using kucun::LoadOutcome;

class TestHubSettingsModel : public QObject
{
    Q_OBJECT

private slots:
    void satisfiesTheModelContract();
    void showsValuesAndTheirSources();
    void neverShowsSecrets();

private:
    static kucun::HubConfig configFrom(const QStringList &flags, const QProcessEnvironment &env);
    static QString cell(const HubSettingsModel &model, const QString &setting, int column);
};

kucun::HubConfig TestHubSettingsModel::configFrom(const QStringList &flags,
                                                  const QProcessEnvironment &env)
{
    const LoadOutcome outcome = HubConfigLoader::load(
        {QStringList{QStringLiteral("kucun-hub")} + flags, env, {}, QStringLiteral("hub-data")});
    if (outcome.action != LoadOutcome::Action::Run)
        qFatal("test settings refused: %s", qPrintable(outcome.text));
    return outcome.config;
}

QString TestHubSettingsModel::cell(const HubSettingsModel &model, const QString &setting,
                                   int column)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, HubSettingsModel::NameColumn).data().toString() == setting)
            return model.index(row, column).data().toString();
    }
    return QStringLiteral("<no row %1>").arg(setting);
}

void TestHubSettingsModel::satisfiesTheModelContract()
{
    HubSettingsModel model(configFrom({}, {}));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), kucun::kSettingCount);
    QCOMPARE(model.columnCount(), int(HubSettingsModel::ColumnCount));
    QCOMPARE(model.headerData(HubSettingsModel::SourceColumn, Qt::Horizontal).toString(),
             QStringLiteral("Source"));
}

void TestHubSettingsModel::showsValuesAndTheirSources()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("REDIS_NAMESPACE"), QStringLiteral("shop"));
    HubSettingsModel model(configFrom({QStringLiteral("--ws-port"), QStringLiteral("4000")}, env));

    QCOMPARE(cell(model, QStringLiteral("WS_PORT"), HubSettingsModel::ValueColumn),
             QStringLiteral("4000"));
    QCOMPARE(cell(model, QStringLiteral("WS_PORT"), HubSettingsModel::SourceColumn),
             QStringLiteral("command line"));
    QCOMPARE(cell(model, QStringLiteral("WS_PORT"), HubSettingsModel::FlagColumn),
             QStringLiteral("--ws-port"));
    QCOMPARE(cell(model, QStringLiteral("REDIS_NAMESPACE"), HubSettingsModel::ValueColumn),
             QStringLiteral("shop"));
    QCOMPARE(cell(model, QStringLiteral("REDIS_NAMESPACE"), HubSettingsModel::SourceColumn),
             QStringLiteral("environment"));
    QCOMPARE(cell(model, QStringLiteral("HUB_CACHE_MAX_MB"), HubSettingsModel::ValueColumn),
             QStringLiteral("256"));
    QCOMPARE(cell(model, QStringLiteral("HUB_CACHE_MAX_MB"), HubSettingsModel::SourceColumn),
             QStringLiteral("default"));
    QVERIFY(
        !model.index(0, HubSettingsModel::NameColumn).data(Qt::ToolTipRole).toString().isEmpty());
}

void TestHubSettingsModel::neverShowsSecrets()
{
    const QString secret(40, u'z');
    HubSettingsModel model(
        configFrom({QStringLiteral("--jwt-secret"), secret, QStringLiteral("--redis"),
                    QStringLiteral("redis://app:pw123@h:6379/1")},
                   {}));
    QCOMPARE(cell(model, QStringLiteral("HUB_JWT_SECRET"), HubSettingsModel::ValueColumn),
             QStringLiteral("***"));
    QCOMPARE(cell(model, QStringLiteral("REDIS_URL"), HubSettingsModel::ValueColumn),
             QStringLiteral("redis://app:***@h:6379/1"));
}

QTEST_GUILESS_MAIN(TestHubSettingsModel)
#include "tst_hubsettingsmodel.moc"
