#pragma once

// ws_idle_memory of scripts/bench ws (SPEC §9, the 50 000 clients issue): what each idle
// subscribed WebSocket client costs a hub's resident memory. Both hubs run as processes of their
// own, so that only their memory is measured: the real kucun-hub binary, and the naive
// QWebSocketServer hub of the fan-out rows (this benchmark started again with --naive-hub).

#include "redis/redisurl.h"

#include <QString>

namespace kucun::bench {

// Runs the naive hub in this process until it is terminated: prints "naive-hub ws=PORT" once
// it listens. For `kucun_bench_ws --naive-hub REDIS_URL`.
int runNaiveHubProcess(const RedisUrl &redis);

// Measures both hubs with `clients` idle clients spread over 100 channels and prints the row.
void idleMemoryRow(const QString &hubBinary, const RedisUrl &redis, int clients);

}  // namespace kucun::bench
