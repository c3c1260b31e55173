#include "auditwriter.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTimer>
#include <QUuid>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcAudit)

namespace {

constexpr qint64 kPruneEveryMs = 60'000;
constexpr qint64 kMinStepBytes = 64 << 10;
constexpr int kMaxPruneRounds = 6;
constexpr int kMaxVacuumSteps = 64;
// SQLite's PRAGMA auto_vacuum value for INCREMENTAL.
constexpr int kAutoVacuumIncremental = 2;

// What a query reads of a row, in AuditRecord's order (rowOf()); payload_bytes is NULL in rows
// from before payloads were cut: they are complete.
constexpr const char *kRowColumns
    = "id, ts, channel, type, source, payload, status, "
      "COALESCE(payload_bytes, length(CAST(payload AS BLOB))), COALESCE(event_id, '')";

AuditRecord rowOf(const QSqlQuery &query)
{
    AuditRecord row;
    row.id = query.value(0).toLongLong();
    row.ts = query.value(1).toLongLong();
    row.channel = query.value(2).toString();
    row.type = query.value(3).toString();
    row.source = query.value(4).toString();
    row.payload = query.value(5).toString();
    row.status = query.value(6).toString();
    row.payloadBytes = query.value(7).toLongLong();
    row.eventId = query.value(8).toString();
    return row;
}

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
    , m_step(std::max(m_options.maxBytes / 16, kMinStepBytes))
{
}

AuditWriter::~AuditWriter() = default;

bool AuditWriter::exec(const QString &statement)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (query.exec(statement))
        return true;
    m_open = false;
    m_log.disable(query.lastError().text());
    return false;
}

qint64 AuditWriter::pragmaNumber(const QString &pragma)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("PRAGMA ") + pragma) || !query.next())
        return -1;
    return query.value(0).toLongLong();
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
    // The first statements read the file: a corrupt or foreign file fails here. auto_vacuum
    // comes first: a new database takes it only before anything else is written to it (an
    // older one is switched by switchToIncrementalVacuum()).
    QSqlQuery mode(db);
    if (!mode.exec(QStringLiteral("PRAGMA auto_vacuum=INCREMENTAL"))) {
        m_log.disable(mode.lastError().text());
        return;
    }
    if (!mode.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !mode.next()
        || mode.value(0).toString() != u"wal") {
        m_log.disable(mode.lastError().isValid() ? mode.lastError().text()
                                                 : QStringLiteral("cannot switch to WAL mode"));
        return;
    }
    mode = QSqlQuery();
    m_open = true;
    // secure_delete (on in Debian's SQLite) would zero every freed page, writing a prune's
    // whole size to the WAL once more.
    if (!exec(QStringLiteral("PRAGMA synchronous=NORMAL"))
        || !exec(QStringLiteral("PRAGMA secure_delete=OFF")) || !createSchema())
        return;
    m_pageSize = std::max<qint64>(512, pragmaNumber(QStringLiteral("page_size")));
    // Checkpoint every half `step` and cut the WAL back to `step` after each checkpoint, so
    // that the WAL's share of the bound stays small.
    const qint64 walPages = std::max<qint64>(16, m_step / 2 / m_pageSize);
    if (!exec(QStringLiteral("PRAGMA wal_autocheckpoint=%1").arg(walPages))
        || !exec(QStringLiteral("PRAGMA journal_size_limit=%1").arg(m_step)))
        return;
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &AuditWriter::writePending);
    m_timer->start(m_options.flushInterval);
    // What may take long on a large database from before the byte bound (an index over every
    // row, a prune of gigabytes, a VACUUM) runs next, in this thread: the hub starts meanwhile,
    // and rows wait in the log's bounded queue.
    QMetaObject::invokeMethod(this, &AuditWriter::maintainAfterOpen, Qt::QueuedConnection);
}

