#include "settingparsers.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

namespace kucun {

namespace {

constexpr int kMaxPoolSize = 64;
constexpr int kMaxWsClients = 1'000'000;
constexpr int kMaxWsQueueMb = 1024;
constexpr int kMaxCacheMb = 1024 * 1024;  // 1 TiB: far beyond any desktop, still a typo guard
// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
constexpr int kMinJwtSecretBytes = 32;
constexpr int kMaxQuotedLength = 80;
// An API key is compared whole and never rate-limited per guess alone: 16 bytes of randomness
// (e.g. `openssl rand -hex 16` gives 32 characters) are beyond guessing.
constexpr int kMinApiKeyBytes = 16;
constexpr qsizetype kMaxRespPasswordBytes = 1024;
constexpr qint64 kMinAuditRows = 1000;
constexpr qint64 kMaxAuditRows = 100'000'000;
constexpr qint64 kMaxAuditDays = 3650;
// Below 8 MiB the WAL and the batch being written would take most of the bound.
constexpr qint64 kMinAuditMb = 8;
constexpr qint64 kMaxAuditMb = 65536;
constexpr qint64 kMaxWsHistoryMb = 65536;
constexpr qint64 kMaxCount = 1'000'000;  // channels, connections: a typo guard
// Below 100 ms a client on a slow link could not finish; above 10 minutes it is no bound.
constexpr qint64 kMinHandshakeTimeoutMs = 100;
constexpr qint64 kMaxHandshakeTimeoutMs = 600'000;
// Below 4 KiB even the welcome and an error reply would not fit.
constexpr qint64 kMinUnauthQueueKb = 4;
constexpr qint64 kMaxUnauthQueueKb = 1024 * 1024;

// A decimal number without sign, spaces or exponent, within [min, max].
std::optional<qint64> parseBoundedNumber(const QString &text, qint64 min, qint64 max)
{
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}$"));
    if (!digits.match(text).hasMatch())
        return std::nullopt;
    const qint64 number = text.toLongLong();
    if (number < min || number > max)
        return std::nullopt;
    return number;
}

// A whole-number setting within [min, max]; `what` names the kind of number for the refusal.
template <typename Field>
std::optional<QString> applyWholeNumber(const QString &value, qint64 min, qint64 max,
                                        const char *what, Field &field)
{
    const auto number = parseBoundedNumber(value, min, max);
    if (!number) {
        return QStringLiteral("%1 is not %2 (a whole number from %3 to %4)")
            .arg(quotedForMessage(value), QLatin1String(what))
            .arg(min)
            .arg(max);
    }
    field = static_cast<Field>(*number);
    return std::nullopt;
}

std::optional<QString> applyRedisUrl(const QString &value, HubConfig &config)
{
    if (value.isEmpty()) {
        config.redis.reset();
        return std::nullopt;
    }
    const RedisUrl::ParseResult parsed = RedisUrl::parse(value);
    if (!parsed.url) {
        return QStringLiteral("%1 is not a Redis URL (redis://[user:pass@]host[:port][/db] or "
                              "redis+sentinel://[user:pass@]host[:port][,host[:port]…]/master[/db]"
                              "): %2")
            .arg(quotedForMessage(RedisUrl::redactText(value)), parsed.error);
    }
    config.redis = parsed.url;
    return std::nullopt;
}

std::optional<QString> applyNamespace(const QString &value, HubConfig &config)
{
    // No ':' (it separates the namespace from the key) and no glob characters (the namespace
    // starts every SCAN MATCH pattern).
    static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!rule.match(value).hasMatch()) {
        return QStringLiteral("%1 is not a key namespace (1-64 characters of A-Z a-z 0-9 _ . -)")
            .arg(quotedForMessage(value));
    }
    config.keyNamespace = value;
    return std::nullopt;
}

std::optional<QString> applyHostAddress(const QString &value, QHostAddress &field)
{
    QHostAddress address;
    if (value == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(value) || value.contains(u'%'))
        return QStringLiteral("%1 is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0, localhost)")
            .arg(quotedForMessage(value));
    field = address;
    return std::nullopt;
}

