#include "config/demofaults.h"

#include <QJsonDocument>
#include <QTest>

using kucun::DemoFaults;

Q_DECLARE_METATYPE(DemoFaults)

class TestDemoFaults : public QObject
{
    Q_OBJECT

private slots:
    void parsesWhatTheFlagTakes_data();
    void parsesWhatTheFlagTakes();
    void refusesWithTheReason_data();
    void refusesWithTheReason();
    void jsonChangesOnlyWhatItNames();
    void jsonRefusesWithTheReason_data();
    void jsonRefusesWithTheReason();
};

namespace {

DemoFaults faults(int slow, int fail, int stampede, int burst, bool cut)
{
    DemoFaults result;
    result.loaderLatencyMs = slow;
    result.failingLoadersPercent = fail;
    result.stampedeReaders = stampede;
    result.burstEventsPerSecond = burst;
    result.redisCut = cut;
    return result;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

}  // namespace

void TestDemoFaults::parsesWhatTheFlagTakes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<DemoFaults>("expected");
    QTest::addColumn<QString>("written");  // text() of the result
    QTest::newRow("all") << "slow=200,fail=10,stampede=64,burst=2000,redis-cut"
                         << faults(200, 10, 64, 2000, true)
                         << "slow=200,fail=10,stampede=64,burst=2000,redis-cut";
    QTest::newRow("any order, spaces")
        << " redis-cut , stampede=64 ,slow=5" << faults(5, 0, 64, 0, true)
        << "slow=5,stampede=64,redis-cut";
    QTest::newRow("zero is off") << "fail=0,burst=0" << DemoFaults() << "none";
    QTest::newRow("none") << "none" << DemoFaults() << "none";
    QTest::newRow("empty") << "" << DemoFaults() << "none";
    QTest::newRow("the bounds") << "slow=10000,fail=100,stampede=10000,burst=10000"
                                << faults(10000, 100, 10000, 10000, false)
                                << "slow=10000,fail=100,stampede=10000,burst=10000";
}

void TestDemoFaults::parsesWhatTheFlagTakes()
{
    QFETCH(QString, text);
    QFETCH(DemoFaults, expected);
    QFETCH(QString, written);
    const kucun::Result<DemoFaults> parsed = DemoFaults::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QVERIFY(parsed.value() == expected);
    QCOMPARE(parsed.value().text(), written);
    QCOMPARE(parsed.value().any(), written != u"none");
    // What text() writes reads back the same, as JSON does.
    QVERIFY(DemoFaults::parse(written).value() == expected);
    QVERIFY(DemoFaults::fromJson(expected.toJson()).value() == expected);
}

void TestDemoFaults::refusesWithTheReason_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown") << "slowness=3"
                             << "'slowness=3' is not a fault; expected slow=N, fail=N, "
                                "stampede=N, burst=N, redis-cut";
    QTest::newRow("no value") << "stampede"
                              << "'stampede' is not a fault";
    QTest::newRow("over 100 percent") << "fail=101"
                                      << "fail: '101' is not a number from 0 to 100 (percent "
                                         "of loader calls that fail)";
    QTest::newRow("negative") << "burst=-5"
                              << "burst: '-5' is not a number from 0 to 10000";
    QTest::newRow("not a number") << "slow=fast"
                                  << "slow: 'fast' is not a number";
    QTest::newRow("with a unit") << "slow=200ms"
                                 << "slow: '200ms' is not a number";
    QTest::newRow("twice") << "slow=1,slow=2"
                           << "'slow' is given twice";
    QTest::newRow("cut with a value") << "redis-cut=1"
                                      << "'redis-cut=1' is not a fault";
    QTest::newRow("empty item") << "slow=1,,fail=2"
                                << "'' is not a fault";
}

void TestDemoFaults::refusesWithTheReason()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const kucun::Result<DemoFaults> parsed = DemoFaults::parse(text);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().startsWith(reason), qPrintable(parsed.error()));
}

void TestDemoFaults::jsonChangesOnlyWhatItNames()
{
    const DemoFaults base = faults(200, 10, 0, 0, false);
    const kucun::Result<DemoFaults> changed
        = DemoFaults::fromJson(json(R"({"stampedeReaders":64,"redisCut":true})"), base);
    QVERIFY2(changed.ok(), qPrintable(changed.error()));
    QVERIFY(changed.value() == faults(200, 10, 64, 0, true));
    QVERIFY(DemoFaults::fromJson(json("{}"), base).value() == base);
}

void TestDemoFaults::jsonRefusesWithTheReason_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    QTest::newRow("too slow") << QByteArray(R"({"slowLoaderMs":10001})")
                              << "slowLoaderMs: 10001 is not a number from 0 to 10000";
    QTest::newRow("fraction") << QByteArray(R"({"failingLoadersPercent":2.5})")
                              << "failingLoadersPercent: 2.5 is not a number";
    QTest::newRow("text") << QByteArray(R"({"burstEventsPerSecond":"100"})")
                          << "burstEventsPerSecond: \"100\" is not a number";
    QTest::newRow("cut as a number")
        << QByteArray(R"({"redisCut":1})") << "redisCut: expected true or false";
    QTest::newRow("unknown member")
        << QByteArray(R"({"stampede":64})") << "'stampede' is not a fault";
    QTest::newRow("good and bad") << QByteArray(R"({"stampedeReaders":64,"slowLoaderMs":-1})")
                                  << "slowLoaderMs: -1 is not a number";
}

void TestDemoFaults::jsonRefusesWithTheReason()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    const kucun::Result<DemoFaults> changed
        = DemoFaults::fromJson(QJsonDocument::fromJson(body).object(), DemoFaults());
    QVERIFY(!changed.ok());
    QVERIFY2(changed.error().startsWith(reason), qPrintable(changed.error()));
}

QTEST_GUILESS_MAIN(TestDemoFaults)
#include "tst_demofaults.moc"
