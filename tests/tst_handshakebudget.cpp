// The handshake budget on its own: what each address is sure of, what it may borrow, and how a
// newcomer within its share takes a borrowed place back.

#include "ws/handshakebudget.h"
#include "ws/wsconnection.h"

#include <QTest>

#include <deque>

using kucun::HandshakeBudget;
using kucun::WsConnection;

class TestHandshakeBudget : public QObject
{
    Q_OBJECT

private slots:
    void admitsAndDisplaces_data();
    void admitsAndDisplaces();
    void releasingMakesRoomAndKeepsTheOrder();
    void reopeningRenewsNothing();
};

void TestHandshakeBudget::admitsAndDisplaces_data()
{
    // Each step: the address of a new connection and what becomes of it, "in", "refused", or
    // "in, displacing A" (the oldest held from A gives its place).
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("perAddress");
    QTest::addColumn<QStringList>("arrivals");
    QTest::addColumn<QStringList>("outcomes");

    QTest::addRow("room is free: one address takes all of it")
        << 5 << 2 << QStringList{"a", "a", "a", "a", "a"}
        << QStringList{"in", "in", "in", "in", "in"};
    QTest::addRow("full: more from the borrower is refused")
        << 3 << 1 << QStringList{"a", "a", "a", "a"} << QStringList{"in", "in", "in", "refused"};
    QTest::addRow("full: a newcomer takes a borrowed place back")
        << 3 << 1 << QStringList{"a", "a", "a", "b"}
        << QStringList{"in", "in", "in", "in, displacing a"};
    QTest::addRow("a newcomer's share is its own, then it is refused too")
        << 4 << 2 << QStringList{"a", "a", "a", "a", "b", "b", "b"}
        << QStringList{"in", "in", "in", "in", "in, displacing a", "in, displacing a", "refused"};
    QTest::addRow("the biggest borrower gives first")
        << 6 << 1 << QStringList{"a", "a", "b", "b", "b", "b", "c", "d"}
        << QStringList{"in", "in", "in", "in", "in", "in", "in, displacing b", "in, displacing b"};
    QTest::addRow("every place someone's share: refused")
        << 4 << 2 << QStringList{"a", "a", "b", "b", "c"}
        << QStringList{"in", "in", "in", "in", "refused"};
    QTest::addRow("a share of one and a total of one")
        << 1 << 1 << QStringList{"a", "b", "a"} << QStringList{"in", "refused", "refused"};
}

void TestHandshakeBudget::admitsAndDisplaces()
{
    QFETCH(int, total);
    QFETCH(int, perAddress);
    QFETCH(QStringList, arrivals);
    QFETCH(QStringList, outcomes);

    HandshakeBudget budget(total, perAddress);
    std::deque<WsConnection> connections(arrivals.size());
    QHash<WsConnection *, QString> addressOf;
    QHash<QString, QList<WsConnection *>> heldFrom;  // oldest first, as the budget should keep
    for (qsizetype i = 0; i < arrivals.size(); ++i) {
        WsConnection *connection = &connections[i];
        addressOf.insert(connection, arrivals[i]);
        const auto admission = budget.admit(connection, arrivals[i]);
        QString outcome = admission.admitted ? QStringLiteral("in") : QStringLiteral("refused");
        if (admission.displaced) {
            const QString from = addressOf.value(admission.displaced);
            outcome += QStringLiteral(", displacing ") + from;
            QCOMPARE(admission.displaced, heldFrom[from].takeFirst());  // its oldest
        }
        QCOMPARE(outcome, outcomes[i]);
        if (admission.admitted)
            heldFrom[arrivals[i]].append(connection);
        QVERIFY(budget.size() <= total);
        for (auto it = heldFrom.cbegin(); it != heldFrom.cend(); ++it)
            QCOMPARE(budget.heldBy(it.key()), it.value().size());
    }
}

void TestHandshakeBudget::releasingMakesRoomAndKeepsTheOrder()
{
    HandshakeBudget budget(3, 1);
    WsConnection first, second, third, fourth;
    QVERIFY(budget.admit(&first, "a").admitted);
    QVERIFY(budget.admit(&second, "b").admitted);
    QVERIFY(budget.admit(&third, "a").admitted);
    QVERIFY(!budget.admit(&fourth, "a").admitted);

    QVERIFY(budget.release(&second));
    QVERIFY(!budget.release(&second));  // not held twice
    QCOMPARE(budget.heldBy("b"), 0);
    QVERIFY(budget.admit(&fourth, "a").admitted);  // free room again, borrowed
    QCOMPARE(budget.heldBy("a"), 3);
    QCOMPARE(budget.oldest(), &first);
    QVERIFY(budget.release(&first));
    QCOMPARE(budget.oldest(), &third);
    QVERIFY(budget.release(&third));
    QVERIFY(budget.release(&fourth));
    QVERIFY(budget.isEmpty());
    QCOMPARE(budget.oldest(), nullptr);
}

void TestHandshakeBudget::reopeningRenewsNothing()
{
    // An address that closes and reopens its connections as fast as it can, all the room in
    // use, never keeps a newcomer out: every newcomer within its share gets in.
    HandshakeBudget budget(8, 2);
    std::deque<WsConnection> connections(1000);
    QList<WsConnection *> hogHolds;  // oldest first
    qsizetype used = 0;
    for (; used < 8; ++used) {
        QVERIFY(budget.admit(&connections[used], "hog").admitted);
        hogHolds.append(&connections[used]);
    }
    std::deque<WsConnection> newcomers(6);
    for (int round = 0; used < qsizetype(connections.size()); ++round, ++used) {
        QVERIFY(budget.release(hogHolds.takeFirst()));
        QVERIFY(budget.admit(&connections[used], "hog").admitted);
        hogHolds.append(&connections[used]);
        if (round % 150 == 149) {
            const int index = round / 150;
            const QString address = QStringLiteral("newcomer %1").arg(index / 2);
            const auto admission = budget.admit(&newcomers[index], address);
            QVERIFY(admission.admitted);
            QVERIFY(hogHolds.removeOne(admission.displaced));
        }
    }
    QCOMPARE(budget.heldBy("hog"), 2);
    QCOMPARE(budget.size(), 8);
}

QTEST_GUILESS_MAIN(TestHandshakeBudget)
#include "tst_handshakebudget.moc"
