#include "events/auditlog.h"

#include <QDateTime>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using kucun::AuditLog;
using kucun::AuditQuery;
using kucun::AuditRecord;

class TestAuditLog : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void writesAndQueries();
    void survivesRestartAndFlushesOnClose();
    void boundedByRows();
    void boundedByAge();
    void corruptFileTurnsTheLogOff();
    void lockedFileTurnsTheLogOff();

private:
    AuditLog::Options options(qint64 maxRows = 100000, int maxAgeDays = 30) const;
    static AuditRecord record(qint64 ts, const QString &channel, const QString &type,
                              const QString &payload, const QString &status = "accepted");

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAuditLog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
}

AuditLog::Options TestAuditLog::options(qint64 maxRows, int maxAgeDays) const
{
    return {m_dir->filePath("audit.db"), maxRows, maxAgeDays, 50ms, 300};
}

AuditRecord TestAuditLog::record(qint64 ts, const QString &channel, const QString &type,
                                 const QString &payload, const QString &status)
{
    return {0, ts, channel, type, "hub-1", payload, status};
}

void TestAuditLog::writesAndQueries()
{
    AuditLog log(options());
    QVERIFY2(log.isEnabled(), qPrintable(log.error()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    log.append(record(now - 3000, "channel:inventory:change", "inventory:change",
                      R"({"productId":"42"})"));
    log.append(record(now - 2000, "channel:order:status", "order:status", R"({"orderId":"SO-1"})"));
    log.append(record(now - 1000, "channel:inventory:change", "inventory:change",
                      R"({"productId":"43"})"));
    log.append(record(now, "channel:inventory:change", "", "oops", "rejected: not JSON"));

    const auto all = log.query({}).result();  // a query sees everything appended before it
    QVERIFY(all.ok());
    QCOMPARE(all.value().size(), 4);
    QCOMPARE(all.value().first().status, QStringLiteral("rejected: not JSON"));  // newest first
    QVERIFY(all.value().first().id > all.value().last().id);

    AuditQuery byChannel;
    byChannel.channel = "channel:inventory:change";
    QCOMPARE(log.query(byChannel).result().value().size(), 3);
    AuditQuery byType;
    byType.type = "order:status";
    QCOMPARE(log.query(byType).result().value().size(), 1);
    AuditQuery byText;
    byText.text = R"("43")";
    QCOMPARE(log.query(byText).result().value().first().payload,
             QStringLiteral(R"({"productId":"43"})"));
    AuditQuery byTime;
    byTime.fromMs = now - 2500;
    byTime.toMs = now - 500;
    QCOMPARE(log.query(byTime).result().value().size(), 2);
    AuditQuery page;
    page.limit = 2;
    const auto first = log.query(page).result().value();
    page.beforeId = first.last().id;
    const auto second = log.query(page).result().value();
    QCOMPARE(first.size() + second.size(), 4);
    QVERIFY(second.first().id < first.last().id);
}

void TestAuditLog::survivesRestartAndFlushesOnClose()
{
    {
        AuditLog log(options());
        log.append(record(QDateTime::currentMSecsSinceEpoch(), "channel:data:update", "data:update",
                          "{}"));
        // No flush: closing must write it.
    }
    AuditLog reopened(options());
    QVERIFY(reopened.isEnabled());
    const auto rows = reopened.query({}).result();
    QCOMPARE(rows.value().size(), 1);
    QCOMPARE(rows.value().first().channel, QStringLiteral("channel:data:update"));
    QCOMPARE(rows.value().first().source, QStringLiteral("hub-1"));
}

void TestAuditLog::boundedByRows()
{
    AuditLog log(options(10));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 25; ++i)
        log.append(record(now + i, "c", "t", QString::number(i)));
    log.flush();
    const auto rows = log.query({}).result().value();
    QCOMPARE(rows.size(), 10);
    QCOMPARE(rows.first().payload, QStringLiteral("24"));  // the newest are kept
    QCOMPARE(rows.last().payload, QStringLiteral("15"));
}

void TestAuditLog::boundedByAge()
{
    AuditLog log(options(100000, 1));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    log.append(record(now - 3LL * 24 * 3600 * 1000, "c", "t", "old"));
    log.append(record(now, "c", "t", "new"));
    log.flush();
    const auto rows = log.query({}).result().value();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().payload, QStringLiteral("new"));
}

void TestAuditLog::corruptFileTurnsTheLogOff()
{
    QFile garbage(m_dir->filePath("audit.db"));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();

    AuditLog log(options());
    QVERIFY(!log.isEnabled());
    QVERIFY2(log.error().contains(QStringLiteral("not a database")), qPrintable(log.error()));
    log.append(record(1, "c", "t", "{}"));
    log.flush();
    QCOMPARE(log.droppedCount(), 1);
    const auto rows = log.query({}).result();
    QVERIFY(!rows.ok());
    QVERIFY(rows.error().contains(QStringLiteral("audit log is off")));
}

void TestAuditLog::lockedFileTurnsTheLogOff()
{
    {
        AuditLog create(options());  // a valid database file first
    }
    QSqlDatabase other = QSqlDatabase::addDatabase("QSQLITE", "other-process");
    other.setDatabaseName(m_dir->filePath("audit.db"));
    QVERIFY(other.open());
    QSqlQuery lock(other);
    QVERIFY(lock.exec("PRAGMA locking_mode=EXCLUSIVE"));
    QVERIFY(lock.exec("BEGIN EXCLUSIVE"));
    QVERIFY(lock.exec("INSERT INTO events(ts, channel, type, source, payload, status) "
                      "VALUES(1, 'c', 't', 's', 'p', 'accepted')"));
    {
        AuditLog log(options());
        QVERIFY(!log.isEnabled());
        QVERIFY2(log.error().contains(QStringLiteral("locked")), qPrintable(log.error()));
    }
    lock.exec("ROLLBACK");
    lock = QSqlQuery();
    other.close();
    other = QSqlDatabase();
    QSqlDatabase::removeDatabase("other-process");
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
