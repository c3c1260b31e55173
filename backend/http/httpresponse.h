#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace kucun {

// One answer of the HTTP side. JSON by default (SPEC §7: JSON in and out, UTF-8).
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;  // beyond Content-Type/-Length, Connection
    bool closeConnection = false;  // the connection goes once this is written
    // The API's answers are live state: no proxy or browser may keep them. Files may be kept
    // and revalidated.
    QByteArray cacheControl = QByteArrayLiteral("no-store");

    static HttpResponse json(int status, const QJsonValue &body);
    // SPEC §7's error body {"error":CODE,"message":TEXT}.
    static HttpResponse error(int status, const QString &code, const QString &message);

    // The bytes on the wire; `headOnly` (a HEAD request) keeps the length and drops the body.
    // A 304 has neither (RFC 9110 §15.4.5).
    QByteArray serialize(bool keepAlive, bool headOnly = false) const;
};

// The reason phrase of a status we answer with ("Not Found").
QByteArray httpReasonPhrase(int status);
// The error code SPEC §7 gives a status ("not_found"), for refusals made before routing.
QString httpErrorCode(int status);

}  // namespace kucun
