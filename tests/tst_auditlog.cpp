#include "events/auditlog.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
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
    void adminActionsKeptBesideEventsAndBoundedByAge();
    void corruptFileTurnsTheLogOff();
    void lockedFileTurnsTheLogOff();
    void largePayloadsAreStoredCutWithTheirSize();
    void floodStaysWithinTheByteBound();
    void oddPayloadsDoNotCostOtherRows();
    void oldDatabaseIsMigratedAndShrunk();
    void databaseFromBeforeTracesGainsThemAndLosesNothing();
    void tracesCountAgainstTheByteBound();

private:
    AuditLog::Options options(qint64 maxRows = 100000, int maxAgeDays = 30) const;
    AuditLog::Options boundedOptions(qint64 maxBytes) const;
    qint64 fileBytes() const;  // audit.db and its WAL
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

AuditLog::Options TestAuditLog::boundedOptions(qint64 maxBytes) const
{
    AuditLog::Options bounded = options();
    bounded.maxBytes = maxBytes;
    return bounded;
}

qint64 TestAuditLog::fileBytes() const
{
    const QString path = m_dir->filePath("audit.db");
    return QFileInfo(path).size() + QFileInfo(path + "-wal").size();
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

void TestAuditLog::adminActionsKeptBesideEventsAndBoundedByAge()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        AuditLog log(options(100000, 1));
        log.append(record(now, "c", "t", "an event"));
        log.appendAdminAction({0, now - 3LL * 24 * 3600 * 1000, "admin", "10.0.0.2",
                               "invalidate-tag", "old", "200 {}"});
        log.appendAdminAction(
            {0, now, "viewer", "10.0.0.3", "set-ttl", "products:1", "403 " + QString(5000, u'x')});
        log.appendAdminAction(
            {0, now, "local", "127.0.0.1", "delete-key", "products:2", "200 {\"removed\":1}"});
        log.flush();
        const auto actions = log.queryAdminActions(0, 10).result();
        QVERIFY(actions.ok());
        QCOMPARE(actions.value().size(), 2);  // the one older than a day is gone
        QCOMPARE(actions.value()[0].action, QStringLiteral("delete-key"));
        QCOMPARE(actions.value()[1].role, QStringLiteral("viewer"));
        QCOMPARE(actions.value()[1].result.size(), AuditLog::kMaxFieldChars);  // cut
        const auto older = log.queryAdminActions(actions.value()[0].id, 10).result();
        QCOMPARE(older.value().size(), 1);
        QCOMPARE(log.query({}).result().value().size(), 1);  // the events are their own
    }
    // Kept across a restart.
    AuditLog reopened(options(100000, 1));
    QCOMPARE(reopened.queryAdminActions(0, 10).result().value().size(), 2);
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

