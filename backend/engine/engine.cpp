#include "engine.h"

#include "cache/cacheservice.h"
#include "cache/failoverstore.h"
#include "cache/keyaccesssketch.h"
#include "cache/memorystore.h"
#include "cache/redisstore.h"
#include "core/jsonvalue.h"
#include "demosimulator.h"
#include "events/auditlog.h"
#include "events/eventrecorder.h"
#include "events/eventreplayer.h"
#include "events/eventrouter.h"
#include "events/eventstreamconsumer.h"
#include "events/invalidationannouncer.h"
#include "events/localbus.h"
#include "events/redisbus.h"
#include "http/httpapi.h"
#include "http/httpconnection.h"
#include "http/httpserver.h"
#include "http/pageorigins.h"
#include "http/telemetrystream.h"
#include "redis/redisclient.h"
#include "resp/respserver.h"
#include "telemetrycodec.h"
#include "telemetrycollector.h"
#include "ws/sharedhistory.h"
#include "ws/wshub.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QRegularExpression>
#include <QSysInfo>
#include <QThread>
#include <QTimer>
#include <QUuid>

namespace kucun {

Q_LOGGING_CATEGORY(lcEngine, "kucun.engine")

namespace {

constexpr std::chrono::seconds kHitRateSampleInterval{1};

QString newInstanceId()
{
    return QStringLiteral("hub-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

// The id this hub instance keeps across restarts (SPEC §5: its consumer group on the reliable
// event stream), in the data folder; a new one there the first time. Without a data folder (some
// tests) each run is an instance of its own.
QString persistentInstanceId(const QString &dataDir)
{
    const QString made = newInstanceId();
    if (dataDir.isEmpty())
        return made;
    QFile file(QDir(dataDir).filePath(QStringLiteral("instance-id")));
    if (file.open(QIODevice::ReadOnly)) {
        const QString kept = QString::fromLatin1(file.read(64)).trimmed();
        static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
        if (rule.match(kept).hasMatch())
            return kept;
        file.close();
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(made.toLatin1()) < 0)
        qCWarning(lcEngine).noquote() << "cannot keep the instance id in" << file.fileName();
    return made;
}

}  // namespace

// Every part of a running engine, declared in the order start() builds them: each part comes
// after what it uses, so the members' reverse-order destruction takes every user down before
// what it uses, by construction. Engine thread only.
struct Engine::Parts
{
    std::unique_ptr<MemoryStore> memory;
    std::unique_ptr<LocalBus> localBus;
    // With Redis: the client, the store on it, the failover store (Redis, or memory while Redis
    // is away) and the Redis bus. Without, the service works on memory and the local bus.
    std::unique_ptr<RedisClient> redisClient;
    std::unique_ptr<RedisStore> redisStore;
    std::unique_ptr<FailoverStore> failover;
    std::unique_ptr<RedisBus> redisBus;
    // With Redis and WS_HISTORY=shared: channel streams shared by every hub on that Redis.
    std::unique_ptr<SharedHistory> sharedHistory;
    EventBus *bus = nullptr;  // redisBus or localBus
    std::unique_ptr<InvalidationAnnouncer> announcer;  // tells the bus of requested invalidations
    std::unique_ptr<CacheService> cache;
    std::unique_ptr<QTimer> sampleTimer;
    // From finishStart() on.
    std::unique_ptr<AuditLog> audit;  // flushes what is queued as it goes
    // The Redis-protocol front's key traffic (Hot keys); only when the front runs.
    std::unique_ptr<KeyAccessSketch> keyAccess;
    std::unique_ptr<WsHub> hub;
    std::unique_ptr<EventRouter> router;  // delivers to the hub
    std::unique_ptr<EventStreamConsumer> eventStream;  // feeds the router
    std::unique_ptr<HttpApi> api;  // reads and drives the cache, the router and the hub
    std::unique_ptr<HttpServer> http;  // calls the api
    std::unique_ptr<TelemetryCollector> telemetry;  // reads the cache, the router and the hub
    std::unique_ptr<DemoSimulator> demo;  // drives the cache and the bus
    std::unique_ptr<RespServer> resp;  // serves the memory store, publishes on the bus
    std::unique_ptr<EventRecorder> recorder;  // --record: what the router handles
    std::unique_ptr<EventReplayer> replayer;  // --replay: onto the bus

    CacheStore &store() const { return failover ? static_cast<CacheStore &>(*failover) : *memory; }

    ~Parts()
    {
        // What runs outside the engine thread is stopped while every part is still whole: cache
        // calls from other threads go to memory from now on and the service's loader threads
        // and lock polls end. Then every request still on its way to Redis is answered with an
        // error, into the service, which still takes it: those the store's callers queued for
        // the engine thread (dropped unsent) and those on the wire (the client closes and stops
        // reconnecting). Only then do the members go, in reverse.
        replayer.reset();
        recorder.reset();  // flushed and closed
        resp.reset();
        telemetry.reset();
        http.reset();
        api.reset();
        eventStream.reset();
        router.reset();
        hub.reset();
        if (failover)
            failover->setPrimaryAvailable(false);
        // The demo goes last: its stampede's second cache client may still have a request on
        // its way to Redis, answered below into that client.
        if (demo)
            demo->quiesce();
        if (cache)
            cache->quiesce();
        if (redisStore)
            QCoreApplication::removePostedEvents(redisStore.get());
        if (redisClient)
            redisClient->stop();
        demo.reset();
    }
};

Engine::Engine(const HubConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_instanceId(newInstanceId())
    , m_homeThread(QThread::currentThread())
{
}

Engine::~Engine()
{
    // Normally stop() has done this in the engine thread; an engine destroyed while running
    // (a test, an early exit) still takes its parts down in order.
    releaseParts();
}

EventRouter *Engine::router() const
{
    return m_parts ? m_parts->router.get() : nullptr;
}

AuditLog *Engine::auditLog() const
{
    return m_parts ? m_parts->audit.get() : nullptr;
}

QString Engine::mode() const
{
    if (!m_config.redis)
        return QStringLiteral("memory");
    return m_parts && m_parts->failover && m_parts->failover->primaryAvailable()
               ? QStringLiteral("redis")
               : QStringLiteral("degraded");
}

QUrl Engine::wsUrl() const
{
    return m_parts && m_parts->hub ? m_parts->hub->serverUrl() : QUrl();
}

void Engine::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    buildCache();
    if (!m_parts->redisClient) {
        finishStart();
        return;
    }
    // Wait for Redis's first answer, either way, so that the ready line tells the truth.
    m_firstRedisTimer = std::make_unique<QTimer>();
    m_firstRedisTimer->setSingleShot(true);
    connect(m_firstRedisTimer.get(), &QTimer::timeout, this, &Engine::finishStart);
    m_firstRedisTimer->start(kFirstRedisWait);
    // Queued: finishStart() may tear the parts down, which must not happen inside the hiredis
    // callback that reported the state.
    connect(m_parts->redisClient.get(), &RedisClient::stateChanged, this,
            &Engine::redisStateChanged, Qt::QueuedConnection);
    m_parts->redisClient->start();
}

void Engine::buildCache()
{
    m_parts = std::make_unique<Parts>();
    Parts &parts = *m_parts;
    MemoryStore::Options storeOptions;
    storeOptions.maxBytes = size_t(m_config.cacheMaxMb) << 20;
    parts.memory = std::make_unique<MemoryStore>(storeOptions);
    parts.localBus = std::make_unique<LocalBus>(m_instanceId);
    parts.bus = parts.localBus.get();
    if (m_config.redis) {
        parts.redisClient = std::make_unique<RedisClient>(*m_config.redis, m_config.redisPoolSize);
        parts.redisStore = std::make_unique<RedisStore>(*parts.redisClient);
        parts.failover = std::make_unique<FailoverStore>(*parts.redisStore, *parts.memory);
        parts.redisBus = std::make_unique<RedisBus>(*parts.redisClient, *parts.localBus);
        parts.bus = parts.redisBus.get();
        if (m_config.wsSharedHistory) {
            SharedHistory::Options shared;
            shared.keyNamespace = m_config.keyNamespace;
            shared.instanceId = m_instanceId;
            parts.sharedHistory
                = std::make_unique<SharedHistory>(*parts.redisClient, std::move(shared));
        }
    }
    parts.announcer = std::make_unique<InvalidationAnnouncer>(*parts.bus);
    parts.cache = std::make_unique<CacheService>(parts.store(), m_config.keyNamespace,
                                                 parts.announcer.get());
    parts.sampleTimer = std::make_unique<QTimer>();
    connect(parts.sampleTimer.get(), &QTimer::timeout, this,
            [this] { m_parts->cache->sampleHitRate(QDateTime::currentMSecsSinceEpoch()); });
    parts.sampleTimer->start(kHitRateSampleInterval);
}

void Engine::redisStateChanged()
{
    if (!m_parts || !m_parts->redisClient)
        return;  // a queued report that outlived the parts
    const RedisClient::State state = m_parts->redisClient->state();
    if (state == RedisClient::State::Connecting)
        return;
    m_parts->failover->setPrimaryAvailable(state == RedisClient::State::Up);
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
    if (now == u"degraded" && m_demoFaults.redisCut)
        qCWarning(lcEngine) << "Redis link cut (a demo fault): degraded, serving from memory "
                               "until it is restored";
    else if (now == u"degraded")
        qCWarning(lcEngine) << "Redis is unavailable: degraded, serving from memory while retrying";
    else
        qCInfo(lcEngine) << "Redis is back: serving from Redis again";
    emit modeChanged(now);
}

void Engine::finishStart()
{
    if (m_started || m_stopping || !m_parts)
        return;
    m_started = true;
    Parts &parts = *m_parts;
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
        auditOptions.maxBytes = qint64(m_config.auditMaxMb) << 20;
        // A log that cannot open says so and stays off; the hub goes on without it.
        parts.audit = std::make_unique<AuditLog>(auditOptions);
    }
    if (respFrontWanted()) {
        KeyAccessSketch::Options sketch;
        sketch.keyNamespace = m_config.keyNamespace.toUtf8();
        parts.keyAccess = std::make_unique<KeyAccessSketch>(sketch);
    }
    parts.hub = std::make_unique<WsHub>(m_config);
    parts.hub->setBus(parts.bus);
    parts.hub->setSharedHistory(parts.sharedHistory.get());
    parts.router
        = std::make_unique<EventRouter>(*parts.bus, parts.cache.get(), routes, parts.audit.get());
    parts.router->setChannelSink(parts.hub.get());
    parts.router->setTracing(m_config.eventTrace);
    if (parts.redisClient && !m_config.eventStream.isEmpty()) {
        EventStreamConsumer::Options stream;
        stream.stream = m_config.eventStream;
        stream.group = persistentInstanceId(m_config.dataDir);
        stream.consumer = stream.group + u'-' + m_instanceId;
        parts.eventStream
            = std::make_unique<EventStreamConsumer>(*parts.redisClient, *parts.router, stream);
        qCInfo(lcEngine).noquote()
            << "reading the event stream" << m_config.eventStream << "as group" << stream.group;
    } else if (!m_config.eventStream.isEmpty()) {
        qCInfo(lcEngine) << "HUB_EVENT_STREAM is set but the hub runs on the embedded engine: "
                            "no stream to read";
    }
    connect(parts.hub.get(), &WsHub::clientConnected, this,
            [this] { emit clientCountChanged(m_parts->hub->clientCount()); });
    connect(parts.hub.get(), &WsHub::clientDisconnected, this,
            [this] { emit clientCountChanged(m_parts->hub->clientCount()); });
    if (const auto failure = parts.hub->listen()) {
        qCCritical(lcEngine).noquote() << *failure;
        tearDown();
        emit startFailed(*failure);
        return;
    }
    for (const auto &start : {&Engine::startHttp, &Engine::startResp, &Engine::startRecording}) {
        if (const auto failure = (this->*start)()) {
            qCCritical(lcEngine).noquote() << *failure;
            tearDown();
            emit startFailed(*failure);
            return;
        }
    }
    m_cacheForOthers.store(parts.cache.get(), std::memory_order_release);
    m_lastMode = mode();
    if (m_lastMode == u"degraded") {
        qCWarning(lcEngine).noquote() << "Redis at" << m_config.redis->redacted()
                                      << "did not answer; degraded, serving from memory";
    }
    parts.telemetry = std::make_unique<TelemetryCollector>(*parts.cache, *parts.router, *parts.hub,
                                                           [this] { return mode(); });
    if (parts.redisClient)
        parts.telemetry->setRedisClient(parts.redisClient.get());
    parts.telemetry->setKeyAccess(parts.keyAccess.get());
    parts.telemetry->setEventStream(parts.eventStream.get());
    parts.telemetry->setConnectionsWanted([this] {
        const Parts *running = m_parts.get();
        return m_telemetryWatched.load(std::memory_order_relaxed)
               || (running && running->api && running->api->telemetryStream().windowCount() > 0);
    });
    connect(parts.telemetry.get(), &TelemetryCollector::report, this, &Engine::telemetry);
    connect(parts.telemetry.get(), &TelemetryCollector::report, this, &Engine::feedAttachedWindows);
    parts.telemetry->start();
    parts.demo = std::make_unique<DemoSimulator>(*parts.cache, parts.store(), *parts.bus);
    connect(parts.demo.get(), &DemoSimulator::stampedeFinished, this,
            &Engine::demoStampedeFinished);
    qCInfo(lcEngine) << "engine running, mode" << m_lastMode << "instance" << m_instanceId;
    emit started(parts.hub->serverUrl(), m_lastMode);
    if (m_pendingDemoRate > 0)
        setDemoRate(m_pendingDemoRate);
    if (m_demoFaults.any()) {
        qCInfo(lcEngine).noquote() << "demo faults:" << m_demoFaults.text();
        setDemoFaults(m_demoFaults);
    }
    if (parts.replayer)
        parts.replayer->start();  // once the hub serves: what it sends is handled as it came
}

std::optional<QString> Engine::startRecording()
{
    Parts &parts = *m_parts;
    if (!m_config.recordFile.isEmpty()) {
        if (auto failure = recordTo(m_config.recordFile))
            return QStringLiteral("--record: %1").arg(*failure);
    }
    if (!m_config.replayFile.isEmpty()) {
        parts.replayer = std::make_unique<EventReplayer>(*parts.bus, m_config.replaySpeed);
        if (auto failure = parts.replayer->load(m_config.replayFile))
            return QStringLiteral("--replay: %1").arg(*failure);
    }
    return std::nullopt;
}

std::optional<QString> Engine::recordTo(const QString &path)
{
    if (!m_parts || !m_parts->router)
        return QStringLiteral("the hub does not run");
    Parts &parts = *m_parts;
    parts.recorder.reset();  // flushed and closed
    if (path.isEmpty())
        return std::nullopt;
    parts.recorder = std::make_unique<EventRecorder>(*parts.router);
    if (auto failure = parts.recorder->start(path)) {
        parts.recorder.reset();
        return failure;
    }
    return std::nullopt;
}

Result<qint64> Engine::replay(const QString &path, double speed)
{
    if (!m_parts || !m_parts->router)
        return Error{QStringLiteral("the hub does not run")};
    if (QFileInfo(path).size() > kMaxWindowReplayBytes) {
        return Error{QStringLiteral("'%1' is larger than the %2 MiB a running hub replays; "
                                    "start the hub with --replay for it")
                         .arg(path)
                         .arg(kMaxWindowReplayBytes >> 20)};
    }
    auto replayer = std::make_unique<EventReplayer>(*m_parts->bus, speed);
    if (auto failure = replayer->load(path))
        return Error{*failure};
    const qint64 messages = replayer->messageCount();
    m_parts->replayer = std::move(replayer);
    m_parts->replayer->start();
    return messages;
}

std::optional<QString> Engine::startHttp()
{
    if (!m_config.httpPort)
        return std::nullopt;  // HTTP_PORT=off
    Parts &parts = *m_parts;
    HttpApiParts apiParts;
    apiParts.cache = parts.cache.get();
    apiParts.router = parts.router.get();
    apiParts.bus = parts.bus;
    apiParts.hub = parts.hub.get();
    apiParts.audit = parts.audit.get();
    apiParts.redis = parts.redisClient.get();
    apiParts.mode = [this] { return mode(); };
    apiParts.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    apiParts.webSocketPort = quint16(parts.hub->serverUrl().port());
    apiParts.keyAccess = parts.keyAccess.get();
    apiParts.eventStream = parts.eventStream.get();
    apiParts.webSocketUrl = parts.hub->serverUrl();
    apiParts.demoRate = [this] { return demoRateNow(); };
    apiParts.setDemoRate = [this](int rate) { setDemoRate(rate); };
    apiParts.demoFaults = [this] { return m_demoFaults; };
    apiParts.setDemoFaults = [this](const DemoFaults &faults) { return setDemoFaults(faults); };
    parts.api = std::make_unique<HttpApi>(m_config, apiParts);
    HttpServer::Options options;
    options.host = m_config.httpHost;
    options.port = *m_config.httpPort;
    if (m_config.tls.enabled())
        options.tls = m_config.tls.serverConfiguration();
    HttpApi *api = parts.api.get();
    parts.http = std::make_unique<HttpServer>(
        options, [api](const HttpRequest &request, HttpConnection &connection,
                       const HttpConnection::Responder &respond) {
            api->handle(request, connection, respond);
        });
    api->setServer(parts.http.get());
    if (auto failure = parts.http->listen())
        return QStringLiteral("HTTP: %1").arg(*failure);
    m_httpUrl = parts.http->serverUrl();
    // SPEC §7: pages the hub serves itself may open its WebSocket.
    parts.hub->allowOrigins(
        pageOrigins(m_httpUrl, QNetworkInterface::allAddresses(), QSysInfo::machineHostName()));
    return std::nullopt;
}

bool Engine::respFrontWanted() const
{
    // RESP_PORT=off, or SPEC §12: with REDIS_URL the site has a Redis of its own, and the hub's
    // keys live there.
    return m_config.respPort && !m_config.redis;
}

std::optional<QString> Engine::startResp()
{
    if (!respFrontWanted()) {
        if (m_config.respPort && m_config.redis)
            qCInfo(lcEngine) << "Redis-protocol front off: REDIS_URL is set";
        return std::nullopt;
    }
    Parts &parts = *m_parts;
    RespServer::Options options;
    options.host = m_config.respHost;
    options.port = *m_config.respPort;
    options.password = m_config.respPassword;
    options.store = parts.memory.get();
    options.keyAccess = parts.keyAccess.get();
    parts.resp = std::make_unique<RespServer>(options);
    if (auto failure = parts.resp->listen())
        return QStringLiteral("Redis protocol: %1").arg(*failure);
    // What a site publishes enters the bus as a Redis message would (SPEC §5, §12), and its
    // subscribers hear what the hub would publish on Redis for other hubs (a WebSocket or API
    // publish on ws:<channel>).
    parts.resp->attachBus(parts.bus);
    RespServer *resp = parts.resp.get();
    parts.localBus->subscribeAsOthers(QStringLiteral("*"), resp,
                                      [resp](const QString &channel, const QByteArray &payload) {
                                          resp->deliverToSubscribers(channel.toUtf8(), payload);
                                      });
    m_respUrl = parts.resp->serverUrl();
    return std::nullopt;
}

void Engine::stop()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_parts && m_parts->api) {
        m_parts->api->setStopping();  // /readyz says so while the clients drain
        m_parts->api->telemetryStream().closeAll();
    }
    if (m_parts && m_parts->sharedHistory)
        m_parts->sharedHistory->releaseLease();  // another hub stamps from now on
    WsHub *hub = m_parts ? m_parts->hub.get() : nullptr;
    if (!hub) {  // still waiting for Redis, or failed
        tearDown();
        emit stopped();
        return;
    }
    // Queued: drained() is emitted from inside the hub, which tearDown() deletes.
    connect(
        hub, &WsHub::drained, this,
        [this] {
            tearDown();
            emit stopped();
        },
        Qt::QueuedConnection);
    hub->closeAll(kCloseGrace);
}

