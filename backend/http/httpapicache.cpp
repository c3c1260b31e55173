// The cache side of the server API: invalidation and keys.
#include "cache/cacheservice.h"
#include "core/jsonvalue.h"
#include "core/whenready.h"
#include "httpapi.h"
#include "httpapicall.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kucun {

namespace {

// SPEC §3 keeps TTLs below a year; anything longer is a typo (or milliseconds given as seconds).
constexpr double kMaxTtlSeconds = 365.0 * 24 * 3600;
constexpr int kPreviewSample = 20;

HttpResponse engineError(const QString &message)
{
    return HttpResponse::error(503, QStringLiteral("unavailable"), message);
}

HttpResponse noSuchKey(const QString &key)
{
    return HttpResponse::error(404, QStringLiteral("not_found"),
                               QStringLiteral("no key '%1'").arg(key.left(200)));
}

QJsonArray texts(const QList<QByteArray> &values, const QByteArray &prefix)
{
    QJsonArray out;
    for (const QByteArray &value : values) {
        out.append(QString::fromUtf8(value.startsWith(prefix) ? value.mid(prefix.size()) : value));
    }
    return out;
}

QJsonObject keyRow(const KeyDetails &details, const QByteArray &keyPrefix,
                   const QByteArray &tagPrefix)
{
    const QByteArray &key = details.key;
    return {{QStringLiteral("key"),
             QString::fromUtf8(key.startsWith(keyPrefix) ? key.mid(keyPrefix.size()) : key)},
            {QStringLiteral("type"), QString::fromLatin1(details.type)},
            {QStringLiteral("ttlMs"), details.ttlMs},
            {QStringLiteral("size"), details.sizeBytes},
            {QStringLiteral("tags"), texts(details.tagKeys, tagPrefix)}};
}

}  // namespace

void HttpApi::invalidate(const Call &call)
{
    const std::optional<QJsonValue> body = call.jsonBody();
    if (!body)
        return;
    const QJsonObject request = body->toObject();
    const QJsonValue tag = request.value(QStringLiteral("tag"));
    const QJsonValue pattern = request.value(QStringLiteral("namespace"));
    const QJsonValue dryRunValue = request.value(QStringLiteral("dryRun"));
    if (!body->isObject() || tag.isString() == pattern.isString()
        || (tag.isString() && tag.toString().isEmpty())
        || (pattern.isString() && pattern.toString().isEmpty())
        || !(dryRunValue.isUndefined() || dryRunValue.isBool())) {
        call.fail(400, QStringLiteral("bad_json"),
                  QStringLiteral("expected {\"tag\":T} or {\"namespace\":P}, non-empty strings, "
                                 "and an optional \"dryRun\":true"));
        return;
    }
    invalidate(call, tag.isString() ? Invalidation::Kind::Tag : Invalidation::Kind::Namespace,
               tag.isString() ? tag.toString() : pattern.toString(), dryRunValue.toBool());
}

void HttpApi::previewInvalidation(const Call &call)
{
    const QString tag = call.query.queryItemValue(QStringLiteral("tag"), QUrl::FullyDecoded);
    const QString pattern
        = call.query.queryItemValue(QStringLiteral("namespace"), QUrl::FullyDecoded);
    if (tag.isEmpty() == pattern.isEmpty()) {
        call.fail(400, QStringLiteral("bad_request"),
                  QStringLiteral("expected ?tag=T or ?namespace=P, not empty"));
        return;
    }
    invalidate(call, tag.isEmpty() ? Invalidation::Kind::Namespace : Invalidation::Kind::Tag,
               tag.isEmpty() ? pattern : tag, true);
}

void HttpApi::invalidate(const Call &call, Invalidation::Kind kind, const QString &target,
                         bool dryRun)
{
    const bool byTag = kind == Invalidation::Kind::Tag;
    // A dry run changes nothing: only the invalidation itself is an admin action.
    const Respond respond = dryRun ? call.respond
                                   : recorded(call,
                                              byTag ? QStringLiteral("invalidate-tag")
                                                    : QStringLiteral("invalidate-namespace"),
                                              target);
    // Samples name keys as the Keys panel and /api/keys do: without the namespace.
    const QByteArray keyPrefix = m_parts.cache->fullKey(QString());
    const auto answerMatch = [respond, dryRun, keyPrefix](const Result<PatternMatch> &match) {
        if (!match.ok()) {
            respond(engineError(match.error()));
            return;
        }
        if (!dryRun) {
            respond(HttpResponse::json(
                200, QJsonObject{{QStringLiteral("removed"), match.value().count}}));
            return;
        }
        const QJsonArray sample = texts(match.value().sample, keyPrefix);
        respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("count"), match.value().count},
                                                    {QStringLiteral("sample"), sample}}));
    };
    if (!byTag) {
        whenReady(m_parts.cache->invalidateNamespace(target, dryRun, kPreviewSample,
                                                     InvalidationCause::Request),
                  answerMatch);
        return;
    }
    if (dryRun) {
        whenReady(m_parts.cache->tagPreview(target, kPreviewSample), answerMatch);
        return;
    }
    whenReady(m_parts.cache->invalidateTag(target, InvalidationCause::Request),
              [respond](const Result<qint64> &removed) {
                  respond(removed.ok() ? HttpResponse::json(
                              200, QJsonObject{{QStringLiteral("removed"), removed.value()}})
                                       : engineError(removed.error()));
              });
}