void TestAuditLog::largePayloadsAreStoredCutWithTheirSize()
{
    AuditLog log(options());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString ascii = QString(100'000, u'x');
    const QString cjk = QString(10'000, QChar(0x5E93));  // 库: 3 bytes in UTF-8
    QString pairs;
    for (int i = 0; i < 5000; ++i)
        pairs += QString::fromUtf8("\xF0\x9F\x93\xA6");  // 📦: a surrogate pair, 4 bytes
    log.append(record(now, "c", "", ascii, "rejected: not JSON"));
    log.append(record(now + 1, "c", "", cjk, "rejected: not JSON"));
    log.append(record(now + 2, "c", "", pairs, "rejected: not JSON"));
    log.append(record(now + 3, "c", "t", R"({"productId":"42"})"));

    const auto rows = log.query({}).result().value();
    QCOMPARE(rows.size(), 4);
    const AuditRecord &small = rows[0];
    QCOMPARE(small.payload, QStringLiteral(R"({"productId":"42"})"));
    QCOMPARE(small.payloadBytes, 18);
    QVERIFY(!small.payloadCut());

    const int cap = AuditLog::kDefaultMaxPayloadBytes;
    const AuditRecord &cutPairs = rows[1];
    QCOMPARE(cutPairs.payloadBytes, 20'000);
    QVERIFY(cutPairs.payloadCut());
    QCOMPARE(cutPairs.payload.toUtf8().size(), cap);  // 4096 whole characters
    QVERIFY(!cutPairs.payload.back().isHighSurrogate());
    QVERIFY(pairs.startsWith(cutPairs.payload));

    const AuditRecord &cutCjk = rows[2];
    QCOMPARE(cutCjk.payloadBytes, 30'000);
    QVERIFY(cutCjk.payloadCut());
    QCOMPARE(cutCjk.payload.toUtf8().size(), cap / 3 * 3);  // no character split
    QVERIFY(cjk.startsWith(cutCjk.payload));

    const AuditRecord &cutAscii = rows[3];
    QCOMPARE(cutAscii.payloadBytes, 100'000);
    QCOMPARE(cutAscii.payload, ascii.left(cap));
    QCOMPARE(cutAscii.status, QStringLiteral("rejected: not JSON"));

    // The stored prefix is still searchable.
    AuditQuery byText;
    byText.text = QString(cap, u'x');
    QCOMPARE(log.query(byText).result().value().size(), 1);
}

void TestAuditLog::floodStaysWithinTheByteBound()
{
    // A publisher sending 64 KiB events that are not JSON, as fast as it can: the rows bound
    // (100 000) is far away, the byte bound must hold on its own.
    const qint64 bound = 4LL << 20;
    const QString big = QString(64 << 10, u'z');
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 newestId = 0;
    {
        AuditLog log(boundedOptions(bound));
        QVERIFY2(log.isEnabled(), qPrintable(log.error()));
        int appended = 0;
        for (int chunk = 0; chunk < 20; ++chunk) {
            for (int i = 0; i < 100; ++i, ++appended)
                log.append(record(now + appended, "channel:inventory:change", "",
                                  big + QString::number(appended), "rejected: not JSON"));
            log.flush();
            QVERIFY2(fileBytes() <= bound, qPrintable(QString::number(fileBytes())));
        }
        QCOMPARE(log.droppedCount(), 0);

        AuditQuery all;
        all.limit = 10'000;
        const auto rows = log.query(all).result().value();
        // The newest rows are kept, without gaps: the oldest went first.
        QVERIFY(!rows.isEmpty());
        QCOMPARE(rows.first().payloadBytes, (64 << 10) + QString::number(appended - 1).size());
        QVERIFY(rows.first().payloadCut());
        for (qsizetype i = 1; i < rows.size(); ++i)
            QCOMPARE(rows[i].id, rows[i - 1].id - 1);
        // And not many more went than the bound asks: at least a third of it is still rows.
        const qint64 kept = rows.size() * qint64(AuditLog::kDefaultMaxPayloadBytes);
        QVERIFY2(kept >= bound / 3, qPrintable(QStringLiteral("%1 rows kept").arg(rows.size())));
        newestId = rows.first().id;
    }
    QVERIFY2(fileBytes() <= bound, qPrintable(QString::number(fileBytes())));

    // Open again: the rows are there, and the file does not grow back.
    AuditLog reopened(boundedOptions(bound));
    QCOMPARE(reopened.query({}).result().value().first().id, newestId);
    QVERIFY(fileBytes() <= bound);
}

void TestAuditLog::oddPayloadsDoNotCostOtherRows()
{
    AuditLog log(boundedOptions(8LL << 20));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QStringList odd{QString(),
                          QString(),
                          QString::fromUtf16(u"a\0b", 3),
                          QString(1, QChar(0xD800)),  // a lone surrogate
                          QString(1 << 20, QChar(0xFFFD)),
                          QString(5000, u'\n')};
    for (int i = 0; i < 300; ++i) {
        log.append(record(now + 2 * i, "channel:order:status", "order:status",
                          QStringLiteral(R"({"orderId":"SO-%1"})").arg(i)));
        log.append(record(now + 2 * i + 1, QString(5000, u'c'), QString(5000, u't'),
                          odd[i % odd.size()], QStringLiteral("rejected: ") + QString(9000, u'r')));
    }
    log.flush();
    QVERIFY(log.isEnabled());
    QCOMPARE(log.droppedCount(), 0);
    AuditQuery good;
    good.type = "order:status";
    good.limit = 1000;
    const auto rows = log.query(good).result().value();
    QCOMPARE(rows.size(), 300);  // 300 odd rows of ~20 KiB each fit in 8 MiB: nothing pruned
    QCOMPARE(rows.last().payload, QStringLiteral(R"({"orderId":"SO-0"})"));
    AuditQuery oddRows;
    oddRows.channel = QString(AuditLog::kMaxFieldChars, u'c');  // stored cut
    oddRows.limit = 1000;
    const auto cut = log.query(oddRows).result().value();
    QCOMPARE(cut.size(), 300);
    QCOMPARE(cut.first().status.size(), AuditLog::kMaxFieldChars);
    QCOMPARE(cut.last().payload, QString());
}

void TestAuditLog::oldDatabaseIsMigratedAndShrunk()
{
    // A database as earlier versions wrote it: no payload_bytes, no auto_vacuum, payloads
    // stored whole, and more of them than the bound allows.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString path = m_dir->filePath("audit.db");
    {
        QSqlDatabase old = QSqlDatabase::addDatabase("QSQLITE", "old-version");
        old.setDatabaseName(path);
        QVERIFY(old.open());
        QSqlQuery query(old);
        QVERIFY(query.exec("PRAGMA journal_mode=WAL"));
        QVERIFY(query.exec("CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "ts INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, "
                           "source TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL)"));
        QVERIFY(query.exec("CREATE INDEX events_ts ON events(ts)"));
        QVERIFY(old.transaction());
        QVERIFY(query.prepare("INSERT INTO events(ts, channel, type, source, payload, status) "
                              "VALUES(?, 'c', '', 'hub-0', ?, 'rejected: not JSON')"));
        for (int i = 0; i < 400; ++i) {
            query.addBindValue(now + i);
            query.addBindValue(QString(64 << 10, u'o') + QString::number(i));
            QVERIFY(query.exec());
        }
        QVERIFY(old.commit());
        QVERIFY(query.exec("DELETE FROM events WHERE id <= 100"));  // free pages, file as big
        query = QSqlQuery();
        old.close();
    }
    QSqlDatabase::removeDatabase("old-version");
    QVERIFY(QFileInfo(path).size() > 20LL << 20);

    const qint64 bound = 8LL << 20;
    {
        AuditLog log(boundedOptions(bound));
        QVERIFY2(log.isEnabled(), qPrintable(log.error()));
        // The migration, prune and VACUUM run after opening, in the log's thread: the hub does
        // not wait for them, flush() does.
        log.flush();
        QVERIFY2(fileBytes() <= bound, qPrintable(QString::number(fileBytes())));
        log.append(record(now + 1000, "c", "t", QString(20'000, u'n')));
        AuditQuery all;
        all.limit = 1000;
        const auto rows = log.query(all).result().value();
        QVERIFY(rows.size() > 2);
        QCOMPARE(rows[0].payloadBytes, 20'000);  // a new row: cut, its size noted
        QVERIFY(rows[0].payloadCut());
        QCOMPARE(rows[1].payload, QString(64 << 10, u'o') + "399");  // an old row: whole
        QCOMPARE(rows[1].payloadBytes, (64 << 10) + 3);
        QVERIFY(!rows[1].payloadCut());
        for (qsizetype i = 2; i < rows.size(); ++i)
            QCOMPARE(rows[i].id, rows[i - 1].id - 1);
    }
    QVERIFY2(fileBytes() <= bound, qPrintable(QString::number(fileBytes())));
    {
        QSqlDatabase check = QSqlDatabase::addDatabase("QSQLITE", "check");
        check.setDatabaseName(path);
        QVERIFY(check.open());
        QSqlQuery query(check);
        QVERIFY(query.exec("PRAGMA auto_vacuum") && query.next());
        QCOMPARE(query.value(0).toInt(), 2);  // incremental from now on
        QVERIFY(query.exec("SELECT count(*) FROM events WHERE payload_bytes IS NOT NULL")
                && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
        query = QSqlQuery();
        check.close();
    }
    QSqlDatabase::removeDatabase("check");
}

void TestAuditLog::databaseFromBeforeTracesGainsThemAndLosesNothing()
{
    // The schema of the hubs before causal traces: payload_bytes and its index, rows and
    // admin actions in it.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString path = m_dir->filePath("audit.db");
    {
        QSqlDatabase old = QSqlDatabase::addDatabase("QSQLITE", "before-traces");
        old.setDatabaseName(path);
        QVERIFY(old.open());
        QSqlQuery query(old);
        QVERIFY(query.exec("PRAGMA auto_vacuum=INCREMENTAL"));
        QVERIFY(query.exec("PRAGMA journal_mode=WAL"));
        QVERIFY(query.exec("CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "ts INTEGER NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, "
                           "source TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, "
                           "payload_bytes INTEGER)"));
        QVERIFY(query.exec("CREATE INDEX events_ts ON events(ts)"));
        QVERIFY(query.exec("CREATE INDEX events_bytes ON events(id, payload_bytes)"));
        QVERIFY(query.exec("CREATE TABLE admin_actions(id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "ts INTEGER NOT NULL, role TEXT NOT NULL, peer TEXT NOT NULL, "
                           "action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL)"));
        QVERIFY(query.prepare("INSERT INTO events(ts, channel, type, source, payload, status, "
                              "payload_bytes) VALUES(?, 'channel:order:status', 'order:status', "
                              "'hub-0', ?, 'accepted', ?)"));
        for (int i = 0; i < 50; ++i) {
            const QString payload = QStringLiteral(R"({"orderId":"SO-%1"})").arg(i);
            query.addBindValue(now + i);
            query.addBindValue(payload);
            query.addBindValue(payload.size());
            QVERIFY(query.exec());
        }
        QVERIFY(query.exec(QStringLiteral("INSERT INTO admin_actions(ts, role, peer, action, "
                                          "target, result) VALUES(%1, 'admin', '127.0.0.1', "
                                          "'invalidate-tag', 'products', 'removed 3')")
                               .arg(now)));
        query = QSqlQuery();
        old.close();
    }
    QSqlDatabase::removeDatabase("before-traces");

    {
        AuditLog log(options());
        QVERIFY2(log.isEnabled(), qPrintable(log.error()));
        log.flush();
        AuditQuery all;
        all.limit = 100;
        const auto rows = log.query(all).result().value();
        QCOMPARE(rows.size(), 50);
        for (int i = 0; i < 50; ++i) {
            const AuditRecord &row = rows[49 - i];
            QCOMPARE(row.ts, now + i);
            QCOMPARE(row.payload, QStringLiteral(R"({"orderId":"SO-%1"})").arg(i));
            QVERIFY(row.eventId.isEmpty());
        }
        QCOMPARE(log.queryAdminActions(0, 10).result().value().size(), 1);

        AuditRecord traced = record(now + 100, "channel:order:status", "order:status", "{}");
        traced.eventId = QStringLiteral("ev-after");
        traced.trace = R"({"id":"ev-after","accepted":true})";
        log.append(traced);
        const auto found = log.findEvent(QStringLiteral("ev-after")).result();
        QVERIFY(found.ok() && found.value().has_value());
        QCOMPARE(found.value()->trace, traced.trace);
        QCOMPARE(found.value()->ts, now + 100);
        QVERIFY(!log.findEvent(QStringLiteral("ev-none")).result().value().has_value());
    }
    {
        QSqlDatabase check = QSqlDatabase::addDatabase("QSQLITE", "check-traces");
        check.setDatabaseName(path);
        QVERIFY(check.open());
        QSqlQuery query(check);
        QStringList indexes;
        QVERIFY(query.exec("SELECT name FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = 'events'"));
        while (query.next())
            indexes.append(query.value(0).toString());
        QVERIFY(indexes.contains("events_sizes"));
        QVERIFY(indexes.contains("events_event_id"));
        QVERIFY(!indexes.contains("events_bytes"));
        QVERIFY(query.exec("SELECT count(*), count(trace) FROM events") && query.next());
        QCOMPARE(query.value(0).toInt(), 51);
        QCOMPARE(query.value(1).toInt(), 1);
        query = QSqlQuery();
        check.close();
    }
    QSqlDatabase::removeDatabase("check-traces");
}

void TestAuditLog::tracesCountAgainstTheByteBound()
{
    // Small events with long traces (many keys removed, many clients): the traces' bytes are
    // what fills the log, and the bound holds on them.
    const qint64 bound = 4LL << 20;
    const QByteArray trace
        = R"({"id":"ev","keys":")" + QByteArray(AuditLog::kMaxTraceBytes - 40, 'k') + R"("})";
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    AuditLog log(boundedOptions(bound));
    QVERIFY2(log.isEnabled(), qPrintable(log.error()));
    for (int chunk = 0; chunk < 10; ++chunk) {
        for (int i = 0; i < 100; ++i) {
            AuditRecord row = record(now + chunk * 100 + i, "channel:order:status", "", "{}");
            row.eventId = QStringLiteral("ev-%1").arg(chunk * 100 + i);
            row.trace = trace;
            log.append(row);
        }
        log.flush();
        QVERIFY2(fileBytes() <= bound, qPrintable(QString::number(fileBytes())));
    }
    QCOMPARE(log.droppedCount(), 0);
    // The newest is kept, trace and all.
    QCOMPARE(log.findEvent(QStringLiteral("ev-999")).result().value()->trace, trace);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
