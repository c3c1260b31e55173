#pragma once

// What a connected client sees of the hub while something else goes on (a burst of
// connections, in ws_connect_rate): on a thread of its own, one client publishes to a channel it
// is subscribed to every few milliseconds and times each message's way back through the hub.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kucun::bench {

class DeliveryProbe
{
public:
    DeliveryProbe(uint16_t port, std::string channel, int periodMs);
    ~DeliveryProbe();

    // Connects, subscribes and starts publishing; false when the hub did not let it in.
    bool start();
    // The round trips (ms) since the last call.
    std::vector<double> take();
    // Messages that did not come back within two seconds, since start().
    int lost() const { return m_lost; }
    void stop();

private:
    void run();
    // Reads frames until a message carrying `sequence` comes, answering pings; false after two
    // seconds without it, or when the connection failed.
    bool awaitEcho(int64_t sequence);
    // Waits up to `waitMs` for bytes and appends what came; false when the connection ended.
    bool readSome(int waitMs);

    const uint16_t m_port;
    const std::string m_channel;
    const int m_periodMs;
    int m_fd = -1;
    std::string m_received;  // what was read and not yet taken as frames
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_lost{0};
    std::mutex m_mutex;
    std::vector<double> m_roundTrips;  // under m_mutex
    std::thread m_thread;
};

}  // namespace kucun::bench
