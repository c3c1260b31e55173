#include "loopbacksocket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun::bench {

int connectLoopback(uint16_t port, int sourceHost)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (sourceHost > 0) {
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + uint32_t(sourceHost));
        if (::bind(fd, reinterpret_cast<sockaddr *>(&source), sizeof source) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const std::string &bytes)
{
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += size_t(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            pollfd waiter{fd, POLLOUT, 0};
            ::poll(&waiter, 1, 100);
        } else {
            return false;
        }
    }
    return true;
}

const char *const kUpgradeRequest
    = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

std::string clientFrame(int opcode, const std::string &payload)
{
    static const unsigned char mask[4] = {0x11, 0x22, 0x33, 0x44};
    std::string frame;
    frame.push_back(char(0x80 | opcode));
    frame.push_back(char(0x80 | payload.size()));  // payloads here are < 126 bytes
    frame.append(reinterpret_cast<const char *>(mask), 4);
    for (size_t i = 0; i < payload.size(); ++i)
        frame.push_back(char(payload[i] ^ mask[i % 4]));
    return frame;
}

int openWsClient(uint16_t port, int sourceHost)
{
    const int fd = connectLoopback(port, sourceHost);
    if (fd < 0)
        return -1;
    if (!sendAll(fd, kUpgradeRequest)) {
        ::close(fd);
        return -1;
    }
    // Read the response byte by byte up to its blank line, so that no frame is swallowed.
    std::string response;
    while (response.size() < 4096 && response.find("\r\n\r\n") == std::string::npos) {
        pollfd waiter{fd, POLLIN, 0};
        if (::poll(&waiter, 1, 5000) <= 0) {
            ::close(fd);
            return -1;
        }
        char byte = 0;
        if (::recv(fd, &byte, 1, 0) != 1) {
            ::close(fd);
            return -1;
        }
        response.push_back(byte);
    }
    if (response.rfind("HTTP/1.1 101", 0) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::optional<ServerFrame> serverFrameAt(std::string_view bytes)
{
    if (bytes.size() < 2)
        return std::nullopt;
    ServerFrame frame;
    frame.opcode = uint8_t(bytes[0]) & 0x0f;
    frame.payloadBytes = uint8_t(bytes[1]) & 0x7f;
    frame.payloadAt = 2;
    if (frame.payloadBytes == 126) {
        if (bytes.size() < 4)
            return std::nullopt;
        frame.payloadBytes = (size_t(uint8_t(bytes[2])) << 8) | uint8_t(bytes[3]);
        frame.payloadAt = 4;
    } else if (frame.payloadBytes == 127) {
        if (bytes.size() < 10)
            return std::nullopt;
        frame.payloadBytes = 0;
        for (size_t i = 2; i < 10; ++i)
            frame.payloadBytes = (frame.payloadBytes << 8) | uint8_t(bytes[i]);
        frame.payloadAt = 10;
    }
    if (bytes.size() < frame.size())
        return std::nullopt;
    return frame;
}

}  // namespace kucun::bench
