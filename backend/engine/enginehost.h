#pragma once

#include "config/hubconfig.h"
#include "hublink.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace kucun {

class CacheService;
class Engine;

// Runs an Engine in a thread of its own and tells the GUI thread how it is doing: the HubLink of
// the engine in this process. Lives in the GUI (main) thread; every call into the engine is a
// queued call, every report a queued signal. What the window changes through it is recorded in
// the engine's admin log with the role `local` and no peer address.
class EngineHost : public HubLink
{
    Q_OBJECT

public:
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

    State state() const override { return m_state; }
    QUrl wsUrl() const override { return m_wsUrl; }
    // Empty when HTTP_PORT=off.
    QUrl httpUrl() const { return m_httpUrl; }
    // Empty when the Redis-protocol front is off.
    QUrl respUrl() const { return m_respUrl; }
    QString mode() const override { return m_mode; }
    QString failureReason() const override { return m_failureReason; }
    int clientCount() const override { return m_clientCount; }
    QString keyNamespace() const override { return m_config.keyNamespace; }
    QString redisDescription() const override;
    bool canApplySettings() const override { return true; }
    qint64 startedAtMs() const override { return m_startedAtMs; }
    // Whether anything here receives telemetry() (a window's panels): the engine gathers its
    // client and channel lists only then, or for windows attached through the HTTP side.
    bool telemetryWatched() const { return m_telemetryReceivers.load() > 0; }
    // For tests and diagnostics: the thread the engine lives in while it runs.
    QThread *engineThread() const { return m_thread.get(); }

    // Asking the engine, the one way the GUI reads or changes the cache and the audit log: `work`
    // runs in the engine thread with the running engine, and `done` gets its result in this
    // host's (the GUI) thread, unless `context` is gone by then. While the engine is not running
    // `done` gets an error. The GUI thread thus never waits on, nor walks, the cache itself:
    // a preview of `*` over a million keys runs where the keys are.
    template <typename T>
    void ask(QObject *context, std::function<QFuture<Result<T>>(Engine &)> work, Answer<T> done);
    // The same with the engine's CacheService.
    template <typename T>
    void askCache(QObject *context, std::function<QFuture<Result<T>>(CacheService &)> work,
                  Answer<T> done);
    // Demo traffic (setDemoRate()) may be set before start().
    int demoRate() const override { return m_demoRate; }
    DemoFaults demoFaults() const override { return m_demoFaults; }

    // HubLink's reads.
    void keysPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                  Answer<KeyPage> done) override;
    void keyValue(const QString &key, QObject *context,
                  Answer<std::optional<QByteArray>> done) override;
    void tags(QObject *context, Answer<QList<TagCount>> done) override;
    void previewInvalidation(const Invalidation &what, int sample, QObject *context,
                             Answer<PatternMatch> done) override;
    void queryAudit(const AuditQuery &query, QObject *context,
                    Answer<QList<AuditRecord>> done) override;
    void queryAdminLog(qint64 beforeId, int limit, QObject *context,
                       Answer<QList<AdminAction>> done) override;
    void eventTrace(const QString &eventId, QObject *context,
                    Answer<std::optional<EventTrace>> done) override;
    void recordTo(const QString &path, QObject *context, Answer<bool> done) override;
    bool canRecordAndReplay() const override { return true; }
    // An admin action taken in this window that is not a call of its own here (a settings
    // change): recorded in the admin log.
    void recordAction(const QString &action, const QString &target, const QString &result);

signals:
    void startFailed(const QString &reason);
    void finished();

protected:
    void doInvalidate(const Invalidation &what, QObject *context, Answer<qint64> removed) override;
    void doDeleteKey(const QString &key, QObject *context, Answer<qint64> removed) override;
    void doSetKeyTtl(const QString &key, qint64 seconds, QObject *context,
                     Answer<bool> done) override;
    void doPublish(const QString &channel, const QByteArray &payload, QObject *context,
                   Answer<bool> done) override;
    void doDisconnectClient(const QString &clientId, QObject *context, Answer<bool> done) override;
    void doSetDemoRate(int operationsPerSecond) override;
    void doSetDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done) override;
    void doReplay(const QString &path, double speed, QObject *context,
                  Answer<qint64> done) override;
    // restart(), recorded with the settings it changed.
    void doApplySettings(const HubConfig &config) override;
    // Count the receivers of telemetry(). Called from the connecting thread, maybe with a
    // QObject lock held: only the count and the engine's atomic flag are touched. The window's
    // panels connect and go in the GUI thread, as restart() replaces the engine, so the count
    // and the engine it tells are never raced.
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    // `done` with the answer, once the action and how it ended are in the admin log.
    template <typename T>
    Answer<T> recorded(const QString &action, const QString &target,
                       std::function<QString(const T &)> describe, Answer<T> done);
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
    std::atomic<int> m_telemetryReceivers{0};
    State m_state = State::Stopped;
    QUrl m_wsUrl;
    QUrl m_httpUrl;
    QUrl m_respUrl;
    QString m_mode;
    QString m_failureReason;
    int m_clientCount = 0;
    int m_demoRate = 0;
    DemoFaults m_demoFaults;
    qint64 m_startedAtMs = 0;
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