void Engine::stopNow()
{
    Q_ASSERT(QThread::currentThread() == thread());
    tearDown();
    emit stopped();
}

void Engine::publish(const QString &channel, const QByteArray &payload)
{
    if (m_parts && m_parts->router)
        m_parts->bus->publish(channel, payload, EventSource::Window);
}

bool Engine::disconnectClient(const QString &clientId)
{
    return m_parts && m_parts->hub && m_parts->hub->disconnectClient(clientId);
}

void Engine::setDemoRate(int operationsPerSecond)
{
    DemoSimulator *demo = m_parts ? m_parts->demo.get() : nullptr;
    if (!demo) {
        m_pendingDemoRate = operationsPerSecond;
        return;
    }
    demo->setRate(operationsPerSecond);
    qCInfo(lcEngine) << "demo traffic:" << demo->rate() << "operations per second";
    emit demoRateChanged(demo->rate());
}

std::optional<QString> Engine::setDemoFaults(const DemoFaults &faults)
{
    if (faults.redisCut && !m_config.redis)
        return DemoFaults::kNoLinkToCut;
    const bool changed = faults != m_demoFaults;
    m_demoFaults = faults;
    if (!m_parts || !m_parts->demo)
        return std::nullopt;  // applied by finishStart()
    m_parts->demo->setFaults(faults);
    if (m_parts->redisClient)
        m_parts->redisClient->setLinkCut(faults.redisCut);
    if (changed) {
        qCInfo(lcEngine).noquote() << "demo faults:" << faults.text();
        emit demoFaultsChanged(faults);
    }
    return std::nullopt;
}

