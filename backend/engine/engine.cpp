#include "engine.h"

#include "cache/cacheservice.h"
#include "cache/memorystore.h"
#include "events/auditlog.h"
#include "events/eventrouter.h"
#include "events/localbus.h"
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

Engine::~Engine() = default;

QString Engine::mode() const
{
    // Redis arrives with its own engine; until then a configured Redis is not used, which is
    // what "degraded" tells the user: configured, serving from memory.
    return m_config.redis ? QStringLiteral("degraded") : QStringLiteral("memory");
}

void Engine::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_config.redis) {
        qCWarning(lcEngine) << "REDIS_URL is set to" << m_config.redis->redacted()
                            << "but this build has no Redis engine yet; serving from memory";
    }
    MemoryStore::Options storeOptions;
    storeOptions.maxBytes = size_t(m_config.cacheMaxMb) << 20;
    m_store = std::make_unique<MemoryStore>(storeOptions);
    m_bus = new LocalBus(m_instanceId, this);
    m_cache = std::make_unique<CacheService>(*m_store, m_bus, m_config.keyNamespace);
    m_sampleTimer = new QTimer(this);
    connect(m_sampleTimer, &QTimer::timeout, this,
            [this] { m_cache->sampleHitRate(QDateTime::currentMSecsSinceEpoch()); });
    m_sampleTimer->start(kHitRateSampleInterval);

    RoutingTable routes = RoutingTable::builtIn();
    if (!m_config.routesFile.isEmpty()) {
        const RoutingTable::LoadResult loaded = RoutingTable::fromFile(m_config.routesFile);
        if (!loaded.table) {
            const QString reason = QStringLiteral("the routing table %1 %2")
                                       .arg(m_config.routesFile, loaded.error);
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
    qCInfo(lcEngine) << "engine running, mode" << mode() << "instance" << m_instanceId;
    emit started(m_hub->serverUrl(), mode());
}

void Engine::stop()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_stopping)
        return;
    m_stopping = true;
    if (!m_hub) {
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

void Engine::tearDown()
{
    // Children go while their thread still runs; then the engine itself goes home so that its
    // owner can delete it after the engine thread has ended.
    m_cacheForOthers.store(nullptr, std::memory_order_release);
    delete m_router;
    m_router = nullptr;
    delete m_hub;
    m_hub = nullptr;
    delete m_sampleTimer;
    m_sampleTimer = nullptr;
    m_cache.reset();
    delete m_bus;
    m_bus = nullptr;
    m_audit.reset();  // flushes what is queued
    m_store.reset();
    if (thread() != m_homeThread)
        moveToThread(m_homeThread);
}

}  // namespace kucun
