// AuditWriter's admin_actions table (SPEC §13): created beside events, written with each batch,
// pruned by age and rows with the events, queried newest first.
#include "auditwriter.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace kucun {

bool AuditWriter::createAdminSchema()
{
    return exec(QStringLiteral("CREATE TABLE IF NOT EXISTS admin_actions("
                               "id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, "
                               "role TEXT NOT NULL, peer TEXT NOT NULL, action TEXT NOT NULL, "
                               "target TEXT NOT NULL, result TEXT NOT NULL)"))
           && exec(QStringLiteral("CREATE INDEX IF NOT EXISTS admin_actions_ts "
                                  "ON admin_actions(ts)"));
}

void AuditWriter::insertAdminActions(const std::vector<AdminAction> &rows)
{
    QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
    database.transaction();
    QSqlQuery insert(database);
    insert.prepare(QStringLiteral("INSERT INTO admin_actions(ts, role, peer, action, target, "
                                  "result) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const AdminAction &row : rows) {
        insert.addBindValue(row.ts);
        // Qt SQL binds a null QString as NULL: an action without a peer (the hub's own window)
        // or a target (the demo) is stored with an empty one.
        for (const QString *text : {&row.role, &row.peer, &row.action, &row.target, &row.result})
            insert.addBindValue(text->isNull() ? QStringLiteral("") : *text);
        if (!insert.exec()) {
            warnOnce(QStringLiteral("admin action insert"), insert.lastError().text());
            database.rollback();
            return;
        }
    }
    database.commit();
}

void AuditWriter::pruneAdminActions()
{
    QSqlQuery remove(QSqlDatabase::database(m_connectionName, false));
    remove.prepare(QStringLiteral("DELETE FROM admin_actions WHERE ts < ? OR id <= "
                                  "(SELECT id FROM admin_actions ORDER BY id DESC LIMIT 1 "
                                  "OFFSET ?)"));
    remove.addBindValue(QDateTime::currentMSecsSinceEpoch()
                        - qint64(m_options.maxAgeDays) * kDayMs);
    remove.addBindValue(AuditLog::kMaxAdminActionRows);
    if (!remove.exec())
        warnOnce(QStringLiteral("admin action prune"), remove.lastError().text());
}

void AuditWriter::runAdminQuery(
    qint64 beforeId, int limit,
    const std::shared_ptr<AnsweringPromise<QList<AdminAction>>> &promise)
{
    writePending();  // a query sees every action appended before it
    if (!m_open) {
        promise->answer(Error{QStringLiteral("the audit log is off: %1").arg(m_log.error())});
        return;
    }
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT id, ts, role, peer, action, target, result FROM "
                                 "admin_actions WHERE id < ? ORDER BY id DESC LIMIT ?"));
    query.addBindValue(beforeId > 0 ? beforeId : std::numeric_limits<qint64>::max());
    query.addBindValue(std::clamp(limit, 1, kMaxQueryRows));
    if (!query.exec()) {
        promise->answer(Error{query.lastError().text()});
        return;
    }
    QList<AdminAction> rows;
    while (query.next()) {
        rows.append({query.value(0).toLongLong(), query.value(1).toLongLong(),
                     query.value(2).toString(), query.value(3).toString(),
                     query.value(4).toString(), query.value(5).toString(),
                     query.value(6).toString()});
    }
    promise->answer(rows);
}

}  // namespace kucun
