#pragma once

// The load generator of scripts/bench ws (SPEC §9): many WebSocket clients on raw non-blocking
// sockets, read by a few epoll threads with minimal framing, so that the hub, not the clients,
// is what gets measured. QWebSocket clients would cost more than the server they measure.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace kucun::bench {

class WsLoadGenerator
{
public:
    // `messages`: how many the publisher will number ("seq" 0 to messages - 1), so that each
    // client can tell what it lost, got twice or got out of order. `readBufferBytes`: each
    // client's first read buffer (it grows as needed); small for many idle clients.
    WsLoadGenerator(int clients, int threads, int64_t messages,
                    size_t readBufferBytes = 256 * 1024);
    ~WsLoadGenerator();

    // Connects every client to 127.0.0.1:`port`, completes the handshakes and subscribes each
    // to `channel`; starts the reader threads. False (with a message on stderr) on failure.
    bool connectAndSubscribe(uint16_t port, const std::string &channel);
    // The same with client i subscribed to channels[i % channels.size()].
    bool connectAndSubscribe(uint16_t port, const std::vector<std::string> &channels);
    // Before connecting: spread the clients over the source addresses 127.0.0.2 to
    // 127.0.0.(1 + count), for more clients than one address has ports.
    void setSourceAddresses(int count) { m_sourceAddresses = count; }
    // How many clients have their `subscribed` reply.
    int subscribedCount() const;
    // Channel messages received so far, and when the last one came (steady clock, ns).
    int64_t delivered() const;
    int64_t lastDeliveryNs() const;
    int closedCount() const;
    // Over every client, after stop(): numbered messages that never came, that came again, and
    // that came after a later one.
    struct Accounting
    {
        int64_t lost = 0;
        int64_t duplicated = 0;
        int64_t outOfOrder = 0;
    };
    Accounting accounting() const;
    // Publish→deliver latencies in ns, read from the "t" field the publisher puts in each
    // message. Call after stop().
    std::vector<int64_t> latencies() const;
    void stop();

private:
    struct Client;
    struct Worker;
    void readLoop(Worker &worker);
    void drain(Worker &worker, Client &client);
    static void account(Client &client, int64_t seq);

    const int m_clientCount;
    const int64_t m_messages;
    const size_t m_readBufferBytes;
    int m_sourceAddresses = 0;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::atomic<bool> m_stopping{false};
};

// Steady-clock nanoseconds, the time base of the "t" field.
int64_t steadyNowNs();

}  // namespace kucun::bench
