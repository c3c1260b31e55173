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
    const QByteArray reason = httpReasonPhrase(status);
    const QByteArray length = QByteArray::number(body.size());
    qsizetype extra = 0;
    for (const auto &[name, value] : headers)
        extra += name.size() + value.size() + 4;
    QByteArray out;
    out.reserve(128 + reason.size() + contentType.size() + extra + (headOnly ? 0 : body.size()));
    out.append("HTTP/1.1 ").append(QByteArray::number(status)).append(' ').append(reason);
    if (!contentType.isEmpty())
        out.append("\r\nContent-Type: ").append(contentType);
    const bool bodiless = status == 304;
    if (!bodiless)
        out.append("\r\nContent-Length: ").append(length);
    out.append(keepAlive && !closeConnection ? "\r\nConnection: keep-alive"
                                             : "\r\nConnection: close");
    out.append("\r\nCache-Control: ").append(cacheControl).append("\r\n");
    for (const auto &[name, value] : headers)
        out.append(name).append(": ").append(value).append("\r\n");
    out.append("\r\n");
    if (!headOnly && !bodiless)
        out.append(body);
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
    case 304:
        return "Not Modified";
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
    case 426:
        return "Upgrade Required";
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
    case 426:
        return QStringLiteral("upgrade_required");
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
