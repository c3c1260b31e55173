#pragma once

#include "config/hubconfig.h"
#include "core/result.h"
#include "demostampede.h"
#include "enginetelemetry.h"

#include <QObject>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <memory>

class QThread;
class QTimer;

namespace kucun {

class AuditLog;
class CacheService;
class EventRouter;

// The backend of one hub: the cache, the event bus, the audit log, the event router and the
// WebSocket hub. Built in the GUI (main) thread, moved into its own thread by EngineHost;
// everything it owns (its Parts) is created in start() and destroyed in the engine thread before
// the engine returns to its home thread, so no QObject ever outlives the thread it lives in.
class Engine : public QObject
{
    Q_OBJECT

public:
    // How long clients get to answer the close handshake when the hub stops.
    static constexpr std::chrono::milliseconds kCloseGrace{2000};
    // How long start() waits for Redis's first answer before starting degraded.
    static constexpr std::chrono::milliseconds kFirstRedisWait{3000};

    explicit Engine(const HubConfig &config, QObject *parent = nullptr);
    ~Engine() override;

    // "memory", "redis" or "degraded", as in the ready line (SPEC §1).
    QString mode() const;
    // Where the WebSocket hub listens, once started (engine thread).
    QUrl wsUrl() const;
    // Where the HTTP side listens; empty when HTTP_PORT=off. Set before started() is emitted
    // and not changed while running, so a receiver of started() may read it.
    QUrl httpUrl() const { return m_httpUrl; }
    // Where the Redis-protocol front listens; empty when RESP_PORT=off or with REDIS_URL. Set
    // as httpUrl() is.
    QUrl respUrl() const { return m_respUrl; }
    DemoFaults demoFaults() const { return m_demoFaults; }
    // This hub's id on the event bus (`source` of the events it publishes).
    QString instanceId() const { return m_instanceId; }
    // Thread-safe service, valid from started() until stopped(); null otherwise.
    CacheService *cache() const { return m_cacheForOthers.load(std::memory_order_acquire); }
    // Engine thread only; null while not running.
    EventRouter *router() const;
    AuditLog *auditLog() const;
    // Whether a window of this process reads the telemetry's clients and channels (EngineHost
    // says so as receivers come and go); attached windows are counted by the engine itself.
    // Thread-safe.
    void setTelemetryWatched(bool watched)
    {
        m_telemetryWatched.store(watched, std::memory_order_relaxed);
    }
    // SPEC §13: an attached window gets a report at most this often.
    static constexpr qint64 kStreamIntervalMs = 100;
    // The largest recording the window's replay takes (see replay()).
    static constexpr qint64 kMaxWindowReplayBytes = 64LL << 20;

public slots:
    // Engine thread. Emits started() or startFailed().
    void start();
    // Engine thread. Closes clients with 1001, tears the parts down and emits stopped().
    void stop();
    // Engine thread. As stop() without waiting for clients; used when the host must go now.
    void stopNow();

    // Engine thread; ignored until started. What the GUI asks for.
    // The window's record button (SPEC §14): what the router handles from now on into `path`
    // (created or emptied); an empty path stops. On failure returns why.
    std::optional<QString> recordTo(const QString &path);
    // The window's replay: the recording at `path` onto the bus at `speed` × its pace (0: as
    // fast as it goes), in place of any replay still running. On failure returns why; how many
    // messages it holds otherwise (its bad lines are logged and skipped).
    // The file is read and parsed in the engine thread, while the hub serves: the window's
    // replays are bounded to kMaxWindowReplayBytes (larger ones: --replay at start).
    Result<qint64> replay(const QString &path, double speed);
    // Publishes on the bus, as a site would (Redis when configured), as the window (its source).
    void publish(const QString &channel, const QByteArray &payload);
    // False: no such client.
    bool disconnectClient(const QString &clientId);
    // The demo traffic of SPEC §8.3, in operations per second; 0 stops it.
    void setDemoRate(int operationsPerSecond);
    // The demo's faults (SPEC §14), in place of the ones set before; kept for when the engine
    // starts. On refusal (the Redis link cut without Redis) returns why and changes nothing.
    std::optional<QString> setDemoFaults(const DemoFaults &faults);

signals:
    void started(const QUrl &wsUrl, const QString &mode);
    void startFailed(const QString &reason);
    void clientCountChanged(int clients);
    // "redis" or "degraded" whenever Redis goes away or comes back (after started()).
    void modeChanged(const QString &mode);
    // Every 50 ms while running (TelemetryCollector).
    void telemetry(const kucun::EngineTelemetryPtr &telemetry);
    void demoRateChanged(int operationsPerSecond);
    void demoFaultsChanged(const kucun::DemoFaults &faults);
    void demoStampedeFinished(const kucun::StampedeReport &report);
    void stopped();

private:
    struct Parts;

    void buildCache();
    void finishStart();
    // On failure returns why, in one line.
    std::optional<QString> startHttp();
    std::optional<QString> startResp();
    // --record and --replay (SPEC §14).
    std::optional<QString> startRecording();
    bool respFrontWanted() const;
    void redisStateChanged();
    // Passes the telemetry on to the windows attached through /api/stream, one report per
    // kStreamIntervalMs at most.
    void feedAttachedWindows(const EngineTelemetryPtr &telemetry);
    int demoRateNow() const;
    void tearDown();
    void releaseParts();

    const HubConfig m_config;
    const QString m_instanceId;
    QThread *const m_homeThread;
    // Built and destroyed in the engine thread (engine.cpp says in which order and why).
    std::unique_ptr<Parts> m_parts;
    std::unique_ptr<QTimer> m_firstRedisTimer;
    bool m_started = false;
    QString m_lastMode;
    QUrl m_httpUrl;
    QUrl m_respUrl;
    std::atomic<CacheService *> m_cacheForOthers{nullptr};
    std::atomic<bool> m_telemetryWatched{false};
    int m_pendingDemoRate = 0;  // asked for before the engine was running
    DemoFaults m_demoFaults;  // applied when the demo is made
    // The reports not yet sent to attached windows, folded into one (TelemetryCodec::merge).
    std::optional<EngineTelemetry> m_streamPending;
    qint64 m_streamSentAtMs = 0;
    bool m_stopping = false;
};

}  // namespace kucun
