#include "auditjson.h"

namespace kucun {

QJsonObject auditRecordJson(const AuditRecord &record)
{
    QJsonObject row{
        {QStringLiteral("id"), record.id},           {QStringLiteral("ts"), record.ts},
        {QStringLiteral("channel"), record.channel}, {QStringLiteral("type"), record.type},
        {QStringLiteral("source"), record.source},   {QStringLiteral("payload"), record.payload},
        {QStringLiteral("status"), record.status}};
    // Only a payload stored cut says how large it was.
    if (record.payloadCut())
        row.insert(QStringLiteral("payloadBytes"), record.payloadBytes);
    if (!record.eventId.isEmpty())
        row.insert(QStringLiteral("eventId"), record.eventId);
    return row;
}

AuditRecord auditRecordFromJson(const QJsonObject &row)
{
    AuditRecord record;
    record.id = row.value(QStringLiteral("id")).toInteger();
    record.ts = row.value(QStringLiteral("ts")).toInteger();
    record.channel = row.value(QStringLiteral("channel")).toString();
    record.type = row.value(QStringLiteral("type")).toString();
    record.source = row.value(QStringLiteral("source")).toString();
    record.payload = row.value(QStringLiteral("payload")).toString();
    record.status = row.value(QStringLiteral("status")).toString();
    record.payloadBytes
        = row.value(QStringLiteral("payloadBytes")).toInteger(record.payload.toUtf8().size());
    record.eventId = row.value(QStringLiteral("eventId")).toString();
    return record;
}

QJsonObject adminActionJson(const AdminAction &action)
{
    return {{QStringLiteral("id"), action.id},         {QStringLiteral("ts"), action.ts},
            {QStringLiteral("role"), action.role},     {QStringLiteral("peer"), action.peer},
            {QStringLiteral("action"), action.action}, {QStringLiteral("target"), action.target},
            {QStringLiteral("result"), action.result}};
}

AdminAction adminActionFromJson(const QJsonObject &row)
{
    AdminAction action;
    action.id = row.value(QStringLiteral("id")).toInteger();
    action.ts = row.value(QStringLiteral("ts")).toInteger();
    action.role = row.value(QStringLiteral("role")).toString();
    action.peer = row.value(QStringLiteral("peer")).toString();
    action.action = row.value(QStringLiteral("action")).toString();
    action.target = row.value(QStringLiteral("target")).toString();
    action.result = row.value(QStringLiteral("result")).toString();
    return action;
}

}  // namespace kucun
