#pragma once

// What the lean load generators share: a blocking loopback connection, a send that writes
// everything, waiting (bounded) while the socket is full, and the client's side of a WebSocket
// handshake and frames.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kucun::bench {

// A connected TCP socket to 127.0.0.1:port with Nagle's algorithm off (a small request after a
// small answer would otherwise wait for the peer's delayed ACK); blocking. -1 on failure.
// `sourceHost` n > 0: from 127.0.0.n, whose ephemeral ports are its own (one source address has
// about 28 000, fewer while closed connections linger in TIME_WAIT).
int connectLoopback(uint16_t port, int sourceHost = 0);
// Writes all of `bytes`, waiting up to 100 ms at a time while the socket is full; false when the
// connection failed.
bool sendAll(int fd, const std::string &bytes);

// The upgrade request every benchmark client sends.
extern const char *const kUpgradeRequest;
// connectLoopback() and the WebSocket handshake, bounded by poll timeouts; -1 on failure. Nothing
// after the response's blank line is read.
int openWsClient(uint16_t port, int sourceHost = 0);
// A masked client frame (RFC 6455 requires clients to mask) with a payload under 126 bytes; the
// mask is fixed, which is allowed for a load generator talking to its own server.
std::string clientFrame(int opcode, const std::string &payload);

// A server frame (unmasked, so its header is 2, 4 or 10 bytes) at the front of some bytes.
struct ServerFrame
{
    int opcode = 0;
    size_t payloadAt = 0;
    size_t payloadBytes = 0;
    size_t size() const { return payloadAt + payloadBytes; }
};
// The frame at the front of `bytes`; nullopt while it has not all come.
std::optional<ServerFrame> serverFrameAt(std::string_view bytes);

}  // namespace kucun::bench
