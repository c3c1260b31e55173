#pragma once

// Shared by the WebSocket hub's tests: a hub with a welcomed client, the JSON helpers, and tokens
// signed with the tests' secret.

#include "config/hubconfig.h"
#include "ws/jwtverifier.h"
#include "ws/wshub.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

namespace kucun::test {

// A hub on a free loopback port that allows the site's usual origin.
inline HubConfig wsTestConfig()
{
    HubConfig config;
    config.wsPort = 0;
    config.allowedOrigins = {QStringLiteral("http://localhost:3001")};
    return config;
}

// A hub listening on a free port, and one client that has had its welcome.
struct HubWithClient
{
    explicit HubWithClient(const HubConfig &config)
        : hub(config)
    {
    }
    HubWithClient(const HubConfig &config, const WsHub::Limits &limits)
        : hub(config, limits)
    {
    }
    bool start()
    {
        if (hub.listen())
            return false;
        client.open(hub.serverUrl());
        return QTest::qWaitFor([this] { return received.size() == 1; }, 5000);
    }
    WsHub hub;
    QWebSocket client;
    QSignalSpy received{&client, &QWebSocket::textMessageReceived};
    QSignalSpy disconnected{&client, &QWebSocket::disconnected};
};

inline QJsonObject parse(const QVariant &message)
{
    return QJsonDocument::fromJson(message.toString().toUtf8()).object();
}

inline void send(QWebSocket &client, const QJsonObject &request)
{
    client.sendTextMessage(
        QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
}

// The "type" of the index-th message a spy caught.
inline QString typeOf(const QSignalSpy &messages, int index)
{
    return parse(messages.at(index).at(0)).value(QStringLiteral("type")).toString();
}

inline const QByteArray kSecret = "the-site-secret-used-by-these-tests";

inline QByteArray token(const QJsonObject &claims, const QByteArray &secret = kSecret)
{
    return JwtVerifier::sign(QJsonDocument(claims).toJson(QJsonDocument::Compact), secret);
}

inline qint64 inAMinute()
{
    return QDateTime::currentSecsSinceEpoch() + 60;
}

// A picker's token: may read inventory and orders, may publish on orders only.
inline QByteArray pickerToken()
{
    return token({{QStringLiteral("sub"), QStringLiteral("picker-1")},
                  {QStringLiteral("exp"), inAMinute()},
                  {QStringLiteral("channels"),
                   QJsonArray{QStringLiteral("inventory"), QStringLiteral("orders:*")}},
                  {QStringLiteral("publish"), QJsonArray{QStringLiteral("orders:*")}}});
}

inline QUrl withToken(QUrl url, const QByteArray &jwt)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("token"), QString::fromLatin1(jwt));
    url.setQuery(query);
    return url;
}

}  // namespace kucun::test
