#pragma once

#include "auditlog.h"
#include "core/answeringpromise.h"

#include <QObject>

class QTimer;

namespace kucun {

// AuditLog's worker: owns the SQLite connection, in the log's own thread (a Qt SQL connection
// may only be used by the thread that made it).
class AuditWriter : public QObject
{
    Q_OBJECT

public:
    AuditWriter(AuditLog &log, AuditLog::Options options);
    ~AuditWriter() override;

    // All of these run in the writer's thread.
    void open();
    void writePending();
    void flush();  // writePending() and prune()
    void runQuery(const AuditQuery &query,
                  const std::shared_ptr<AnsweringPromise<QList<AuditRecord>>> &promise);
    void close();

private:
    void prune();
    bool exec(const QString &statement);

    AuditLog &m_log;
    const AuditLog::Options m_options;
    const QString m_connectionName;
    QTimer *m_timer = nullptr;
    bool m_open = false;
    qint64 m_lastPruneMs = 0;
};

}  // namespace kucun