std::optional<QString> applyPort(const QString &value, quint16 &field)
{
    const auto port = parseBoundedNumber(value, 0, 65535);
    if (!port)
        return QStringLiteral("%1 is not a port number (0-65535)").arg(quotedForMessage(value));
    field = static_cast<quint16>(*port);
    return std::nullopt;
}

// A port that may be switched off (HTTP_PORT, RESP_PORT).
std::optional<QString> applyOptionalPort(const QString &value, std::optional<quint16> &field)
{
    if (value == u"off") {
        field.reset();
        return std::nullopt;
    }
    const auto port = parseBoundedNumber(value, 0, 65535);
    if (!port) {
        return QStringLiteral("%1 is not a port number (0-65535) or off")
            .arg(quotedForMessage(value));
    }
    field = static_cast<quint16>(*port);
    return std::nullopt;
}

// A browser origin as sent in the Origin header: scheme, host and optional port, nothing else.
std::optional<QString> normalizedOrigin(const QString &text)
{
    QString candidate = text;
    if (candidate.endsWith(u'/'))
        candidate.chop(1);  // people paste "http://host:3001/"; browsers send no slash
    const QUrl url(candidate, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()
        || !url.path().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()
        || url.port() == 0)
        return std::nullopt;
    return url.toString(QUrl::FullyEncoded);
}

std::optional<QString> applyAllowedOrigins(const QString &value, HubConfig &config)
{
    QStringList origins;
    const QStringList entries = value.split(u',', Qt::SkipEmptyParts);
    for (const QString &rawEntry : entries) {
        const QString entry = rawEntry.trimmed();
        if (entry.isEmpty())
            continue;
        if (entry == u"*") {
            origins = {QStringLiteral("*")};
            break;  // any origin: the other entries add nothing
        }
        const auto origin = normalizedOrigin(entry);
        if (!origin) {
            return QStringLiteral("%1 is not an origin (http[s]://host[:port], comma separated, "
                                  "or * for any)")
                .arg(quotedForMessage(entry));
        }
        if (!origins.contains(*origin))
            origins.append(*origin);
    }
    config.allowedOrigins = origins;
    return std::nullopt;
}

std::optional<QString> applyJwtSecret(const QString &value, HubConfig &config)
{
    const QByteArray secret = value.toUtf8();
    if (!secret.isEmpty() && secret.size() < kMinJwtSecretBytes) {
        // The secret itself is never echoed, not even when it is wrong.
        return QStringLiteral("a secret of %1 bytes is too short (HS256 needs at least %2 bytes; "
                              "empty turns authentication off)")
            .arg(secret.size())
            .arg(kMinJwtSecretBytes);
    }
    config.jwtSecret = secret;
    return std::nullopt;
}

std::optional<QString> applyApiKey(const QString &value, QByteArray &field)
{
    const QByteArray key = value.toUtf8();
    if (!key.isEmpty() && key.size() < kMinApiKeyBytes) {
        // The key itself is never echoed, not even when it is wrong.
        return QStringLiteral("a key of %1 bytes is too short (at least %2 bytes; empty turns "
                              "it off)")
            .arg(key.size())
            .arg(kMinApiKeyBytes);
    }
    field = key;
    return std::nullopt;
}

std::optional<QString> applyRespPassword(const QString &value, QByteArray &field)
{
    const QByteArray password = value.toUtf8();
    if (password.size() > kMaxRespPasswordBytes) {
        return QStringLiteral("a password of %1 bytes is too long (at most %2 bytes)")
            .arg(password.size())
            .arg(kMaxRespPasswordBytes);
    }
    // A control character could not be typed at redis-cli nor kept in the settings file.
    for (const char c : password) {
        if (uchar(c) < 0x20 || c == 0x7f)
            return QStringLiteral("a password cannot hold control characters or line breaks");
    }
    field = password;
    return std::nullopt;
}

std::optional<QString> applyTlsCertificate(const QString &value, HubConfig &config)
{
    if (value.isEmpty()) {
        config.tls.certificateFile.clear();
        config.tls.certificatePem.clear();
        return std::nullopt;
    }
    return config.tls.loadCertificates(value);
}

