#pragma once

#include "config/hubconfig.h"
#include "enginetelemetry.h"
#include "events/auditlog.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>
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
    // Empty when HTTP_PORT=off.
    QUrl httpUrl() const { return m_httpUrl; }
    // Empty when the Redis-protocol front is off.
    QUrl respUrl() const { return m_respUrl; }
    QString mode() const { return m_mode; }
    QString failureReason() const { return m_failureReason; }
    int clientCount() const { return m_clientCount; }
    // For tests and diagnostics: the thread the engine lives in while it runs.
    QThread *engineThread() const { return m_thread.get(); }

    // Requests to the engine (queued; ignored unless it runs).
    void publish(const QString &channel, const QByteArray &payload);
    void disconnectClient(const QString &clientId);

    // Asking the engine, the one way the GUI reads or changes the cache and the audit log: `work`
    // runs in the engine thread with the running engine, and `done` gets its result in this
    // host's (the GUI) thread, unless `context` is gone by then. While the engine is not running
    // `done` gets an error. The GUI thread thus never waits on, nor walks, the cache itself:
    // a preview of `*` over a million keys runs where the keys are.
    template <typename T> using Answer = std::function<void(const Result<T> &)>;
    template <typename T>
    void ask(QObject *context, std::function<QFuture<Result<T>>(Engine &)> work, Answer<T> done);
    // The same with the engine's CacheService.
    template <typename T>
    void askCache(QObject *context, std::function<QFuture<Result<T>>(CacheService &)> work,
                  Answer<T> done);
    // Reads the audit log (the Events panel's history).
    void queryAudit(const AuditQuery &query, QObject *context, Answer<QList<AuditRecord>> done);
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
    // Calls `job` in the engine thread with the engine while it runs; else, later (never inside
    // this call), in this thread with null.
    void runInEngine(std::function<void(Engine *)> job);
    // Engine::cache(), where Engine is a complete type.
    static CacheService *cacheOf(Engine &engine);
    static QString notRunning();

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
    QUrl m_httpUrl;
    QUrl m_respUrl;
    QString m_mode;
    QString m_failureReason;
    int m_clientCount = 0;
    int m_demoRate = 0;
};

template <typename T>
void EngineHost::ask(QObject *context, std::function<QFuture<Result<T>>(Engine &)> work,
                     Answer<T> done)
{
    // Answers come back through the host, which lives in the GUI thread and outlives the engine
    // thread; `context` is checked there, so a panel that went meanwhile is not called.
    const QPointer<QObject> receiver(context);
    auto answer = [receiver, done = std::move(done)](const Result<T> &result) {
        if (receiver)
            done(result);
    };
    runInEngine([this, work = std::move(work), answer](Engine *engine) {
        if (!engine) {  // called later, in this host's thread (runInEngine)
            answer(Error{notRunning()});
            return;
        }
        work(*engine).then(this, answer);
    });
}

template <typename T>
void EngineHost::askCache(QObject *context, std::function<QFuture<Result<T>>(CacheService &)> work,
                          Answer<T> done)
{
    ask<T>(
        context,
        [work = std::move(work)](Engine &engine) {
            CacheService *cache = cacheOf(engine);  // null once the engine is stopping
            return cache ? work(*cache) : QtFuture::makeReadyFuture(Result<T>(Error{notRunning()}));
        },
        std::move(done));
}

}  // namespace kucun
