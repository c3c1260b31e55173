#include "auditwriter.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>

namespace kucun {

namespace {

constexpr qint64 kPruneEveryMs = 60'000;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr int kMaxQueryRows = 10'000;

// Columns are NOT NULL; a null QString would bind as NULL.
QString column(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

}  // namespace

AuditWriter::AuditWriter(AuditLog &log, AuditLog::Options options)
    : m_log(log)
    , m_options(std::move(options))
    , m_connectionName(QStringLiteral("kucun-audit-") + QUuid::createUuid().toString(QUuid::Id128))
{
}

AuditWriter::~AuditWriter() = default;

bool AuditWriter::exec(const QString &statement)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (query.exec(statement))
        return true;
    m_log.disable(query.lastError().text());
    return false;
}

void AuditWriter::open()
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_options.path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeoutMs));
    if (!db.open()) {
        m_log.disable(db.lastError().text());
        return;
    }
    // The first statements read the file: a corrupt or foreign file fails here.
    QSqlQuery mode(db);
    if (!mode.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !mode.next()
        || mode.value(0).toString() != u"wal") {
        m_log.disable(mode.lastError().isValid() ? mode.lastError().text()
                                                 : QStringLiteral("cannot switch to WAL mode"));
        return;
    }
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL"))
        || !exec(QStringLiteral("CREATE TABLE IF NOT EXISTS events("
                                "id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, "
                                "channel TEXT NOT NULL, type TEXT NOT NULL, source TEXT NOT NULL, "
                                "payload TEXT NOT NULL, status TEXT NOT NULL)"))
        || !exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_ts ON events(ts)"))
        || !exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_channel ON events(channel, ts)"))
        || !exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_type ON events(type, ts)")))
        return;
    m_open = true;
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &AuditWriter::writePending);
    m_timer->start(m_options.flushInterval);
    prune();
}

void AuditWriter::writePending()
{
    const std::vector<AuditRecord> rows = m_log.takePending();
    if (!m_open || rows.empty())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();  // one transaction per batch: one fsync instead of one per row
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO events(ts, channel, type, source, payload, status) "
                                  "VALUES(?, ?, ?, ?, ?, ?)"));
    for (const AuditRecord &row : rows) {
        insert.addBindValue(row.ts);
        insert.addBindValue(column(row.channel));
        insert.addBindValue(column(row.type));
        insert.addBindValue(column(row.source));
        insert.addBindValue(column(row.payload));
        insert.addBindValue(column(row.status));
        if (!insert.exec()) {
            db.rollback();
            m_open = false;
            m_log.disable(insert.lastError().text());
            return;
        }
    }
    if (!db.commit()) {
        m_open = false;
        m_log.disable(db.lastError().text());
        return;
    }
    if (QDateTime::currentMSecsSinceEpoch() - m_lastPruneMs >= kPruneEveryMs)
        prune();
}

void AuditWriter::flush()
{
    writePending();
    if (m_open)
        prune();
}

void AuditWriter::prune()
{
    m_lastPruneMs = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM events WHERE ts < ?"));
    query.addBindValue(m_lastPruneMs - qint64(m_options.maxAgeDays) * kDayMs);
    query.exec();
    query.prepare(QStringLiteral("DELETE FROM events WHERE id <= (SELECT id FROM events "
                                 "ORDER BY id DESC LIMIT 1 OFFSET ?)"));
    query.addBindValue(m_options.maxRows);
    query.exec();
}

void AuditWriter::runQuery(const AuditQuery &filter,
                           const std::shared_ptr<AnsweringPromise<QList<AuditRecord>>> &promise)
{
    writePending();  // a query sees everything appended before it
    const auto answer
        = [&promise](Result<QList<AuditRecord>> result) { promise->answer(std::move(result)); };
    if (!m_open) {
        answer(Error{QStringLiteral("the audit log is off: %1").arg(m_log.error())});
        return;
    }
    QString sql
        = QStringLiteral("SELECT id, ts, channel, type, source, payload, status FROM events "
                         "WHERE ts >= ? AND ts <= ?");
    QVariantList values{filter.fromMs, filter.toMs};
    if (!filter.channel.isEmpty()) {
        sql += QStringLiteral(" AND channel = ?");
        values << filter.channel;
    }
    if (!filter.type.isEmpty()) {
        sql += QStringLiteral(" AND type = ?");
        values << filter.type;
    }
    if (!filter.text.isEmpty()) {
        // instr() rather than LIKE: no wildcard characters to escape in what the user typed.
        sql += QStringLiteral(" AND instr(payload, ?) > 0");
        values << filter.text;
    }
    if (filter.beforeId > 0) {
        sql += QStringLiteral(" AND id < ?");
        values << filter.beforeId;
    }
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values << std::clamp(filter.limit, 1, kMaxQueryRows);

    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(sql);
    for (const QVariant &value : std::as_const(values))
        query.addBindValue(value);
    if (!query.exec()) {
        answer(Error{query.lastError().text()});
        return;
    }
    QList<AuditRecord> rows;
    while (query.next()) {
        rows.append({query.value(0).toLongLong(), query.value(1).toLongLong(),
                     query.value(2).toString(), query.value(3).toString(),
                     query.value(4).toString(), query.value(5).toString(),
                     query.value(6).toString()});
    }
    answer(rows);
}

void AuditWriter::close()
{
    writePending();
    delete m_timer;
    m_timer = nullptr;
    m_open = false;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

}  // namespace kucun
