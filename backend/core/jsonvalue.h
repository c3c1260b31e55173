#pragma once

#include <QByteArray>
#include <QJsonValue>

#include <optional>

namespace kucun {

// Any JSON value, scalars included, as compact text and back. QJsonDocument only takes objects
// and arrays at the top level, so both go through a one-element array.
QByteArray jsonValueText(const QJsonValue &value);
std::optional<QJsonValue> parseJsonValue(const QByteArray &text);

}  // namespace kucun
