#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>
#include <variant>

namespace kucun {

// Where a client left a channel's stream: `subscribe` with `since` asks for what came after.
struct StreamPosition
{
    qint64 offset = 0;
    QString epoch;
};

// One client request of protocol v1 (SPEC §6), checked: the channel of subscribe, unsubscribe
// and publish is a valid name, `since` is well formed, publish has `data`, auth has a token.
struct WsRequest
{
    enum class Type { Subscribe, Unsubscribe, Publish, Ping, Auth };
    Type type = Type::Ping;
    QJsonValue id = QJsonValue::Undefined;  // echoed by the reply; Undefined when absent
    QString channel;
    std::optional<StreamPosition> since;
    QJsonValue data;
    QString token;
};

// Why a request was refused: an `error` reply with this code and message.
struct WsRequestError
{
    QString code;  // bad_json, unknown_type or bad_channel
    QString message;
    QJsonValue id = QJsonValue::Undefined;
};

// Decodes one text frame (UTF-8). Never throws; anything malformed is an error.
std::variant<WsRequest, WsRequestError> decodeWsRequest(const QByteArray &frame);

}  // namespace kucun
