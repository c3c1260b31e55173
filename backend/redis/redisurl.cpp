#include "redisurl.h"

#include <QUrl>

#include <limits>

namespace kucun {

namespace {

bool isAllDigits(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

RedisUrl::ParseResult failure(const QString &why)
{
    return {std::nullopt, why};
}

}  // namespace

RedisUrl::ParseResult RedisUrl::parse(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return failure(QStringLiteral("malformed URL"));
    if (url.scheme() == u"rediss")
        return failure(QStringLiteral("TLS (rediss://) is not supported"));
    if (url.scheme() != u"redis")
        return failure(QStringLiteral("the scheme must be redis://"));
    if (url.host().isEmpty())
        return failure(QStringLiteral("the host is missing"));
    if (url.hasQuery() || url.hasFragment())
        return failure(QStringLiteral("query strings and fragments are not supported"));

    RedisUrl result;
    result.host = url.host();
    if (url.port() == 0)
        return failure(QStringLiteral("port 0 cannot be connected to"));
    if (url.port() > 0)
        result.port = static_cast<quint16>(url.port());

    result.user = url.userName(QUrl::FullyDecoded);
    result.password = url.password(QUrl::FullyDecoded);
    if (!result.user.isEmpty() && result.password.isEmpty())
        return failure(QStringLiteral("a user name needs a password (redis://user:pass@host)"));

    QString path = url.path(QUrl::FullyDecoded);
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        const qlonglong db = path.toLongLong(&ok);
        if (!isAllDigits(path) || !ok || db > std::numeric_limits<int>::max())
            return failure(QStringLiteral("the database must be a number (redis://host/0)"));
        result.database = static_cast<int>(db);
    }
    return {result, {}};
}

QString RedisUrl::redacted() const
{
    QUrl url;
    url.setScheme(QStringLiteral("redis"));
    url.setHost(host);
    url.setPort(port);
    if (!user.isEmpty())
        url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(QStringLiteral("***"));
    if (database != 0)
        url.setPath(u'/' + QString::number(database));
    return url.toString();
}

QString RedisUrl::redactText(const QString &text)
{
    // The user-info part ends at the last '@' before the path begins.
    const qsizetype authorityStart = text.indexOf(QStringLiteral("://"));
    const qsizetype from = authorityStart < 0 ? 0 : authorityStart + 3;
    qsizetype authorityEnd = text.indexOf(u'/', from);
    if (authorityEnd < 0)
        authorityEnd = text.size();
    if (authorityEnd <= from)
        return text;
    const qsizetype at = text.lastIndexOf(u'@', authorityEnd - 1);
    if (at < from)
        return text;
    const qsizetype colon = text.indexOf(u':', from);
    if (colon < 0 || colon > at)
        return text;
    return text.left(colon + 1) + QStringLiteral("***") + text.mid(at);
}

}  // namespace kucun
