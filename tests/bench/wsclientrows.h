#pragma once

// The rows of scripts/bench ws about many clients (SPEC §9), on the real kucun-hub binary in a
// process of its own, so that only its memory is measured:
// - ws_idle_memory: what each idle subscribed client costs the hub's resident memory, against
//   the naive QWebSocketServer hub of the fan-out rows (this benchmark started again with
//   --naive-hub);
// - ws_connect_rate: a burst of clients connecting and subscribing at once, against the naive
//   hub too;
// - ws_clients_max: as many clients as the machine lets one process hold (50 000 where it may),
//   all subscribed to one channel, one message a second to all of them across a heartbeat.

#include "redis/redisurl.h"

#include <QString>

#include <functional>

namespace kucun::bench {

// Runs the naive hub in this process until it is terminated: prints "naive-hub ws=PORT" once
// it listens. For `kucun_bench_ws --naive-hub REDIS_URL`.
int runNaiveHubProcess(const RedisUrl &redis);

// Measures both hubs with `clients` idle clients spread over 100 channels and prints the row.
void idleMemoryRow(const QString &hubBinary, const RedisUrl &redis, int clients);

// A burst of `clients` connecting and subscribing at once (wsburst.h), to both hubs; prints the
// row.
void connectRateRow(const QString &hubBinary, const RedisUrl &redis, int clients);

// Publishes `messagesPerSecond` numbered messages on ws:`channel` for `seconds` through Redis.
using Publisher
    = std::function<bool(const std::string &channel, int messagesPerSecond, double seconds)>;
// At most `clients` (fewer when the descriptor limit does not allow them) on the hub started on
// `redis`, `seconds` of one message a second; prints the row.
void clientsMaxRow(const QString &hubBinary, const RedisUrl &redis, int clients, double seconds,
                   const Publisher &publish);

}  // namespace kucun::bench
