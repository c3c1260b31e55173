// scripts/bench ws: ws_fanout and ws_latency of SPEC §9, and both again with shared channel
// history (ws_fanout_shared, ws_latency_shared), and redis_failover_s through Sentinel. A private
// redis-server carries the messages as a site would send them (PUBLISH ws:<channel>); the hub under
// test is the real engine (Redis bus, event router, audit log, WsHub) in its own thread; the
// baseline is NaiveWsHub (naivewshub.h) on the same input. The clients are WsLoadGenerator's raw
// sockets.

#include "benchjson.h"
#include "engine/enginehost.h"
#include "naivewshub.h"
#include "support/redisserver.h"
#include "support/sentinelgroup.h"
#include "support/wssubscriber.h"
#include "wsclientrows.h"
#include "wsloadgen.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>
#include <hiredis/hiredis.h>
#include <sys/resource.h>
#include <thread>

using namespace kucun;
using namespace kucun::bench;

namespace {

const std::string kChannel = "bench";

struct Scenario
{
    int clients;
    int messagesPerSecond;
    double seconds;
};
// More than the hub can take (3 M deliveries/s; this box's floor is about 1.9 M): the figure is
// what it sustains, not what was offered.
constexpr Scenario kFanout{500, 6000, 4.0};
constexpr Scenario kLatency{1000, 100, 5.0};  // 100 messages/s to each of 1 000 clients
constexpr int kLoadThreads = 2;

struct Outcome
{
    double deliveriesPerSecond = 0;
    int64_t expected = 0;
    int64_t delivered = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    int closed = 0;
    WsLoadGenerator::Accounting accounting;  // lost, duplicated, out of order, per message
};

// Publishes `messagesPerSecond` messages on ws:<channel> for `seconds`, paced every millisecond,
// each carrying its send time ("t", steady-clock ns). Returns when done.
bool publish(quint16 redisPort, const Scenario &scenario, const std::string &channel = kChannel)
{
    redisContext *redis = redisConnect("127.0.0.1", redisPort);
    if (!redis || redis->err)
        return false;
    const int64_t start = steadyNowNs();
    const int64_t total = int64_t(scenario.messagesPerSecond * scenario.seconds);
    int64_t sent = 0;
    while (sent < total) {
        const double elapsed = double(steadyNowNs() - start) / 1e9;
        const int64_t due = std::min(total, int64_t(elapsed * scenario.messagesPerSecond) + 1);
        const int64_t batch = due - sent;
        for (int64_t i = 0; i < batch; ++i) {
            const std::string payload = R"({"seq":)" + std::to_string(sent + i)
                                        + R"(,"sku":"SKU-000042","warehouse":"WH-1","qty":17,"t":)"
                                        + std::to_string(steadyNowNs()) + "}";
            redisAppendCommand(redis, "PUBLISH ws:%s %b", channel.c_str(), payload.data(),
                               payload.size());
        }
        for (int64_t i = 0; i < batch; ++i) {
            void *reply = nullptr;
            if (redisGetReply(redis, &reply) != REDIS_OK) {
                redisFree(redis);
                return false;
            }
            freeReplyObject(reply);
        }
        sent = due;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    redisFree(redis);
    return true;
}

double nsToMs(double ns)
{
    return std::round(ns / 1e4) / 100;  // two decimals
}

// Connects the clients to `port`, publishes, waits for the deliveries to stop coming.
Outcome run(quint16 wsPort, quint16 redisPort, const Scenario &scenario)
{
    Outcome outcome;
    const int64_t messages = int64_t(scenario.messagesPerSecond * scenario.seconds);
    WsLoadGenerator clients(scenario.clients, kLoadThreads, messages);
    if (!clients.connectAndSubscribe(wsPort, kChannel))
        qFatal("the load generator could not connect");
    if (!QTest::qWaitFor([&] { return clients.subscribedCount() == scenario.clients; }, 30000))
        qFatal("only %d of %d clients subscribed", clients.subscribedCount(), scenario.clients);

    outcome.expected
        = int64_t(scenario.messagesPerSecond * scenario.seconds) * int64_t(scenario.clients);
    const int64_t start = steadyNowNs();
    if (!publish(redisPort, scenario))
        qFatal("could not publish to redis-server");
    // Wait for the rest, bounded: until everything came or nothing came for two seconds.
    int64_t seen = -1;
    int64_t stalledSince = steadyNowNs();
    while (clients.delivered() < outcome.expected && steadyNowNs() - stalledSince < 2'000'000'000) {
        if (clients.delivered() != seen) {
            seen = clients.delivered();
            stalledSince = steadyNowNs();
        }
        QThread::msleep(10);
    }
    clients.stop();
    outcome.delivered = clients.delivered();
    outcome.closed = clients.closedCount();
    outcome.accounting = clients.accounting();
    outcome.deliveriesPerSecond
        = double(outcome.delivered) / (double(clients.lastDeliveryNs() - start) / 1e9);
    std::vector<double> latencies;
    for (const int64_t ns : clients.latencies())
        latencies.push_back(double(ns));
    outcome.p50Ms = nsToMs(percentile(latencies, 50));
    outcome.p99Ms = nsToMs(percentile(latencies, 99));
    return outcome;
}

// Lets the hubs close the previous run's connections before the next run starts.
void settle()
{
    QTest::qWait(500);
}

void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::unique_ptr<EngineHost> startHub(const HubConfig &config)
{
    auto hub = std::make_unique<EngineHost>(config);
    hub->start();
    if (!QTest::qWaitFor([&] { return hub->state() == EngineHost::State::Running; }, 15000)
        || hub->mode() != u"redis")
        qFatal("the hub did not start on Redis");
    return hub;
}

// redis_failover_s: a hub on a Sentinel group (master, replica, three sentinels) delivers a
// site's message every 20 ms to a WebSocket client; the master is killed; the time until the
// first message published after the kill reaches the client, through the promoted replica.
double measureFailoverSeconds()
{
    test::SentinelGroup group;
    if (!group.start())
        qFatal("the Sentinel group did not start");
    QTemporaryDir dataDir;
    HubConfig config;
    config.redis = RedisUrl::parse(group.url()).url;
    config.wsPort = 0;
    config.dataDir = dataDir.path();
    config.headless = true;
    auto hub = startHub(config);
    test::WsSubscriber browser;
    if (!browser.open(hub->wsUrl()) || !browser.subscribe(QStringLiteral("failover")))
        qFatal("the failover client could not subscribe");
    const auto received = [&browser](int atLeast) {
        for (const QJsonObject &message : browser.messagesOn(QStringLiteral("failover"))) {
            if (message.value("data").toObject().value("seq").toInt() >= atLeast)
                return true;
        }
        return false;
    };
    quint16 master = group.masterPort();
    int seq = 0;
    const auto publishOne = [&] {
        const QString answer = test::redisCli(
            master, {"PUBLISH", "ws:failover", QStringLiteral(R"({"seq":%1})").arg(seq)});
        if (answer.isEmpty() || !answer.front().isDigit())
            master = group.masterPort();  // gone: ask the sentinels again
        else
            ++seq;
        QTest::qWait(20);
    };
    for (int i = 0; i < 100 && !received(0); ++i)
        publishOne();
    if (!received(0))
        qFatal("no message reached the failover client before the kill");
    group.master().kill();
    QElapsedTimer sinceKill;
    sinceKill.start();
    const int afterKill = seq;
    while (!received(afterKill) && sinceKill.elapsed() < 60000)
        publishOne();
    if (!received(afterKill))
        qFatal("no message reached the client within 60 s of the kill");
    return double(sinceKill.elapsed()) / 1000.0;
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    raiseFileLimit();
    if (app.arguments().size() == 3 && app.arguments()[1] == u"--naive-hub")
        return runNaiveHubProcess(*RedisUrl::parse(app.arguments()[2]).url);
    test::RedisServer redis;
    if (!redis.start())
        qFatal("could not start redis-server");
    const RedisUrl redisUrl = *RedisUrl::parse(redis.url()).url;

    QTemporaryDir dataDir;
    HubConfig config;
    config.redis = redisUrl;
    config.wsPort = 0;
    config.allowedOrigins = {QStringLiteral("*")};
    config.dataDir = dataDir.path();
    config.headless = true;
    // ws_fanout and ws_latency: each hub keeps its own history (WS_HISTORY=local), as before
    // shared history; the _shared rows run the same hub with it on, afterwards.
    config.wsSharedHistory = false;
    auto hub = startHub(config);
    const quint16 hubPort = quint16(hub->wsUrl().port());

    QThread naiveThread;
    naiveThread.start();
    auto *naive = new NaiveWsHub(redisUrl);
    naive->moveToThread(&naiveThread);
    quint16 naivePort = 0;
    QMetaObject::invokeMethod(
        naive, [&] { naivePort = naive->start(); }, Qt::BlockingQueuedConnection);
    QTest::qWait(500);  // its subscriber connects

    // Each hub hears every ws: message: the one not under test has no clients, so it only
    // parses and drops them, on the second core the load generator shares.
    // `--only ours|naive` runs one side (for profiling); reports need both.
    const QString only = app.arguments().size() > 2 && app.arguments()[1] == u"--only"
                             ? app.arguments()[2]
                             : QString();
    // --quick: tiny sizes for CTest's `bench` label (the figures then say nothing).
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const Scenario fanoutLoad = quick ? Scenario{20, 100, 0.5} : kFanout;
    const Scenario latencyLoad = quick ? Scenario{20, 20, 0.5} : kLatency;
    Outcome fanout, fanoutNaive, latency, latencyNaive;
    const bool latencyOnly = qEnvironmentVariableIsSet("KUCUN_BENCH_WS_LATENCY_ONLY");
    if (only != u"naive" && !latencyOnly) {
        fanout = run(hubPort, redis.port(), fanoutLoad);
        settle();
    }
    if (only != u"ours" && !latencyOnly) {
        fanoutNaive = run(naivePort, redis.port(), fanoutLoad);
        settle();
    }
    if (only != u"naive") {
        latency = run(hubPort, redis.port(), latencyLoad);
        settle();
    }
    if (only != u"ours")
        latencyNaive = run(naivePort, redis.port(), latencyLoad);

    // The previous transport in the same run: the same hub with a QTcpSocket per plain client
    // (HubConfig::wsQtSockets) instead of reading and writing the descriptors itself.
    Outcome fanoutPrevious, latencyPrevious;
    if (only.isEmpty()) {
        hub.reset();
        settle();
        HubConfig previous = config;
        previous.wsQtSockets = true;
        hub = startHub(previous);
        const quint16 previousPort = quint16(hub->wsUrl().port());
        if (!latencyOnly) {
            fanoutPrevious = run(previousPort, redis.port(), fanoutLoad);
            settle();
        }
        latencyPrevious = run(previousPort, redis.port(), latencyLoad);
        settle();
    }

    // The same hub with shared history, alone with the naive hub again: every message now takes
    // a Lua script in Redis on its way (offset, history, publication) before any hub delivers it.
    Outcome fanoutShared, latencyShared;
    if (only != u"naive") {
        hub.reset();
        settle();
        config.wsSharedHistory = true;
        hub = startHub(config);
        const quint16 sharedPort = quint16(hub->wsUrl().port());
        QTest::qWait(500);  // it holds the ingest lease and is past its grace
        if (!latencyOnly) {
            fanoutShared = run(sharedPort, redis.port(), fanoutLoad);
            settle();
        }
        latencyShared = run(sharedPort, redis.port(), latencyLoad);
    }

    const double offered = double(fanoutLoad.clients) * fanoutLoad.messagesPerSecond;
    printRow(
        {{"scenario", "ws_fanout"},
         {"value", qRound64(fanout.deliveriesPerSecond)},
         {"unit", "deliveries/s"},
         {"offered", qRound64(offered)},
         {"lost", qint64(fanout.accounting.lost)},
         {"duplicated", qint64(fanout.accounting.duplicated)},
         {"out_of_order", qint64(fanout.accounting.outOfOrder)},
         {"clients_closed", fanout.closed},
         {"baseline", qRound64(fanoutNaive.deliveriesPerSecond)},
         {"baseline_lost", qint64(fanoutNaive.accounting.lost)},
         {"baseline_duplicated", qint64(fanoutNaive.accounting.duplicated)},
         {"baseline_out_of_order", qint64(fanoutNaive.accounting.outOfOrder)},
         {"baseline_clients_closed", fanoutNaive.closed},
         {"baseline_kind", "QWebSocket::sendTextMessage per client, same Redis input"},
         {"ratio",
          std::round(fanout.deliveriesPerSecond / fanoutNaive.deliveriesPerSecond * 100) / 100},
         {"p50_ms", fanout.p50Ms},
         {"p99_ms", fanout.p99Ms},
         {"baseline_p99_ms", fanoutNaive.p99Ms},
         {"clients", fanoutLoad.clients},
         {"messages_per_s", fanoutLoad.messagesPerSecond},
         {"seconds", fanoutLoad.seconds},
         {"previous_transport", qRound64(fanoutPrevious.deliveriesPerSecond)},
         {"ratio_to_previous",
          std::round(fanout.deliveriesPerSecond / fanoutPrevious.deliveriesPerSecond * 100) / 100},
         {"target", 1500000},
         {"offered_note", "offered above capacity: value is what the hub sustains"}});
    printRow({{"scenario", "ws_latency"},
              {"value", latency.p99Ms},
              {"unit", "ms (p99)"},
              {"p50_ms", latency.p50Ms},
              {"p99_ms", latency.p99Ms},
              {"lost", qint64(latency.accounting.lost)},
              {"duplicated", qint64(latency.accounting.duplicated)},
              {"out_of_order", qint64(latency.accounting.outOfOrder)},
              {"clients_closed", latency.closed},
              {"baseline", latencyNaive.p99Ms},
              {"baseline_p50_ms", latencyNaive.p50Ms},
              {"baseline_p99_ms", latencyNaive.p99Ms},
              {"baseline_lost", qint64(latencyNaive.accounting.lost)},
              {"baseline_clients_closed", latencyNaive.closed},
              {"baseline_kind", "QWebSocket::sendTextMessage per client, same Redis input"},
              {"ratio", std::round(latencyNaive.p99Ms / latency.p99Ms * 100) / 100},
              {"clients", latencyLoad.clients},
              {"messages_per_s", latencyLoad.messagesPerSecond},
              {"seconds", latencyLoad.seconds},
              {"previous_transport_p99_ms", latencyPrevious.p99Ms},
              {"previous_transport_p50_ms", latencyPrevious.p50Ms},
              {"target_p99_ms", 10}});

    printRow(
        {{"scenario", "ws_fanout_shared"},
         {"value", qRound64(fanoutShared.deliveriesPerSecond)},
         {"unit", "deliveries/s"},
         {"lost", qint64(fanoutShared.accounting.lost)},
         {"duplicated", qint64(fanoutShared.accounting.duplicated)},
         {"out_of_order", qint64(fanoutShared.accounting.outOfOrder)},
         {"clients_closed", fanoutShared.closed},
         {"baseline", qRound64(fanout.deliveriesPerSecond)},
         {"baseline_kind", "the same hub with WS_HISTORY=local (ws_fanout)"},
         {"ratio",
          std::round(fanoutShared.deliveriesPerSecond / fanout.deliveriesPerSecond * 100) / 100},
         {"p99_ms", fanoutShared.p99Ms},
         {"baseline_p99_ms", fanout.p99Ms},
         {"clients", fanoutLoad.clients},
         {"messages_per_s", fanoutLoad.messagesPerSecond},
         {"target_ratio", 0.8}});
    printRow({{"scenario", "ws_latency_shared"},
              {"value", latencyShared.p99Ms},
              {"unit", "ms (p99)"},
              {"p50_ms", latencyShared.p50Ms},
              {"lost", qint64(latencyShared.accounting.lost)},
              {"duplicated", qint64(latencyShared.accounting.duplicated)},
              {"out_of_order", qint64(latencyShared.accounting.outOfOrder)},
              {"clients_closed", latencyShared.closed},
              {"baseline", latency.p99Ms},
              {"baseline_p50_ms", latency.p50Ms},
              {"baseline_kind", "the same hub with WS_HISTORY=local (ws_latency)"},
              {"ratio", std::round(latencyShared.p99Ms / latency.p99Ms * 100) / 100},
              {"clients", latencyLoad.clients},
              {"messages_per_s", latencyLoad.messagesPerSecond},
              {"target_ratio_max", 1.5}});

    hub.reset();
    const double failoverSeconds = measureFailoverSeconds();
    printRow({{"scenario", "redis_failover_s"},
              {"value", std::round(failoverSeconds * 100) / 100},
              {"unit", "s"},
              {"down_after_ms", test::SentinelGroup::kDownAfterMs},
              {"target_s", test::SentinelGroup::kDownAfterMs / 1000.0 + 2},
              {"note", "master killed; the first site message published after the kill, "
                       "through the promoted replica, reaches a WebSocket client"}});
    QMetaObject::invokeMethod(
        naive, [naive] { delete naive; }, Qt::BlockingQueuedConnection);
    naiveThread.quit();
    naiveThread.wait();
    idleMemoryRow(QStringLiteral(KUCUN_HUB_BINARY), redisUrl, quick ? 200 : 10000);
    connectRateRow(QStringLiteral(KUCUN_HUB_BINARY), redisUrl, quick ? 200 : 10000);
    // Across a heartbeat (every 25 s) of every client.
    clientsMaxRow(QStringLiteral(KUCUN_HUB_BINARY), redisUrl, quick ? 300 : 50000, quick ? 2 : 30,
                  [&redis](const std::string &channel, int perSecond, double seconds) {
                      return publish(redis.port(), Scenario{0, perSecond, seconds}, channel);
                  });
    return 0;
}
