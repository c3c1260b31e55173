#pragma once

#include "httpapi.h"

#include <QJsonValue>
#include <QPointer>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace kucun {

// One request on its way through HttpApi: what was asked, by whom, and how to answer.
struct HttpApi::Call
{
    HttpRequest request;
    QHostAddress peer;
    QStringList segments;  // the path's segments, percent-decoded: {"api", "keys", "a/b"}
    QUrlQuery query;
    QString route;  // the route's template, for the counters: "/api/keys/{key}"
    std::optional<ApiAccess::Role> role;
    QPointer<HttpConnection> connection;  // for an upgrade
    Respond respond;

    // The body as JSON; on failure answers 400 bad_json itself and returns nothing.
    std::optional<QJsonValue> jsonBody() const;
    // A whole-number query parameter within [min, max], `fallback` when absent; on a bad value
    // answers 400 itself and returns nothing.
    std::optional<qint64> number(const QString &name, qint64 fallback, qint64 min,
                                 qint64 max) const;
    void fail(int status, const QString &code, const QString &message) const;
};

}  // namespace kucun
