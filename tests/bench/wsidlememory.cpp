#include "wsidlememory.h"

#include "benchjson.h"
#include "naivewshub.h"
#include "support/hubprocess.h"
#include "wsloadgen.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>
#include <cstdio>

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
    QProcessEnvironment environment = test::HubProcess::cleanEnvironment(home.path());
    environment.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    environment.insert(QStringLiteral("HTTP_PORT"), QStringLiteral("off"));
    environment.insert(QStringLiteral("RESP_PORT"), QStringLiteral("off"));
    environment.insert(QStringLiteral("WS_MAX_CLIENTS"), QString::number(clients + 1000));
    environment.insert(QStringLiteral("HUB_DATA_DIR"), home.filePath(QStringLiteral("data")));
    test::HubProcess hub;
    if (!hub.start(hubBinary, {QStringLiteral("--headless")}, environment))
        qFatal("ws_idle_memory: kucun-hub did not start");
    const quint16 hubPort = quint16(hub.waitForReady().port());
    if (hubPort == 0)
        qFatal("ws_idle_memory: kucun-hub did not say it was ready");
    const Growth ours = measure(hub.process.processId(), hubPort, clients);
    hub.stop();

    QProcess naive;
    naive.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--naive-hub"), redis.redacted()});
    quint16 naivePort = 0;
    if (naive.waitForReadyRead(20000)) {
        const QByteArray line = naive.readLine().trimmed();
        if (line.startsWith("naive-hub ws="))
            naivePort = quint16(line.mid(13).toUInt());
    }
    if (naivePort == 0)
        qFatal("ws_idle_memory: the naive hub did not start");
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

}  // namespace kucun::bench
