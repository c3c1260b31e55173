#pragma once

// Shared by the HTTP side's tests: one call through QNetworkAccessManager, and a hub (an
// EngineHost with its engine thread, as the application runs it) with its HTTP side on a free
// port.

#include "cache/cacheservice.h"
#include "config/hubconfig.h"
#include "engine/enginehost.h"
#include "support/askengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace kucun::test {

struct HttpReply
{
    int status = 0;  // 0: no answer (the error says why)
    QByteArray body;
    QByteArray contentType;
    QList<QNetworkReply::RawHeaderPair> headers;
    QString error;

    QJsonValue json() const
    {
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        return document.isObject()  ? QJsonValue(document.object())
               : document.isArray() ? QJsonValue(document.array())
                                    : QJsonValue();
    }
    QString errorCode() const { return json()[QStringLiteral("error")].toString(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[headerName, value] : headers) {
            if (headerName.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

// Compact JSON text of an object or array, for request bodies.
inline QByteArray jsonText(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// One request, waiting up to 10 s for the answer; `key` goes in `Authorization: Bearer`.
inline HttpReply httpCall(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
                          const QByteArray &body = {}, const QByteArray &key = {})
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpReply answer;
    if (!reply->isFinished() && !finished.wait(10000)) {
        answer.error = QStringLiteral("no answer within 10 s");
        reply->abort();
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    answer.headers = reply->rawHeaderPairs();
    if (answer.error.isEmpty() && reply->error() != QNetworkReply::NoError && answer.status == 0)
        answer.error = reply->errorString();
    reply->deleteLater();
    return answer;
}

// A hub on free loopback ports (WebSocket and HTTP), its data folder a temporary one.
struct RunningHub
{
    explicit RunningHub(HubConfig base = {})
        : host(configured(std::move(base), dir.path()))
    {
    }
    ~RunningHub()
    {
        if (host.state() == EngineHost::State::Running) {
            QSignalSpy finished(&host, &EngineHost::finished);
            host.stop();
            (void)finished.wait(10000);
        }
    }
    bool start()
    {
        host.start();
        return QTest::qWaitFor([this] { return host.state() == EngineHost::State::Running; },
                               10000);
    }
    QUrl url(const QString &pathAndQuery) const
    {
        return host.httpUrl().resolved(QUrl(pathAndQuery));
    }
    // A key `{"v":1}` with `tags` for a minute, set through the engine as the site would.
    bool setKey(const QString &key, const QStringList &tags = {})
    {
        using namespace std::chrono_literals;
        const Result<bool> set = askCache<bool>(host, [key, tags](CacheService &cache) {
            return cache.set(key, QByteArrayLiteral("{\"v\":1}"), 60s, tags);
        });
        return set.ok() && set.value();
    }
    bool keyExists(const QString &key)
    {
        const Result<qint64> ttl
            = askCache<qint64>(host, [key](CacheService &cache) { return cache.ttl(key); });
        return ttl.ok() && ttl.value() > 0;
    }

    static HubConfig configured(HubConfig config, const QString &dataDir)
    {
        config.wsPort = 0;
        config.httpPort = 0;
        config.respPort = 0;  // the Redis-protocol front too, for its figures in the API
        config.dataDir = dataDir;
        return config;
    }

    QTemporaryDir dir;
    EngineHost host;
};

}  // namespace kucun::test
