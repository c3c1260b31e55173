#include "hubconfig.h"

#include "settingparsers.h"

#include <QtGlobal>

namespace kucun {

namespace {

// Descriptions are marked for translation: the GUI shows them as tool tips.
// The order follows SettingId; tableFollowsEnum() checks that it does.
constexpr std::array<SettingInfo, kSettingCount> kSettings{{
    {SettingId::RedisUrl, "redis", "REDIS_URL", "url",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Redis URL redis://[user:pass@]host[:port][/db] or "
                       "redis+sentinel://host:26379[,host:26379…]/master[/db]; empty = embedded "
                       "engine"),
     true},
    {SettingId::RedisPoolSize, "pool-size", "REDIS_POOL_SIZE", "n",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Redis command connections, 1-64"), false},
    {SettingId::KeyNamespace, "namespace", "REDIS_NAMESPACE", "name",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Key namespace"), false},
    {SettingId::WsHost, "ws-host", "WS_HOST", "address",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "WebSocket bind address"), false},
    {SettingId::WsPort, "ws-port", "WS_PORT", "port",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "WebSocket port; 0 = pick a free one and print it"),
     false},
    {SettingId::AllowedOrigins, "allowed-origins", "WS_ALLOWED_ORIGINS", "origins",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Allowed browser origins, comma separated; * = any"),
     false},
    {SettingId::JwtSecret, "jwt-secret", "HUB_JWT_SECRET", "secret",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "HS256 secret for client tokens (at least 32 bytes); empty = no auth"),
     true},
    {SettingId::DataDir, "data-dir", "HUB_DATA_DIR", "dir",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Data folder (audit log, history)"), false},
    {SettingId::CacheMaxMb, "cache-max-mb", "HUB_CACHE_MAX_MB", "mib",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Memory engine size limit in MiB"), false},
    {SettingId::Language, "lang", "HUB_LANG", "lang",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "UI language: en or zh_CN; empty = system"),
     false},
    {SettingId::RoutesFile, "routes", "HUB_ROUTES", "file",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Event routing table (JSON); empty = built-in table"),
     false},
    {SettingId::AuditMaxRows, "audit-max-rows", "HUB_AUDIT_MAX_ROWS", "rows",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Audit log size limit in rows"), false},
    {SettingId::AuditMaxAgeDays, "audit-max-age-days", "HUB_AUDIT_MAX_AGE_DAYS", "days",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Audit log age limit in days"), false},
    {SettingId::AuditMaxMb, "audit-max-mb", "HUB_AUDIT_MAX_MB", "mib",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Audit log size limit in MiB (database file and WAL)"),
     false},
    {SettingId::WsMaxClients, "ws-max-clients", "WS_MAX_CLIENTS", "clients",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Most WebSocket clients at once"), false},
    {SettingId::WsMaxQueueMb, "ws-max-queue-mb", "WS_MAX_QUEUE_MB", "mib",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Data queued to one WebSocket client before it is cut, in MiB"),
     false},
    {SettingId::WsHistoryMaxMb, "ws-history-max-mb", "WS_HISTORY_MAX_MB", "mib",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Memory for channel history over all channels, in MiB"),
     false},
    {SettingId::WsMaxChannels, "ws-max-channels", "WS_MAX_CHANNELS", "channels",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Most WebSocket channels keeping history at once"),
     false},
    {SettingId::WsHandshakeTimeoutMs, "ws-handshake-timeout-ms", "WS_HANDSHAKE_TIMEOUT_MS", "ms",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Time a WebSocket handshake may take, in milliseconds"),
     false},
    {SettingId::WsMaxHandshakes, "ws-max-handshakes", "WS_MAX_HANDSHAKES", "connections",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Most unfinished WebSocket handshakes at once"),
     false},
    {SettingId::WsMaxHandshakesPerAddress, "ws-max-handshakes-per-address",
     "WS_MAX_HANDSHAKES_PER_ADDRESS", "connections",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "One address's share of the unfinished WebSocket handshakes"),
     false},
    {SettingId::WsUnauthQueueKb, "ws-unauth-queue-kb", "WS_UNAUTH_QUEUE_KB", "kib",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Queued to a WebSocket client before it presents its token, in KiB"),
     false},
    {SettingId::HttpPort, "http-port", "HTTP_PORT", "port",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "HTTP port (API, metrics, health); 0 = pick a free one; off"),
     false},
    {SettingId::HttpHost, "http-host", "HTTP_HOST", "address",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "HTTP bind address"), false},
    {SettingId::AdminKey, "admin-key", "HUB_ADMIN_KEY", "key",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Admin API key (at least 16 bytes); empty = API for loopback only"),
     true},
    {SettingId::ViewerKey, "viewer-key", "HUB_VIEWER_KEY", "key",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Viewer API key for read-only calls (at least 16 bytes)"),
     true},
    {SettingId::TlsCert, "tls-cert", "HUB_TLS_CERT", "file",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "TLS certificate chain (PEM) for wss:// and https://; empty = plain"),
     false},
    {SettingId::TlsKey, "tls-key", "HUB_TLS_KEY", "file",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "TLS private key (PEM) of the certificate"),
     false},
    {SettingId::HttpRateLimit, "http-rate-limit", "HTTP_RATE_LIMIT", "n",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "HTTP API writes per second per key; 0 = no limit"),
     false},
    {SettingId::RespPort, "resp-port", "RESP_PORT", "port",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Redis-protocol port of the embedded engine; 0 = pick a free one; off "
                       "(always off with REDIS_URL)"),
     false},
    {SettingId::RespHost, "resp-host", "RESP_HOST", "address",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel", "Redis-protocol bind address"), false},
    {SettingId::RespPassword, "resp-password", "RESP_PASSWORD", "password",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Password Redis-protocol clients must AUTH with; empty = none"),
     true},
    {SettingId::WsHistory, "ws-history", "WS_HISTORY", "shared|local",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Channel history with Redis: shared by every hub (in Redis) or local to "
                       "each hub"),
     false},
    {SettingId::EventStream, "event-stream", "HUB_EVENT_STREAM", "key",
     QT_TRANSLATE_NOOP(
         "kucun::HubSettingsModel",
         "Redis Stream of reliable events the hub consumes (with Redis); empty = none"),
     false},
    {SettingId::EventTrace, "event-trace", "HUB_EVENT_TRACE", "on|off",
     QT_TRANSLATE_NOOP("kucun::HubSettingsModel",
                       "Keep what each event did (its causal trace) with its audit row"),
     false},
}};

