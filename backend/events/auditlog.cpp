#include "auditlog.h"

#include "auditwriter.h"
#include "core/answeringpromise.h"

#include <QLoggingCategory>
#include <QThread>

namespace kucun {

Q_LOGGING_CATEGORY(lcAudit, "kucun.audit")

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
    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty()) {
        ++m_dropped;
        return;
    }
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
    return rows;
}

void AuditLog::disable(const QString &reason)
{
    std::lock_guard lock(m_mutex);
    if (!m_error.isEmpty())
        return;
    m_error = reason;
    m_dropped += qint64(m_pending.size());
    m_pending.clear();
    qCCritical(lcAudit).noquote() << "audit log" << m_options.path << "is off:" << reason
                                  << "(the hub goes on without it)";
}

}  // namespace kucun
