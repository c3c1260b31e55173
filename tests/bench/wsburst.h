#pragma once

// ws_connect_rate of scripts/bench ws (SPEC §9): many WebSocket clients arriving at once, as
// after a restart, each sending its upgrade and a subscription as soon as its connection is up.

#include <cstdint>
#include <string>

namespace kucun::bench {

struct BurstOutcome
{
    int subscribed = 0;  // handshake answered 101 and subscription answered
    int refused = 0;  // handshake answered otherwise (503: too many unfinished)
    int failed = 0;  // the connection failed or was closed first
    double seconds = 0;  // from the first connect to the last answer
};

// How the clients of a burst arrive.
struct BurstShape
{
    // Source addresses 127.0.0.2 to 127.0.0.(1 + sources), taken in turn.
    int sources = 1;
    // Every connection is up before any sends its upgrade request (clients behind a reverse
    // proxy that opens its connections ahead); otherwise each sends it as soon as it is up.
    bool connectAllFirst = false;
};

// Opens `clients` connections to 127.0.0.1:`port` at once (non-blocking), subscribes each once
// its upgrade is answered, and reads them all until each is subscribed, refused or failed, or
// `timeoutMs` has passed. Closes them before returning.
BurstOutcome connectBurst(uint16_t port, int clients, const std::string &channel,
                          const BurstShape &shape, int timeoutMs);

}  // namespace kucun::bench
