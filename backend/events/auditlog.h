#pragma once

#include "core/result.h"

#include <QFuture>
#include <QList>
#include <QString>

#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QThread;

namespace kucun {

class AuditWriter;

// One row of the audit log (SPEC §5): table events(id, ts, channel, type, source, payload,
// status, payload_bytes, event_id, trace, trace_bytes) with status "accepted" or
// "rejected: <reason>", and the event's id and causal trace (SPEC §14).
struct AuditRecord
{
    qint64 id = 0;  // assigned by the database
    qint64 ts = 0;  // ms since the epoch, when the hub received the event
    QString channel;
    QString type;
    QString source;
    QString payload;  // cut to AuditLog::Options::maxPayloadBytes (UTF-8) when stored
    QString status;
    // The payload's size as received, in UTF-8 bytes: more than `payload` holds when it was cut.
    // Set by append(); -1 before.
    qint64 payloadBytes = -1;
    QString eventId{};  // empty in rows from before events had ids
    // The EventTrace as compact JSON; empty when tracing was off, or in older rows. Queries of
    // many rows leave it out; findEvent() reads it.
    QByteArray trace{};

    bool payloadCut() const;
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

// One administrator's action (SPEC §13): table admin_actions(id, ts, role, peer, action,
// target, result). Kept beside the events, bounded by age like them and by kMaxAdminActionRows.
struct AdminAction
{
    qint64 id = 0;  // assigned by the database
    qint64 ts = 0;  // ms since the epoch
    QString role;  // admin, viewer, or local (loopback without keys)
    QString peer;  // the caller's address; empty for the window of this process
    QString action;  // invalidate, delete-key, set-ttl, disconnect, …
    QString target;  // the tag, key or client the action was on
    QString result;  // what came of it, e.g. "removed 12" or "refused: not found"
};

// The durable event log: SQLite through Qt SQL in WAL mode, written by a thread of its own in
// batches (append() only queues), bounded by age, row count and bytes, flushed when destroyed.
// When the file cannot be used (corrupt, locked, unwritable) the log says so once and turns
// itself off: the hub runs on without it.
//
// The byte bound is on the whole database (file + WAL), not on one table: every table kept in
// audit.db (events today; admin actions and traces later) counts against it and must be pruned
// by AuditWriter with the others, oldest rows first.
class AuditLog
{
public:
    static constexpr qint64 kDefaultMaxBytes = 256LL << 20;
    static constexpr int kDefaultMaxPayloadBytes = 16 << 10;
    // Text columns other than the payload (channel, type, source, status) are cut to this.
    static constexpr int kMaxFieldChars = 1024;
    // Rows waiting for the writer; beyond this append() drops them (counted in droppedCount()).
    static constexpr qint64 kMaxPendingBytes = 32LL << 20;
    static constexpr qsizetype kMaxPendingAdminActions = 10000;
    // Admin actions are few; this bounds a script that calls the API in a loop.
    static constexpr qint64 kMaxAdminActionRows = 100000;
    // A trace longer than this is stored without the names it lists (keys and clients).
    static constexpr qsizetype kMaxTraceBytes = 32 << 10;

    struct Options
    {
        QString path;
        qint64 maxRows = 1'000'000;
        int maxAgeDays = 30;
        std::chrono::milliseconds flushInterval{200};
        int busyTimeoutMs = 2000;  // how long to wait for a lock another process holds
        qint64 maxBytes = kDefaultMaxBytes;  // audit.db and its WAL together
        int maxPayloadBytes = kDefaultMaxPayloadBytes;  // longer payloads are stored cut
    };

    explicit AuditLog(Options options);
    ~AuditLog();
    AuditLog(const AuditLog &) = delete;
    AuditLog &operator=(const AuditLog &) = delete;

    bool isEnabled() const;
    // Why the log is off; empty while it works.
    QString error() const;

    // Thread-safe and cheap: the row is written with the next batch. Cuts the payload to
    // maxPayloadBytes and notes its size first.
    void append(AuditRecord record);
    // Writes what is queued and applies the bounds; returns when done.
    void flush();
    QFuture<Result<QList<AuditRecord>>> query(const AuditQuery &query);
    // The newest row of the event with this id (SPEC §14), trace included; nothing when none.
    QFuture<Result<std::optional<AuditRecord>>> findEvent(const QString &eventId);
    // Thread-safe and cheap, like append(); beyond kMaxPendingAdminActions waiting, dropped.
    void appendAdminAction(AdminAction action);
    // Newest first; `beforeId` 0: from the newest.
    QFuture<Result<QList<AdminAction>>> queryAdminActions(qint64 beforeId, int limit);
    // Rows given to append() but not written: the log is off, or the writer fell more than
    // kMaxPendingBytes behind.
    qint64 droppedCount() const;

    // The bytes a row takes in the database, near enough to budget with.
    static qint64 storedSize(const AuditRecord &record, int maxPayloadBytes);

private:
    friend class AuditWriter;
    std::vector<AuditRecord> takePending();
    std::vector<AdminAction> takePendingAdminActions();
    void disable(const QString &reason);

    const Options m_options;
    mutable std::mutex m_mutex;
    std::vector<AuditRecord> m_pending;
    std::vector<AdminAction> m_pendingAdminActions;
    qint64 m_pendingBytes = 0;
    bool m_overflowReported = false;  // one warning per overflow, not one per row
    QString m_error;
    qint64 m_dropped = 0;
    std::unique_ptr<QThread> m_thread;
    AuditWriter *m_writer = nullptr;  // lives in m_thread
};

}  // namespace kucun
