#include "channelsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using kucun::ChannelRegistry;
using kucun::ChannelsModel;

namespace {

ChannelRegistry::ChannelInfo channel(const QString &name, int subscribers, qint64 rate)
{
    ChannelRegistry::ChannelInfo info;
    info.name = name;
    info.subscribers = subscribers;
    info.messagesPerSecond = rate;
    info.historySize = 7;
    info.offset = 99;
    return info;
}

}  // namespace

class TestChannelsModel : public QObject
{
    Q_OBJECT

private slots:
    void satisfiesTheModelContractAndShowsChannels();
};

void TestChannelsModel::satisfiesTheModelContractAndShowsChannels()
{
    ChannelsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({channel("inventory", 3, 12), channel("orders", 1, 0)});
    model.setRows({channel("orders", 2, 5)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ChannelsModel::NameColumn).data().toString(), QStringLiteral("orders"));
    QCOMPARE(model.index(0, ChannelsModel::SubscribersColumn).data().toInt(), 2);
    QCOMPARE(model.index(0, ChannelsModel::RateColumn).data().toLongLong(), 5);
    QCOMPARE(model.index(0, ChannelsModel::HistoryColumn).data().toInt(), 7);
    QCOMPARE(model.index(0, ChannelsModel::OffsetColumn).data().toLongLong(), 99);
    QCOMPARE(model.index(0, ChannelsModel::StreamColumn).data().toString(),
             QStringLiteral("local"));
    auto shared = channel("orders", 2, 5);
    shared.shared = true;
    model.setRows({shared});
    QCOMPARE(model.index(0, ChannelsModel::StreamColumn).data().toString(),
             QStringLiteral("shared"));
    QVERIFY(model.index(0, ChannelsModel::StreamColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("shared in Redis")));
}

QTEST_GUILESS_MAIN(TestChannelsModel)
#include "tst_channelsmodel.moc"
