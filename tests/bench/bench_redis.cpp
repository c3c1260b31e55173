// scripts/bench redis: redis_pipeline of SPEC §9. The hub's own path (RedisStore over the
// RedisClient pool, hiredis underneath) sets and gets with many commands in flight, against
// `redis-benchmark -P 16 -t set,get` on the same private redis-server in the same run.

#include "benchjson.h"
#include "cache/redisstore.h"
#include "redis/redisclient.h"
#include "redis/redisreply.h"
#include "redisbenchmark.h"
#include "support/redisserver.h"

#include <QCoreApplication>
#include <QPromise>
#include <QThread>

#include <cmath>

using namespace kucun;
using namespace kucun::bench;
using namespace std::chrono_literals;

namespace {

// The size of a run: SPEC §9's by default, tiny with --quick (CTest's `bench` label).
int g_operations = 200'000;
int g_runs = 3;
// Commands outstanding at once, spread over the pool: as many as the baseline keeps in flight
// (redis-benchmark's 50 clients × -P 16), so that the two are compared at the same depth.
constexpr int kBaselineClients = 50;
constexpr int kBaselinePipeline = 16;
constexpr int kInFlight = kBaselineClients * kBaselinePipeline;
constexpr int kKeySpace = 10'000;
const QByteArray kValue(100, 'v');

// Runs g_operations sets or gets, keeping kInFlight outstanding, and returns ops/s. `Send`
// sends one operation and arranges for completed(ok) when it is answered. Every answer is
// checked: a run with any error reply is no figure, and the program stops saying so. Runs in
// the thread of the client it drives.
template <typename Send> class PipelineDriver
{
public:
    explicit PipelineDriver(Send send)
        : m_send(std::move(send))
    {
    }

    QFuture<double> run()
    {
        m_done.start();
        m_start = Clock::now();
        for (int i = 0; i < kInFlight; ++i)
            issue();
        return m_done.future();
    }

    void completed(bool ok, const QString &error = {})
    {
        if (!ok) {
            qFatal("redis_pipeline: a reply was an error, the figure would be wrong: %s",
                   qPrintable(error));
        }
        if (++m_completed == g_operations) {
            m_done.addResult(double(g_operations) / secondsSince(m_start));
            m_done.finish();
            return;
        }
        issue();
    }

private:
    void issue()
    {
        if (m_issued < g_operations)
            m_send("kucun:bench:" + QByteArray::number(m_issued++ % kKeySpace), this);
    }

    Send m_send;
    int m_issued = 0;
    int m_completed = 0;
    Clock::time_point m_start;
    QPromise<double> m_done;
};

// Drives `driver` on `threadObject`'s thread and waits for its figure.
template <typename Driver> double drive(QObject *threadObject, Driver &driver)
{
    QFuture<double> result;
    QMetaObject::invokeMethod(
        threadObject, [&] { result = driver.run(); }, Qt::BlockingQueuedConnection);
    const double opsPerSecond = result.result();
    // That thread may still be on its way out of the last callback: let it finish before the
    // driver goes.
    QMetaObject::invokeMethod(
        threadObject, [] {}, Qt::BlockingQueuedConnection);
    return opsPerSecond;
}

// The hub's cache path: RedisStore's callback form, as CacheService's get and getOrSet use it.
double hubRun(RedisStore &store, bool sets)
{
    const auto send = [&store, sets](const QByteArray &key, auto *driver) {
        if (sets)
            store.setThen(key, kValue, 0ms, {}, [driver](const Result<bool> &done) {
                driver->completed(done.ok() && done.value(), done.error());
            });
        else
            store.getThen(key, [driver](const Result<std::optional<QByteArray>> &value) {
                driver->completed(value.ok(), value.error());
            });
    };
    PipelineDriver<decltype(send)> driver(send);
    return drive(&store, driver);
}

// RedisStore's QFuture form with a continuation per operation, as a caller outside the
// engine sees it: what the future machinery costs on top of the callback form.
double futureRun(RedisStore &store, bool sets)
{
    const auto send = [&store, sets](const QByteArray &key, auto *driver) {
        if (sets) {
            store.set(key, kValue, 0ms, {})
                .then(QtFuture::Launch::Sync, [driver](const Result<bool> &done) {
                    driver->completed(done.ok() && done.value(), done.error());
                });
        } else {
            store.get(key).then(QtFuture::Launch::Sync,
                                [driver](const Result<std::optional<QByteArray>> &value) {
                                    driver->completed(value.ok(), value.error());
                                });
        }
    };
    PipelineDriver<decltype(send)> driver(send);
    return drive(&store, driver);
}

// The same load through RedisClient alone: what the hub's Redis client costs without the
// CacheStore futures on top.
double clientRun(RedisClient &client, bool sets)
{
    const auto send = [&client, sets](const QByteArray &key, auto *driver) {
        const auto next = [driver](const RedisReply &reply) {
            driver->completed(!reply.isError(), QString::fromUtf8(reply.text));
        };
        if (sets)
            client.command({QByteArrayLiteral("SET"), key, kValue}, &client, next);
        else
            client.command({QByteArrayLiteral("GET"), key}, &client, next);
    };
    PipelineDriver<decltype(send)> driver(send);
    return drive(&client, driver);
}

// redis-benchmark's SET and GET figures (requests per second).
std::pair<double, double> redisBenchmark(quint16 port)
{
    const QMap<QByteArray, double> figures = bench::redisBenchmark(
        port, {QStringLiteral("-P"), QString::number(kBaselinePipeline), QStringLiteral("-t"),
               QStringLiteral("set,get"), QStringLiteral("-n"), QString::number(g_operations),
               QStringLiteral("-c"), QString::number(kBaselineClients), QStringLiteral("-d"),
               QStringLiteral("100"), QStringLiteral("-r"), QString::number(kKeySpace)});
    if (!figures.contains("SET") || !figures.contains("GET"))
        qFatal("could not read redis-benchmark's SET and GET figures");
    return {figures.value("SET"), figures.value("GET")};
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(QStringLiteral("--quick"))) {
        g_operations = 5'000;
        g_runs = 1;
    }
    test::RedisServer server;
    if (!server.start())
        qFatal("could not start redis-server");

