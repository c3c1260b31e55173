#include "wsrequest.h"

#include "events/hubevent.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace kucun {

namespace {

constexpr qsizetype kMaxEpochLength = 64;
constexpr qsizetype kMaxTokenLength = 8192;

// Largest integer a JSON number (a double) holds exactly: offsets beyond it are not offsets.
constexpr double kMaxExactInteger = 9007199254740992.0;

WsRequestError refuse(QString code, QString message, const QJsonValue &id)
{
    return WsRequestError{std::move(code), std::move(message), id};
}

std::optional<WsRequest::Type> typeOf(const QString &name)
{
    using Type = WsRequest::Type;
    if (name == u"subscribe")
        return Type::Subscribe;
    if (name == u"unsubscribe")
        return Type::Unsubscribe;
    if (name == u"publish")
        return Type::Publish;
    if (name == u"ping")
        return Type::Ping;
    if (name == u"auth")
        return Type::Auth;
    return std::nullopt;
}

std::optional<StreamPosition> positionOf(const QJsonValue &since)
{
    const QJsonObject object = since.toObject();
    const QJsonValue offset = object.value(QStringLiteral("offset"));
    const QJsonValue epoch = object.value(QStringLiteral("epoch"));
    if (!since.isObject() || !offset.isDouble() || !epoch.isString())
        return std::nullopt;
    const double number = offset.toDouble();
    if (number < 0 || number > kMaxExactInteger || number != std::floor(number))
        return std::nullopt;
    const QString epochText = epoch.toString();
    if (epochText.isEmpty() || epochText.size() > kMaxEpochLength)
        return std::nullopt;
    return StreamPosition{qint64(number), epochText};
}

}  // namespace

std::variant<WsRequest, WsRequestError> decodeWsRequest(const QByteArray &frame)
{
    const QJsonDocument document = QJsonDocument::fromJson(frame);
    if (!document.isObject())
        return refuse(QStringLiteral("bad_json"), QStringLiteral("not a JSON object"), {});
    const QJsonObject object = document.object();

    WsRequest request;
    request.id = object.value(QStringLiteral("id"));
    const QString typeName = object.value(QStringLiteral("type")).toString();
    const std::optional<WsRequest::Type> type = typeOf(typeName);
    if (!type) {
        return refuse(QStringLiteral("unknown_type"),
                      QStringLiteral("'%1' is not a request this hub answers (subscribe, "
                                     "unsubscribe, publish, ping, auth)")
                          .arg(typeName.left(40)),
                      request.id);
    }
    request.type = *type;

    switch (request.type) {
    case WsRequest::Type::Ping:
        return request;
    case WsRequest::Type::Auth: {
        const QJsonValue token = object.value(QStringLiteral("token"));
        if (!token.isString() || token.toString().isEmpty()
            || token.toString().size() > kMaxTokenLength) {
            return refuse(QStringLiteral("bad_json"),
                          QStringLiteral("auth needs \"token\": a JWT of at most %1 characters")
                              .arg(kMaxTokenLength),
                          request.id);
        }
        request.token = token.toString();
        return request;
    }
    case WsRequest::Type::Subscribe:
    case WsRequest::Type::Unsubscribe:
    case WsRequest::Type::Publish:
        break;
    }

    request.channel = object.value(QStringLiteral("channel")).toString();
    if (!EventCodec::isValidChannelName(request.channel)) {
        return refuse(QStringLiteral("bad_channel"),
                      QStringLiteral("a channel name is 1-64 of A-Z a-z 0-9 _ . : -"), request.id);
    }
    if (request.type == WsRequest::Type::Subscribe && object.contains(QStringLiteral("since"))) {
        request.since = positionOf(object.value(QStringLiteral("since")));
        if (!request.since) {
            return refuse(QStringLiteral("bad_json"),
                          QStringLiteral("\"since\" is {\"offset\": a whole number >= 0, "
                                         "\"epoch\": the epoch of a subscribed reply}"),
                          request.id);
        }
    }
    if (request.type == WsRequest::Type::Publish) {
        if (!object.contains(QStringLiteral("data"))) {
            return refuse(QStringLiteral("bad_json"), QStringLiteral("publish needs \"data\""),
                          request.id);
        }
        request.data = object.value(QStringLiteral("data"));
    }
    return request;
}

}  // namespace kucun
