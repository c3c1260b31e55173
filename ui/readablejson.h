#pragma once

#include <QJsonDocument>
#include <QString>

namespace kucun {

// What the panels show of a stored value or event: indented JSON when it is JSON, else the text.
inline QString readableJson(const QByteArray &bytes)
{
    const QJsonDocument json = QJsonDocument::fromJson(bytes);
    return QString::fromUtf8(json.isNull() ? bytes : json.toJson(QJsonDocument::Indented));
}

}  // namespace kucun
