#pragma once

#include "hubconfig.h"

#include <QString>

#include <optional>

namespace kucun {

// Checks `value` for the setting `id` and, when it is allowed, stores it in `config`.
// Returns why it is refused otherwise: a phrase that follows "NAME: " in the error line and
// names the value and what is allowed, e.g. "'abc' is not a port number (0-65535)".
std::optional<QString> applySetting(SettingId id, const QString &value, HubConfig &config);

// The value as a person should see it in the GUI or a log: secrets masked.
QString displayValue(SettingId id, const QString &value);

// `text` in single quotes, with control characters escaped and long text shortened, so that an
// error message stays on one line.
QString quotedForMessage(const QString &text);

}  // namespace kucun