std::optional<QString> applyTlsKey(const QString &value, HubConfig &config)
{
    if (value.isEmpty()) {
        config.tls.keyFile.clear();
        config.tls.keyPem.clear();
        return std::nullopt;
    }
    return config.tls.loadKey(value);
}

std::optional<QString> applyDataDir(const QString &value, HubConfig &config)
{
    if (value.trimmed().isEmpty())
        return QStringLiteral("%1 is not a folder path").arg(quotedForMessage(value));
    const QFileInfo info(value);
    if (info.exists() && !info.isDir())
        return QStringLiteral("%1 exists and is not a folder").arg(quotedForMessage(value));
    config.dataDir = info.absoluteFilePath();
    return std::nullopt;
}

std::optional<QString> applyEventStream(const QString &value, HubConfig &config)
{
    // Any Redis key would do; a name a person can type and read back is asked for.
    constexpr qsizetype kMaxStreamName = 256;
    const bool readable = std::all_of(value.cbegin(), value.cend(),
                                      [](QChar c) { return c.isPrint() && !c.isSpace(); });
    if (value.size() > kMaxStreamName || !readable) {
        return QStringLiteral("%1 is not a stream name (up to %2 characters, no spaces or "
                              "control characters; empty for none)")
            .arg(quotedForMessage(value))
            .arg(kMaxStreamName);
    }
    config.eventStream = value.toUtf8();
    return std::nullopt;
}

std::optional<QString> applyWsHistory(const QString &value, HubConfig &config)
{
    const QString key = value.toLower();
    if (key != u"shared" && key != u"local")
        return QStringLiteral("%1 is not a kind of history (shared or local)")
            .arg(quotedForMessage(value));
    config.wsSharedHistory = key == u"shared";
    return std::nullopt;
}

std::optional<QString> applyEventTrace(const QString &value, HubConfig &config)
{
    const QString key = value.toLower();
    if (key != u"on" && key != u"off")
        return QStringLiteral("%1 is not on or off").arg(quotedForMessage(value));
    config.eventTrace = key == u"on";
    return std::nullopt;
}

std::optional<QString> applyLanguage(const QString &value, HubConfig &config)
{
    const QString key = value.toLower().replace(u'-', u'_');
    if (key.isEmpty() || key == u"system")
        config.language.clear();
    else if (key == u"en" || key == u"en_us" || key == u"en_gb")
        config.language = QStringLiteral("en");
    else if (key == u"zh" || key == u"zh_cn" || key == u"zh_hans" || key == u"zh_hans_cn")
        config.language = QStringLiteral("zh_CN");
    else
        return QStringLiteral("%1 is not a supported language (en, zh_CN, or empty for the "
                              "system locale)")
            .arg(quotedForMessage(value));
    return std::nullopt;
}

std::optional<QString> applyRoutesFile(const QString &value, HubConfig &config)
{
    if (value.isEmpty()) {
        config.routesFile.clear();
        return std::nullopt;
    }
    const QFileInfo info(value);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("%1 is not a readable file").arg(quotedForMessage(value));
    config.routesFile = info.absoluteFilePath();
    return std::nullopt;
}

}  // namespace

