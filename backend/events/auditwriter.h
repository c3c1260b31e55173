#pragma once

#include "auditlog.h"
#include "core/answeringpromise.h"

#include <QObject>
#include <QSet>

class QTimer;

namespace kucun {

// AuditLog's worker: owns the SQLite connection, in the log's own thread (a Qt SQL connection
// may only be used by the thread that made it).
//
// The byte bound (docs/events.md): the database file and its WAL together stay under
// Options::maxBytes. After every `step` bytes written (a sixteenth of the bound) the pages in
// use are measured; above 11/16 of the bound the oldest rows go until 9/16 are left, and the
// freed pages are given back to the file system (incremental vacuum, then a WAL checkpoint
// that truncates the WAL). The rest of the bound is headroom for the WAL, which is checkpointed
// every half `step` and cut back to `step` after each checkpoint, and for what is written
// between two checks.
class AuditWriter : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kDayMs = 24LL * 3600 * 1000;
    static constexpr int kMaxQueryRows = 10'000;

    AuditWriter(AuditLog &log, AuditLog::Options options);
    ~AuditWriter() override;

    // All of these run in the writer's thread.
    void open();
    void writePending();
    void flush();  // writePending() and prune()
    void runQuery(const AuditQuery &query,
                  const std::shared_ptr<AnsweringPromise<QList<AuditRecord>>> &promise);
    void runFind(const QString &eventId,
                 const std::shared_ptr<AnsweringPromise<std::optional<AuditRecord>>> &promise);
    void runAdminQuery(qint64 beforeId, int limit,
                       const std::shared_ptr<AnsweringPromise<QList<AdminAction>>> &promise);
    void close();

private:
    // The admin_actions table (auditwriteradmin.cpp).
    bool createAdminSchema();
    void insertAdminActions(const std::vector<AdminAction> &rows);
    void pruneAdminActions();

    // After open(): the index the byte bound needs, a first prune, the one-time VACUUM.
    void maintainAfterOpen();
    bool createSchema();
    // Adds the columns newer hubs write to a database made by an older one (NULL in old rows).
    bool addMissingColumns();
    void switchToIncrementalVacuum();
    bool insertRows(const std::vector<AuditRecord> &rows);
    // Age and rows, then bytes.
    void prune();
    void pruneToByteBound();
    void giveSpaceBack();
    // Deletes the rows matching `condition` (one `?`, bound to `bound`) oldest first, a slice at
    // a time; false (and a warning) when a statement fails.
    bool deleteInSlices(const QString &condition, qint64 bound);
    void checkpoint(const QString &mode);  // PASSIVE or TRUNCATE
    // Logs a failure the first time it happens: a failing statement is usually failing for good.
    void warnOnce(const QString &what, const QString &error);
    qint64 usedBytes();
    qint64 pragmaNumber(const QString &pragma);
    bool exec(const QString &statement);  // turns the log off when it fails

    AuditLog &m_log;
    const AuditLog::Options m_options;
    const QString m_connectionName;
    const qint64 m_step;
    QTimer *m_timer = nullptr;
    bool m_open = false;
    bool m_incremental = false;  // auto_vacuum=INCREMENTAL: the file can shrink
    QSet<QString> m_warned;
    qint64 m_lastPruneMs = 0;
    qint64 m_bytesSinceCheck = 0;
    qint64 m_pageSize = 4096;
    // Pages freed per byte of rows deleted, as last seen: SQLite's page and overflow overhead.
    // Starts high so that the first prune deletes too little rather than too much.
    double m_pagesPerRowByte = 1.25;
};

}  // namespace kucun
