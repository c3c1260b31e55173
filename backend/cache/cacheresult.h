#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace kucun {

// Why a cache operation did not happen, in words fit for a log line or the GUI.
struct CacheError
{
    QString message;
};

// The outcome of a cache operation: a value, or the reason there is none. The one error style
// of the cache layer; nothing here throws.
template <typename T> class CacheResult
{
public:
    CacheResult() requires std::is_default_constructible_v<T> : m_state(T{}) { }
    CacheResult(T value)  // NOLINT(google-explicit-constructor): results read like values
        : m_state(std::move(value))
    {
    }
    CacheResult(CacheError error)  // NOLINT(google-explicit-constructor)
        : m_state(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    QString error() const { return ok() ? QString() : std::get<CacheError>(m_state).message; }

private:
    std::variant<T, CacheError> m_state;
};

}  // namespace kucun
