#include "redisurl.h"

#include <QRegularExpression>
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

// host[:port], host a name, an IPv4 address or a bracketed IPv6 one.
std::optional<RedisUrl::Endpoint> parseEndpoint(const QString &text, QString &why)
{
    const QUrl url(QStringLiteral("redis://") + text, QUrl::StrictMode);
    if (text.isEmpty() || !url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty()
        || !url.path().isEmpty()) {
        why = QStringLiteral("'%1' is not a sentinel's host[:port]").arg(text);
        return std::nullopt;
    }
    if (url.port() == 0) {
        why = QStringLiteral("port 0 cannot be connected to");
        return std::nullopt;
    }
    return RedisUrl::Endpoint{url.host(),
                              url.port() > 0 ? quint16(url.port()) : RedisUrl::kSentinelPort};
}

std::optional<int> parseDatabase(const QString &text)
{
    bool ok = false;
    const qlonglong db = text.toLongLong(&ok);
    if (!isAllDigits(text) || !ok || db > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(db);
}

const QString kSentinelScheme = QStringLiteral("redis+sentinel://");

RedisUrl::ParseResult parseSentinelUrl(const QString &text)
{
    const QString rest = text.mid(kSentinelScheme.size());
    if (rest.contains(u'?') || rest.contains(u'#'))
        return failure(QStringLiteral("query strings and fragments are not supported"));
    const qsizetype slash = rest.indexOf(u'/');
    if (slash < 0)
        return failure(QStringLiteral("the master's name is missing (…/mymaster)"));
    const QString authority = rest.left(slash);
    const QStringList path = rest.mid(slash + 1).split(u'/');
    const qsizetype at = authority.lastIndexOf(u'@');
    RedisUrl result;
    if (at >= 0) {
        const QString userInfo = authority.left(at);
        const qsizetype colon = userInfo.indexOf(u':');
        if (colon < 0)
            return failure(QStringLiteral("a user name needs a password (user:pass@)"));
        result.user = QUrl::fromPercentEncoding(userInfo.left(colon).toUtf8());
        result.password = QUrl::fromPercentEncoding(userInfo.mid(colon + 1).toUtf8());
        if (result.password.isEmpty())
            return failure(QStringLiteral("the password is empty"));
    }
    const QStringList hosts = authority.mid(at + 1).split(u',');
    for (const QString &host : hosts) {
        QString why;
        const std::optional<RedisUrl::Endpoint> endpoint = parseEndpoint(host, why);
        if (!endpoint)
            return failure(why);
        result.sentinels.append(*endpoint);
    }
    static const QRegularExpression masterName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (path.size() > 2 || !masterName.match(path.front()).hasMatch()) {
        return failure(QStringLiteral("the master's name must be 1-64 of A-Z a-z 0-9 _ . - "
                                      "(…/mymaster[/db])"));
    }
    result.masterName = path.front();
    if (path.size() == 2) {
        const std::optional<int> db = parseDatabase(path.back());
        if (!db)
            return failure(QStringLiteral("the database must be a number (…/mymaster/0)"));
        result.database = *db;
    }
    result.host.clear();
    result.port = 0;
    return {result, {}};
}

}  // namespace

QString RedisUrl::Endpoint::text() const
{
    return (host.contains(u':') ? u'[' + host + u']' : host) + u':' + QString::number(port);
}

RedisUrl RedisUrl::at(const QString &serverHost, quint16 serverPort) const
{
    RedisUrl server = *this;
    server.host = serverHost;
    server.port = serverPort;
    return server;
}

RedisUrl::ParseResult RedisUrl::parse(const QString &text)
{
    if (text.startsWith(kSentinelScheme, Qt::CaseInsensitive))
        return parseSentinelUrl(text);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return failure(QStringLiteral("malformed URL"));
    if (url.scheme() == u"rediss")
        return failure(QStringLiteral("TLS (rediss://) is not supported"));
    if (url.scheme() != u"redis")
        return failure(QStringLiteral("the scheme must be redis:// or redis+sentinel://"));
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
        const std::optional<int> db = parseDatabase(path);
        if (!db)
            return failure(QStringLiteral("the database must be a number (redis://host/0)"));
        result.database = *db;
    }
    return {result, {}};
}

QString RedisUrl::redacted() const
{
    if (viaSentinel()) {
        QString text = kSentinelScheme;
        if (!password.isEmpty())
            text += user + QStringLiteral(":***@");
        QStringList hosts;
        for (const Endpoint &sentinel : sentinels)
            hosts.append(sentinel.text());
        text += hosts.join(u',') + u'/' + masterName;
        if (database != 0)
            text += u'/' + QString::number(database);
        return text;
    }
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
