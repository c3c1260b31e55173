#include "engine.h"

#include "cache/cacheservice.h"
#include "cache/failoverstore.h"
#include "cache/memorystore.h"
#include "cache/redisstore.h"
#include "demosimulator.h"
#include "events/auditlog.h"
#include "events/eventrouter.h"
#include "events/invalidationannouncer.h"
#include "events/localbus.h"
#include "events/redisbus.h"
#include "redis/redisclient.h"
#include "telemetrycollector.h"
#include "ws/wshub.h"

#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>
#include <QUuid>

namespace kucun {

Q_LOGGING_CATEGORY(lcEngine, "kucun.engine")

Engine::Engine(const HubConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_instanceId(QStringLiteral("hub-") + QUuid::createUuid().toString(QUuid::Id128).left(12))
    , m_homeThread(QThread::currentThread())
{
}

namespace {
constexpr std::chrono::seconds kHitRateSampleInterval{1};
}  // namespace

Engine::~Engine()
{
    // Normally stop() has done this in the engine thread; an engine destroyed while running
    // (a test, an early exit) still takes its parts down in order.
    releaseParts();
}

QString Engine::mode() const
{
    if (!m_config.redis)
        return QStringLiteral("memory");
    return m_failover && m_failover->primaryAvailable() ? QStringLiteral("redis")
                                                        : QStringLiteral("degraded");
}

QUrl Engine::wsUrl() const
{
    return m_hub ? m_hub->serverUrl() : QUrl();
}

void Engine::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    buildCache();
    if (!m_redisClient) {
        finishStart();
        return;
    }
    // Wait for Redis's first answer, either way, so that the ready line tells the truth.
    m_firstRedisTimer = new QTimer(this);
    m_firstRedisTimer->setSingleShot(true);
    connect(m_firstRedisTimer, &QTimer::timeout, this, &Engine::finishStart);
    m_firstRedisTimer->start(kFirstRedisWait);
    connect(m_redisClient, &RedisClient::stateChanged, this, &Engine::redisStateChanged);
    m_redisClient->start();
}

void Engine::buildCache()
{
    MemoryStore::Options storeOptions;
    storeOptions.maxBytes = size_t(m_config.cacheMaxMb) << 20;
    m_store = std::make_unique<MemoryStore>(storeOptions);
    m_localBus = new LocalBus(m_instanceId, this);
    m_bus = m_localBus;
    CacheStore *store = m_store.get();
    if (m_config.redis) {
        m_redisClient = new RedisClient(*m_config.redis, m_config.redisPoolSize, this);
        m_redisStore = new RedisStore(*m_redisClient, m_config.keyNamespace, this);
        m_failover = std::make_unique<FailoverStore>(*m_redisStore, *m_store);
        m_redisBus = new RedisBus(*m_redisClient, *m_localBus, this);
        m_bus = m_redisBus;
        store = m_failover.get();
    }
    m_announcer = std::make_unique<InvalidationAnnouncer>(*m_bus);
    m_cache = std::make_unique<CacheService>(*store, m_config.keyNamespace, m_announcer.get());
    m_sampleTimer = new QTimer(this);
    connect(m_sampleTimer, &QTimer::timeout, this,
            [this] { m_cache->sampleHitRate(QDateTime::currentMSecsSinceEpoch()); });
    m_sampleTimer->start(kHitRateSampleInterval);
}

void Engine::redisStateChanged()
{
    const RedisClient::State state = m_redisClient->state();
    if (state == RedisClient::State::Connecting)
        return;
    m_failover->setPrimaryAvailable(state == RedisClient::State::Up);
    if (!m_started) {
        if (m_firstRedisTimer && m_firstRedisTimer->isActive()) {
            m_firstRedisTimer->stop();
            finishStart();
        }
        return;
    }
    const QString now = mode();
    if (now == m_lastMode)
        return;
    m_lastMode = now;
    if (now == u"degraded")
        qCWarning(lcEngine) << "Redis is unavailable: degraded, serving from memory while retrying";
    else
        qCInfo(lcEngine) << "Redis is back: serving from Redis again";
    emit modeChanged(now);
}

void Engine::finishStart()
{
    if (m_started || m_stopping)
        return;
    m_started = true;
    RoutingTable routes = RoutingTable::builtIn();
    if (!m_config.routesFile.isEmpty()) {
        const RoutingTable::LoadResult loaded = RoutingTable::fromFile(m_config.routesFile);
        if (!loaded.table) {
            const QString reason
                = QStringLiteral("the routing table %1 %2").arg(m_config.routesFile, loaded.error);
            qCCritical(lcEngine).noquote() << reason;
            tearDown();
            emit startFailed(reason);
            return;
        }
        routes = *loaded.table;
    }
    if (!m_config.dataDir.isEmpty()) {  // always set by the settings; not by every test
        AuditLog::Options auditOptions;
        auditOptions.path = QDir(m_config.dataDir).filePath(QStringLiteral("audit.db"));
        auditOptions.maxRows = m_config.auditMaxRows;
        auditOptions.maxAgeDays = m_config.auditMaxAgeDays;
        // A log that cannot open says so and stays off; the hub goes on without it.
        m_audit = std::make_unique<AuditLog>(auditOptions);
    }
    m_router = new EventRouter(*m_bus, m_cache.get(), routes, m_audit.get(), this);

    m_hub = new WsHub(m_config, this);
    m_router->setChannelSink(m_hub);
    m_hub->setBus(m_bus);
    connect(m_hub, &WsHub::clientConnected, this,
            [this] { emit clientCountChanged(m_hub->clientCount()); });
    connect(m_hub, &WsHub::clientDisconnected, this,
            [this] { emit clientCountChanged(m_hub->clientCount()); });
    if (const auto failure = m_hub->listen()) {
        qCCritical(lcEngine).noquote() << *failure;
        tearDown();
        emit startFailed(*failure);
        return;
    }
    m_cacheForOthers.store(m_cache.get(), std::memory_order_release);
    m_lastMode = mode();
    if (m_lastMode == u"degraded") {
        qCWarning(lcEngine).noquote() << "Redis at" << m_config.redis->redacted()
                                      << "did not answer; degraded, serving from memory";
    }
    m_telemetry = new TelemetryCollector(
        *m_cache, *m_router, *m_hub, [this] { return mode(); }, this);
    connect(m_telemetry, &TelemetryCollector::report, this, &Engine::telemetry);
    m_telemetry->start();
    m_demo = new DemoSimulator(*m_cache, *m_bus, this);
    qCInfo(lcEngine) << "engine running, mode" << m_lastMode << "instance" << m_instanceId;
    emit started(m_hub->serverUrl(), m_lastMode);
    if (m_pendingDemoRate > 0)
        setDemoRate(m_pendingDemoRate);
}

void Engine::stop()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_hub) {  // still waiting for Redis, or failed
        tearDown();
        emit stopped();
        return;
    }
    // Queued: drained() is emitted from inside the hub, which tearDown() deletes.
    connect(
        m_hub, &WsHub::drained, this,
        [this] {
            tearDown();
            emit stopped();
        },
        Qt::QueuedConnection);
    m_hub->closeAll(kCloseGrace);
}

