// The reads and changes of a remote hub's panels, each one call of its HTTP API (docs/http.md).
// The API names keys without the namespace; the panels, as the engine here, with it.
#include "core/jsonvalue.h"
#include "events/auditjson.h"
#include "remotehub.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QPointer>
#include <QUrlQuery>

namespace kucun {

namespace {

// The largest answer taken from a hub: a page of 1 000 keys, or of the logs, is far less.
constexpr qint64 kMaxReplyBytes = 16 * 1024 * 1024;

// A path segment with everything but unreserved characters escaped: keys hold '/', '?', '#'.
QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QByteArray jsonBody(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// `done` with each row of a page read by `read`, or with the page's error.
template <typename Row>
HubLink::Answer<QJsonArray> readingRows(HubLink::Answer<QList<Row>> done,
                                        Row (*read)(const QJsonObject &))
{
    return [done = std::move(done), read](const Result<QJsonArray> &rows) {
        if (!rows.ok()) {
            done(Error{rows.error()});
            return;
        }
        QList<Row> out;
        for (const QJsonValue &value : rows.value())
            out.append(read(value.toObject()));
        done(out);
    };
}

}  // namespace

QString RemoteHub::Reply::message() const
{
    if (status == 0)
        return error;
    const QString said = body.object().value(QStringLiteral("message")).toString();
    return said.isEmpty() ? tr("HTTP status %1").arg(status) : said;
}

void RemoteHub::call(const QByteArray &method, const QString &path, const Query &query,
                     const QByteArray &body, QObject *context, ReplyHandler handler)
{
    QUrl url = m_options.url;
    url.setPath(path, QUrl::TolerantMode);  // percent-encoded by segment() already
    if (!query.isEmpty()) {
        QUrlQuery items;
        for (const auto &[name, value] : query)
            items.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        url.setQuery(items);
    }
    QNetworkRequest request = this->request(url);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        if (trusted(errors))
            reply->ignoreSslErrors();
    });
    // A hub (or whatever stands between) that answers without end is cut, not buffered.
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64 total) {
        if (received > kMaxReplyBytes || total > kMaxReplyBytes) {
            reply->setProperty("tooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this,
            [reply, context = QPointer<QObject>(context), handler = std::move(handler)] {
                reply->deleteLater();
                if (!context)
                    return;
                Reply answer;
                if (reply->property("tooLarge").toBool()) {
                    answer.error
                        = tr("the hub's answer was larger than %1 MiB").arg(kMaxReplyBytes >> 20);
                    handler(answer);
                    return;
                }
                answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                answer.body = QJsonDocument::fromJson(reply->readAll());
                answer.error = reply->errorString();
                handler(answer);
            });
}

void RemoteHub::keysPage(const QString &pattern, const QByteArray &cursor, int count,
                         QObject *context, Answer<KeyPage> done)
{
    Query query{{QStringLiteral("count"), QString::number(std::clamp(count, 1, kMaxPageSize))}};
    if (!pattern.isEmpty())
        query.append({QStringLiteral("match"), pattern});
    if (!cursor.isEmpty())
        query.append({QStringLiteral("cursor"), QString::fromUtf8(cursor)});
    const QString keyPrefix = m_keyNamespace + u':';
    call("GET", QStringLiteral("/api/keys"), query, {}, context,
         [done, keyPrefix](const Reply &reply) {
             if (reply.status != 200) {
                 done(Error{reply.message()});
                 return;
             }
             const QJsonObject answer = reply.body.object();
             KeyPage page;
             for (const QJsonValue &value : answer.value(QStringLiteral("keys")).toArray()) {
                 const QJsonObject row = value.toObject();
                 KeyDetails details;
                 details.key = (keyPrefix + row.value(QStringLiteral("key")).toString()).toUtf8();
                 details.type = row.value(QStringLiteral("type")).toString().toUtf8();
                 details.ttlMs = row.value(QStringLiteral("ttlMs")).toInteger(kTtlMissing);
                 details.sizeBytes = row.value(QStringLiteral("size")).toInteger();
                 for (const QJsonValue &tag : row.value(QStringLiteral("tags")).toArray())
                     details.tagKeys.append(
                         (keyPrefix + QStringLiteral("tag:") + tag.toString()).toUtf8());
                 page.keys.append(details);
             }
             const QString next = answer.value(QStringLiteral("cursor")).toString();
             page.nextCursor = next == u"0" ? QByteArray() : next.toUtf8();
             done(page);
         });
}

void RemoteHub::keyValue(const QString &key, QObject *context,
                         Answer<std::optional<QByteArray>> done)
{
    call("GET", QStringLiteral("/api/keys/") + segment(key), {}, {}, context,
         [done](const Reply &reply) {
             if (reply.status == 404) {
                 done(std::optional<QByteArray>());
                 return;
             }
             if (reply.status != 200) {
                 done(Error{reply.message()});
                 return;
             }
             const QJsonObject row = reply.body.object();
             if (row.value(QStringLiteral("isNull")).toBool()) {
                 done(std::optional<QByteArray>());
                 return;
             }
             // The API gives a JSON value as JSON and anything else as a string.
             const QJsonValue value = row.value(QStringLiteral("value"));
             done(std::optional<QByteArray>(value.isString() ? value.toString().toUtf8()
                                                             : jsonValueText(value)));
         });
}

void RemoteHub::tags(QObject *context, Answer<QList<TagCount>> done)
{
    call("GET", QStringLiteral("/api/tags"), {}, {}, context, [done](const Reply &reply) {
        if (reply.status != 200) {
            done(Error{reply.message()});
            return;
        }
        QList<TagCount> tags;
        for (const QJsonValue &value :
             reply.body.object().value(QStringLiteral("tags")).toArray()) {
            const QJsonObject row = value.toObject();
            tags.append({row.value(QStringLiteral("tag")).toString(),
                         row.value(QStringLiteral("keys")).toInteger()});
        }
        done(tags);
    });
}

void RemoteHub::previewInvalidation(const Invalidation &what, int sample, QObject *context,
                                    Answer<PatternMatch> done)
{
    Q_UNUSED(sample)  // the API's own sample size
    const QString keyPrefix = m_keyNamespace + u':';
    call("GET", QStringLiteral("/api/invalidate"),
         {{what.kind == Invalidation::Kind::Tag ? QStringLiteral("tag")
                                                : QStringLiteral("namespace"),
           what.target}},
         {}, context, [done, keyPrefix](const Reply &reply) {
             if (reply.status != 200) {
                 done(Error{reply.message()});
                 return;
             }
             const QJsonObject answer = reply.body.object();
             PatternMatch match;
             match.count = answer.value(QStringLiteral("count")).toInteger();
             for (const QJsonValue &key : answer.value(QStringLiteral("sample")).toArray())
                 match.sample.append((keyPrefix + key.toString()).toUtf8());
             done(match);
         });
}

void RemoteHub::callForPage(const QString &path, Query query, qint64 beforeId, int limit,
                            const QString &member, QObject *context, Answer<QJsonArray> done)
{
    query.append({QStringLiteral("limit"), QString::number(std::clamp(limit, 1, kMaxPageSize))});
    if (beforeId > 0)
        query.append({QStringLiteral("before"), QString::number(beforeId)});
    call("GET", path, query, {}, context, [done, member](const Reply &reply) {
        if (reply.status != 200)
            done(Error{reply.message()});
        else
            done(reply.body.object().value(member).toArray());
    });
}

void RemoteHub::queryAudit(const AuditQuery &query, QObject *context,
                           Answer<QList<AuditRecord>> done)
{
    Query items;
    if (!query.text.isEmpty())
        items.append({QStringLiteral("q"), query.text});
    callForPage(QStringLiteral("/api/events"), items, query.beforeId, query.limit,
                QStringLiteral("events"), context,
                readingRows(std::move(done), &auditRecordFromJson));
}

void RemoteHub::queryAdminLog(qint64 beforeId, int limit, QObject *context,
                              Answer<QList<AdminAction>> done)
{
    callForPage(QStringLiteral("/api/admin-log"), {}, beforeId, limit, QStringLiteral("actions"),
                context, readingRows(std::move(done), &adminActionFromJson));
}

void RemoteHub::eventTrace(const QString &eventId, QObject *context,
                           Answer<std::optional<EventTrace>> done)
{
    call("GET", QStringLiteral("/api/events/%1/trace").arg(segment(eventId)), {}, {}, context,
         [done](const Reply &reply) {
             if (reply.status == 404) {
                 done(std::optional<EventTrace>());
                 return;
             }
             if (reply.status != 200) {
                 done(Error{reply.message()});
                 return;
             }
             done(std::optional<EventTrace>(EventTrace::fromJson(
                 reply.body.object().value(QStringLiteral("trace")).toObject())));
         });
}

void RemoteHub::doInvalidate(const Invalidation &what, QObject *context, Answer<qint64> removed)
{
    const QJsonObject body{
        {what.kind == Invalidation::Kind::Tag ? QStringLiteral("tag") : QStringLiteral("namespace"),
         what.target}};
    call("POST", QStringLiteral("/api/invalidate"), {}, jsonBody(body), context,
         [removed](const Reply &reply) {
             if (reply.status != 200)
                 removed(Error{reply.message()});
             else
                 removed(reply.body.object().value(QStringLiteral("removed")).toInteger());
         });
}

void RemoteHub::doDeleteKey(const QString &key, QObject *context, Answer<qint64> removed)
{
    call("DELETE", QStringLiteral("/api/keys/") + segment(key), {}, {}, context,
         [removed](const Reply &reply) {
             if (reply.status == 404)
                 removed(qint64(0));
             else if (reply.status != 200)
                 removed(Error{reply.message()});
             else
                 removed(reply.body.object().value(QStringLiteral("removed")).toInteger());
         });
}

void RemoteHub::doSetKeyTtl(const QString &key, qint64 seconds, QObject *context, Answer<bool> done)
{
    call("PUT", QStringLiteral("/api/keys/") + segment(key) + QStringLiteral("/ttl"), {},
         jsonBody({{QStringLiteral("ttl"), seconds}}), context, [done](const Reply &reply) {
             if (reply.status == 404)
                 done(false);
             else if (reply.status != 200)
                 done(Error{reply.message()});
             else
                 done(true);
         });
}

void RemoteHub::doPublish(const QString &channel, const QByteArray &payload, QObject *context,
                          Answer<bool> done)
{
    // A raw ws:<channel> message goes out as the API's publish, its data as the JSON it is (or
    // as a string); an event as the API's event, which the hub handles as if heard on its channel.
    // Either way the hub records it as this window's action (record=1).
    static const QString kRawPrefix = QStringLiteral("ws:");
    const Query record{{QStringLiteral("record"), QStringLiteral("1")}};
    const auto answer = [done](const Reply &reply) {
        if (!done)
            return;
        if (reply.status == 200 || reply.status == 202)
            done(true);
        else
            done(Error{reply.message()});
    };
    if (channel.startsWith(kRawPrefix)) {
        const std::optional<QJsonValue> data = parseJsonValue(payload);
        const QJsonObject body{
            {QStringLiteral("channel"), channel.mid(kRawPrefix.size())},
            {QStringLiteral("data"), data ? *data : QJsonValue(QString::fromUtf8(payload))}};
        call("POST", QStringLiteral("/api/publish"), record, jsonBody(body), context, answer);
        return;
    }
    call("POST", QStringLiteral("/api/events"), record, payload, context, answer);
}

void RemoteHub::doDisconnectClient(const QString &clientId, QObject *context, Answer<bool> done)
{
    call("DELETE", QStringLiteral("/api/clients/") + segment(clientId), {}, {}, context,
         [done](const Reply &reply) {
             if (!done)
                 return;
             if (reply.status == 404)
                 done(false);
             else if (reply.status != 200)
                 done(Error{reply.message()});
             else
                 done(true);
         });
}

void RemoteHub::doSetDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done)
{
    call("PUT", QStringLiteral("/api/demo"), {},
         jsonBody({{QStringLiteral("faults"), faults.toJson()}}), context,
         [done = std::move(done)](const Reply &reply) {
             if (!done)
                 return;
             if (reply.status != 200)
                 done(Error{reply.message()});
             else
                 done(true);  // the stream's next report says the faults the hub runs with
         });
}

void RemoteHub::doSetDemoRate(int operationsPerSecond)
{
    call("PUT", QStringLiteral("/api/demo"), {},
         jsonBody({{QStringLiteral("rate"), operationsPerSecond}}), this, [](const Reply &) {
             // The stream's next report says the rate the hub runs at, whatever came of it.
         });
}

}  // namespace kucun
