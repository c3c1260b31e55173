#include "wsloadgen.h"

#include "loopbacksocket.h"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun::bench {

int64_t steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct WsLoadGenerator::Client
{
    int fd = -1;
    std::vector<char> buffer;
    size_t used = 0;
    bool closed = false;
    // Which numbered messages came, the highest so far, and what came twice or late.
    std::vector<bool> seen;
    int64_t highest = -1;
    int64_t distinct = 0;
    int64_t duplicated = 0;
    int64_t outOfOrder = 0;
};

struct WsLoadGenerator::Worker
{
    int epoll = -1;
    std::vector<std::unique_ptr<Client>> clients;
    std::atomic<int64_t> delivered{0};
    std::atomic<int64_t> lastDeliveryNs{0};
    std::atomic<int> subscribed{0};
    std::atomic<int> closed{0};
    std::vector<int64_t> latencies;
    std::thread thread;
};

WsLoadGenerator::WsLoadGenerator(int clients, int threads, int64_t messages, size_t readBufferBytes)
    : m_clientCount(clients)
    , m_messages(messages)
    , m_readBufferBytes(std::max<size_t>(readBufferBytes, 64))
{
    for (int i = 0; i < threads; ++i) {
        auto worker = std::make_unique<Worker>();
        worker->epoll = ::epoll_create1(0);
        worker->latencies.reserve(1 << 20);
        m_workers.push_back(std::move(worker));
    }
}

WsLoadGenerator::~WsLoadGenerator()
{
    stop();
    for (auto &worker : m_workers) {
        for (auto &client : worker->clients)
            ::close(client->fd);
        ::close(worker->epoll);
    }
}

bool WsLoadGenerator::connectAndSubscribe(uint16_t port, const std::string &channel)
{
    return connectAndSubscribe(port, std::vector<std::string>{channel});
}

bool WsLoadGenerator::connectAndSubscribe(uint16_t port, const std::vector<std::string> &channels)
{
    std::vector<std::string> subscribes;
    for (const std::string &channel : channels)
        subscribes.push_back(
            clientFrame(0x1, R"({"type":"subscribe","channel":")" + channel + R"("})"));
    for (int i = 0; i < m_clientCount; ++i) {
        const int fd = openWsClient(port, m_sourceAddresses > 0 ? 2 + i % m_sourceAddresses : 0);
        if (fd < 0 || !sendAll(fd, subscribes[size_t(i) % subscribes.size()])) {
            std::fprintf(stderr, "load generator: client %d could not connect: %s\n", i,
                         std::strerror(errno));
            return false;
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        Worker &worker = *m_workers[size_t(i) % m_workers.size()];
        auto client = std::make_unique<Client>();
        client->fd = fd;
        client->buffer.resize(m_readBufferBytes);
        client->seen.assign(size_t(m_messages), false);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.ptr = client.get();
        ::epoll_ctl(worker.epoll, EPOLL_CTL_ADD, fd, &event);
        worker.clients.push_back(std::move(client));
    }
    for (auto &worker : m_workers)
        worker->thread = std::thread([this, &worker] { readLoop(*worker); });
    return true;
}

void WsLoadGenerator::readLoop(Worker &worker)
{
    epoll_event events[256];
    while (!m_stopping.load(std::memory_order_relaxed)) {
        const int ready = ::epoll_wait(worker.epoll, events, 256, 20);
        for (int i = 0; i < ready; ++i)
            drain(worker, *static_cast<Client *>(events[i].data.ptr));
    }
}

void WsLoadGenerator::drain(Worker &worker, Client &client)
{
    for (;;) {
        if (client.used == client.buffer.size())
            client.buffer.resize(client.buffer.size() * 2);
        const ssize_t n = ::recv(client.fd, client.buffer.data() + client.used,
                                 client.buffer.size() - client.used, 0);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                if (!client.closed) {
                    client.closed = true;
                    ::epoll_ctl(worker.epoll, EPOLL_CTL_DEL, client.fd, nullptr);
                    worker.closed.fetch_add(1);
                }
            }
            break;
        }
        client.used += size_t(n);
    }

    const int64_t now = steadyNowNs();
    int64_t deliveries = 0;
    size_t at = 0;
    const char *data = client.buffer.data();
    while (const auto frame = serverFrameAt(std::string_view(data + at, client.used - at))) {
        const std::string_view payload(data + at + frame->payloadAt, frame->payloadBytes);
        if (frame->opcode == 0x1) {
            // Replies have a "type"; channel messages have "data" and no type of their own.
            if (payload.find(R"("type":"subscribed")") != std::string_view::npos) {
                worker.subscribed.fetch_add(1);
            } else if (payload.rfind(R"({"channel")", 0) == 0) {
                ++deliveries;
                if (const size_t t = payload.find(R"("t":)"); t != std::string_view::npos)
                    worker.latencies.push_back(now
                                               - std::strtoll(payload.data() + t + 4, nullptr, 10));
                if (const size_t seq = payload.find(R"("seq":)"); seq != std::string_view::npos)
                    account(client, std::strtoll(payload.data() + seq + 6, nullptr, 10));
            }
        } else if (frame->opcode == 0x9) {
            sendAll(client.fd, clientFrame(0xA, std::string(payload)));  // pong
        }
        at += frame->size();
    }
    if (at > 0) {
        std::memmove(client.buffer.data(), data + at, client.used - at);
        client.used -= at;
    }
    if (deliveries > 0) {
        worker.delivered.fetch_add(deliveries, std::memory_order_relaxed);
        worker.lastDeliveryNs.store(now, std::memory_order_relaxed);
    }
}

void WsLoadGenerator::account(Client &client, int64_t seq)
{
    if (seq < 0 || seq >= int64_t(client.seen.size()))
        return;  // not one of ours
    if (client.seen[size_t(seq)]) {
        ++client.duplicated;
        return;
    }
    client.seen[size_t(seq)] = true;
    ++client.distinct;
    if (seq < client.highest)
        ++client.outOfOrder;
    client.highest = std::max(client.highest, seq);
}

WsLoadGenerator::Accounting WsLoadGenerator::accounting() const
{
    Accounting total;
    for (const auto &worker : m_workers) {
        for (const auto &client : worker->clients) {
            total.lost += m_messages - client->distinct;
            total.duplicated += client->duplicated;
            total.outOfOrder += client->outOfOrder;
        }
    }
    return total;
}

int WsLoadGenerator::subscribedCount() const
{
    int total = 0;
    for (const auto &worker : m_workers)
        total += worker->subscribed.load();
    return total;
}

int64_t WsLoadGenerator::delivered() const
{
    int64_t total = 0;
    for (const auto &worker : m_workers)
        total += worker->delivered.load(std::memory_order_relaxed);
    return total;
}

int64_t WsLoadGenerator::lastDeliveryNs() const
{
    int64_t last = 0;
    for (const auto &worker : m_workers)
        last = std::max(last, worker->lastDeliveryNs.load(std::memory_order_relaxed));
    return last;
}

int WsLoadGenerator::closedCount() const
{
    int total = 0;
    for (const auto &worker : m_workers)
        total += worker->closed.load();
    return total;
}

std::vector<int64_t> WsLoadGenerator::latencies() const
{
    std::vector<int64_t> all;
    for (const auto &worker : m_workers)
        all.insert(all.end(), worker->latencies.begin(), worker->latencies.end());
    return all;
}

void WsLoadGenerator::stop()
{
    m_stopping.store(true);
    for (auto &worker : m_workers) {
        if (worker->thread.joinable())
            worker->thread.join();
    }
}

}  // namespace kucun::bench
