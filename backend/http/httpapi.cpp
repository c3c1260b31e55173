#include "httpapi.h"

#include "config/hubconfig.h"
#include "core/jsonvalue.h"
#include "core/whenready.h"
#include "events/auditjson.h"
#include "events/auditlog.h"
#include "httpapicall.h"
#include "telemetrystream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QThread>

namespace kucun {

namespace {

// The routes of SPEC §7 this side serves, with their methods. A path that matches none is
// 404; a matching path with another method is 405. A segment in braces matches any one segment;
// the pattern is also the route's name in the counters.
struct Route
{
    QString pattern;
    QStringList segments;
    QList<QByteArray> methods;
};

const QList<Route> &routes()
{
    static const QList<Route> table = [] {
        const std::pair<const char *, const char *> spelled[] = {
            {"/healthz", "GET"},
            {"/readyz", "GET"},
            {"/metrics", "GET"},
            {"/api/publish", "POST"},
            {"/api/events", "GET POST"},
            {"/api/events/{id}/trace", "GET"},
            {"/api/invalidate", "GET POST"},
            {"/api/tags", "GET"},
            {"/api/stream", "GET"},
            {"/api/demo", "GET PUT"},
            {"/api/stats", "GET"},
            {"/api/keys", "GET"},
            {"/api/keys/{key}", "GET DELETE"},
            {"/api/keys/{key}/ttl", "PUT"},
            {"/api/channels", "GET"},
            {"/api/clients", "GET"},
            {"/api/clients/{id}", "DELETE"},
            {"/api/admin-log", "GET"},
        };
        QList<Route> built;
        for (const auto &[pattern, methods] : spelled) {
            const QString text = QString::fromLatin1(pattern);
            built.append({text, text.mid(1).split(u'/'), QByteArray(methods).split(' ')});
        }
        return built;
    }();
    return table;
}

const Route *routeFor(const QStringList &segments)
{
    for (const Route &route : routes()) {
        if (route.segments.size() != segments.size())
            continue;
        bool same = true;
        for (qsizetype i = 0; i < segments.size() && same; ++i)
            same = route.segments[i].startsWith(u'{') || route.segments[i] == segments[i];
        if (same)
            return &route;
    }
    return nullptr;
}

// How much of an answer's body the admin log keeps as the action's result.
constexpr qsizetype kRecordedAnswerBytes = 200;

bool isRead(const QByteArray &method)
{
    return method == "GET" || method == "HEAD";
}

}  // namespace

std::optional<QJsonValue> HttpApi::Call::jsonBody() const
{
    const std::optional<QJsonValue> parsed = parseJsonValue(request.body);
    if (!parsed)
        fail(400, QStringLiteral("bad_json"), QStringLiteral("the body is not JSON"));
    return parsed;
}

std::optional<qint64> HttpApi::Call::number(const QString &name, qint64 fallback, qint64 min,
                                            qint64 max) const
{
    if (!query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 value = query.queryItemValue(name).toLongLong(&ok);
    if (!ok || value < min || value > max) {
        fail(400, QStringLiteral("bad_request"),
             QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
        return std::nullopt;
    }
    return value;
}

void HttpApi::Call::fail(int status, const QString &code, const QString &message) const
{
    respond(HttpResponse::error(status, code, message));
}

HttpApi::HttpApi(const HubConfig &config, HttpApiParts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
    , m_access(config.adminKey, config.viewerKey, config.httpRateLimit)
    , m_files(m_parts.webSocketPort)
    , m_stream(new TelemetryStream(this))
    , m_keyNamespace(config.keyNamespace)
    , m_redis(config.redis ? config.redis->redacted() : QString())
{
    Q_ASSERT(m_parts.cache && m_parts.router && m_parts.hub);
}

HttpApi::~HttpApi() = default;

void HttpApi::handle(const HttpRequest &request, HttpConnection &connection,
                     const HttpConnection::Responder &respond)
{
    Call call;
    call.request = request;
    call.peer = connection.peerAddress();
    call.connection = &connection;
    const qsizetype queryStart = request.target.indexOf('?');
    const QByteArray path = queryStart < 0 ? request.target : request.target.left(queryStart);
    if (queryStart >= 0)
        call.query.setQuery(QString::fromUtf8(request.target.mid(queryStart + 1)));
    for (const QByteArray &segment : path.mid(1).split('/'))
        call.segments.append(QString::fromUtf8(QByteArray::fromPercentEncoding(segment)));

    const bool isFile = m_files.contains(path);
    const Route *route = isFile ? nullptr : routeFor(call.segments);
    // Unknown paths share one name: a scanner must not grow the counters without bound (the
    // files are a fixed few).
    call.route = isFile  ? QString::fromUtf8(path)
                 : route ? route->pattern
                         : QStringLiteral("other");
    // Every answer is counted by route and status on its way out, a later one too; answers are
    // made in this thread (those from another thread's futures come back through then(this)).
    // One that comes after the API is gone (the engine stopping while Redis still owed a reply)
    // goes nowhere: the connection went with the server.
    call.respond = [self = QPointer<HttpApi>(this), label = call.route,
                    respond](const HttpResponse &response) {
        if (!self)
            return;
        Q_ASSERT(QThread::currentThread() == self->thread());
        ++self->m_requestCounts[{label, response.status}];
        respond(response);
    };
    if (isFile) {
        serveFile(call, path);
        return;
    }
    if (!route) {
        call.fail(404, QStringLiteral("not_found"),
                  QStringLiteral("no such call: %1").arg(QString::fromUtf8(path.left(200))));
        return;
    }
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    if (!route->methods.contains(method)) {
        refuseMethod(call, route->methods.join(", "));
        return;
    }
    if (call.segments.front() == u"api") {
        const ApiAccess::Decision decision = m_access.authorize(
            request, call.peer, !isRead(method), QDateTime::currentMSecsSinceEpoch());
        if (!decision.role) {
            HttpResponse refusal
                = HttpResponse::error(decision.status, decision.code, decision.message);
            // RFC 9110 §11.6.1 and RFC 6750 §3: a 401 names the scheme it wants; a 429 says when
            // to come back (the bucket refills continuously: a second is always enough).
            if (decision.status == 401)
                refusal.headers.append({QByteArrayLiteral("WWW-Authenticate"),
                                        QByteArrayLiteral("Bearer realm=\"kucun-hub\"")});
            else if (decision.status == 429)
                refusal.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
            call.respond(refusal);
            return;
        }
        call.role = decision.role;
    }
    dispatch(call, method);
}

void HttpApi::dispatch(const Call &call, const QByteArray &method)
{
    const QString &route = call.route;
    // The hot calls first.
    if (route == u"/api/publish")
        publish(withPublishRecorded(call));
    else if (route == u"/healthz")
        call.respond(
            HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}}));
    else if (route == u"/readyz")
        readyz(call.respond);
    else if (route == u"/metrics")
        metrics(call.respond);
    else if (route == u"/api/events")
        method == "POST" ? postEvent(withPublishRecorded(call)) : events(call);
    else if (route == u"/api/events/{id}/trace")
        eventTrace(call.segments[2], call);
    else if (route == u"/api/invalidate")
        method == "POST" ? invalidate(call) : previewInvalidation(call);
    else if (route == u"/api/tags")
        tags(call);
    else if (route == u"/api/stream")
        attachWindow(call);
    else if (route == u"/api/demo")
        demo(call, method);
    else if (route == u"/api/stats")
        stats(call.respond);
    else if (route == u"/api/keys")
        keys(call);
    else if (route == u"/api/keys/{key}")
        method == "DELETE" ? deleteKey(
            call.segments[2], recorded(call, QStringLiteral("delete-key"), call.segments[2]))
                           : key(call.segments[2], call.respond);
    else if (route == u"/api/keys/{key}/ttl")
        setKeyTtl(call.segments[2], call);
    else if (route == u"/api/channels")
        channels(call.respond);
    else if (route == u"/api/clients")
        clients(call.respond);
    else if (route == u"/api/clients/{id}")
        disconnectClient(call.segments[2],
                         recorded(call, QStringLiteral("disconnect"), call.segments[2]));
    else if (route == u"/api/admin-log")
        adminLog(call);
}

void HttpApi::serveFile(const Call &call, const QByteArray &path)
{
    if (!isRead(call.request.method)) {
        refuseMethod(call, QByteArrayLiteral("GET, HEAD"));
        return;
    }
    call.respond(m_files.answer(path, call.request));
}

void HttpApi::refuseMethod(const Call &call, const QByteArray &allowed)
{
    HttpResponse refusal = HttpResponse::error(
        405, QStringLiteral("method_not_allowed"),
        QStringLiteral("%1 takes %2").arg(call.route, QString::fromLatin1(allowed)));
    refusal.headers.append({QByteArrayLiteral("Allow"), allowed});
    call.respond(refusal);
}

QString HttpApi::roleOf(const Call &call) const
{
    return !m_access.keysConfigured()
               ? QStringLiteral("local")
               : ApiAccess::roleName(call.role.value_or(ApiAccess::Role::Viewer));
}

HttpApi::Respond HttpApi::recorded(const Call &call, const QString &action, const QString &target)
{
    AdminAction row;
    row.role = roleOf(call);
    row.peer = call.peer.toString();
    row.action = action;
    row.target = target;
    return [self = QPointer<HttpApi>(this), row,
            respond = call.respond](const HttpResponse &response) mutable {
        if (self && self->m_parts.audit) {
            row.ts = QDateTime::currentMSecsSinceEpoch();
            row.result = QStringLiteral("%1 %2")
                             .arg(response.status)
                             .arg(QString::fromUtf8(response.body.left(kRecordedAnswerBytes)));
            self->m_parts.audit->appendAdminAction(row);
        }
        respond(response);
    };
}

std::optional<HttpApi::AuditPage> HttpApi::auditPage(const Call &call) const
{
    if (!m_parts.audit || !m_parts.audit->isEnabled()) {
        call.fail(503, QStringLiteral("unavailable"), QStringLiteral("the audit log is off"));
        return std::nullopt;
    }
    const std::optional<qint64> before
        = call.number(QStringLiteral("before"), 0, 0, std::numeric_limits<qint64>::max());
    const std::optional<qint64> limit = call.number(QStringLiteral("limit"), 100, 1, kMaxPageSize);
    if (!before || !limit)
        return std::nullopt;
    return AuditPage{*before, int(*limit)};
}

void HttpApi::adminLog(const Call &call)
{
    const std::optional<AuditPage> page = auditPage(call);
    if (!page)
        return;
    // The audit log answers in its own thread; the answer is made in this one.
    m_parts.audit->queryAdminActions(page->before, page->limit)
        .then(this, [respond = call.respond](const Result<QList<AdminAction>> &rows) {
            if (!rows.ok()) {
                respond(HttpResponse::error(503, QStringLiteral("unavailable"), rows.error()));
                return;
            }
            QJsonArray actions;
            for (const AdminAction &row : rows.value()) {
                actions.append(adminActionJson(row));
            }
            QJsonObject answer{{QStringLiteral("actions"), actions}};
            if (!rows.value().isEmpty())
                answer.insert(QStringLiteral("before"), rows.value().last().id);
            respond(HttpResponse::json(200, answer));
        });
}

void HttpApi::readyz(const Respond &respond) const
{
    const QString engine = m_parts.mode ? m_parts.mode() : QString();
    if (m_stopping) {
        respond(HttpResponse::json(
            503, QJsonObject{{QStringLiteral("status"), QStringLiteral("stopping")},
                             {QStringLiteral("engine"), engine}}));
        return;
    }
    respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ready")},
                                                {QStringLiteral("engine"), engine}}));
}

}  // namespace kucun