std::optional<QString> applySetting(SettingId id, const QString &value, HubConfig &config)
{
    switch (id) {
    case SettingId::RedisUrl:
        return applyRedisUrl(value, config);
    case SettingId::RedisPoolSize:
        return applyWholeNumber(value, 1, kMaxPoolSize, "a pool size", config.redisPoolSize);
    case SettingId::KeyNamespace:
        return applyNamespace(value, config);
    case SettingId::WsHost:
        return applyHostAddress(value, config.wsHost);
    case SettingId::WsPort:
        return applyPort(value, config.wsPort);
    case SettingId::AllowedOrigins:
        return applyAllowedOrigins(value, config);
    case SettingId::JwtSecret:
        return applyJwtSecret(value, config);
    case SettingId::DataDir:
        return applyDataDir(value, config);
    case SettingId::CacheMaxMb:
        return applyWholeNumber(value, 1, kMaxCacheMb, "a size in MiB", config.cacheMaxMb);
    case SettingId::Language:
        return applyLanguage(value, config);
    case SettingId::RoutesFile:
        return applyRoutesFile(value, config);
    case SettingId::AuditMaxRows:
        return applyWholeNumber(value, kMinAuditRows, kMaxAuditRows, "a row count",
                                config.auditMaxRows);
    case SettingId::AuditMaxAgeDays:
        return applyWholeNumber(value, 1, kMaxAuditDays, "a number of days",
                                config.auditMaxAgeDays);
    case SettingId::AuditMaxMb:
        return applyWholeNumber(value, kMinAuditMb, kMaxAuditMb, "a size in MiB",
                                config.auditMaxMb);
    case SettingId::WsMaxClients:
        return applyWholeNumber(value, 1, kMaxWsClients, "a number of clients",
                                config.wsMaxClients);
    case SettingId::WsMaxQueueMb:
        return applyWholeNumber(value, 1, kMaxWsQueueMb, "a size in MiB", config.wsMaxQueueMb);
    case SettingId::WsHistoryMaxMb:
        return applyWholeNumber(value, 1, kMaxWsHistoryMb, "a size in MiB", config.wsHistoryMaxMb);
    case SettingId::WsMaxChannels:
        return applyWholeNumber(value, 1, kMaxCount, "a number of channels", config.wsMaxChannels);
    case SettingId::WsHandshakeTimeoutMs:
        return applyWholeNumber(value, kMinHandshakeTimeoutMs, kMaxHandshakeTimeoutMs,
                                "a time in milliseconds", config.wsHandshakeTimeoutMs);
    case SettingId::WsMaxHandshakes:
        return applyWholeNumber(value, 1, kMaxCount, "a number of connections",
                                config.wsMaxHandshakes);
    case SettingId::WsMaxHandshakesPerAddress:
        return applyWholeNumber(value, 1, kMaxCount, "a number of connections",
                                config.wsMaxHandshakesPerAddress);
    case SettingId::WsUnauthQueueKb:
        return applyWholeNumber(value, kMinUnauthQueueKb, kMaxUnauthQueueKb, "a size in KiB",
                                config.wsUnauthQueueKb);
    case SettingId::HttpPort:
        return applyOptionalPort(value, config.httpPort);
    case SettingId::HttpHost:
        return applyHostAddress(value, config.httpHost);
    case SettingId::AdminKey:
        return applyApiKey(value, config.adminKey);
    case SettingId::ViewerKey:
        return applyApiKey(value, config.viewerKey);
    case SettingId::TlsCert:
        return applyTlsCertificate(value, config);
    case SettingId::TlsKey:
        return applyTlsKey(value, config);
    case SettingId::HttpRateLimit:
        return applyWholeNumber(value, 0, kMaxCount * 10, "a rate per second",
                                config.httpRateLimit);
    case SettingId::RespPort:
        return applyOptionalPort(value, config.respPort);
    case SettingId::RespHost:
        return applyHostAddress(value, config.respHost);
    case SettingId::RespPassword:
        return applyRespPassword(value, config.respPassword);
    case SettingId::WsHistory:
        return applyWsHistory(value, config);
    case SettingId::EventStream:
        return applyEventStream(value, config);
    case SettingId::EventTrace:
        return applyEventTrace(value, config);
    }
    Q_UNREACHABLE();
}

QString displayValue(SettingId id, const QString &value)
{
    if (id == SettingId::RedisUrl)
        return RedisUrl::redactText(value);
    if (settingInfo(id).secret && !value.isEmpty())
        return QStringLiteral("***");
    return value;
}

QString quotedForMessage(const QString &text)
{
    QString shown;
    for (const QChar c : text) {
        if (c == u'\n')
            shown += QStringLiteral("\\n");
        else if (c == u'\r')
            shown += QStringLiteral("\\r");
        else if (c == u'\t')
            shown += QStringLiteral("\\t");
        else if (c.category() == QChar::Other_Control)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
        if (shown.size() > kMaxQuotedLength) {
            shown.truncate(kMaxQuotedLength);
            shown += QStringLiteral("…");
            break;
        }
    }
    return u'\'' + shown + u'\'';
}

}  // namespace kucun
