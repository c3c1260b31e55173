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

// Opens `clients` connections to 127.0.0.1:`port` at once (non-blocking, spread over the source
// addresses 127.0.0.2 to 127.0.0.(1 + sources)), subscribes each once its upgrade is answered,
// and reads them all until each is subscribed,
// refused or failed, or `timeoutMs` has passed. Closes them before returning.
BurstOutcome connectBurst(uint16_t port, int clients, const std::string &channel, int sources,
                          int timeoutMs);

}  // namespace kucun::bench
