#pragma once

#include "demofaults.h"
#include "redis/redisurl.h"
#include "tlscredentials.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <array>
#include <optional>

namespace kucun {

// Every setting of the product contract (SPEC §1): those of its first table, then the audit
// log's bounds and the WebSocket limits of SPEC §6, then the HTTP side's (docs/settings.md).
enum class SettingId {
    RedisUrl,
    RedisPoolSize,
    KeyNamespace,
    WsHost,
    WsPort,
    AllowedOrigins,
    JwtSecret,
    DataDir,
    CacheMaxMb,
    Language,
    RoutesFile,
    AuditMaxRows,
    AuditMaxAgeDays,
    AuditMaxMb,
    WsMaxClients,
    WsMaxQueueMb,
    WsHistoryMaxMb,
    WsMaxChannels,
    WsHandshakeTimeoutMs,
    WsMaxHandshakes,
    WsMaxHandshakesPerAddress,
    WsUnauthQueueKb,
    HttpPort,
    HttpHost,
    AdminKey,
    ViewerKey,
    TlsCert,
    TlsKey,
    HttpRateLimit,
    RespPort,
    RespHost,
    RespPassword,
    WsHistory,
    EventStream,
    EventTrace,
};
inline constexpr int kSettingCount = static_cast<int>(SettingId::EventTrace) + 1;

// Where an effective value came from; later enumerators win over earlier ones.
enum class SettingSource { Default, File, Environment, CommandLine };

// The fixed facts about one setting: its names in each source and its help text.
struct SettingInfo
{
    SettingId id;
    const char *flag;  // without the leading "--"
    const char *envName;  // also the key in the settings file
    const char *valueName;  // shown in --help
    const char *description;
    bool secret;  // never printed in clear
};

const SettingInfo &settingInfo(SettingId id);
const std::array<SettingInfo, kSettingCount> &allSettings();

// How a message names a setting: the way the user gave it (docs/settings.md). "--ws-port",
// "WS_PORT", "WS_PORT in '/etc/kucun-hub.ini'" or "WS_PORT (default)".
QString settingNameFor(SettingId id, SettingSource source, const QString &settingsFile);

// Whether `url` is a hub's HTTP address as --attach and File > Connect to hub take it:
// http[s]://host[:port], nothing more (no path, query, fragment or user).
bool isHubAddress(const QUrl &url);

// The value a setting ended up with, as text fit to show a person (secrets masked).
struct EffectiveSetting
{
    QString displayValue;
    SettingSource source = SettingSource::Default;
};

// The validated settings the hub runs with. Built only by HubConfigLoader, so every field holds
// an allowed value.
struct HubConfig
{
    std::optional<RedisUrl> redis;  // empty: the embedded memory engine
    int redisPoolSize = 3;
    QString keyNamespace = QStringLiteral("kucun");
    QHostAddress wsHost{QHostAddress::LocalHost};
    quint16 wsPort = 3002;
    QStringList allowedOrigins{QStringLiteral("http://localhost:3001")};  // "*" alone: any origin
    QByteArray jwtSecret;  // empty: no authentication
    QString dataDir;
    int cacheMaxMb = 256;
    QString language;  // "en" or "zh_CN"; empty: the system locale
    QString routesFile;  // empty: the built-in routing table
    qint64 auditMaxRows = 1'000'000;
    int auditMaxAgeDays = 30;
    int auditMaxMb = 256;  // audit.db and its WAL together (docs/events.md)
    int wsMaxClients = 10'000;
    int wsMaxQueueMb = 4;  // queued to one client before it is cut as a slow consumer
    // What hostile clients cannot make the hub hold (docs/protocol.md, "Limits").
    int wsHistoryMaxMb = 64;  // channel history over all channels
    int wsMaxChannels = 10'000;
    int wsHandshakeTimeoutMs = 5000;
    int wsMaxHandshakes = 1024;  // unfinished at once
    int wsMaxHandshakesPerAddress = 64;
    int wsUnauthQueueKb = 64;  // queued to a client that has not presented its token
    // Empty: HTTP_PORT=off. The loader applies the default, 3003; a HubConfig built by hand (a
    // test) has no HTTP side unless it asks for one.
    std::optional<quint16> httpPort;
    QHostAddress httpHost{QHostAddress::LocalHost};
    QByteArray adminKey;  // empty: /api/ answers loopback peers only (SPEC §7)
    QByteArray viewerKey;
    // Both or neither (checked): wss:// and https:// from one PEM pair, loaded and checked to
    // belong together before anything starts.
    TlsCredentials tls;
    int httpRateLimit = 1000;  // /api/ writes per second per key; 0: no limit
    // The Redis-protocol front (SPEC §12); empty: RESP_PORT=off. As with httpPort, the loader
    // applies the default (6380). Off whenever REDIS_URL is set: the site has a Redis then.
    std::optional<quint16> respPort;
    QHostAddress respHost{QHostAddress::LocalHost};
    QByteArray respPassword;  // AUTH needed first when set (Redis's requirepass)
    // WS_HISTORY: with Redis, channel history shared by every hub on it (SPEC §6); false: each
    // hub keeps its own, as on the embedded engine. No meaning without Redis.
    bool wsSharedHistory = true;
    // HUB_EVENT_STREAM: the Redis Stream of the reliable event path (SPEC §5); empty: none.
    QByteArray eventStream;
    // HUB_EVENT_TRACE: every event's causal trace kept with its audit row (SPEC §14).
    bool eventTrace = true;

    // Plain WebSocket connections on a QTcpSocket each (with sends straight to the kernel), the
    // transport before the hub read its descriptors itself: not a setting, only for
    // scripts/bench ws to compare the two in one run.
    bool wsQtSockets = false;

    bool headless = false;
    bool demo = false;  // --demo: start the traffic simulator (SPEC §8.3)
    DemoFaults demoFaults;  // --demo-fault: what the demo injects (SPEC §14)
    // --attach: the window shows the hub at this HTTP address instead of running one (SPEC §13).
    QUrl attachUrl;
    bool readOnly = false;  // --read-only: the window changes nothing
    // --record FILE, --replay FILE, --replay-speed X|max (SPEC §14); speed 0: as fast as
    // possible.
    QString recordFile;
    QString replayFile;
    double replaySpeed = 1.0;
    QString settingsFile;  // the INI file that was read, if any

    std::array<EffectiveSetting, kSettingCount> effective{};

    const EffectiveSetting &effectiveSetting(SettingId id) const
    {
        return effective[static_cast<size_t>(id)];
    }
    // The setting named as the user gave it, for messages about its value.
    QString settingName(SettingId id) const
    {
        return settingNameFor(id, effectiveSetting(id).source, settingsFile);
    }
    // Which engine the hub runs on and why, for the log at start (the password redacted):
    // "the embedded engine (no Redis URL is set)", "Redis at redis://…, from REDIS_URL in the
    // environment".
    QString engineChoice() const;
    bool allowsAnyOrigin() const
    {
        return allowedOrigins.size() == 1 && allowedOrigins.front() == u'*';
    }
};

}  // namespace kucun