constexpr bool tableFollowsEnum()
{
    for (size_t i = 0; i < kSettings.size(); ++i) {
        if (static_cast<size_t>(kSettings[i].id) != i)
            return false;
    }
    return true;
}
static_assert(tableFollowsEnum(), "kSettings must list the settings in SettingId order");

}  // namespace

const SettingInfo &settingInfo(SettingId id)
{
    return kSettings[static_cast<size_t>(id)];
}

const std::array<SettingInfo, kSettingCount> &allSettings()
{
    return kSettings;
}

QString settingNameFor(SettingId id, SettingSource source, const QString &settingsFile)
{
    const SettingInfo &info = settingInfo(id);
    const QString envName = QString::fromLatin1(info.envName);
    switch (source) {
    case SettingSource::CommandLine:
        return QStringLiteral("--") + QString::fromLatin1(info.flag);
    case SettingSource::Environment:
        return envName;
    case SettingSource::File:
        return QStringLiteral("%1 in %2").arg(envName, quotedForMessage(settingsFile));
    case SettingSource::Default:
        return envName + QStringLiteral(" (default)");
    }
    Q_UNREACHABLE();
}

QString HubConfig::engineChoice() const
{
    const EffectiveSetting &url = effectiveSetting(SettingId::RedisUrl);
    if (!redis) {
        return url.source == SettingSource::Default
                   ? QStringLiteral("the embedded engine (no Redis URL is set)")
                   : QStringLiteral("the embedded engine (the Redis URL is set empty)");
    }
    QString from;
    switch (url.source) {
    case SettingSource::CommandLine:
        from = QStringLiteral("--redis");
        break;
    case SettingSource::Environment:
        from = QStringLiteral("REDIS_URL in the environment");
        break;
    case SettingSource::File:
        from = QStringLiteral("REDIS_URL in %1").arg(settingsFile);
        break;
    case SettingSource::Default:
        from = QStringLiteral("the settings");
        break;
    }
    return QStringLiteral("Redis at %1, from %2").arg(redis->redacted(), from);
}

bool isHubAddress(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https")
           && !url.host().isEmpty() && (url.path().isEmpty() || url.path() == u"/")
           && !url.hasQuery() && !url.hasFragment() && url.userInfo().isEmpty();
}

}  // namespace kucun