void HttpApi::keys(const Call &call)
{
    const std::optional<qint64> count = call.number(QStringLiteral("count"), 100, 1, kMaxPageSize);
    if (!count)
        return;
    const QString match = call.query.queryItemValue(QStringLiteral("match"), QUrl::FullyDecoded);
    const QByteArray cursor
        = call.query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded).toUtf8();
    const QByteArray keyPrefix = m_parts.cache->fullKey(QString());
    const QByteArray tagPrefix = m_parts.cache->tagKey(QString());
    whenReady(
        m_parts.cache->keysPage(match, cursor == "0" ? QByteArray() : cursor, int(*count)),
        [respond = call.respond, keyPrefix, tagPrefix](const Result<KeyPage> &page) {
            if (!page.ok()) {
                respond(engineError(page.error()));
                return;
            }
            QJsonArray keys;
            for (const KeyDetails &details : page.value().keys)
                keys.append(keyRow(details, keyPrefix, tagPrefix));
            // As SCAN: "0" when the scan is complete.
            const QByteArray next = page.value().nextCursor;
            respond(HttpResponse::json(
                200, QJsonObject{{QStringLiteral("cursor"),
                                  next.isEmpty() ? QStringLiteral("0") : QString::fromUtf8(next)},
                                 {QStringLiteral("keys"), keys}}));
        });
}

void HttpApi::key(const QString &key, const Respond &respond)
{
    const QByteArray keyPrefix = m_parts.cache->fullKey(QString());
    const QByteArray tagPrefix = m_parts.cache->tagKey(QString());
    whenReady(m_parts.cache->inspect(key),
              [respond, key, keyPrefix,
               tagPrefix](const Result<std::optional<KeyInspection>> &inspected) {
                  if (!inspected.ok()) {
                      respond(engineError(inspected.error()));
                      return;
                  }
                  if (!inspected.value()) {
                      respond(noSuchKey(key));
                      return;
                  }
                  const KeyInspection &found = *inspected.value();
                  QJsonObject row = keyRow(found.details, keyPrefix, tagPrefix);
                  row.insert(QStringLiteral("key"), key);
                  // JSON values as JSON, anything else as text (the cache holds bytes).
                  const std::optional<QJsonValue> json = parseJsonValue(found.value);
                  row.insert(QStringLiteral("value"),
                             json ? *json : QJsonValue(QString::fromUtf8(found.value)));
                  row.insert(QStringLiteral("isNull"), found.value == CacheService::kNullSentinel);
                  respond(HttpResponse::json(200, row));
              });
}

void HttpApi::deleteKey(const QString &key, const Respond &respond)
{
    whenReady(m_parts.cache->del({key}), [respond, key](const Result<qint64> &removed) {
        if (!removed.ok())
            respond(engineError(removed.error()));
        else if (removed.value() == 0)
            respond(noSuchKey(key));
        else
            respond(
                HttpResponse::json(200, QJsonObject{{QStringLiteral("removed"), removed.value()}}));
    });
}

void HttpApi::setKeyTtl(const QString &key, const Call &call)
{
    const std::optional<QJsonValue> body = call.jsonBody();
    if (!body)
        return;
    const QJsonValue ttl = body->toObject().value(QStringLiteral("ttl"));
    if (!ttl.isDouble() || ttl.toDouble() <= 0 || ttl.toDouble() > kMaxTtlSeconds) {
        call.fail(400, QStringLiteral("bad_json"),
                  QStringLiteral("expected {\"ttl\":seconds}, more than 0 and at most a year"));
        return;
    }
    // At least a millisecond, and the answer says what was set.
    const auto ms = std::max(Millis(qint64(ttl.toDouble() * 1000)), Millis(1));
    whenReady(m_parts.cache->expire(key, ms),
              [respond = recorded(call, QStringLiteral("set-ttl"), key), key,
               ms](const Result<bool> &set) {
                  if (!set.ok())
                      respond(engineError(set.error()));
                  else if (!set.value())
                      respond(noSuchKey(key));
                  else
                      respond(HttpResponse::json(
                          200, QJsonObject{{QStringLiteral("ttlMs"), qint64(ms.count())}}));
              });
}

}  // namespace kucun