void Engine::stopNow()
{
    Q_ASSERT(QThread::currentThread() == thread());
    tearDown();
    emit stopped();
}

void Engine::publish(const QString &channel, const QByteArray &payload)
{
    if (m_bus && m_router)
        m_bus->publish(channel, payload);
}

void Engine::disconnectClient(const QString &clientId)
{
    if (m_hub)
        m_hub->disconnectClient(clientId);
}

void Engine::setDemoRate(int operationsPerSecond)
{
    if (!m_demo) {
        m_pendingDemoRate = operationsPerSecond;
        return;
    }
    m_demo->setRate(operationsPerSecond);
    qCInfo(lcEngine) << "demo traffic:" << m_demo->rate() << "operations per second";
    emit demoRateChanged(m_demo->rate());
}

void Engine::tearDown()
{
    // Children go while their thread still runs; then the engine itself goes home so that its
    // owner can delete it after the engine thread has ended.
    releaseParts();
    if (thread() != m_homeThread)
        moveToThread(m_homeThread);
}

void Engine::releaseParts()
{
    // Users before what they use. Redis goes before the cache service: its unanswered
    // requests are answered with errors as it goes, and the service must still be there to
    // take them (it then works on memory, where the failover store has been pointed).
    m_cacheForOthers.store(nullptr, std::memory_order_release);
    delete m_demo;  // uses the cache and the bus
    m_demo = nullptr;
    delete m_telemetry;  // reads the router, the hub and the cache
    m_telemetry = nullptr;
    delete m_router;  // before the hub it delivers to
    m_router = nullptr;
    delete m_hub;
    m_hub = nullptr;
    delete m_sampleTimer;
    m_sampleTimer = nullptr;
    delete m_firstRedisTimer;
    m_firstRedisTimer = nullptr;
    if (m_failover)
        m_failover->setPrimaryAvailable(false);
    delete m_redisStore;
    m_redisStore = nullptr;
    delete m_redisClient;
    m_redisClient = nullptr;
    m_cache.reset();
    m_announcer.reset();
    m_bus = nullptr;
    delete m_redisBus;
    m_redisBus = nullptr;
    delete m_localBus;
    m_localBus = nullptr;
    m_failover.reset();
    m_audit.reset();  // flushes what is queued
    m_store.reset();
}

}  // namespace kucun
