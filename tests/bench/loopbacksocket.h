#pragma once

// What the lean load generators share: a blocking loopback connection and a send that writes
// everything, waiting (bounded) while the socket is full.

#include <cstdint>
#include <string>

namespace kucun::bench {

// A connected TCP socket to 127.0.0.1:port with Nagle's algorithm off (a small request after a
// small answer would otherwise wait for the peer's delayed ACK); blocking. -1 on failure.
int connectLoopback(uint16_t port);
// Writes all of `bytes`, waiting up to 100 ms at a time while the socket is full; false when the
// connection failed.
bool sendAll(int fd, const std::string &bytes);

}  // namespace kucun::bench
