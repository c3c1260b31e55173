// What an attached window needs of the server API beyond the other calls (SPEC §13): the
// telemetry stream, the demo traffic, the tag list, and its publishes recorded as admin actions.
#include "cache/cacheservice.h"
#include "core/jsonvalue.h"
#include "core/whenready.h"
#include "events/hubevent.h"
#include "httpapi.h"
#include "httpapicall.h"
#include "telemetrystream.h"
#include "ws/wsframe.h"
#include "ws/wshandshake.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpSocket>

namespace kucun {

namespace {

// The demo's rate as PUT /api/demo takes it: 0 (off) up to what the simulator does.
constexpr int kMaxDemoRate = 100000;

}  // namespace

void HttpApi::attachWindow(const Call &call)
{
    const HttpRequest &request = call.request;
    if (const std::optional<WsUpgradeRefusal> refusal
        = checkWsUpgradeHeaders({request.header("upgrade"), request.header("connection"),
                                 request.header("sec-websocket-version"), request.header("host"),
                                 request.header("sec-websocket-key")})) {
        HttpResponse answer
            = HttpResponse::error(refusal->status, httpErrorCode(refusal->status),
                                  QStringLiteral("GET /api/stream is a WebSocket: %1")
                                      .arg(QString::fromUtf8(refusal->reason)));
        if (refusal->status == 426) {
            answer.headers.append({QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket")});
            answer.closeConnection = true;
        }
        call.respond(answer);
        return;
    }
    if (m_stopping) {
        call.fail(503, QStringLiteral("unavailable"), QStringLiteral("the hub is stopping"));
        return;
    }
    if (m_stream->isFull()) {
        call.fail(
            503, QStringLiteral("unavailable"),
            QStringLiteral("%1 windows are attached already").arg(TelemetryStream::kMaxWindows));
        return;
    }
    HttpConnection::TakenSocket taken
        = call.connection ? call.connection->takeSocket() : HttpConnection::TakenSocket{};
    if (!taken.socket)
        return;  // the connection went meanwhile
    ++m_requestCounts[{call.route, 101}];  // counted like every answer
    taken.socket->write(wsUpgradeAccepted(request.header("sec-websocket-key")));
    const QString role = roleOf(call);
    const QJsonObject hello{
        {QStringLiteral("type"), QStringLiteral("hello")},
        {QStringLiteral("version"), QStringLiteral(KUCUN_VERSION)},
        {QStringLiteral("role"), role},
        {QStringLiteral("mode"), m_parts.mode ? m_parts.mode() : QString()},
        {QStringLiteral("webSocketUrl"), m_parts.webSocketUrl.toString()},
        {QStringLiteral("namespace"), m_keyNamespace},
        {QStringLiteral("redis"), m_redis},
        {QStringLiteral("startedAtMs"), m_parts.startedAtMs},
        {QStringLiteral("demoRate"), m_parts.demoRate ? m_parts.demoRate() : -1},
        {QStringLiteral("demoFaults"),
         m_parts.demoFaults ? m_parts.demoFaults().toJson() : QJsonObject()}};
    m_stream->attach(taken.socket, taken.received, jsonValueText(hello));
}

QJsonObject HttpApi::demoState() const
{
    return {{QStringLiteral("rate"), m_parts.demoRate()},
            {QStringLiteral("faults"), m_parts.demoFaults().toJson()}};
}

void HttpApi::demo(const Call &call, const QByteArray &method)
{
    if (!m_parts.demoRate || !m_parts.setDemoRate || !m_parts.demoFaults
        || !m_parts.setDemoFaults) {
        call.fail(404, QStringLiteral("not_found"), QStringLiteral("this hub has no demo"));
        return;
    }
    if (method == "GET") {
        call.respond(HttpResponse::json(200, demoState()));
        return;
    }
    const std::optional<QJsonValue> body = call.jsonBody();
    if (!body)
        return;
    const QJsonObject request = body->toObject();
    const QJsonValue rate = request.value(QStringLiteral("rate"));
    const QJsonValue faultsJson = request.value(QStringLiteral("faults"));
    const double value = rate.toDouble(-1);
    const bool rateOk
        = rate.isUndefined()
          || (rate.isDouble() && value == std::floor(value) && value >= 0 && value <= kMaxDemoRate);
    // A misspelt member ("fault") would otherwise be a 200 that changed nothing.
    const QStringList members = request.keys();
    const bool onlyKnown = std::all_of(members.cbegin(), members.cend(), [](const QString &name) {
        return name == u"rate" || name == u"faults";
    });
    if (!body->isObject() || (rate.isUndefined() && faultsJson.isUndefined()) || !rateOk
        || !onlyKnown || !(faultsJson.isUndefined() || faultsJson.isObject())) {
        call.fail(400, QStringLiteral("bad_json"),
                  QStringLiteral("expected {\"rate\":N} (operations per second from 0, off, to "
                                 "%1), {\"faults\":{…}} or both")
                      .arg(kMaxDemoRate));
        return;
    }
    // Both are checked before either changes: a refused request changes nothing.
    const Result<DemoFaults> faults
        = DemoFaults::fromJson(faultsJson.toObject(), m_parts.demoFaults());
    if (!faults) {
        call.fail(400, QStringLiteral("bad_json"), QStringLiteral("faults: ") + faults.error());
        return;
    }
    if (const auto refusal = m_parts.setDemoFaults(faults.value())) {
        call.fail(409, QStringLiteral("conflict"), QStringLiteral("faults: ") + *refusal);
        return;
    }
    if (!rate.isUndefined())
        m_parts.setDemoRate(int(value));
    // The rate it runs at: the simulator has a ceiling of its own.
    const int operationsPerSecond = m_parts.demoRate();
    QString target = operationsPerSecond > 0 ? QStringLiteral("on") : QStringLiteral("off");
    if (!faultsJson.isUndefined())
        target += QStringLiteral(", faults ") + faults.value().text();
    recorded(call, QStringLiteral("demo"), target)(HttpResponse::json(200, demoState()));
}

void HttpApi::tags(const Call &call)
{
    const std::optional<qint64> limit = call.number(QStringLiteral("limit"), 1000, 1, 10000);
    if (!limit)
        return;
    const QString match = call.query.queryItemValue(QStringLiteral("match"), QUrl::FullyDecoded);
    whenReady(m_parts.cache->tags(match, int(*limit)), [respond = call.respond](
                                                           const Result<QList<TagCount>> &tags) {
        if (!tags.ok()) {
            respond(HttpResponse::error(503, QStringLiteral("unavailable"), tags.error()));
            return;
        }
        QJsonArray rows;
        for (const TagCount &tag : tags.value()) {
            rows.append(
                QJsonObject{{QStringLiteral("tag"), tag.tag}, {QStringLiteral("keys"), tag.keys}});
        }
        respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("tags"), rows}}));
    });
}

HttpApi::Call HttpApi::withPublishRecorded(const Call &call)
{
    if (!call.query.hasQueryItem(QStringLiteral("record")))
        return call;
    // The channels it goes to, read leniently: a body that does not parse is refused by the
    // call itself, before anything is recorded.
    QStringList channels;
    const std::optional<QJsonValue> body = parseJsonValue(call.request.body);
    const QJsonArray items
        = body && body->isArray() ? body->toArray() : QJsonArray{body.value_or(QJsonValue())};
    for (const QJsonValue &item : items) {
        const QJsonObject object = item.toObject();
        if (call.route == u"/api/events") {
            if (const auto type
                = EventCodec::typeFromName(object.value(QStringLiteral("type")).toString()))
                channels << EventCodec::channelFor(*type);
        } else if (object.value(QStringLiteral("channel")).isString()) {
            channels << object.value(QStringLiteral("channel")).toString().left(100);
        }
    }
    channels.removeDuplicates();
    Call recordedCall = call;
    recordedCall.respond
        = recorded(call, QStringLiteral("publish"), channels.join(QStringLiteral(", ")).left(200));
    return recordedCall;
}

}  // namespace kucun
