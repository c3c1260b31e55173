#include "clientsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using kucun::ClientsModel;
using kucun::WsClientInfo;

namespace {

WsClientInfo client(const QString &id, qint64 out = 0)
{
    WsClientInfo info;
    info.id = id;
    info.address = QStringLiteral("127.0.0.1");
    info.subscriptions = {QStringLiteral("inventory"), QStringLiteral("orders")};
    info.messagesOut = out;
    info.connectedSinceMs = 1'700'000'000'000;
    return info;
}

QStringList ids(const ClientsModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row, ClientsModel::IdColumn).data().toString();
    return list;
}

}  // namespace

class TestClientsModel : public QObject
{
    Q_OBJECT

private slots:
    void satisfiesTheModelContract();
    void snapshotsKeepRowsInPlace();
    void showsWhatThePanelNeeds();
};

void TestClientsModel::satisfiesTheModelContract()
{
    ClientsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows({client("a"), client("b"), client("c"), client("d")});
    model.setRows({client("a"), client("d"), client("e")});
    model.setRows({});
    model.setRows({client("f")});
}

void TestClientsModel::snapshotsKeepRowsInPlace()
{
    ClientsModel model;
    model.setRows({client("a"), client("b"), client("c"), client("d"), client("e")});
    const QPersistentModelIndex selected = model.index(3, 0);  // "d"
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    // b and c leave together (one removal), e leaves, f arrives, d has sent more.
    model.setRows({client("f"), client("d", 42), client("a")});
    QCOMPARE(ids(model), QStringList({"a", "d", "f"}));
    QCOMPARE(removed.size(), 2);
    QCOMPARE(inserted.size(), 1);
    QVERIFY(selected.isValid());
    QCOMPARE(selected.data().toString(), QStringLiteral("d"));
    QCOMPARE(model.index(1, ClientsModel::MessagesOutColumn).data().toLongLong(), 42);
}

void TestClientsModel::showsWhatThePanelNeeds()
{
    ClientsModel model;
    WsClientInfo info = client("x");
    info.origin = QStringLiteral("http://localhost:3001");
    info.subject = QStringLiteral("picker-1");
    info.queuedBytes = 2048;
    model.setRows({info, client("y")});
    QCOMPARE(model.index(0, ClientsModel::SubscriptionsColumn).data().toString(),
             QStringLiteral("inventory, orders"));
    QCOMPARE(model.index(0, ClientsModel::UserColumn).data().toString(),
             QStringLiteral("picker-1"));
    QCOMPARE(model.index(0, ClientsModel::OriginColumn).data().toString(),
             QStringLiteral("http://localhost:3001"));
    QCOMPARE(model.index(1, ClientsModel::OriginColumn).data().toString(),
             QStringLiteral("(none)"));
    QVERIFY(model.index(0, ClientsModel::QueuedColumn).data().toString().startsWith(u'2'));
    QCOMPARE(model.index(1, 0).data(ClientsModel::ClientIdRole).toString(), QStringLiteral("y"));
    QCOMPARE(model.headerData(ClientsModel::ConnectedColumn, Qt::Horizontal).toString(),
             QStringLiteral("Connected since"));
}

QTEST_GUILESS_MAIN(TestClientsModel)
#include "tst_clientsmodel.moc"
