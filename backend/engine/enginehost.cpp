#include "enginehost.h"

#include "engine.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMetaMethod>
#include <QThread>

namespace kucun {

EngineHost::EngineHost(const HubConfig &config, QObject *parent)
    : HubLink(parent)
    , m_config(config)
{
    createEngine();
}

namespace {

bool isTelemetry(const QMetaMethod &signal)
{
    static const QMetaMethod telemetry = QMetaMethod::fromSignal(&HubLink::telemetry);
    return signal == telemetry;
}

}  // namespace

void EngineHost::connectNotify(const QMetaMethod &signal)
{
    if (!isTelemetry(signal))
        return;
    const int receivers = ++m_telemetryReceivers;
    if (m_engine)
        m_engine->setTelemetryWatched(receivers > 0);
}

void EngineHost::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method: everything was disconnected at once, telemetry() maybe among it. The
    // count stays, and the lists are still gathered: the safe side.
    if (!isTelemetry(signal))
        return;
    const int receivers = --m_telemetryReceivers;
    if (m_engine)
        m_engine->setTelemetryWatched(receivers > 0);
}

void EngineHost::createEngine()
{
    m_thread = std::make_unique<QThread>();
    m_engine = std::make_unique<Engine>(m_config);
    m_engine->setTelemetryWatched(telemetryWatched());
    m_thread->setObjectName(QStringLiteral("kucun-engine"));
    m_engine->moveToThread(m_thread.get());

    // Receivers are `this`, so these arrive queued in the GUI thread.
    connect(m_engine.get(), &Engine::started, this, [this](const QUrl &url, const QString &mode) {
        m_wsUrl = url;
        m_httpUrl = m_engine->httpUrl();
        m_respUrl = m_engine->respUrl();
        m_mode = mode;
        m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
        setState(State::Running);
        emit started(url, mode);
    });
    connect(m_engine.get(), &Engine::startFailed, this, [this](const QString &reason) {
        m_failureReason = reason;
        joinThread();
        setState(State::Failed);
        emit startFailed(reason);
        // A restart that fails leaves the window up, showing why, for the settings to be
        // mended and applied again; only a first start that fails ends the host's run.
        if (!m_restarted)
            emit finished();
    });
    connect(m_engine.get(), &Engine::clientCountChanged, this, [this](int clients) {
        m_clientCount = clients;
        emit clientCountChanged(clients);
    });
    connect(m_engine.get(), &Engine::modeChanged, this, [this](const QString &mode) {
        m_mode = mode;
        emit modeChanged(mode);
    });
    connect(m_engine.get(), &Engine::telemetry, this, &EngineHost::telemetry);
    connect(m_engine.get(), &Engine::demoRateChanged, this, [this](int rate) {
        m_demoRate = rate;
        emit demoRateChanged(rate);
    });
    connect(m_engine.get(), &Engine::demoFaultsChanged, this, [this](const DemoFaults &faults) {
        m_demoFaults = faults;
        emit demoFaultsChanged(faults);
    });
    connect(m_engine.get(), &Engine::demoStampedeFinished, this, &EngineHost::demoStampedeFinished);
    connect(m_engine.get(), &Engine::stopped, this, [this] {
        if (m_state == State::Failed)
            return;  // finished() went out with startFailed()
        joinThread();
        setState(State::Stopped);
        if (m_restartPending) {
            // Later, not from inside a slot of the engine that startAgain() replaces.
            QMetaObject::invokeMethod(this, &EngineHost::startAgain, Qt::QueuedConnection);
            return;  // not finished: the engine comes back with its new settings
        }
        emit finished();
    });
}

EngineHost::~EngineHost()
{
    if (m_thread->isRunning()) {
        // The engine may already be home (it moves back before its stopped() arrives here):
        // then only its thread is left to end, and a blocking call to ourselves would hang.
        if (m_engine->thread() != QThread::currentThread())
            QMetaObject::invokeMethod(m_engine.get(), &Engine::stopNow,
                                      Qt::BlockingQueuedConnection);
        joinThread();
    }
}

