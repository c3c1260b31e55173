#include "httpresponse.h"

#include "core/jsonvalue.h"

#include <QJsonObject>

namespace kucun {

HttpResponse HttpResponse::json(int status, const QJsonValue &body)
{
    HttpResponse response;
    response.status = status;
    response.body = jsonValueText(body);
    return response;
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message)
{
    return json(status,
                QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}});
}

QByteArray HttpResponse::serialize(bool keepAlive, bool headOnly) const
{
    QByteArray out;
    out.reserve(160 + (headOnly ? 0 : body.size()));
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += keepAlive && !closeConnection ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    // Nothing the API answers may be cached by a proxy or a browser: it is all live state.
    out += "Cache-Control: no-store\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!headOnly)
        out += body;
    return out;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

QString httpErrorCode(int status)
{
    switch (status) {
    case 401:
        return QStringLiteral("unauthorized");
    case 403:
        return QStringLiteral("forbidden");
    case 404:
        return QStringLiteral("not_found");
    case 405:
        return QStringLiteral("method_not_allowed");
    case 413:
        return QStringLiteral("too_large");
    case 422:
        return QStringLiteral("invalid_event");
    case 429:
        return QStringLiteral("rate_limited");
    case 431:
        return QStringLiteral("headers_too_large");
    case 501:
        return QStringLiteral("not_implemented");
    case 503:
        return QStringLiteral("unavailable");
    case 505:
        return QStringLiteral("http_version");
    default:
        return QStringLiteral("bad_request");
    }
}

}  // namespace kucun
