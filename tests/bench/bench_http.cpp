// scripts/bench http: http_publish of SPEC §9. The real kucun-hub binary (headless, memory
// engine) takes POST /api/publish on 8 keep-alive connections, one request in flight on each,
// from HttpLoadGenerator's epoll loop; one raw WebSocket subscriber (WsLoadGenerator) counts
// what is delivered. The baseline, in the same run and interleaved with it, is redis-benchmark
// sending PUBLISH with the same payload over 8 connections (-P 1) to a private redis-server,
// with one subscriber there too.
//
// The real binary, not an in-process engine: the figure should include what a site's backend
// meets (the HTTP server's own thread hand-offs, the process's logging), and the generator
// then cannot share the hub's threads or allocator.

#include "benchjson.h"
#include "httploadgen.h"
#include "support/hubprocess.h"
#include "support/redisserver.h"
#include "wsloadgen.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>

#include <atomic>
#include <cmath>
#include <csignal>
#include <hiredis/hiredis.h>
#include <sys/prctl.h>
#include <thread>

using namespace kucun;
using namespace kucun::bench;

namespace {

const std::string kChannel = "bench";
constexpr int kConnections = 8;
// redis-benchmark's clients beyond the 8 of the ratio: what redis-server gives when offered
// more concurrency, shown for scale only.
constexpr int kWideConnections = 50;
// The subscriber tells lost and repeated messages apart by number; numbers at or above this
// are not accounted, so a round must send fewer.
constexpr int64_t kNumbered = int64_t(1) << 24;

struct Sizes
{
    double warmupSeconds = 1.0;
    double seconds = 5.0;
    int rounds = 3;
    int baselineRequests = 300'000;
};

// One message's data: a stock change of the size a site publishes, numbered and stamped with
// its send time so that the subscriber can account for it and time its delivery.
std::string stockChange(int64_t seq, int64_t sentNs)
{
    return R"({"seq":)" + std::to_string(seq)
           + R"(,"sku":"SKU-000042","warehouse":"WH-1","qty":17,"t":)" + std::to_string(sentNs)
           + "}";
}

double nsToMs(double ns)
{
    return std::round(ns / 1e4) / 100;  // two decimals
}

double twoDecimals(double value)
{
    return std::round(value * 100) / 100;
}

struct HubRound
{
    double requestsPerSecond = 0;
    HttpLoadOutcome load;
    int64_t delivered = 0;
    int64_t lost = 0;  // answered 200 but never delivered
    int64_t duplicated = 0;
    std::vector<int64_t> deliveryNs;
    double hubCores = 0;  // the hub's CPU seconds per second of load
};

// One round against the hub: a fresh subscriber, the load, then a bounded wait for the last
// deliveries (until all came, or none came for two seconds).
HubRound hubRound(test::HubProcess &hub, quint16 httpPort, quint16 wsPort, const Sizes &sizes)
{
    HubRound round;
    WsLoadGenerator subscriber(1, 1, kNumbered);
    if (!subscriber.connectAndSubscribe(wsPort, kChannel))
        qFatal("http_publish: the WebSocket subscriber could not connect");
    for (int i = 0; i < 500 && subscriber.subscribedCount() < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (subscriber.subscribedCount() < 1)
        qFatal("http_publish: the WebSocket subscriber got no 'subscribed' within 5 s");

    HttpLoad load;
    load.port = httpPort;
    load.connections = kConnections;
    load.warmupSeconds = sizes.warmupSeconds;
    load.seconds = sizes.seconds;
    load.body = [](int64_t seq) {
        if (seq >= kNumbered)
            qFatal("http_publish: more requests than the subscriber can account for");
        return R"({"channel":")" + kChannel + R"(","data":)" + stockChange(seq, steadyNowNs())
               + "}";
    };
    const double hubCpuBefore = hub.cpuSeconds();
    round.load = runHttpLoad(load);
    if (!round.load.connected)
        qFatal("http_publish: the load generator could not connect to the hub");
    round.hubCores = (hub.cpuSeconds() - hubCpuBefore) / round.load.wallSeconds;
    round.requestsPerSecond = double(round.load.measured) / round.load.measuredSeconds;

    int64_t seen = -1;
    int64_t stalledSince = steadyNowNs();
    while (subscriber.delivered() < round.load.ok && steadyNowNs() - stalledSince < 2'000'000'000) {
        if (subscriber.delivered() != seen) {
            seen = subscriber.delivered();
            stalledSince = steadyNowNs();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    subscriber.stop();
    round.delivered = subscriber.delivered();
    const WsLoadGenerator::Accounting accounting = subscriber.accounting();
    const int64_t distinct = kNumbered - accounting.lost;
    round.lost = std::max<int64_t>(0, round.load.ok - distinct);
    round.duplicated = accounting.duplicated;
    round.deliveryNs = subscriber.latencies();
    if (subscriber.closedCount() > 0)
        std::fprintf(stderr, "http_publish: the hub closed the WebSocket subscriber\n");
    return round;
}

struct RedisRound
{
    double requestsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    int64_t delivered = 0;
};

// Counts the messages on kChannel in a thread of its own until it receives "stop", so that
// redis-server, like the hub, sends each message on to one subscriber.
class RedisSubscriber
{
public:
    explicit RedisSubscriber(quint16 port)
    {
        m_context = redisConnect("127.0.0.1", port);
        if (!m_context || m_context->err)
            qFatal("http_publish: could not connect a subscriber to redis-server");
        redisReply *reply
            = static_cast<redisReply *>(redisCommand(m_context, "SUBSCRIBE %s", kChannel.c_str()));
        if (!reply)
            qFatal("http_publish: redis-server refused the subscriber");
        freeReplyObject(reply);
        // Bounded: a lost "stop" ends the thread after this long instead of hanging the run.
        const timeval limit{10, 0};
        redisSetTimeout(m_context, limit);
        m_thread = std::thread([this] { count(); });
    }

    ~RedisSubscriber()
    {
        if (m_thread.joinable())
            m_thread.join();
        redisFree(m_context);
    }

    int64_t finish(quint16 port)
    {
        redisContext *publisher = redisConnect("127.0.0.1", port);
        if (publisher && !publisher->err) {
            freeReplyObject(redisCommand(publisher, "PUBLISH %s stop", kChannel.c_str()));
        }
        redisFree(publisher);
        m_thread.join();
        return m_delivered.load();
    }

private:
    void count()
    {
        for (;;) {
            void *raw = nullptr;
            if (redisGetReply(m_context, &raw) != REDIS_OK)
                return;
            const auto *reply = static_cast<redisReply *>(raw);
            const bool stop
                = reply->type == REDIS_REPLY_ARRAY && reply->elements == 3
                  && reply->element[2]->type == REDIS_REPLY_STRING
                  && std::string_view(reply->element[2]->str, reply->element[2]->len) == "stop";
            if (!stop)
                m_delivered.fetch_add(1, std::memory_order_relaxed);
            freeReplyObject(raw);
            if (stop)
                return;
        }
    }

    redisContext *m_context = nullptr;
    std::atomic<int64_t> m_delivered{0};
    std::thread m_thread;
};

// redis-benchmark of Redis 7 has no "publish" test (-t publish runs nothing and prints
// nothing), so the command is given whole: PUBLISH on the same channel with the same payload
// size the hub gets as "data".
RedisRound redisRound(quint16 port, int clients, int requests)
{
    RedisSubscriber subscriber(port);
    QProcess benchmark;
    benchmark.start(QStringLiteral("redis-benchmark"),
                    {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                     QString::number(port), QStringLiteral("-c"), QString::number(clients),
                     QStringLiteral("-n"), QString::number(requests), QStringLiteral("-P"),
                     QStringLiteral("1"), QStringLiteral("--csv"), QStringLiteral("PUBLISH"),
                     QString::fromStdString(kChannel),
                     QString::fromStdString(stockChange(0, steadyNowNs()))});
    if (!benchmark.waitForFinished(120000))
        qFatal("http_publish: redis-benchmark did not finish within 120 s");
    RedisRound round;
    // The test's name is the command, payload and its commas included: the seven figures
    // ("rps","avg","min","p50","p95","p99","max") are read from the end of the line.
    for (const QByteArray &line : benchmark.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.trimmed().split(',');
        if (fields.size() < 8)
            continue;
        const auto figure = [&](qsizetype fromEnd) {
            return QByteArray(fields[fields.size() - fromEnd]).replace('"', "").toDouble();
        };
        if (figure(7) > 0) {
            round.requestsPerSecond = figure(7);
            round.p50Ms = figure(4);
            round.p99Ms = figure(2);
        }
    }
    if (round.requestsPerSecond <= 0) {
        qFatal("http_publish: could not read redis-benchmark's output: %s",
               benchmark.readAllStandardError().constData());
    }
    round.delivered = subscriber.finish(port);
    return round;
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // --quick: tiny sizes for CTest's `bench` label (the figures then say nothing).
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const Sizes sizes = quick ? Sizes{0.2, 0.5, 1, 2'000} : Sizes{};
    // `--only hub|redis` runs one side (for profiling one process); reports need both.
    const qsizetype onlyAt = app.arguments().indexOf(QStringLiteral("--only"));
    const QString only = onlyAt > 0 ? app.arguments().value(onlyAt + 1) : QString();
    const bool runHub = only != u"redis";
    const bool runRedis = only != u"hub";

    test::RedisServer redis;
    if (!redis.start())
        qFatal("http_publish: could not start redis-server");

    QTemporaryDir home;
    test::HubProcess hub;
    hub.process.setStandardErrorFile(home.filePath(QStringLiteral("hub.log")));
    // The per-key write limit (HTTP_RATE_LIMIT, 1 000/s by default) would cap the figure at
    // the limit instead of at what the hub can do: the row says it was off.
    const QStringList arguments{QStringLiteral("--headless"),
                                QStringLiteral("--ws-port"),
                                QStringLiteral("0"),
                                QStringLiteral("--http-port"),
                                QStringLiteral("0"),
                                QStringLiteral("--http-rate-limit"),
                                QStringLiteral("0"),
                                QStringLiteral("--data-dir"),
                                home.filePath(QStringLiteral("data"))};
    if (!hub.start(QStringLiteral(KUCUN_HUB_BINARY), arguments,
                   test::HubProcess::cleanEnvironment(home.path()),
                   [] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); }))
        qFatal("http_publish: the hub did not start");
    if (hub.waitForReady().isEmpty())
        qFatal("http_publish: the hub sent no ready line");
    const quint16 httpPort = hub.readyPort(QStringLiteral("http"));
    const quint16 wsPort = hub.readyPort(QStringLiteral("ws"));
    if (httpPort == 0 || wsPort == 0)
        qFatal("http_publish: no ports in the ready line: %s", qPrintable(hub.readyLine));

    // Interleaved, so that a slow spell of the machine falls on both sides.
    std::vector<double> ours, theirs, theirsP50, theirsP99;
    std::vector<double> latencies, deliveries;
    HttpLoadOutcome total;
    int64_t delivered = 0, lost = 0, duplicated = 0, baselineDelivered = 0, baselineSent = 0;
    std::vector<double> hubCores, generatorShare;
    for (int i = 0; i < sizes.rounds; ++i) {
        if (runRedis) {
            const RedisRound baseline
                = redisRound(redis.port(), kConnections, sizes.baselineRequests);
            theirs.push_back(baseline.requestsPerSecond);
            theirsP50.push_back(baseline.p50Ms);
            theirsP99.push_back(baseline.p99Ms);
            baselineDelivered += baseline.delivered;
            baselineSent += sizes.baselineRequests;
        }
        if (!runHub)
            continue;
        const HubRound round = hubRound(hub, httpPort, wsPort, sizes);
        ours.push_back(round.requestsPerSecond);
        for (const int64_t ns : round.load.latenciesNs)
            latencies.push_back(double(ns));
        for (const int64_t ns : round.deliveryNs)
            deliveries.push_back(double(ns));
        total.sent += round.load.sent;
        total.ok += round.load.ok;
        total.failed += round.load.failed;
        total.reconnects += round.load.reconnects;
        total.firstBadStatus
            = total.firstBadStatus ? total.firstBadStatus : round.load.firstBadStatus;
        delivered += round.delivered;
        lost += round.lost;
        duplicated += round.duplicated;
        hubCores.push_back(round.hubCores);
        generatorShare.push_back(round.load.cpuSeconds / round.load.wallSeconds);
    }
    const RedisRound wide = runRedis
                                ? redisRound(redis.port(), kWideConnections, sizes.baselineRequests)
                                : RedisRound{};
    const bool hubStopped = hub.stop();

    const double value = median(ours);
    const double baseline = median(theirs);
    printRow({{"scenario", "http_publish"},
              {"value", qRound64(value)},
              {"unit", "req/s"},
              {"baseline", qRound64(baseline)},
              {"baseline_kind", "redis-benchmark -P 1 -c 8 PUBLISH bench <same payload>, one "
                                "subscriber (Redis 7's redis-benchmark has no publish test)"},
              {"ratio", baseline > 0 ? twoDecimals(value / baseline) : 0.0},
              {"p50_ms", nsToMs(percentile(latencies, 50))},
              {"p99_ms", nsToMs(percentile(latencies, 99))},
              {"connections", kConnections},
              {"baseline_connections", kConnections},
              {"baseline_p50_ms", median(theirsP50)},
              {"baseline_p99_ms", median(theirsP99)},
              {"baseline_delivered", qint64(baselineDelivered)},
              {"baseline_sent", qint64(baselineSent)},
              {"baseline_c50", qRound64(wide.requestsPerSecond)},
              {"delivered", qint64(delivered)},
              {"answered_ok", qint64(total.ok)},
              {"lost", qint64(lost)},
              {"duplicated", qint64(duplicated)},
              {"failed", qint64(total.failed)},
              {"first_bad_status", total.firstBadStatus},
              {"reconnects", qint64(total.reconnects)},
              {"deliver_p50_ms", nsToMs(percentile(deliveries, 50))},
              {"deliver_p99_ms", nsToMs(percentile(deliveries, 99))},
              {"hub_cpu_cores", twoDecimals(median(hubCores))},
              {"loadgen_cpu_share", twoDecimals(median(generatorShare))},
              {"rate_limit", "off"},
              {"engine", "memory"},
              {"rounds", sizes.rounds},
              {"seconds", sizes.seconds},
              {"warmup_seconds", sizes.warmupSeconds},
              {"target_ratio", 0.5},
              {"target_p99_ms", 5}});

    // A lost or refused publish is a defect whatever the speed: the run says so by failing.
    if (lost > 0 || duplicated > 0 || total.failed > 0 || delivered != total.ok) {
        std::fprintf(stderr,
                     "http_publish: %lld answered 200, %lld delivered, %lld lost, %lld twice, "
                     "%lld failed (first status %d)\n",
                     (long long)total.ok, (long long)delivered, (long long)lost,
                     (long long)duplicated, (long long)total.failed, total.firstBadStatus);
        return 1;
    }
    if (!hubStopped) {
        std::fprintf(stderr, "http_publish: the hub did not stop cleanly on SIGTERM\n");
        return 1;
    }
    return 0;
}