void EngineHost::runInEngine(std::function<void(Engine *)> job)
{
    if (m_state != State::Running) {
        QMetaObject::invokeMethod(
            this, [job = std::move(job)] { job(nullptr); }, Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(
        m_engine.get(), [engine = m_engine.get(), job = std::move(job)] { job(engine); },
        Qt::QueuedConnection);
}

CacheService *EngineHost::cacheOf(Engine &engine)
{
    return engine.cache();
}

QString EngineHost::notRunning()
{
    return QStringLiteral("the engine is not running");
}

void EngineHost::start()
{
    if (m_state != State::Stopped || m_thread->isFinished())
        return;  // one run per host: the engine's parts are built once
    setState(State::Starting);
    m_thread->start();
    QMetaObject::invokeMethod(m_engine.get(), &Engine::start, Qt::QueuedConnection);
}

void EngineHost::stop()
{
    if (m_state != State::Running && m_state != State::Starting)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(m_engine.get(), &Engine::stop, Qt::QueuedConnection);
}

namespace {

// `done`, called only while `context` lives: a change goes on, and is recorded, when the panel
// that asked for it has gone meanwhile.
template <typename T> HubLink::Answer<T> whileAlive(QObject *context, HubLink::Answer<T> done)
{
    return [context = QPointer<QObject>(context), done = std::move(done)](const Result<T> &result) {
        if (context && done)
            done(result);
    };
}

}  // namespace

QString EngineHost::redisDescription() const
{
    return m_config.redis ? m_config.redis->redacted() : QString();
}

void EngineHost::keysPage(const QString &pattern, const QByteArray &cursor, int count,
                          QObject *context, Answer<KeyPage> done)
{
    askCache<KeyPage>(
        context,
        [pattern, cursor, count](CacheService &cache) {
            return cache.keysPage(pattern, cursor, count);
        },
        std::move(done));
}

void EngineHost::keyValue(const QString &key, QObject *context,
                          Answer<std::optional<QByteArray>> done)
{
    askCache<std::optional<QByteArray>>(
        context, [key](CacheService &cache) { return cache.get(key); }, std::move(done));
}

void EngineHost::tags(QObject *context, Answer<QList<TagCount>> done)
{
    askCache<QList<TagCount>>(
        context, [](CacheService &cache) { return cache.tags(); }, std::move(done));
}

void EngineHost::previewInvalidation(const Invalidation &what, int sample, QObject *context,
                                     Answer<PatternMatch> done)
{
    askCache<PatternMatch>(
        context,
        [what, sample](CacheService &cache) {
            return what.kind == Invalidation::Kind::Tag
                       ? cache.tagPreview(what.target, sample)
                       : cache.invalidateNamespace(what.target, true, sample);
        },
        std::move(done));
}

void EngineHost::queryAudit(const AuditQuery &query, QObject *context,
                            Answer<QList<AuditRecord>> done)
{
    ask<QList<AuditRecord>>(
        context,
        [query](Engine &engine) -> QFuture<Result<QList<AuditRecord>>> {
            AuditLog *log = engine.auditLog();  // the engine thread: the log cannot go now
            if (!log || !log->isEnabled()) {
                return QtFuture::makeReadyFuture(Result<QList<AuditRecord>>(
                    Error{log ? log->error() : QStringLiteral("there is no audit log")}));
            }
            return log->query(query);
        },
        std::move(done));
}

void EngineHost::queryAdminLog(qint64 beforeId, int limit, QObject *context,
                               Answer<QList<AdminAction>> done)
{
    ask<QList<AdminAction>>(
        context,
        [beforeId, limit](Engine &engine) -> QFuture<Result<QList<AdminAction>>> {
            AuditLog *log = engine.auditLog();
            if (!log || !log->isEnabled()) {
                return QtFuture::makeReadyFuture(Result<QList<AdminAction>>(
                    Error{log ? log->error() : QStringLiteral("there is no audit log")}));
            }
            return log->queryAdminActions(beforeId, limit);
        },
        std::move(done));
}

void EngineHost::eventTrace(const QString &eventId, QObject *context,
                            Answer<std::optional<EventTrace>> done)
{
    ask<std::optional<AuditRecord>>(
        context,
        [eventId](Engine &engine) -> QFuture<Result<std::optional<AuditRecord>>> {
            AuditLog *log = engine.auditLog();
            if (!log || !log->isEnabled()) {
                return QtFuture::makeReadyFuture(Result<std::optional<AuditRecord>>(
                    Error{log ? log->error() : QStringLiteral("there is no audit log")}));
            }
            return log->findEvent(eventId);
        },
        [done = std::move(done)](const Result<std::optional<AuditRecord>> &row) {
            if (!row.ok()) {
                done(Error{row.error()});
                return;
            }
            const QJsonObject trace = row.value()
                                          ? QJsonDocument::fromJson(row.value()->trace).object()
                                          : QJsonObject();
            done(trace.isEmpty() ? std::optional<EventTrace>()
                                 : std::optional<EventTrace>(EventTrace::fromJson(trace)));
        });
}

void EngineHost::recordAction(const QString &action, const QString &target, const QString &result)
{
    AdminAction row;
    row.ts = QDateTime::currentMSecsSinceEpoch();
    row.role = QStringLiteral("local");  // the window of this process: no peer address
    row.action = action;
    row.target = target;
    row.result = result;
    runInEngine([row](Engine *engine) {
        if (AuditLog *log = engine ? engine->auditLog() : nullptr)
            log->appendAdminAction(row);
    });
}

template <typename T>
EngineHost::Answer<T> EngineHost::recorded(const QString &action, const QString &target,
                                           std::function<QString(const T &)> describe,
                                           Answer<T> done)
{
    const QPointer<EngineHost> self(this);
    return [self, action, target, describe = std::move(describe),
            done = std::move(done)](const Result<T> &result) {
        if (self) {
            self->recordAction(action, target,
                               result.ok() ? describe(result.value())
                                           : QStringLiteral("failed: ") + result.error());
        }
        if (done)
            done(result);
    };
}

void EngineHost::doInvalidate(const Invalidation &what, QObject *context, Answer<qint64> removed)
{
    const bool byTag = what.kind == Invalidation::Kind::Tag;
    Answer<qint64> record = recorded<qint64>(
        byTag ? QStringLiteral("invalidate-tag") : QStringLiteral("invalidate-namespace"),
        what.target, [](const qint64 &keys) { return QStringLiteral("removed %1").arg(keys); },
        whileAlive<qint64>(context, std::move(removed)));
    askCache<qint64>(
        this,
        [what, byTag](CacheService &cache) -> QFuture<Result<qint64>> {
            if (byTag)
                return cache.invalidateTag(what.target);
            return cache.invalidateNamespace(what.target)
                .then([](const Result<PatternMatch> &match) -> Result<qint64> {
                    if (!match.ok())
                        return Error{match.error()};
                    return match.value().count;
                });
        },
        std::move(record));
}

void EngineHost::doDeleteKey(const QString &key, QObject *context, Answer<qint64> removed)
{
    askCache<qint64>(
        this, [key](CacheService &cache) { return cache.del({key}); },
        recorded<qint64>(
            QStringLiteral("delete-key"), key,
            [](const qint64 &keys) { return QStringLiteral("removed %1").arg(keys); },
            whileAlive<qint64>(context, std::move(removed))));
}

void EngineHost::doSetKeyTtl(const QString &key, qint64 seconds, QObject *context,
                             Answer<bool> done)
{
    askCache<bool>(
        this,
        [key, seconds](CacheService &cache) {
            return cache.expire(key, std::chrono::seconds(seconds));
        },
        recorded<bool>(
            QStringLiteral("set-ttl"), key,
            [seconds](const bool &set) {
                return set ? QStringLiteral("ttl %1 s").arg(seconds)
                           : QStringLiteral("no such key");
            },
            whileAlive<bool>(context, std::move(done))));
}

void EngineHost::doPublish(const QString &channel, const QByteArray &payload, QObject *context,
                           Answer<bool> done)
{
    ask<bool>(
        this,
        [channel, payload](Engine &engine) {
            engine.publish(channel, payload);
            return QtFuture::makeReadyFuture(Result<bool>(true));
        },
        recorded<bool>(
            QStringLiteral("publish"), channel,
            [size = payload.size()](const bool &) {
                return QStringLiteral("published %1 bytes").arg(size);
            },
            whileAlive<bool>(context, std::move(done))));
}

void EngineHost::doDisconnectClient(const QString &clientId, QObject *context, Answer<bool> done)
{
    ask<bool>(
        this,
        [clientId](Engine &engine) {
            return QtFuture::makeReadyFuture(Result<bool>(engine.disconnectClient(clientId)));
        },
        recorded<bool>(
            QStringLiteral("disconnect"), clientId,
            [](const bool &found) {
                return found ? QStringLiteral("disconnected") : QStringLiteral("no such client");
            },
            whileAlive<bool>(context, std::move(done))));
}

void EngineHost::doSetDemoRate(int operationsPerSecond)
{
    // Set before the engine runs (--demo) it is how the hub starts, not an action taken; and
    // the rate it runs at already is no change. Recorded as PUT /api/demo records it.
    if (m_state == State::Running && operationsPerSecond != m_demoRate) {
        recordAction(QStringLiteral("demo"),
                     operationsPerSecond > 0 ? QStringLiteral("on") : QStringLiteral("off"),
                     QStringLiteral("%1 ops/s").arg(operationsPerSecond));
    }
    QMetaObject::invokeMethod(
        m_engine.get(),
        [engine = m_engine.get(), operationsPerSecond] {
            engine->setDemoRate(operationsPerSecond);
        },
        Qt::QueuedConnection);
}

void EngineHost::doSetDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done)
{
    if (faults.redisCut && !m_config.redis) {
        answerLater<bool>(context, std::move(done), Error{DemoFaults::kNoLinkToCut});
        return;
    }
    // As the demo's rate: set before the engine runs (--demo-fault) it is how the hub starts.
    if (m_state == State::Running && faults != m_demoFaults)
        recordAction(QStringLiteral("demo"), QStringLiteral("faults"), faults.text());
    m_demoFaults = faults;  // at once: a restart before the engine answers keeps them
    QMetaObject::invokeMethod(
        m_engine.get(), [engine = m_engine.get(), faults] { engine->setDemoFaults(faults); },
        Qt::QueuedConnection);
    answerLater<bool>(context, std::move(done), true);
}

void EngineHost::recordTo(const QString &path, QObject *context, Answer<bool> done)
{
    ask<bool>(
        context,
        [path](Engine &engine) {
            const std::optional<QString> failure = engine.recordTo(path);
            return QtFuture::makeReadyFuture(failure ? Result<bool>(Error{*failure})
                                                     : Result<bool>(true));
        },
        std::move(done));
}

void EngineHost::doReplay(const QString &path, double speed, QObject *context, Answer<qint64> done)
{
    const QPointer<EngineHost> self(this);
    ask<qint64>(
        context,
        [path, speed](Engine &engine) {
            return QtFuture::makeReadyFuture(engine.replay(path, speed));
        },
        [self, path, speed, done = std::move(done)](const Result<qint64> &messages) {
            if (self) {
                self->recordAction(QStringLiteral("replay"), path,
                                   messages.ok()
                                       ? QStringLiteral("%1 messages at %2")
                                             .arg(messages.value())
                                             .arg(speed > 0 ? QStringLiteral("%1x").arg(speed)
                                                            : QStringLiteral("max"))
                                       : QStringLiteral("refused: ") + messages.error());
            }
            if (done)
                done(messages);
        });
}

void EngineHost::doApplySettings(const HubConfig &config)
{
    QStringList names;
    QStringList changes;
    for (const SettingInfo &info : allSettings()) {
        const QString before = m_config.effectiveSetting(info.id).displayValue;
        const QString after = config.effectiveSetting(info.id).displayValue;
        if (before == after)
            continue;
        names << QLatin1StringView(info.envName);
        changes << QStringLiteral("%1 %2 -> %3")
                       .arg(QLatin1StringView(info.envName), before, after);  // secrets masked
    }
    // Recorded by the engine that runs now, before it goes.
    recordAction(QStringLiteral("settings"), names.join(QStringLiteral(", ")),
                 changes.isEmpty()
                     ? QStringLiteral("restarted, nothing changed")
                     : QStringLiteral("restarted: ") + changes.join(QStringLiteral("; ")));
    restart(config);
}

void EngineHost::restart(const HubConfig &config)
{
    m_config = config;
    if (m_state == State::Running || m_state == State::Starting) {
        m_restartPending = true;
        stop();
        return;
    }
    if (m_state == State::Stopped || m_state == State::Failed) {
        m_restartPending = true;
        startAgain();
    }
    // Stopping: the pending settings are taken when it has stopped, as a stop() was asked for.
}

void EngineHost::startAgain()
{
    m_restartPending = false;
    m_restarted = true;
    // A fresh engine and thread: an engine's parts are built once (see start()).
    m_engine.reset();
    createEngine();
    m_failureReason.clear();
    m_clientCount = 0;
    setState(State::Stopped);
    if (m_demoRate > 0)
        doSetDemoRate(m_demoRate);
    if (!m_config.redis && m_demoFaults.redisCut) {
        m_demoFaults.redisCut = false;  // the new settings have no Redis
        emit demoFaultsChanged(m_demoFaults);
    }
    if (m_demoFaults.any())
        doSetDemoFaults(m_demoFaults, nullptr, {});
    start();
}

void EngineHost::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    if (state != State::Running)
        m_startedAtMs = 0;
    emit stateChanged(state);
}

void EngineHost::joinThread()
{
    m_thread->quit();
    m_thread->wait();
}

}  // namespace kucun
