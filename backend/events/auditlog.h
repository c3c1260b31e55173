#pragma once

#include "core/result.h"

#include <QFuture>
#include <QList>
#include <QString>

#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace kucun {

class AuditWriter;

// One row of the audit log (SPEC §5): table events(id, ts, channel, type, source, payload,
// status) with status "accepted" or "rejected: <reason>".
struct AuditRecord
{
    qint64 id = 0;  // assigned by the database
    qint64 ts = 0;  // ms since the epoch, when the hub received the event
    QString channel;
    QString type;
    QString source;
    QString payload;
    QString status;
};

// A filter for the GUI's history view; empty strings match everything. `text` searches the
// payload. Newest first; page with `beforeId` (the smallest id of the previous page).
struct AuditQuery
{
    qint64 fromMs = 0;
    qint64 toMs = std::numeric_limits<qint64>::max();
    QString channel;
    QString type;
    QString text;
    int limit = 200;
    qint64 beforeId = 0;
};

// The durable event log: SQLite through Qt SQL in WAL mode, written by a thread of its own in
// batches (append() only queues), bounded by age and row count, flushed when destroyed. When
// the file cannot be used (corrupt, locked, unwritable) the log says so once and turns itself
// off: the hub runs on without it.
class AuditLog
{
public:
    struct Options
    {
        QString path;
        qint64 maxRows = 1'000'000;
        int maxAgeDays = 30;
        std::chrono::milliseconds flushInterval{200};
        int busyTimeoutMs = 2000;  // how long to wait for a lock another process holds
    };

    explicit AuditLog(Options options);
    ~AuditLog();
    AuditLog(const AuditLog &) = delete;
    AuditLog &operator=(const AuditLog &) = delete;

    bool isEnabled() const;
    // Why the log is off; empty while it works.
    QString error() const;

    // Thread-safe and cheap: the row is written with the next batch.
    void append(AuditRecord record);
    // Writes what is queued and applies the bounds; returns when done.
    void flush();
    QFuture<Result<QList<AuditRecord>>> query(const AuditQuery &query);
    // Rows accepted by append() but not written because the log is off.
    qint64 droppedCount() const;

private:
    friend class AuditWriter;
    std::vector<AuditRecord> takePending();
    void disable(const QString &reason);

    const Options m_options;
    mutable std::mutex m_mutex;
    std::vector<AuditRecord> m_pending;
    QString m_error;
    qint64 m_dropped = 0;
    std::unique_ptr<QThread> m_thread;
    AuditWriter *m_writer = nullptr;  // lives in m_thread
};

}  // namespace kucun
