#pragma once

// The HTTP load generator of scripts/bench http (SPEC §9): a few keep-alive connections on raw
// non-blocking sockets, each with exactly one request in flight, all driven by one epoll
// thread. That is how redis-benchmark drives its baseline (one event loop, one command per
// connection with -P 1), so both sides are asked the same way; and a raw loop costs the client
// a few system calls per request, which keeps it from being what gets measured.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kucun::bench {

struct HttpLoad
{
    uint16_t port = 0;
    int connections = 8;
    std::string path = "/api/publish";
    // The JSON body of request number `seq` (numbered from 0 over every connection), built
    // just before it is sent, so that it may carry its send time.
    std::function<std::string(int64_t seq)> body;
    double warmupSeconds = 1.0;
    double seconds = 5.0;
};

struct HttpLoadOutcome
{
    // Answers that arrived inside the measured window, and their latencies (request written →
    // whole answer read, ns). The warm-up and the drain after the window are not in these.
    int64_t measured = 0;
    double measuredSeconds = 0;
    std::vector<int64_t> latenciesNs;
    // Over the whole run, warm-up and drain included: what a subscriber should have received.
    int64_t sent = 0;
    int64_t ok = 0;  // status 200
    int64_t failed = 0;  // any other status, or no answer before the connection ended
    int64_t reconnects = 0;  // the server ended a connection (it should not: keep-alive)
    int firstBadStatus = 0;
    // CPU time of the generator's thread over the run, to show it was not the limit.
    double cpuSeconds = 0;
    double wallSeconds = 0;
    bool connected = false;
};

// Runs the load against 127.0.0.1:`load.port` and returns when every connection has its last
// answer (or after a bounded wait for it). Blocks the calling thread.
HttpLoadOutcome runHttpLoad(const HttpLoad &load);

}  // namespace kucun::bench
