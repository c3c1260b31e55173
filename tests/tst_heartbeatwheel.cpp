// The heartbeat wheel on its own: a tick takes exactly the clients due, never one early, each
// once; scheduling again replaces a visit; a forgotten client is never taken, even where a new
// client has its address.

#include "ws/heartbeatwheel.h"
#include "ws/wsconnection.h"

#include <QTest>

#include <deque>

using kucun::HeartbeatWheel;
using kucun::WsConnection;

class TestHeartbeatWheel : public QObject
{
    Q_OBJECT

private slots:
    void takesWhatIsDueAndNothingEarly_data();
    void takesWhatIsDueAndNothingEarly();
    void schedulingAgainReplacesTheVisit();
    void scheduleByKeepsAnEarlierVisit();
    void aForgottenClientIsNeverTaken();
    void manyClientsEachTakenOnce();
};

void TestHeartbeatWheel::takesWhatIsDueAndNothingEarly_data()
{
    QTest::addColumn<qint64>("bucketMs");
    QTest::addColumn<QList<qint64>>("visits");  // client i at visits[i]
    QTest::addColumn<QList<qint64>>("ticks");
    QTest::addColumn<QList<QList<int>>>("taken");  // at each tick, the clients taken

    QTest::addRow("one bucket, late ticks")
        << qint64(100) << QList<qint64>{50, 100, 101, 250} << QList<qint64>{99, 100, 199, 400}
        << QList<QList<int>>{{}, {0, 1}, {}, {2, 3}};
    QTest::addRow("a tick takes every bucket behind it")
        << qint64(10) << QList<qint64>{5, 25, 45, 1000} << QList<qint64>{0, 50, 999, 1000}
        << QList<QList<int>>{{}, {0, 1, 2}, {}, {3}};
    QTest::addRow("in the past: the next tick")
        << qint64(250) << QList<qint64>{-40, 0} << QList<qint64>{0, 1}
        << QList<QList<int>>{{0, 1}, {}};
    QTest::addRow("order of the visits") << qint64(1) << QList<qint64>{30, 10, 20}
                                         << QList<qint64>{40} << QList<QList<int>>{{1, 2, 0}};
}

void TestHeartbeatWheel::takesWhatIsDueAndNothingEarly()
{
    QFETCH(qint64, bucketMs);
    QFETCH(QList<qint64>, visits);
    QFETCH(QList<qint64>, ticks);
    QFETCH(QList<QList<int>>, taken);

    HeartbeatWheel wheel(bucketMs);
    std::deque<WsConnection> clients(visits.size());
    for (qsizetype i = 0; i < visits.size(); ++i) {
        wheel.schedule(&clients[i], visits[i]);
        QVERIFY(wheel.visitAt(&clients[i]) >= visits[i]);
        QVERIFY(wheel.visitAt(&clients[i]) < visits[i] + bucketMs);
    }
    for (qsizetype t = 0; t < ticks.size(); ++t) {
        QList<int> due;
        for (WsConnection *client : wheel.takeDue(ticks[t])) {
            for (qsizetype i = 0; i < visits.size(); ++i) {
                if (&clients[i] == client) {
                    due.append(int(i));
                    QVERIFY2(visits[i] <= ticks[t], "taken before its time");
                }
            }
        }
        QCOMPARE(due, taken[t]);
    }
}

void TestHeartbeatWheel::schedulingAgainReplacesTheVisit()
{
    HeartbeatWheel wheel(10);
    WsConnection client;
    wheel.schedule(&client, 100);
    wheel.schedule(&client, 500);  // later: not taken at 100
    QCOMPARE(wheel.size(), 1);
    QVERIFY(wheel.takeDue(100).empty());
    QCOMPARE(wheel.takeDue(500), std::vector<WsConnection *>{&client});
    QCOMPARE(wheel.visitAt(&client), -1);  // none until scheduled again

    wheel.schedule(&client, 900);
    wheel.schedule(&client, 600);  // earlier: taken at 600, and not again at 900
    QCOMPARE(wheel.takeDue(600), std::vector<WsConnection *>{&client});
    QVERIFY(wheel.takeDue(900).empty());
}

void TestHeartbeatWheel::scheduleByKeepsAnEarlierVisit()
{
    HeartbeatWheel wheel(10);
    WsConnection client, unscheduled;
    wheel.schedule(&client, 100);
    wheel.scheduleBy(&client, 400);
    QCOMPARE(wheel.visitAt(&client), 100);
    wheel.scheduleBy(&client, 50);
    QCOMPARE(wheel.visitAt(&client), 50);
    wheel.scheduleBy(&unscheduled, 70);
    QCOMPARE(wheel.visitAt(&unscheduled), 70);
    QCOMPARE(wheel.takeDue(100), (std::vector<WsConnection *>{&client, &unscheduled}));
}

void TestHeartbeatWheel::aForgottenClientIsNeverTaken()
{
    HeartbeatWheel wheel(10);
    auto gone = std::make_unique<WsConnection>();
    WsConnection *address = gone.get();
    wheel.schedule(address, 100);
    wheel.forget(address);
    QCOMPARE(wheel.size(), 0);
    QVERIFY(wheel.takeDue(1000).empty());

    // A new client at the same address: only its own visit counts.
    wheel.schedule(address, 2000);
    wheel.forget(address);
    wheel.schedule(address, 3000);
    QVERIFY(wheel.takeDue(2500).empty());
    QCOMPARE(wheel.takeDue(3000), std::vector<WsConnection *>{address});
}

void TestHeartbeatWheel::manyClientsEachTakenOnce()
{
    // 20 000 clients over 25 s, each rescheduled an interval on whenever it is taken: every tick
    // takes about its share, and each client exactly once per interval.
    constexpr int kClients = 20000;
    constexpr qint64 kInterval = 25000;
    constexpr qint64 kTick = 250;
    HeartbeatWheel wheel(kTick);
    std::deque<WsConnection> clients(kClients);
    QHash<WsConnection *, int> visits;
    for (int i = 0; i < kClients; ++i)
        wheel.schedule(&clients[i], qint64(i + 1) * kInterval / kClients);  // (0, 25 s]
    std::size_t most = 0;
    for (qint64 now = 0; now <= 3 * kInterval; now += kTick) {
        const auto due = wheel.takeDue(now);
        most = std::max(most, due.size());
        for (WsConnection *client : due) {
            ++visits[client];
            wheel.schedule(client, now + kInterval);
        }
    }
    QCOMPARE(visits.size(), kClients);
    for (const int count : std::as_const(visits))
        QCOMPARE(count, 3);
    QCOMPARE(wheel.size(), kClients);
    QVERIFY(most <= std::size_t(kClients * kTick / kInterval + 1));
}

QTEST_GUILESS_MAIN(TestHeartbeatWheel)
#include "tst_heartbeatwheel.moc"
