#include "auditlog.h"

#include "auditwriter.h"
#include "core/answeringpromise.h"

#include <QLoggingCategory>
#include <QThread>

namespace kucun {

Q_LOGGING_CATEGORY(lcAudit, "kucun.audit")

namespace {

// A rough per-row cost on top of the text: the row's header, its id, ts and payload_bytes, and
// its share of the indexes.
constexpr qint64 kRowOverheadBytes = 96;

int utf8Length(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return 1;
    if (u < 0x800)
        return 2;
    // A surrogate pair is 4 bytes in UTF-8: 2 for each half. A lone surrogate, which becomes
    // U+FFFD (3 bytes), counts 2 as well: a byte short, close enough for a bound.
    return c.isSurrogate() ? 2 : 3;
}

// The length of `text` in UTF-8, and where to cut it so that it holds at most `maxBytes` bytes
// without splitting a character.
struct Utf8Measure
{
    qint64 bytes = 0;
    qsizetype cutAt = -1;  // -1: it fits
};

Utf8Measure measureUtf8(QStringView text, qint64 maxBytes)
{
    Utf8Measure measure;
    for (qsizetype i = 0; i < text.size(); ++i) {
        measure.bytes += utf8Length(text[i]);
        if (measure.cutAt < 0 && measure.bytes > maxBytes) {
            // Not between the halves of a pair.
            measure.cutAt
                = i > 0 && text[i].isLowSurrogate() && text[i - 1].isHighSurrogate() ? i - 1 : i;
        }
    }
    return measure;
}

void cutField(QString &text)
{
    if (text.size() <= AuditLog::kMaxFieldChars)
        return;
    // Not between the halves of a pair: a lone half would be stored as invalid UTF-8.
    const bool splitsPair = text[AuditLog::kMaxFieldChars - 1].isHighSurrogate();
    text.truncate(AuditLog::kMaxFieldChars - (splitsPair ? 1 : 0));
    text.squeeze();
}

}  // namespace

bool AuditRecord::payloadCut() const
{
    return payloadBytes > measureUtf8(payload, payloadBytes).bytes;
}

qint64 AuditLog::storedSize(const AuditRecord &record, int maxPayloadBytes)
{
    // The other columns in UTF-16 units: a third short for CJK text, which the bound's
    // headroom absorbs.
    const qint64 payload = record.payloadBytes >= 0
                               ? std::min<qint64>(record.payloadBytes, maxPayloadBytes)
                               : qint64(record.payload.size());
    return kRowOverheadBytes + payload
           + qint64(record.channel.size() + record.type.size() + record.source.size()
                    + record.status.size() + record.eventId.size() + record.trace.size());
}

AuditLog::AuditLog(Options options)
    : m_options(std::move(options))
    , m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("kucun-audit"));
    m_writer = new AuditWriter(*this, m_options);
    m_writer->moveToThread(m_thread.get());
    m_thread->start();
    // Synchronously, so that the caller knows at once whether the log works.
    QMetaObject::invokeMethod(m_writer, &AuditWriter::open, Qt::BlockingQueuedConnection);
}

AuditLog::~AuditLog()
{
    QMetaObject::invokeMethod(m_writer, &AuditWriter::close, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_writer;  // its thread has ended; nothing of it runs any more
}

bool AuditLog::isEnabled() const
{
    std::lock_guard lock(m_mutex);
    return m_error.isEmpty();
}

QString AuditLog::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void AuditLog::append(AuditRecord record)
{
    // Outside the lock: measuring a large payload is the one costly part.
    const Utf8Measure payload = measureUtf8(record.payload, m_options.maxPayloadBytes);
    record.payloadBytes = payload.bytes;
    if (payload.cutAt >= 0) {
        record.payload.truncate(payload.cutAt);
        record.payload.squeeze();  // or it keeps the capacity of the whole payload
    }
    cutField(record.channel);
    cutField(record.type);
    cutField(record.source);
    cutField(record.status);
    cutField(record.eventId);
    // What the row holds in memory until it is written: UTF-16, twice its UTF-8 for the
    // payload's usual ASCII JSON.
    const qint64 size = storedSize(record, m_options.maxPayloadBytes) + record.payload.size();

    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty()) {
        ++m_dropped;
        return;
    }
    if (m_pendingBytes + size > kMaxPendingBytes) {
        ++m_dropped;
        if (!m_overflowReported) {
            m_overflowReported = true;
            qCWarning(lcAudit).noquote()
                << "audit log" << m_options.path << "cannot keep up: more than"
                << (kMaxPendingBytes >> 20) << "MiB wait to be written; rows are dropped";
        }
        return;
    }
    m_pendingBytes += size;
    m_pending.push_back(std::move(record));
}

void AuditLog::flush()
{
    QMetaObject::invokeMethod(m_writer, &AuditWriter::flush, Qt::BlockingQueuedConnection);
}

QFuture<Result<QList<AuditRecord>>> AuditLog::query(const AuditQuery &query)
{
    auto promise = std::make_shared<AnsweringPromise<QList<AuditRecord>>>(
        QStringLiteral("the audit log closed before answering"));
    QFuture<Result<QList<AuditRecord>>> future = promise->future();
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, query, promise] { writer->runQuery(query, promise); },
        Qt::QueuedConnection);
    return future;
}

QFuture<Result<std::optional<AuditRecord>>> AuditLog::findEvent(const QString &eventId)
{
    auto promise = std::make_shared<AnsweringPromise<std::optional<AuditRecord>>>(
        QStringLiteral("the audit log closed before answering"));
    QFuture<Result<std::optional<AuditRecord>>> future = promise->future();
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, eventId, promise] { writer->runFind(eventId, promise); },
        Qt::QueuedConnection);
    return future;
}

void AuditLog::appendAdminAction(AdminAction action)
{
    for (QString *field :
         {&action.role, &action.peer, &action.action, &action.target, &action.result})
        cutField(*field);
    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty() || qsizetype(m_pendingAdminActions.size()) >= kMaxPendingAdminActions) {
        ++m_dropped;
        return;
    }
    m_pendingAdminActions.push_back(std::move(action));
}

QFuture<Result<QList<AdminAction>>> AuditLog::queryAdminActions(qint64 beforeId, int limit)
{
    auto promise = std::make_shared<AnsweringPromise<QList<AdminAction>>>(
        QStringLiteral("the audit log closed before answering"));
    QFuture<Result<QList<AdminAction>>> future = promise->future();
    QMetaObject::invokeMethod(
        m_writer,
        [writer = m_writer, beforeId, limit, promise] {
            writer->runAdminQuery(beforeId, limit, promise);
        },
        Qt::QueuedConnection);
    return future;
}

qint64 AuditLog::droppedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

std::vector<AuditRecord> AuditLog::takePending()
{
    std::lock_guard lock(m_mutex);
    std::vector<AuditRecord> rows;
    rows.swap(m_pending);
    m_pendingBytes = 0;
    m_overflowReported = false;
    return rows;
}

std::vector<AdminAction> AuditLog::takePendingAdminActions()
{
    std::lock_guard lock(m_mutex);
    std::vector<AdminAction> rows;
    rows.swap(m_pendingAdminActions);
    return rows;
}

void AuditLog::disable(const QString &reason)
{
    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty())
        return;
    m_error = reason;
    m_dropped += qint64(m_pending.size() + m_pendingAdminActions.size());
    m_pending.clear();
    m_pendingAdminActions.clear();
    m_pendingBytes = 0;
    qCCritical(lcAudit).noquote() << "audit log" << m_options.path << "is off:" << reason
                                  << "(the hub goes on without it)";
}

}  // namespace kucun
