#include "wsclientrows.h"

#include "benchjson.h"
#include "deliveryprobe.h"
#include "naivewshub.h"
#include "support/hubprocess.h"
#include "wsburst.h"
#include "wsloadgen.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>
#include <cstdio>
#include <sys/resource.h>

namespace kucun::bench {

namespace {

constexpr int kChannels = 100;
// An idle client receives nothing but its `subscribed` reply and the hub's pings.
constexpr size_t kClientReadBuffer = 4096;

// Resident memory of a process in bytes, from /proc; -1 when it cannot be read.
qint64 residentBytes(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLongLong() * 1024;
    }
    return -1;
}

struct Growth
{
    qint64 before = 0;
    qint64 after = 0;
    double perClient = 0;
    double connectSeconds = 0;
};

// Connects `clients` idle subscribers to the hub listening on `port` in process `pid`, and
// measures its resident memory before and after (once the subscriptions are all answered and
// the hub has had two seconds to settle).
Growth measure(qint64 pid, quint16 port, int clients)
{
    std::vector<std::string> channels;
    for (int i = 0; i < kChannels; ++i)
        channels.push_back("idle-" + std::to_string(i));
    QThread::msleep(500);
    Growth growth;
    growth.before = residentBytes(pid);
    WsLoadGenerator load(clients, 2, 0, kClientReadBuffer);
    const auto start = Clock::now();
    if (!load.connectAndSubscribe(port, channels))
        qFatal("ws_idle_memory: the load generator could not connect");
    if (!QTest::qWaitFor([&] { return load.subscribedCount() == clients; }, 120000))
        qFatal("ws_idle_memory: only %d of %d clients subscribed", load.subscribedCount(), clients);
    growth.connectSeconds = secondsSince(start);
    QThread::msleep(2000);
    growth.after = residentBytes(pid);
    growth.perClient = double(growth.after - growth.before) / clients;
    load.stop();
    return growth;
}

// The real hub with room for `clients`, on Redis when `redis` is given; returns its WebSocket port.
quint16 startHub(test::HubProcess &hub, const QTemporaryDir &home, const QString &binary,
                 int clients, const RedisUrl *redis)
{
    QProcessEnvironment environment = test::HubProcess::cleanEnvironment(home.path());
    environment.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    environment.insert(QStringLiteral("HTTP_PORT"), QStringLiteral("off"));
    environment.insert(QStringLiteral("RESP_PORT"), QStringLiteral("off"));
    environment.insert(QStringLiteral("WS_MAX_CLIENTS"), QString::number(clients + 1000));
    environment.insert(QStringLiteral("HUB_DATA_DIR"), home.filePath(QStringLiteral("data")));
    if (redis) {
        environment.insert(QStringLiteral("REDIS_URL"), redis->redacted());
        environment.insert(QStringLiteral("WS_HISTORY"), QStringLiteral("local"));
    }
    if (!hub.start(binary, {QStringLiteral("--headless")}, environment))
        qFatal("kucun-hub did not start");
    const quint16 port = quint16(hub.waitForReady().port());
    if (port == 0)
        qFatal("kucun-hub did not say it was ready");
    return port;
}

// The naive hub in a process of its own; returns its port (the process then runs until killed).
quint16 startNaiveHub(QProcess &naive, const RedisUrl &redis)
{
    naive.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--naive-hub"), redis.redacted()});
    if (naive.waitForReadyRead(20000)) {
        const QByteArray line = naive.readLine().trimmed();
        if (line.startsWith("naive-hub ws="))
            return quint16(line.mid(13).toUInt());
    }
    qFatal("the naive hub did not start");
}

double perSecond(const BurstOutcome &outcome)
{
    return outcome.seconds > 0 ? double(outcome.subscribed) / outcome.seconds : 0;
}

}  // namespace

