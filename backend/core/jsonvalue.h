#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>

#include <optional>

namespace kucun {

// Any JSON value, scalars included, as compact text and back. QJsonDocument only takes objects
// and arrays at the top level, so both go through a one-element array.
QByteArray jsonValueText(const QJsonValue &value);
std::optional<QJsonValue> parseJsonValue(const QByteArray &text);

// In `object`, the text of a JSON object that a JSON parser has accepted, the text of the value
// of member `name` as it was written (the last one, as QJsonObject keeps the last of a repeated
// name). Nothing when the member is absent, or when a member name is written with escapes (it
// might then be `name` spelled otherwise). For passing a value on without writing it out again.
std::optional<QByteArrayView> memberText(QByteArrayView object, QByteArrayView name);
// In `array`, the text of a JSON array a parser has accepted, the text of each element.
QList<QByteArrayView> elementTexts(QByteArrayView array);

}  // namespace kucun
