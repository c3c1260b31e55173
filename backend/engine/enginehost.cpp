#include "enginehost.h"

#include "engine.h"

#include <QThread>

namespace kucun {

EngineHost::EngineHost(const HubConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    createEngine();
}

void EngineHost::createEngine()
{
    m_thread = std::make_unique<QThread>();
    m_engine = std::make_unique<Engine>(m_config);
    m_thread->setObjectName(QStringLiteral("kucun-engine"));
    m_engine->moveToThread(m_thread.get());

    // Receivers are `this`, so these arrive queued in the GUI thread.
    connect(m_engine.get(), &Engine::started, this, [this](const QUrl &url, const QString &mode) {
        m_wsUrl = url;
        m_httpUrl = m_engine->httpUrl();
        m_respUrl = m_engine->respUrl();
        m_mode = mode;
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

void EngineHost::publish(const QString &channel, const QByteArray &payload)
{
    QMetaObject::invokeMethod(
        m_engine.get(),
        [engine = m_engine.get(), channel, payload] { engine->publish(channel, payload); },
        Qt::QueuedConnection);
}

void EngineHost::disconnectClient(const QString &clientId)
{
    QMetaObject::invokeMethod(
        m_engine.get(), [engine = m_engine.get(), clientId] { engine->disconnectClient(clientId); },
        Qt::QueuedConnection);
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

void EngineHost::setDemoRate(int operationsPerSecond)
{
    QMetaObject::invokeMethod(
        m_engine.get(),
        [engine = m_engine.get(), operationsPerSecond] {
            engine->setDemoRate(operationsPerSecond);
        },
        Qt::QueuedConnection);
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
        setDemoRate(m_demoRate);
    start();
}

void EngineHost::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void EngineHost::joinThread()
{
    m_thread->quit();
    m_thread->wait();
}

}  // namespace kucun