    QThread engine;
    engine.start();
    auto *client = new RedisClient(*RedisUrl::parse(server.url()).url, 3);
    auto *store = new RedisStore(*client);
    client->moveToThread(&engine);
    store->moveToThread(&engine);
    QMetaObject::invokeMethod(client, &RedisClient::start, Qt::BlockingQueuedConnection);
    // Timing starts only once Redis answers; a client that never comes up is no figure.
    RedisClient::State state = RedisClient::State::Down;
    for (int i = 0; i < 500 && state != RedisClient::State::Up; ++i) {  // bounded: 10 s
        QThread::msleep(20);
        QMetaObject::invokeMethod(
            client, [&] { state = client->state(); }, Qt::BlockingQueuedConnection);
    }
    if (state != RedisClient::State::Up)
        qFatal("redis_pipeline: the hub's Redis client did not come up within 10 s");

    std::vector<double> oursSet, oursGet, theirsSet, theirsGet, clientSet, clientGet, futureSet,
        futureGet;
    for (int run = 0; run < g_runs; ++run) {
        const auto [set, get] = redisBenchmark(server.port());
        theirsSet.push_back(set);
        theirsGet.push_back(get);
        oursSet.push_back(hubRun(*store, true));
        oursGet.push_back(hubRun(*store, false));
        clientSet.push_back(clientRun(*client, true));
        clientGet.push_back(clientRun(*client, false));
        futureSet.push_back(futureRun(*store, true));
        futureGet.push_back(futureRun(*store, false));
    }
    const double clientPath = (median(clientSet) + median(clientGet)) / 2;
    const double futurePath = (median(futureSet) + median(futureGet)) / 2;
    const double ours = (median(oursSet) + median(oursGet)) / 2;
    const double theirs = (median(theirsSet) + median(theirsGet)) / 2;
    printRow({{"scenario", "redis_pipeline"},
              {"value", qRound64(ours)},
              {"unit", "ops/s"},
              {"baseline", qRound64(theirs)},
              {"baseline_kind", "redis-benchmark -P 16 -c 50 -t set,get"},
              {"ratio", std::round(ours / theirs * 100) / 100},
              {"set", qRound64(median(oursSet))},
              {"get", qRound64(median(oursGet))},
              {"baseline_set", qRound64(median(theirsSet))},
              {"baseline_get", qRound64(median(theirsGet))},
              {"client_path", qRound64(clientPath)},
              {"client_path_ratio", std::round(clientPath / theirs * 100) / 100},
              {"future_path", qRound64(futurePath)},
              {"future_path_ratio", std::round(futurePath / theirs * 100) / 100},
              {"in_flight", kInFlight},
              {"baseline_in_flight", kBaselineClients * kBaselinePipeline},
              {"pool", 3},
              {"value_bytes", kValue.size()},
              {"operations", g_operations},
              {"runs", g_runs},
              {"target_ratio", 0.7}});

    QMetaObject::invokeMethod(
        client,
        [&] {
            delete store;
            delete client;
        },
        Qt::BlockingQueuedConnection);
    engine.quit();
    engine.wait();
    return 0;
}
