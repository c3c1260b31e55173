#include "wsburst.h"

#include "loopbacksocket.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace kucun::bench {

namespace {

enum class Stage { Connecting, Connected, Upgrading, Subscribing, Done };

struct Pending
{
    int fd = -1;
    Stage stage = Stage::Connecting;
    std::string received;
};

int startConnect(uint16_t port, int sourceHost)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + uint32_t(sourceHost));
    sockaddr_in target{};
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&source), sizeof source) != 0
        || (::connect(fd, reinterpret_cast<sockaddr *>(&target), sizeof target) != 0
            && errno != EINPROGRESS)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

BurstOutcome connectBurst(uint16_t port, int clients, const std::string &channel,
                          const BurstShape &shape, int timeoutMs)
{
    const std::string opening = kUpgradeRequest;
    // Sent once the connection is open, as a browser does (QWebSocketServer drops a frame that
    // comes with the upgrade request).
    const std::string subscribe
        = clientFrame(0x1, R"({"type":"subscribe","channel":")" + channel + R"("})");
    BurstOutcome outcome;
    const int epoll = ::epoll_create1(0);
    std::vector<Pending> pending(static_cast<size_t>(clients));
    const auto start = std::chrono::steady_clock::now();
    int open = 0;
    int waitingToUpgrade = 0;  // connected, upgrade held back (BurstShape::connectAllFirst)
    const auto finish = [&](Pending &client, int BurstOutcome::*counter) {
        client.stage = Stage::Done;
        ++(outcome.*counter);
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, client.fd, nullptr);
        --open;
    };
    const auto upgrade = [&](Pending &client) {
        client.stage = Stage::Upgrading;
        return sendAll(client.fd, opening);
    };
    std::vector<epoll_event> events(1024);
    char chunk[4096];
    // Handles what is ready: a connection up sends its upgrade, an upgrade answered sends the
    // subscription, a subscription answered is done.
    const auto pump = [&](int waitMs) {
        const int ready = ::epoll_wait(epoll, events.data(), int(events.size()), waitMs);
        for (int e = 0; e < ready; ++e) {
            Pending &client = *static_cast<Pending *>(events[size_t(e)].data.ptr);
            if (client.stage == Stage::Done)
                continue;
            if (client.stage == Stage::Connecting) {
                int error = 0;
                socklen_t length = sizeof error;
                ::getsockopt(client.fd, SOL_SOCKET, SO_ERROR, &error, &length);
                if (error != 0) {
                    finish(client, &BurstOutcome::failed);
                    continue;
                }
                epoll_event event{};
                event.events = EPOLLIN;
                event.data.ptr = &client;
                ::epoll_ctl(epoll, EPOLL_CTL_MOD, client.fd, &event);
                if (shape.connectAllFirst) {
                    client.stage = Stage::Connected;
                    ++waitingToUpgrade;
                } else if (!upgrade(client)) {
                    finish(client, &BurstOutcome::failed);
                }
                continue;
            }
            const ssize_t n = ::recv(client.fd, chunk, sizeof chunk, MSG_DONTWAIT);
            if (n <= 0) {
                if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    if (client.stage == Stage::Connected)
                        --waitingToUpgrade;  // closed while it held back its upgrade
                    finish(client, client.received.rfind("HTTP/1.1 503", 0) == 0
                                       ? &BurstOutcome::refused
                                       : &BurstOutcome::failed);
                }
                continue;
            }
            client.received.append(chunk, size_t(n));
            if (client.stage == Stage::Upgrading) {
                if (client.received.find("\r\n\r\n") == std::string::npos)
                    continue;
                if (client.received.rfind("HTTP/1.1 101", 0) != 0) {
                    finish(client, &BurstOutcome::refused);
                    continue;
                }
                client.stage = Stage::Subscribing;
                client.received.erase(0, client.received.find("\r\n\r\n") + 4);
                if (!sendAll(client.fd, subscribe)) {
                    finish(client, &BurstOutcome::failed);
                    continue;
                }
            }
            if (client.received.find(R"("type":"subscribed")") != std::string::npos)
                finish(client, &BurstOutcome::subscribed);
        }
    };
    for (int i = 0; i < clients; ++i) {
        Pending &client = pending[size_t(i)];
        client.fd = startConnect(port, 2 + i % std::max(1, shape.sources));
        if (client.fd < 0) {
            client.stage = Stage::Done;
            ++outcome.failed;
            continue;
        }
        epoll_event event{};
        event.events = EPOLLOUT | EPOLLIN;
        event.data.ptr = &client;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, client.fd, &event);
        ++open;
        // As many clients would: each goes on as soon as its connection is up, while the
        // others are still connecting.
        if (i % 32 == 31)
            pump(0);
    }
    const auto timeLeft = [&] {
        return std::chrono::steady_clock::now() - start < std::chrono::milliseconds(timeoutMs);
    };
    if (shape.connectAllFirst) {
        while (waitingToUpgrade < open && timeLeft())
            pump(50);
        for (Pending &client : pending) {
            if (client.stage == Stage::Connected && !upgrade(client))
                finish(client, &BurstOutcome::failed);
        }
    }
    while (open > 0 && timeLeft())
        pump(50);
    outcome.seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.failed += open;  // no answer within the time
    for (const Pending &client : pending) {
        if (client.fd >= 0)
            ::close(client.fd);
    }
    ::close(epoll);
    return outcome;
}

}  // namespace kucun::bench