void AuditWriter::maintainAfterOpen()
{
    if (!m_open)
        return;
    // events_sizes lets the byte prune add up row sizes in id order without reading the rows
    // (it replaced events_bytes, which did not know traces); events_event_id finds a trace.
    if (!exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_sizes "
                             "ON events(id, payload_bytes, trace_bytes)"))
        || !exec(QStringLiteral("DROP INDEX IF EXISTS events_bytes"))
        || !exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_event_id ON events(event_id)")))
        return;
    prune();  // before the VACUUM below, which then copies only what is kept
    if (!m_open)
        return;
    switchToIncrementalVacuum();
    m_incremental = pragmaNumber(QStringLiteral("auto_vacuum")) == kAutoVacuumIncremental;
    checkpoint(QStringLiteral("TRUNCATE"));
}

bool AuditWriter::createSchema()
{
    if (!exec(QStringLiteral("CREATE TABLE IF NOT EXISTS events("
                             "id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, "
                             "channel TEXT NOT NULL, type TEXT NOT NULL, source TEXT NOT NULL, "
                             "payload TEXT NOT NULL, status TEXT NOT NULL, "
                             "payload_bytes INTEGER, event_id TEXT, trace TEXT, "
                             "trace_bytes INTEGER)"))
        || !addMissingColumns())
        return false;
    return exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_ts ON events(ts)"))
           && exec(
               QStringLiteral("CREATE INDEX IF NOT EXISTS events_channel ON events(channel, ts)"))
           && exec(QStringLiteral("CREATE INDEX IF NOT EXISTS events_type ON events(type, ts)"))
           && createAdminSchema();
}

bool AuditWriter::addMissingColumns()
{
    // Each column and the hubs that lacked it: payload_bytes before payloads were cut (NULL:
    // the payload is complete), event_id, trace and trace_bytes before causal traces (NULL:
    // none). Old rows keep what they had.
    static const QStringList kLater{QStringLiteral("payload_bytes INTEGER"),
                                    QStringLiteral("event_id TEXT"), QStringLiteral("trace TEXT"),
                                    QStringLiteral("trace_bytes INTEGER")};
    QSet<QString> present;
    {
        QSqlQuery columns(QSqlDatabase::database(m_connectionName, false));
        if (!columns.exec(QStringLiteral("PRAGMA table_info(events)"))) {
            m_open = false;
            m_log.disable(columns.lastError().text());
            return false;
        }
        while (columns.next())
            present.insert(columns.value(1).toString());
    }
    for (const QString &column : kLater) {
        const QString name = column.section(u' ', 0, 0);
        if (present.contains(name))
            continue;
        qCInfo(lcAudit).noquote() << "audit log" << m_options.path << ": adding the" << name
                                  << "column";
        if (!exec(QStringLiteral("ALTER TABLE events ADD COLUMN ") + column))
            return false;
    }
    return true;
}

void AuditWriter::switchToIncrementalVacuum()
{
    // open() asked for auto_vacuum=INCREMENTAL; a database that existed before takes it only
    // with a VACUUM: once per database, on databases made before the log gave space back. Without
    // it the log still works and stays bounded; the file just does not shrink.
    if (pragmaNumber(QStringLiteral("auto_vacuum")) == kAutoVacuumIncremental)
        return;
    // VACUUM writes a copy of what is kept: with less room than that on the disk it would fail
    // after a long while, at every start.
    const qint64 used = usedBytes();
    const qint64 available
        = QStorageInfo(QFileInfo(m_options.path).absolutePath()).bytesAvailable();
    if (used < 0 || available < 2 * used) {
        qCWarning(lcAudit).noquote()
            << "audit log" << m_options.path << ": not enough free disk space for the one-time"
            << "VACUUM that lets the file shrink (" << available << "bytes free," << used
            << "in use); the log stays bounded, the file does not shrink";
        return;
    }
    qCInfo(lcAudit).noquote() << "audit log" << m_options.path
                              << ": switching to incremental vacuum (a one-time VACUUM)";
    QSqlQuery vacuum(QSqlDatabase::database(m_connectionName, false));
    if (!vacuum.exec(QStringLiteral("VACUUM")))
        warnOnce(QStringLiteral("the one-time VACUUM"),
                 vacuum.lastError().text()
                     + QStringLiteral("; the file will not shrink after pruning"));
}

