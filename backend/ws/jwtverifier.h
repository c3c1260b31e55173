#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace kucun {

// What a verified token lets a client do (SPEC §6). `channels` absent from the token: any
// channel may be subscribed; `publish` absent: nothing may be published.
struct ClientGrant
{
    QString subject;  // `sub`, may be empty
    qint64 expiresAtMs = 0;  // `exp` in milliseconds
    std::optional<QStringList> channelGlobs;
    QStringList publishGlobs;

    bool maySubscribe(const QString &channel) const;
    bool mayPublish(const QString &channel) const;
};

// Verifies HS256 JSON Web Tokens against the hub's secret: the header must say HS256 (no
// `none`, no other algorithm), the signature is compared in constant time, `exp` is required
// and must lie in the future, `nbf` when present must have passed, and the claims the hub reads
// must have the right types. Stateless and cheap; safe to call from any thread.
class JwtVerifier
{
public:
    static constexpr qsizetype kMaxTokenBytes = 8192;

    explicit JwtVerifier(QByteArray secret);

    // The grant, or why the token is refused (one line, never the token itself).
    std::variant<ClientGrant, QString> verify(const QByteArray &token, qint64 nowMs) const;

    // HS256 signing, for tests and tools that mint tokens for this hub.
    static QByteArray sign(const QByteArray &claimsJson, const QByteArray &secret);

private:
    const QByteArray m_secret;
};

}  // namespace kucun
