#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace kucun {

// A parsed `redis://[user:pass@]host[:port][/db]` address, or one through Redis Sentinel
// (SPEC §4): `redis+sentinel://[user:pass@]host[:port][,host[:port]…]/<master>[/db]`, where the
// hosts are sentinels (port 26379 unless given), asked without credentials; the user, password
// and database are the master's.
//
// Only plain TCP is accepted: the hub talks to hiredis without TLS, so a `rediss://` URL is
// refused instead of silently connecting in clear text.
struct RedisUrl
{
    struct Endpoint
    {
        QString host;
        quint16 port = 0;
        // host:port, an IPv6 host in brackets.
        QString text() const;
        friend bool operator==(const Endpoint &, const Endpoint &) = default;
    };

    // The server to connect to: given in a redis:// URL; through Sentinel, the master the
    // sentinels named last (empty until they have).
    QString host;
    quint16 port = 6379;
    QString user;  // empty: AUTH with the password only (pre-ACL servers)
    QString password;  // empty: no AUTH
    int database = 0;  // SELECT after connecting when not 0
    // redis+sentinel:// only: where to ask which server is the master, and its name there.
    QList<Endpoint> sentinels;
    QString masterName;

    static constexpr quint16 kSentinelPort = 26379;

    bool viaSentinel() const { return !sentinels.isEmpty(); }
    // The same URL naming `host`:`port` as the server (a master the sentinels named).
    RedisUrl at(const QString &serverHost, quint16 serverPort) const;

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
