#pragma once

#include "auditlog.h"

#include <QJsonObject>

namespace kucun {

// The audit log's rows as JSON: what GET /api/events and GET /api/admin-log answer and what an
// attached window reads back, written and read in this one place. Reading takes what a remote
// hub sent: a missing or mistyped member reads as empty or 0.
QJsonObject auditRecordJson(const AuditRecord &record);
AuditRecord auditRecordFromJson(const QJsonObject &row);
QJsonObject adminActionJson(const AdminAction &action);
AdminAction adminActionFromJson(const QJsonObject &row);

}  // namespace kucun
