#include "jwtverifier.h"

#include "core/globpattern.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

namespace kucun {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

std::optional<QByteArray> decodeSegment(const QByteArray &segment)
{
    if (segment.isEmpty() || segment.contains('='))
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(
        segment, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(*decoded);
}

std::optional<QJsonObject> decodeObject(const QByteArray &segment)
{
    const std::optional<QByteArray> json = decodeSegment(segment);
    if (!json)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(*json);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

// Every byte is looked at whatever the others are, so the time taken says nothing about how
// much of a forged signature was right.
bool equalInConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

// A list of channel globs, or nullopt when the claim is not a list of short strings.
std::optional<QStringList> globsOf(const QJsonValue &claim)
{
    if (!claim.isArray())
        return std::nullopt;
    QStringList globs;
    for (const QJsonValue &item : claim.toArray()) {
        if (!item.isString() || item.toString().isEmpty() || item.toString().size() > 128)
            return std::nullopt;
        globs.append(item.toString());
    }
    return globs;
}

bool anyMatches(const QStringList &globs, const QString &channel)
{
    const QByteArray name = channel.toUtf8();
    for (const QString &glob : globs) {
        const QByteArray pattern = glob.toUtf8();
        if (globMatches(std::string_view(pattern.constData(), size_t(pattern.size())),
                        std::string_view(name.constData(), size_t(name.size()))))
            return true;
    }
    return false;
}

}  // namespace

bool ClientGrant::maySubscribe(const QString &channel) const
{
    return !channelGlobs || anyMatches(*channelGlobs, channel);
}

bool ClientGrant::mayPublish(const QString &channel) const
{
    return anyMatches(publishGlobs, channel);
}

JwtVerifier::JwtVerifier(QByteArray secret)
    : m_secret(std::move(secret))
{
}

QByteArray JwtVerifier::sign(const QByteArray &claimsJson, const QByteArray &secret)
{
    const QByteArray signingInput
        = QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(kBase64Url) + '.'
          + claimsJson.toBase64(kBase64Url);
    const QByteArray signature
        = QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256);
    return signingInput + '.' + signature.toBase64(kBase64Url);
}

std::variant<ClientGrant, QString> JwtVerifier::verify(const QByteArray &token, qint64 nowMs) const
{
    if (token.size() > kMaxTokenBytes)
        return QStringLiteral("the token is longer than %1 bytes").arg(kMaxTokenBytes);
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return QStringLiteral("not a JWT (three base64url parts separated by dots)");

    const std::optional<QJsonObject> header = decodeObject(parts[0]);
    if (!header)
        return QStringLiteral("the token's header is not base64url JSON");
    if (header->value(QStringLiteral("alg")).toString() != u"HS256")
        return QStringLiteral("the token is not signed with HS256");

    const std::optional<QByteArray> signature = decodeSegment(parts[2]);
    const QByteArray expected = QMessageAuthenticationCode::hash(
        parts[0] + '.' + parts[1], m_secret, QCryptographicHash::Sha256);
    if (!signature || !equalInConstantTime(*signature, expected))
        return QStringLiteral("the token's signature does not match");

    // Only a token the hub's secret signed gets its claims read.
    const std::optional<QJsonObject> claims = decodeObject(parts[1]);
    if (!claims)
        return QStringLiteral("the token's claims are not base64url JSON");
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isDouble())
        return QStringLiteral("the token has no \"exp\"");
    if (exp.toDouble() * 1000.0 <= double(nowMs))
        return QStringLiteral("the token has expired");
    const QJsonValue nbf = claims->value(QStringLiteral("nbf"));
    if (!nbf.isUndefined() && (!nbf.isDouble() || nbf.toDouble() * 1000.0 > double(nowMs)))
        return QStringLiteral("the token is not valid yet");

    ClientGrant grant;
    grant.expiresAtMs = qint64(std::min(exp.toDouble() * 1000.0, 9.0e15));
    const QJsonValue sub = claims->value(QStringLiteral("sub"));
    if (!sub.isUndefined() && !sub.isString())
        return QStringLiteral("the token's \"sub\" is not a string");
    grant.subject = sub.toString().left(256);
    if (const QJsonValue channels = claims->value(QStringLiteral("channels"));
        !channels.isUndefined()) {
        grant.channelGlobs = globsOf(channels);
        if (!grant.channelGlobs)
            return QStringLiteral("the token's \"channels\" is not a list of channel patterns");
    }
    if (const QJsonValue publish = claims->value(QStringLiteral("publish"));
        !publish.isUndefined()) {
        const std::optional<QStringList> globs = globsOf(publish);
        if (!globs)
            return QStringLiteral("the token's \"publish\" is not a list of channel patterns");
        grant.publishGlobs = *globs;
    }
    return grant;
}

}  // namespace kucun