bool AuditWriter::insertRows(const std::vector<AuditRecord> &rows)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO events(ts, channel, type, source, payload, status, "
                                  "payload_bytes, event_id, trace, trace_bytes) "
                                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    size_t next = 0;
    while (next < rows.size()) {
        // One transaction per batch (one fsync instead of one per row), cut at `step` bytes so
        // that the WAL and what is written between two checks of the bound stay small.
        db.transaction();
        qint64 batchBytes = 0;
        for (; next < rows.size() && batchBytes < m_step; ++next) {
            const AuditRecord &row = rows[next];
            insert.addBindValue(row.ts);
            insert.addBindValue(column(row.channel));
            insert.addBindValue(column(row.type));
            insert.addBindValue(column(row.source));
            insert.addBindValue(column(row.payload));
            insert.addBindValue(column(row.status));
            insert.addBindValue(row.payloadBytes >= 0 ? QVariant(row.payloadBytes) : QVariant());
            insert.addBindValue(row.eventId.isEmpty() ? QVariant() : QVariant(row.eventId));
            insert.addBindValue(row.trace.isEmpty() ? QVariant()
                                                    : QVariant(QString::fromUtf8(row.trace)));
            insert.addBindValue(row.trace.isEmpty() ? QVariant() : QVariant(row.trace.size()));
            if (!insert.exec()) {
                const QString reason = insert.lastError().text();
                db.rollback();
                m_open = false;
                m_log.disable(reason);
                return false;
            }
            batchBytes += AuditLog::storedSize(row, m_options.maxPayloadBytes);
        }
        if (!db.commit()) {
            m_open = false;
            m_log.disable(db.lastError().text());
            return false;
        }
        m_bytesSinceCheck += batchBytes;
        if (m_bytesSinceCheck >= m_step)
            prune();
    }
    return true;
}

void AuditWriter::writePending()
{
    const std::vector<AdminAction> actions = m_log.takePendingAdminActions();
    if (m_open && !actions.empty())
        insertAdminActions(actions);
    const std::vector<AuditRecord> rows = m_log.takePending();
    if (!m_open || rows.empty() || !insertRows(rows))
        return;
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
    deleteInSlices(QStringLiteral("ts < ?"), m_lastPruneMs - qint64(m_options.maxAgeDays) * kDayMs);
    // The newest row beyond the row bound, read and done with before deleting: an open
    // statement would keep the checkpoints between the slices from finishing.
    qint64 lastBeyondRows = -1;
    {
        QSqlQuery newest(QSqlDatabase::database(m_connectionName, false));
        newest.prepare(QStringLiteral("SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?"));
        newest.addBindValue(m_options.maxRows);
        if (!newest.exec())
            warnOnce(QStringLiteral("row bound"), newest.lastError().text());
        else if (newest.next())
            lastBeyondRows = newest.value(0).toLongLong();
    }
    if (lastBeyondRows >= 0)
        deleteInSlices(QStringLiteral("id <= ?"), lastBeyondRows);
    pruneAdminActions();
    pruneToByteBound();
}

