// scripts/bench events: event_pipeline of SPEC §9 and §14. The real kucun-hub binary (headless,
// on a private redis-server) hears `PUBLISH channel:inventory:change` from a site's backend
// (hiredis, pipelined), runs the cascade (three tags per event, in Redis), delivers each event to
// 10 raw WebSocket subscribers (WsLoadGenerator) and writes its audit row. Measured: events per
// second from the first PUBLISH to the last delivery, with causal traces on and off in the same
// run, alternating, each round on a fresh hub; the audit rows (and traces) are counted in the
// hub's database after it stopped, so a figure bought by dropping rows would show.

#include "benchjson.h"
#include "support/hubprocess.h"
#include "support/redisserver.h"
#include "wsloadgen.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <hiredis/hiredis.h>
#include <memory>
#include <optional>

using namespace kucun;
using namespace kucun::bench;

namespace {

constexpr int kSubscribers = 10;
constexpr int kProducts = 100;
constexpr int kPipelineDepth = 200;
const char *const kEventChannel = "channel:inventory:change";

struct Sizes
{
    int events = 30'000;
    int rounds = 3;
};

struct Round
{
    double eventsPerSecond = 0;
    int64_t lost = 0;
    qint64 rows = 0;  // audit rows of the measured events
    qint64 traced = 0;  // of which with a trace
};

using Redis = std::unique_ptr<redisContext, decltype(&redisFree)>;

bool command(redisContext *redis, const QList<QByteArray> &parts)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &part : parts) {
        argv.push_back(part.constData());
        lengths.push_back(size_t(part.size()));
    }
    auto *reply = static_cast<redisReply *>(
        redisCommandArgv(redis, int(argv.size()), argv.data(), lengths.data()));
    const bool ok = reply && reply->type != REDIS_REPLY_ERROR;
    freeReplyObject(reply);
    return ok;
}

// Keys under each tag the cascade removes, as a site's cache holds them (§4 layout).
bool seedKeys(redisContext *redis)
{
    for (int p = 0; p < kProducts; ++p) {
        const QByteArray id = QByteArray::number(p);
        for (const QByteArray &tag : {"inventory:summary:" + id, "products:" + id}) {
            const QByteArray key = "kucun:" + tag + ":cached";
            if (!command(redis, {"SET", key, "{}"})
                || !command(redis, {"SADD", "kucun:tag:" + tag, key}))
                return false;
        }
    }
    return true;
}

QByteArray event(int64_t seq)
{
    return R"({"type":"inventory:change","productId":")" + QByteArray::number(seq % kProducts)
           + R"(","oldQuantity":100,"newQuantity":95,"reason":"sale","timestamp":1764339000000,)"
           + R"("seq":)" + QByteArray::number(seq) + R"(,"t":)"
           + QByteArray::number(qint64(steadyNowNs())) + "}";
}

// Until the hub's pattern subscription is in place: PUBLISH counts it as a receiver.
bool waitForSubscriber(redisContext *redis)
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        auto *reply = static_cast<redisReply *>(
            redisCommand(redis, "PUBLISH channel:bench-probe %s", "probe"));
        const bool heard = reply && reply->type == REDIS_REPLY_INTEGER && reply->integer > 0;
        freeReplyObject(reply);
        if (heard)
            return true;
        QThread::msleep(50);
    }
    return false;
}

std::pair<qint64, qint64> auditRows(const QString &path)
{
    const QString name = QStringLiteral("bench-audit");
    std::pair<qint64, qint64> counts{-1, -1};
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*), count(trace) FROM events "
                                          "WHERE channel = '%1'")
                               .arg(QLatin1StringView(kEventChannel)))
                && query.next())
                counts = {query.value(0).toLongLong(), query.value(1).toLongLong()};
        }
    }
    QSqlDatabase::removeDatabase(name);
    return counts;
}

