#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace kucun {

// Why an operation did not happen, in words fit for a log line or the GUI.
struct Error
{
    QString message;
};

// The outcome of an operation of any floor (cache, audit log, engine requests): a value, or the
// reason there is none. The one error style above the C boundary; nothing here throws.
template <typename T> class Result
{
public:
    Result() requires std::is_default_constructible_v<T> : m_state(T{}) { }
    Result(T value)  // NOLINT(google-explicit-constructor): results read like values
        : m_state(std::move(value))
    {
    }
    Result(Error error)  // NOLINT(google-explicit-constructor)
        : m_state(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    QString error() const { return ok() ? QString() : std::get<Error>(m_state).message; }

private:
    std::variant<T, Error> m_state;
};

}  // namespace kucun