bool AuditWriter::deleteInSlices(const QString &condition, qint64 bound)
{
    // A slice of rows per transaction, with a checkpoint after each: one DELETE of many rows
    // would grow the WAL by all it deletes, past the bound it is enforcing.
    const qint64 sliceRows = std::max<qint64>(64, m_step / (m_options.maxPayloadBytes + 128));
    QSqlQuery remove(QSqlDatabase::database(m_connectionName, false));
    if (!remove.prepare(QStringLiteral("DELETE FROM events WHERE id IN (SELECT id FROM events "
                                       "WHERE %1 ORDER BY id LIMIT %2)")
                            .arg(condition)
                            .arg(sliceRows))) {
        warnOnce(QStringLiteral("delete"), remove.lastError().text());
        return false;
    }
    remove.bindValue(0, bound);
    for (;;) {
        if (!remove.exec()) {
            warnOnce(QStringLiteral("delete"), remove.lastError().text());
            return false;
        }
        if (remove.numRowsAffected() < sliceRows)
            return true;
        checkpoint(QStringLiteral("PASSIVE"));
    }
}

void AuditWriter::checkpoint(const QString &mode)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    // The first column says whether the checkpoint could not finish (a reader held the WAL).
    if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(%1)").arg(mode)))
        warnOnce(QStringLiteral("checkpoint"), query.lastError().text());
    else if (query.next() && query.value(0).toInt() != 0 && mode == u"TRUNCATE")
        warnOnce(QStringLiteral("checkpoint busy"),
                 QStringLiteral("another process reads the database; its WAL cannot be cut back "
                                "until it stops"));
}

void AuditWriter::warnOnce(const QString &what, const QString &error)
{
    if (m_warned.contains(what))
        return;
    m_warned.insert(what);
    qCWarning(lcAudit).noquote() << "audit log" << m_options.path << ":" << what
                                 << "failed:" << error << "(said once)";
}

qint64 AuditWriter::usedBytes()
{
    const qint64 pages = pragmaNumber(QStringLiteral("page_count"));
    const qint64 free = pragmaNumber(QStringLiteral("freelist_count"));
    return pages < 0 || free < 0 ? -1 : (pages - free) * m_pageSize;
}

void AuditWriter::pruneToByteBound()
{
    m_bytesSinceCheck = 0;
    const qint64 high = m_options.maxBytes / 16 * 11;
    const qint64 low = m_options.maxBytes / 16 * 9;
    qint64 used = usedBytes();
    if (used < 0) {
        warnOnce(QStringLiteral("measuring the database"),
                 QStringLiteral("PRAGMA page_count or freelist_count gave no answer"));
        return;
    }
    // Pages freed by the row and age bounds, or by rows deleted by another process, go back to
    // the file system too.
    const qint64 freePages = pragmaNumber(QStringLiteral("freelist_count"));
    if (used <= high) {
        if (freePages * m_pageSize >= m_step)
            giveSpaceBack();
        return;
    }
    // Only events today. A table that joins this database must be pruned here too, oldest
    // rows first: the bound is on the file, whatever fills it.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // The other columns are short (at most kMaxFieldChars each, usually a few dozen bytes):
    // reading them would mean reading every row, so they count as a fixed overhead.
    const QString rowSize = QStringLiteral("COALESCE(MIN(payload_bytes, %1), "
                                           "length(CAST(payload AS BLOB))) "
                                           "+ COALESCE(trace_bytes, 0) + 128")
                                .arg(m_options.maxPayloadBytes);
    qint64 deletedRows = 0;
    const qint64 usedBefore = used;
    for (int round = 0; round < kMaxPruneRounds && used > low; ++round) {
        const qint64 excess = qint64(double(used - low) / m_pagesPerRowByte) + 1;
        // Walks the oldest rows through events_sizes, adding their sizes until the excess is
        // covered; only rows without payload_bytes (older databases) are read themselves.
        QSqlQuery walk(db);
        walk.setForwardOnly(true);
        if (!walk.exec(QStringLiteral("SELECT id, %1 FROM events INDEXED BY events_sizes "
                                      "ORDER BY id")
                           .arg(rowSize))) {
            warnOnce(QStringLiteral("byte bound"), walk.lastError().text());
            break;
        }
        qint64 rowBytes = 0;
        qint64 lastId = -1;
        qint64 rows = 0;
        while (rowBytes < excess && walk.next()) {
            lastId = walk.value(0).toLongLong();
            rowBytes += walk.value(1).toLongLong();
            ++rows;
        }
        walk = QSqlQuery();
        if (lastId < 0)
            break;  // nothing left to delete
        if (!deleteInSlices(QStringLiteral("id <= ?"), lastId))
            break;
        deletedRows += rows;
        const qint64 before = used;
        used = usedBytes();
        if (before > used && rowBytes > 0)
            m_pagesPerRowByte = std::clamp(double(before - used) / double(rowBytes), 0.5, 4.0);
    }
    qCDebug(lcAudit).noquote() << "audit log: byte bound" << m_options.maxBytes << "deleted"
                               << deletedRows << "rows," << usedBefore << "->" << used
                               << "bytes in use";
    giveSpaceBack();
}