int runNaiveHubProcess(const RedisUrl &redis)
{
    NaiveWsHub hub(redis);
    const quint16 port = hub.start();
    std::printf("naive-hub ws=%u\n", unsigned(port));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

void idleMemoryRow(const QString &hubBinary, const RedisUrl &redis, int clients)
{
    QTemporaryDir home;
    test::HubProcess hub;
    const quint16 hubPort = startHub(hub, home, hubBinary, clients, nullptr);
    const Growth ours = measure(hub.process.processId(), hubPort, clients);
    hub.stop();

    QProcess naive;
    const quint16 naivePort = startNaiveHub(naive, redis);
    const Growth baseline = measure(naive.processId(), naivePort, clients);
    naive.terminate();
    naive.waitForFinished(10000);

    printRow({{"scenario", "ws_idle_memory"},
              {"value", qRound64(ours.perClient)},
              {"unit", "bytes/client"},
              {"clients", clients},
              {"channels", kChannels},
              {"rss_before", ours.before},
              {"rss_after", ours.after},
              {"connect_s", std::round(ours.connectSeconds * 100) / 100},
              {"baseline", "naive QWebSocketServer hub"},
              {"baseline_value", qRound64(baseline.perClient)},
              {"baseline_rss_after", baseline.after},
              {"ratio", std::round(ours.perClient / baseline.perClient * 100) / 100},
              {"target", 6144}});
}

void connectRateRow(const QString &hubBinary, const RedisUrl &redis, int clients)
{
    const int kTimeoutMs = clients > 1000 ? 60000 : 10000;
    const BurstShape spread{4, false};
    // Behind one reverse proxy: one address, every connection up before any upgrade is sent.
    const BurstShape proxied{1, true};
    const int proxiedClients = std::min(clients, 1000);
    QTemporaryDir home;
    test::HubProcess hub;
    const quint16 hubPort = startHub(hub, home, hubBinary, clients, nullptr);
    // Measured as the baseline is, with nothing else going on.
    const BurstOutcome ours = connectBurst(hubPort, clients, "burst", spread, kTimeoutMs);
    // Then a client already connected publishes to itself every 10 ms, and what it sees is
    // timed before and during the same burst again and one from a single address.
    DeliveryProbe probe(hubPort, "probe", 10);
    if (!probe.start())
        qFatal("ws_connect_rate: the probe client could not subscribe");
    QThread::msleep(1000);
    const std::vector<double> calm = probe.take();
    const BurstOutcome again = connectBurst(hubPort, clients, "burst", spread, kTimeoutMs);
    std::vector<double> duringBursts = probe.take();
    const BurstOutcome oneAddress
        = connectBurst(hubPort, proxiedClients, "burst", proxied, kTimeoutMs);
    const std::vector<double> duringProxied = probe.take();
    duringBursts.insert(duringBursts.end(), duringProxied.begin(), duringProxied.end());
    probe.stop();
    hub.stop();
    QProcess naive;
    const quint16 naivePort = startNaiveHub(naive, redis);
    const BurstOutcome baseline = connectBurst(naivePort, clients, "burst", spread, kTimeoutMs);
    naive.terminate();
    naive.waitForFinished(10000);
    const auto ms = [](double value) { return std::round(value * 100) / 100; };
    printRow({{"scenario", "ws_connect_rate"},
              {"value", qRound64(perSecond(ours))},
              {"unit", "clients/s (handshake and subscription)"},
              {"clients", clients},
              {"subscribed", ours.subscribed},
              {"refused", ours.refused},
              {"failed", ours.failed},
              {"seconds", std::round(ours.seconds * 100) / 100},
              {"with_probe_subscribed", again.subscribed},
              {"with_probe_seconds", std::round(again.seconds * 100) / 100},
              {"one_address_clients", proxiedClients},
              {"one_address_subscribed", oneAddress.subscribed},
              {"one_address_refused", oneAddress.refused},
              {"one_address_failed", oneAddress.failed},
              {"probe_calm_p50_ms", ms(median(calm))},
              {"probe_calm_max_ms", ms(percentile(calm, 100))},
              {"probe_burst_p50_ms", ms(median(duringBursts))},
              {"probe_burst_p99_ms", ms(percentile(duringBursts, 99))},
              {"probe_burst_max_ms", ms(percentile(duringBursts, 100))},
              {"probe_round_trips", qint64(calm.size() + duringBursts.size())},
              {"probe_lost", probe.lost()},
              {"baseline", qRound64(perSecond(baseline))},
              {"baseline_kind", "naive QWebSocketServer hub"},
              {"baseline_subscribed", baseline.subscribed},
              {"baseline_refused", baseline.refused},
              {"baseline_failed", baseline.failed},
              {"baseline_seconds", std::round(baseline.seconds * 100) / 100},
              {"ratio", perSecond(baseline) > 0
                            ? std::round(perSecond(ours) / perSecond(baseline) * 100) / 100
                            : 0.0}});
}

void clientsMaxRow(const QString &hubBinary, const RedisUrl &redis, int clients, double seconds,
                   const Publisher &publish)
{
    // Every client is a descriptor in the hub's process and another in this one; neither may
    // raise its hard limit, so that bounds what one machine can show.
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    const int wanted = clients;
    clients = int(std::min<rlim_t>(rlim_t(clients), limit.rlim_max > 1000 ? limit.rlim_max - 1000
                                                                          : limit.rlim_max / 2));
    QTemporaryDir home;
    test::HubProcess hub;
    const quint16 port = startHub(hub, home, hubBinary, clients, &redis);
    const qint64 pid = hub.process.processId();
    QThread::msleep(500);
    const qint64 before = residentBytes(pid);
    const int messages = int(seconds);  // one a second
    WsLoadGenerator load(clients, 2, messages, kClientReadBuffer);
    load.setSourceAddresses(4);  // TIME_WAIT from the rows before uses 127.0.0.1's ports
    const auto start = Clock::now();
    if (!load.connectAndSubscribe(port, std::string("max")))
        qFatal("ws_clients_max: the load generator could not connect");
    if (!QTest::qWaitFor([&] { return load.subscribedCount() == clients; }, 300000))
        qFatal("ws_clients_max: only %d of %d clients subscribed", load.subscribedCount(), clients);
    const double connectSeconds = secondsSince(start);
    const qint64 connected = residentBytes(pid);
    if (!publish("max", 1, seconds))
        qFatal("ws_clients_max: could not publish to redis-server");
    // The rest arrives, bounded: until everything came or nothing came for five seconds.
    const int64_t expected = int64_t(messages) * clients;
    int64_t seen = -1;
    auto stalledSince = Clock::now();
    while (load.delivered() < expected && secondsSince(stalledSince) < 5) {
        if (load.delivered() != seen) {
            seen = load.delivered();
            stalledSince = Clock::now();
        }
        QThread::msleep(20);
    }
    const qint64 after = residentBytes(pid);
    load.stop();
    const WsLoadGenerator::Accounting accounting = load.accounting();
    hub.stop();
    printRow({{"scenario", "ws_clients_max"},
              {"value", clients},
              {"unit", "clients"},
              {"target", wanted},
              {"descriptor_hard_limit", qint64(limit.rlim_max)},
              {"messages", messages},
              {"delivered", qint64(load.delivered())},
              {"expected", qint64(expected)},
              {"lost", qint64(accounting.lost)},
              {"duplicated", qint64(accounting.duplicated)},
              {"out_of_order", qint64(accounting.outOfOrder)},
              {"clients_closed", load.closedCount()},
              {"connect_s", std::round(connectSeconds * 100) / 100},
              {"rss_connected", connected},
              {"rss_after", after},
              {"bytes_per_client", qRound64(double(connected - before) / clients)},
              {"note", "each client one descriptor here and one in the hub: the hard limit of "
                       "the benchmark's machine bounds the clients one process can hold"}});
}

}  // namespace kucun::bench
