#pragma once

// What the lean load generators share: a blocking loopback connection and a send that writes
// everything, waiting (bounded) while the socket is full.

#include <cstdint>
#include <string>

namespace kucun::bench {

// A connected TCP socket to 127.0.0.1:port with Nagle's algorithm off (a small request after a
// small answer would otherwise wait for the peer's delayed ACK); blocking. -1 on failure.
// `sourceHost` n > 0: from 127.0.0.n, whose ephemeral ports are its own (one source address has
// about 28 000, fewer while closed connections linger in TIME_WAIT).
int connectLoopback(uint16_t port, int sourceHost = 0);
// Writes all of `bytes`, waiting up to 100 ms at a time while the socket is full; false when the
// connection failed.
bool sendAll(int fd, const std::string &bytes);

}  // namespace kucun::bench
