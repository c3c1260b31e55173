#pragma once

#include <QByteArray>

#include <optional>

namespace kucun::resp {

// A whole number as Redis reads one (string2ll): an optional minus and digits, nothing else (no
// spaces, no plus, no leading zeros), within 64 bits.
inline std::optional<qint64> strictInteger(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 20 || text == "-")
        return std::nullopt;
    if (text.size() > 1 && (text[0] == '0' || (text[0] == '-' && text[1] == '0')))
        return std::nullopt;
    for (qsizetype i = text[0] == '-' ? 1 : 0; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

}  // namespace kucun::resp
