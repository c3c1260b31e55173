// scripts/bench resp: resp_vs_redis and resp_memory_per_key of SPEC §9. The hub's
// Redis-protocol front (the real binary, headless) against a private redis-server, both driven
// by redis-benchmark in the same run, alternating so that a slow spell of the machine falls on
// both; and what a key of 100 bytes costs each of them.

#include "benchjson.h"
#include "redisbenchmark.h"
#include "support/hubprocess.h"
#include "support/redisserver.h"
#include "support/respclient.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <csignal>
#include <sys/prctl.h>

using namespace kucun;
using namespace kucun::bench;
using kucun::test::RespClient;

namespace {

// SPEC §9's sizes by default, tiny with --quick (CTest's `bench` label).
int g_operations = 1'000'000;
int g_runs = 3;
int g_keys = 1'000'000;
constexpr int kClients = 50;
constexpr int kValueBytes = 100;
constexpr int kLoadBatch = 1000;

double ratio(double ours, double theirs)
{
    return theirs > 0 ? std::round(ours / theirs * 100) / 100 : 0;
}

// Resident memory of a process, in bytes, from /proc.
qint64 residentBytes(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLongLong() * 1024;
    }
    return 0;
}

qint64 infoField(RespClient &client, const QByteArray &name)
{
    const QByteArray info = client.command({"INFO", "memory"});
    const qsizetype at = info.indexOf("\r\n" + name + ':');
    return at < 0 ? 0 : info.mid(at + name.size() + 3).split('\r').front().toLongLong();
}

// Writes g_keys keys of kValueBytes, pipelined in batches; stops the program on an error reply.
void loadKeys(quint16 port)
{
    RespClient client;
    if (!client.connectTo(port))
        qFatal("resp_memory_per_key: could not connect to %u", port);
    const QByteArray value(kValueBytes, 'v');
    for (int first = 0; first < g_keys; first += kLoadBatch) {
        const int count = std::min(kLoadBatch, g_keys - first);
        QByteArray batch;
        for (int i = first; i < first + count; ++i)
            batch += RespClient::encode({"SET", "key:" + QByteArray::number(i), value});
        const QByteArray replies = client.send(batch, count);
        if (replies != QByteArray("+OK\r\n").repeated(count))
            qFatal("resp_memory_per_key: a SET failed: %s", replies.left(200).constData());
    }
}

struct Throughput
{
    std::vector<double> set, get;
    double value() const { return (median(set) + median(get)) / 2; }
};

void measure(quint16 port, int pipeline, Throughput &into)
{
    const QMap<QByteArray, double> figures = redisBenchmark(
        port, {QStringLiteral("-t"), QStringLiteral("set,get"), QStringLiteral("-n"),
               QString::number(g_operations), QStringLiteral("-c"), QString::number(kClients),
               QStringLiteral("-P"), QString::number(pipeline), QStringLiteral("-d"),
               QString::number(kValueBytes)});
    into.set.push_back(figures.value("SET"));
    into.get.push_back(figures.value("GET"));
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(QStringLiteral("--quick"))) {
        g_operations = 2'000;
        g_runs = 1;
        g_keys = 2'000;
    }
    test::RedisServer redis;
    if (!redis.start())
        qFatal("could not start redis-server");
    QTemporaryDir home;
    test::HubProcess hub;
    hub.process.setStandardErrorFile(home.filePath(QStringLiteral("hub.log")));
    QProcessEnvironment env = test::HubProcess::cleanEnvironment(home.path());
    env.insert(QStringLiteral("HTTP_PORT"), QStringLiteral("off"));
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    // Room for every key of the memory row: an eviction would make the figure meaningless.
    env.insert(QStringLiteral("HUB_CACHE_MAX_MB"), QStringLiteral("2048"));
    if (!hub.start(QStringLiteral(KUCUN_HUB_BINARY),
                   {QStringLiteral("--headless"), QStringLiteral("--data-dir"),
                    home.filePath(QStringLiteral("data"))},
                   env, [] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); })
        || hub.waitForReady().isEmpty())
        qFatal("resp_vs_redis: the hub did not start");
    const quint16 front = hub.readyPort(QStringLiteral("resp"));
    if (front == 0)
        qFatal("resp_vs_redis: no resp= port in the ready line: %s", qPrintable(hub.readyLine));

    for (const int pipeline : {16, 1}) {
        Throughput ours, theirs;
        for (int run = 0; run < g_runs; ++run) {
            measure(redis.port(), pipeline, theirs);
            measure(front, pipeline, ours);
        }
        printRow({{"scenario", "resp_vs_redis"},
                  {"value", qRound64(ours.value())},
                  {"unit", "ops/s"},
                  {"baseline", qRound64(theirs.value())},
                  {"baseline_kind", "redis-server, the same redis-benchmark"},
                  {"ratio", ratio(ours.value(), theirs.value())},
                  {"set", qRound64(median(ours.set))},
                  {"get", qRound64(median(ours.get))},
                  {"baseline_set", qRound64(median(theirs.set))},
                  {"baseline_get", qRound64(median(theirs.get))},
                  {"pipeline", pipeline},
                  {"clients", kClients},
                  {"operations", g_operations},
                  {"runs", g_runs},
                  {"target_ratio", pipeline == 16 ? 1.0 : 0.9}});
    }

    // Memory per key: both emptied first, then the same keys written to each.
    RespClient toHub, toRedis;
    if (!toHub.connectTo(front) || !toRedis.connectTo(redis.port()))
        qFatal("resp_memory_per_key: could not connect");
    toHub.command({"FLUSHALL"});
    toRedis.command({"FLUSHALL"});
    const qint64 hubBefore = residentBytes(hub.process.processId());
    const qint64 redisBefore = infoField(toRedis, "used_memory");
    const qint64 redisRssBefore = infoField(toRedis, "used_memory_rss");
    loadKeys(front);
    loadKeys(redis.port());
    const QByteArray dbsize = toHub.command({"DBSIZE"});
    if (dbsize != ":" + QByteArray::number(g_keys) + "\r\n")
        qFatal("resp_memory_per_key: the hub holds %s keys, not %d", dbsize.constData(), g_keys);
    const double ours = double(residentBytes(hub.process.processId()) - hubBefore) / g_keys;
    const double theirs = double(infoField(toRedis, "used_memory") - redisBefore) / g_keys;
    const double theirsRss
        = double(infoField(toRedis, "used_memory_rss") - redisRssBefore) / g_keys;
    printRow({{"scenario", "resp_memory_per_key"},
              {"value", std::round(ours)},
              {"unit", "bytes/key"},
              {"baseline", std::round(theirs)},
              {"baseline_kind", "redis-server used_memory growth"},
              {"baseline_rss", std::round(theirsRss)},
              {"ratio", ratio(ours, theirs)},
              {"measure", "hub RSS growth"},
              {"keys", g_keys},
              {"value_bytes", kValueBytes},
              {"target_ratio", 1.0}});
    hub.stop();
    return 0;
}
