#pragma once

#include <QString>

#include <optional>

namespace kucun {

// A parsed `redis://[user:pass@]host[:port][/db]` address.
//
// Only the plain-TCP scheme is accepted: the hub talks to hiredis without TLS, so a `rediss://`
// URL is refused instead of silently connecting in clear text.
struct RedisUrl
{
    QString host;
    quint16 port = 6379;
    QString user;  // empty: AUTH with the password only (pre-ACL servers)
    QString password;  // empty: no AUTH
    int database = 0;  // SELECT after connecting when not 0

    // The URL in canonical form with the password replaced by "***", for logs and the GUI.
    QString redacted() const;

    struct ParseResult;
    static ParseResult parse(const QString &text);

    // Masks the password part of URL-like text that may not parse, so that an error message about
    // a bad URL never prints a secret.
    static QString redactText(const QString &text);

    friend bool operator==(const RedisUrl &, const RedisUrl &) = default;
};

struct RedisUrl::ParseResult
{
    std::optional<RedisUrl> url;
    QString error;  // why the text is not a Redis URL, when `url` is empty
};

}  // namespace kucun