int Engine::demoRateNow() const
{
    const DemoSimulator *demo = m_parts ? m_parts->demo.get() : nullptr;
    return demo ? demo->rate() : m_pendingDemoRate;
}

void Engine::feedAttachedWindows(const EngineTelemetryPtr &telemetry)
{
    TelemetryStream *stream = m_parts && m_parts->api ? &m_parts->api->telemetryStream() : nullptr;
    if (!stream || stream->windowCount() == 0) {
        m_streamPending.reset();
        return;
    }
    if (m_streamPending)
        TelemetryCodec::merge(*m_streamPending, *telemetry);
    else
        m_streamPending = *telemetry;
    // The monotonic clock: a wall clock set back would hold the reports until it caught up.
    const qint64 now = HttpConnection::monotonicMs();
    if (now - m_streamSentAtMs < kStreamIntervalMs)
        return;
    m_streamSentAtMs = now;
    QJsonObject message = TelemetryCodec::encode(*m_streamPending);
    message.insert(QStringLiteral("demoRate"), demoRateNow());
    message.insert(QStringLiteral("demoFaults"), m_demoFaults.toJson());
    m_streamPending.reset();
    stream->broadcast(jsonValueText(message));
}

void Engine::tearDown()
{
    // The parts go while their thread still runs; then the engine itself goes home so that its
    // owner can delete it after the engine thread has ended.
    releaseParts();
    if (thread() != m_homeThread)
        moveToThread(m_homeThread);
}

void Engine::releaseParts()
{
    m_cacheForOthers.store(nullptr, std::memory_order_release);
    m_firstRedisTimer.reset();
    m_parts.reset();  // in the order Parts declares
}

}  // namespace kucun
