// ThrottledLog on its own: the first event is logged at once, then at most one line per
// interval, each saying how many events it stands for.

#include "core/throttledlog.h"

#include <QTest>

using kucun::ThrottledLog;

class TestThrottledLog : public QObject
{
    Q_OBJECT

private slots:
    void firstAtOnceThenOncePerInterval();
};

void TestThrottledLog::firstAtOnceThenOncePerInterval()
{
    ThrottledLog log(1000);
    QVERIFY(log.note(5000));
    QCOMPARE(log.take(), 1);
    // A flood within the interval: counted, not logged.
    for (qint64 at = 5001; at < 6000; ++at)
        QVERIFY(!log.note(at));
    QVERIFY(!log.note(5999, 10));
    // The next one after the interval carries all of them.
    QVERIFY(log.note(6000));
    QCOMPARE(log.take(), 999 + 10 + 1);
    QCOMPARE(log.take(), 0);
    QVERIFY(!log.note(6500));
    QVERIFY(log.note(7000, 3));
    QCOMPARE(log.take(), 4);
}

QTEST_APPLESS_MAIN(TestThrottledLog)
#include "tst_throttledlog.moc"
