#pragma once

#include "config/hubconfig.h"
#include "enginetelemetry.h"
#include "events/auditlog.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QThread;

namespace kucun {

class CacheService;
class Engine;

// Runs an Engine in a thread of its own and tells the GUI thread how it is doing. Lives in the
// GUI (main) thread; every call into the engine is a queued call, every report a queued signal.
class EngineHost : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping, Failed };
    Q_ENUM(State)

    explicit EngineHost(const HubConfig &config, QObject *parent = nullptr);
    // Stops the engine at once if it still runs (without the close grace) and joins its thread.
    ~EngineHost() override;

    void start();
    // Asynchronous: emits finished() once the engine thread has ended.
    void stop();
    // Stops the running engine (clients get 1001 and reconnect) and starts a new one with
    // `config`, in the same host: the restart-free switch between the embedded engine and
    // Redis of SPEC §8.1. stateChanged() goes through Stopping and Starting; finished() is not
    // emitted, not even when the new engine fails to start (startFailed() is). A host that is
    // stopped or failed starts with the new settings.
    void restart(const HubConfig &config);
    const HubConfig &config() const { return m_config; }

    State state() const { return m_state; }
    QUrl wsUrl() const { return m_wsUrl; }
    QString mode() const { return m_mode; }
    QString failureReason() const { return m_failureReason; }
    int clientCount() const { return m_clientCount; }
    // The engine's cache service (thread-safe) while Running; null otherwise.
    CacheService *cache() const;
    // For tests and diagnostics: the thread the engine lives in while it runs.
    QThread *engineThread() const { return m_thread.get(); }

    // Requests to the engine (queued; ignored unless it runs).
    void publish(const QString &channel, const QByteArray &payload);
    void disconnectClient(const QString &clientId);
    // Reads the audit log (the Events panel's history). `done` runs in `context`'s thread:
    // with the rows, or with an error when the engine or its log is not running.
    using AuditAnswer = std::function<void(const Result<QList<AuditRecord>> &rows)>;
    void queryAudit(const AuditQuery &query, QObject *context, AuditAnswer done);
    // Demo traffic in operations per second; 0 stops it. May be set before start().
    void setDemoRate(int operationsPerSecond);
    int demoRate() const { return m_demoRate; }

signals:
    void stateChanged(kucun::EngineHost::State state);
    void started(const QUrl &wsUrl, const QString &mode);
    void startFailed(const QString &reason);
    void clientCountChanged(int clients);
    // The engine switched between "redis" and "degraded".
    void modeChanged(const QString &mode);
    // About every 50 ms while running.
    void telemetry(const kucun::EngineTelemetryPtr &telemetry);
    void demoRateChanged(int operationsPerSecond);
    void finished();

private:
    void createEngine();
    void startAgain();
    void setState(State state);
    void joinThread();

    HubConfig m_config;
    bool m_restartPending = false;
    bool m_restarted = false;  // this run came from restart()
    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<Engine> m_engine;
    State m_state = State::Stopped;
    QUrl m_wsUrl;
    QString m_mode;
    QString m_failureReason;
    int m_clientCount = 0;
    int m_demoRate = 0;
};

}  // namespace kucun
