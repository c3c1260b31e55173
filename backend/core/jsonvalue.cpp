#include "jsonvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kucun {

QByteArray jsonValueText(const QJsonValue &value)
{
    // Objects and arrays directly: the detour through an array costs two more copies, and
    // these are most of what is written (every message a client publishes or receives).
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJsonValue(const QByteArray &text)
{
    QJsonParseError error{};
    qsizetype first = 0;
    while (first < text.size() && QByteArrayView(" \t\r\n").contains(text[first]))
        ++first;
    if (first < text.size() && (text[first] == '{' || text[first] == '[')) {
        const QJsonDocument document = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError)
            return std::nullopt;
        return document.isObject() ? QJsonValue(document.object())
                                   : QJsonValue(document.array());
    }
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

}  // namespace kucun
