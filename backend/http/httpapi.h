#pragma once

#include "apiaccess.h"
#include "cache/cacheservice.h"
#include "config/demofaults.h"
#include "httpconnection.h"
#include "webassets.h"

#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>

namespace kucun {

class EventStreamConsumer;

class AuditLog;
class CacheService;
class EventBus;
class EventRouter;
class HttpServer;
class KeyAccessSketch;
class RedisClient;
class TelemetryStream;
class WsHub;
struct HubConfig;

// What the server API works on: the running engine's parts (engine thread). The cache, router
// and hub are required; the audit log and the Redis client may be absent.
struct HttpApiParts
{
    CacheService *cache = nullptr;
    EventRouter *router = nullptr;
    EventBus *bus = nullptr;
    WsHub *hub = nullptr;
    AuditLog *audit = nullptr;
    const RedisClient *redis = nullptr;
    std::function<QString()> mode;  // memory, redis or degraded
    qint64 startedAtMs = 0;
    quint16 webSocketPort = 0;  // where the demo page connects
    // The Redis-protocol front's key traffic; null when the front is off.
    const KeyAccessSketch *keyAccess = nullptr;
    const EventStreamConsumer *eventStream = nullptr;  // with HUB_EVENT_STREAM
    QUrl webSocketUrl;  // the hub's, for attached windows
    // The demo traffic (SPEC §8.3) in operations per second; absent: no demo on this hub.
    std::function<int()> demoRate;
    std::function<void(int)> setDemoRate;
    // The demo's faults (SPEC §14); a refusal says why.
    std::function<DemoFaults()> demoFaults;
    std::function<std::optional<QString>(const DemoFaults &)> setDemoFaults;
};

// The calls of SPEC §7 behind HttpServer: routing, keys and roles (ApiAccess), the JSON bodies
// and error statuses, and the counters /metrics shows. Each call reads or changes the engine
// through its parts, in the engine thread; calls whose answer comes from Redis answer later.
// The calls themselves live in httpapi*.cpp by subject. docs/http.md is the caller's view.
class HttpApi : public QObject
{
    Q_OBJECT

public:
    // A publish array longer than this is refused: each element is a delivery.
    static constexpr int kMaxPublishBatch = 10000;
    static constexpr int kMaxPageSize = 1000;

    HttpApi(const HubConfig &config, HttpApiParts parts, QObject *parent = nullptr);
    ~HttpApi() override;

    void handle(const HttpRequest &request, HttpConnection &connection,
                const HttpConnection::Responder &respond);
    // While stopping /readyz says 503.
    void setStopping() { m_stopping = true; }
    // The server in front, whose refusals (requests no call saw) /metrics counts too.
    void setServer(const HttpServer *server) { m_server = server; }
    // The windows attached through /api/stream, which the engine feeds.
    TelemetryStream &telemetryStream() { return *m_stream; }

    // Requests answered, by route template and status.
    struct RouteStatus
    {
        QString route;
        int status = 0;
        friend bool operator==(const RouteStatus &, const RouteStatus &) = default;
        friend size_t qHash(const RouteStatus &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.route, key.status);
        }
    };
    const QHash<RouteStatus, qint64> &requestCounts() const { return m_requestCounts; }
    qint64 authFailures() const { return m_access.authFailures(); }

private:
    struct Call;
    using Respond = HttpConnection::Responder;

    void dispatch(const Call &call, const QByteArray &method);
    // The demo page and the browser client (webassets.h): no key, GET and HEAD only.
    void serveFile(const Call &call, const QByteArray &path);
    // 405 with the methods `allowed` ("GET, HEAD").
    void refuseMethod(const Call &call, const QByteArray &allowed);
    // Health and metrics (httpapi.cpp).
    void readyz(const Respond &respond) const;
    void metrics(const Respond &respond) const;
    // WebSocket channels, clients, publish (httpapihub.cpp).
    void publish(const Call &call);
    void channels(const Respond &respond) const;
    void clients(const Respond &respond) const;
    void disconnectClient(const QString &id, const Respond &respond);
    // Events (httpapievents.cpp).
    void postEvent(const Call &call);
    void events(const Call &call);
    // GET /api/events/{id}/trace: the event's audit row and what it did (SPEC §14).
    void eventTrace(const QString &eventId, const Call &call);
    void stats(const Respond &respond);
    // The cache (httpapicache.cpp).
    void invalidate(const Call &call);
    // GET /api/invalidate: the dry run as a read, which the viewer key may make.
    void previewInvalidation(const Call &call);
    void invalidate(const Call &call, Invalidation::Kind kind, const QString &target, bool dryRun);
    void tags(const Call &call);
    void keys(const Call &call);
    void key(const QString &key, const Respond &respond);
    void deleteKey(const QString &key, const Respond &respond);
    void setKeyTtl(const QString &key, const Call &call);
    // The admin log (httpapi.cpp): `call.respond`, which also records the action and what the
    // answer said in the audit log's admin_actions (SPEC §13).
    Respond recorded(const Call &call, const QString &action, const QString &target);
    // The caller's role as the admin log and the stream's hello name it: admin, viewer, or local
    // (a loopback caller when no keys are set).
    QString roleOf(const Call &call) const;
    void adminLog(const Call &call);
    // GET /api/stream: the window's telemetry (SPEC §13), a WebSocket upgrade (httpapistream.cpp).
    void attachWindow(const Call &call);
    // GET and PUT /api/demo: the demo traffic's rate (httpapistream.cpp).
    void demo(const Call &call, const QByteArray &method);
    QJsonObject demoState() const;
    // A publish or event from a window (`?record=1`) is an admin action; the site's own, its
    // data path, are not recorded. The call as it is, or answering through recorded().
    Call withPublishRecorded(const Call &call);
    // `before` and `limit` of a page of the audit log, or nothing when refused (the log is off,
    // a bad number): then the call is answered already.
    struct AuditPage
    {
        qint64 before = 0;
        int limit = 100;
    };
    std::optional<AuditPage> auditPage(const Call &call) const;

    const HttpApiParts m_parts;
    ApiAccess m_access;
    const WebAssets m_files;
    QHash<RouteStatus, qint64> m_requestCounts;
    bool m_stopping = false;
    const HttpServer *m_server = nullptr;
    TelemetryStream *m_stream = nullptr;  // a child
    const QString m_keyNamespace;
    const QString m_redis;  // the Redis URL, redacted; empty without Redis
};

}  // namespace kucun