std::optional<Round> runRound(const test::RedisServer &server, bool tracing, int events)
{
    QTemporaryDir home;
    QProcessEnvironment environment = test::HubProcess::cleanEnvironment(home.path());
    environment.insert(QStringLiteral("REDIS_URL"), server.url());
    environment.insert(QStringLiteral("HUB_EVENT_TRACE"),
                       tracing ? QStringLiteral("on") : QStringLiteral("off"));
    const QString dataDir = home.filePath(QStringLiteral("data"));
    environment.insert(QStringLiteral("HUB_DATA_DIR"), dataDir);
    test::HubProcess hub;
    if (!hub.start(QStringLiteral(KUCUN_HUB_BINARY),
                   {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0"),
                    QStringLiteral("--http-port"), QStringLiteral("off")},
                   environment))
        return std::nullopt;
    const QUrl ws = hub.waitForReady();
    if (ws.isEmpty())
        return std::nullopt;

    const Redis redis(redisConnect("127.0.0.1", server.port()), redisFree);
    if (!redis || redis->err || !seedKeys(redis.get()) || !waitForSubscriber(redis.get())) {
        qWarning("event_pipeline: Redis or the hub's subscription is not there");
        return std::nullopt;
    }
    WsLoadGenerator subscribers(kSubscribers, 2, events);
    if (!subscribers.connectAndSubscribe(ws.port(), "inventory"))
        return std::nullopt;
    for (int wait = 0; wait < 500 && subscribers.subscribedCount() < kSubscribers; ++wait)
        QThread::msleep(10);

    const int64_t start = steadyNowNs();
    for (int64_t seq = 0; seq < events;) {
        const int64_t batch = std::min<int64_t>(kPipelineDepth, events - seq);
        for (int64_t i = 0; i < batch; ++i, ++seq) {
            const QByteArray payload = event(seq);
            redisAppendCommand(redis.get(), "PUBLISH %s %b", kEventChannel, payload.constData(),
                               size_t(payload.size()));
        }
        for (int64_t i = 0; i < batch; ++i) {
            void *reply = nullptr;
            if (redisGetReply(redis.get(), &reply) != REDIS_OK)
                return std::nullopt;
            freeReplyObject(reply);
        }
    }
    const int64_t expected = int64_t(events) * kSubscribers;
    for (int wait = 0; wait < 6000 && subscribers.delivered() < expected; ++wait)
        QThread::msleep(10);
    Round round;
    round.eventsPerSecond = double(events) / (double(subscribers.lastDeliveryNs() - start) / 1e9);
    subscribers.stop();
    round.lost = subscribers.accounting().lost;
    if (!hub.stop())
        qWarning("event_pipeline: the hub did not stop cleanly");
    std::tie(round.rows, round.traced) = auditRows(dataDir + QStringLiteral("/audit.db"));
    return round;
}

double twoDecimals(double value)
{
    return std::round(value * 100) / 100;
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Sizes sizes;
    if (app.arguments().contains(QStringLiteral("--quick")))
        sizes = {500, 1};
    test::RedisServer server;
    if (!server.start())
        return 1;

    std::vector<double> on;
    std::vector<double> off;
    Round lastOn;
    Round lastOff;
    for (int round = 0; round < sizes.rounds; ++round) {
        // Alternating which goes first, so that a drift of the machine favours neither.
        for (const bool tracing :
             round % 2 == 0 ? std::array{true, false} : std::array{false, true}) {
            const std::optional<Round> result = runRound(server, tracing, sizes.events);
            if (!result)
                return 1;
            if (result->lost != 0 || result->rows != sizes.events
                || result->traced != (tracing ? sizes.events : 0)) {
                qWarning("event_pipeline: %lld lost, %lld of %d audit rows, %lld traced",
                         static_cast<long long>(result->lost), result->rows, sizes.events,
                         result->traced);
                return 1;
            }
            (tracing ? on : off).push_back(result->eventsPerSecond);
            (tracing ? lastOn : lastOff) = *result;
        }
    }
    const double traced = median(on);
    const double untraced = median(off);
    const auto row = [&](const char *scenario, double value, double baseline) {
        printRow(
            {{"scenario", scenario},
             {"value", qRound64(value)},
             {"unit", "events/s"},
             {"baseline", qRound64(baseline)},
             {"baseline_kind", "the same hub and load with HUB_EVENT_TRACE=off"},
             {"ratio", baseline > 0 ? twoDecimals(value / baseline) : 0.0},
             {"trace_cost_percent", baseline > 0 ? twoDecimals(100 * (1 - value / baseline)) : 0.0},
             {"events", sizes.events},
             {"rounds", sizes.rounds},
             {"subscribers", kSubscribers},
             {"audit_rows", lastOn.rows},
             {"traced_rows", lastOn.traced}});
    };
    row("event_pipeline", traced, untraced);
    return 0;
}