void AuditWriter::giveSpaceBack()
{
    // Moves pages from the end of the file into the free ones and truncates it. In chunks of
    // `step` pages, each its own transaction followed by a checkpoint, so that the moved pages
    // do not pile up in the WAL. Without incremental vacuum (its one-time VACUUM could not run)
    // free pages stay for new rows, and only the WAL is cut back.
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    const qint64 stepPages = std::max<qint64>(16, m_step / m_pageSize);
    for (int chunk = 0; m_incremental && chunk < kMaxVacuumSteps; ++chunk) {
        const qint64 free = pragmaNumber(QStringLiteral("freelist_count"));
        if (free <= 0)
            break;
        if (!db.transaction()) {
            warnOnce(QStringLiteral("giving space back"), db.lastError().text());
            break;
        }
        // Each step of this statement frees one page, and Qt steps a statement without result
        // columns only once: run it once per page.
        QSqlQuery vacuum(db);
        bool ok = vacuum.prepare(QStringLiteral("PRAGMA incremental_vacuum"));
        for (qint64 page = 0; ok && page < std::min(free, stepPages); ++page)
            ok = vacuum.exec();
        const QString error = vacuum.lastError().text();
        vacuum = QSqlQuery();
        if (!ok || !db.commit()) {
            warnOnce(QStringLiteral("giving space back"), ok ? db.lastError().text() : error);
            db.rollback();
            break;
        }
        checkpoint(QStringLiteral("PASSIVE"));
        if (pragmaNumber(QStringLiteral("freelist_count")) >= free)
            break;  // nothing moved: no use trying again
    }
    checkpoint(QStringLiteral("TRUNCATE"));
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
    QString sql = QStringLiteral("SELECT %1 FROM events WHERE ts >= ? AND ts <= ?")
                      .arg(QLatin1StringView(kRowColumns));
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
    while (query.next())
        rows.append(rowOf(query));
    answer(rows);
}

void AuditWriter::runFind(
    const QString &eventId,
    const std::shared_ptr<AnsweringPromise<std::optional<AuditRecord>>> &promise)
{
    writePending();  // an event handled a moment ago is found
    if (!m_open) {
        promise->answer(Error{QStringLiteral("the audit log is off: %1").arg(m_log.error())});
        return;
    }
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT %1, trace FROM events WHERE event_id = ? "
                                 "ORDER BY id DESC LIMIT 1")
                      .arg(QLatin1StringView(kRowColumns)));
    query.addBindValue(eventId);
    if (!query.exec()) {
        promise->answer(Error{query.lastError().text()});
        return;
    }
    if (!query.next()) {
        promise->answer(std::optional<AuditRecord>());
        return;
    }
    AuditRecord row = rowOf(query);
    row.trace = query.value(9).toString().toUtf8();
    promise->answer(std::optional<AuditRecord>(std::move(row)));
}

void AuditWriter::close()
{
    writePending();
    if (m_open) {
        prune();  // within the bound after shutdown too
        giveSpaceBack();  // and no free pages left in the file
    }
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
