#include "deliveryprobe.h"

#include "loopbacksocket.h"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace kucun::bench {

namespace {

using Clock = std::chrono::steady_clock;

// One whole server frame at the front of `buffer`: its opcode and payload, taken off the
// buffer; false while it is not all there.
bool takeFrame(std::string &buffer, int &opcode, std::string &payload)
{
    const auto frame = serverFrameAt(buffer);
    if (!frame)
        return false;
    opcode = frame->opcode;
    payload = buffer.substr(frame->payloadAt, frame->payloadBytes);
    buffer.erase(0, frame->size());
    return true;
}

// `"data":12` carries 12, not 1.
bool carries(const std::string &payload, const std::string &data)
{
    const size_t at = payload.find(data);
    return at != std::string::npos
           && (at + data.size() == payload.size() || !std::isdigit(payload[at + data.size()]));
}

}  // namespace

DeliveryProbe::DeliveryProbe(uint16_t port, std::string channel, int periodMs)
    : m_port(port)
    , m_channel(std::move(channel))
    , m_periodMs(periodMs)
{
}

DeliveryProbe::~DeliveryProbe()
{
    stop();
}

bool DeliveryProbe::start()
{
    m_fd = openWsClient(m_port);
    if (m_fd < 0)
        return false;
    if (!sendAll(m_fd,
                 clientFrame(0x1, R"({"type":"subscribe","channel":")" + m_channel + R"("})")))
        return false;
    // Up to the subscription's answer, so that the first echo is not taken for something else;
    // what came after it stays for run().
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    for (;;) {
        int opcode = 0;
        std::string payload;
        bool subscribed = false;
        while (!subscribed && takeFrame(m_received, opcode, payload))
            subscribed
                = opcode == 0x1 && payload.find(R"("type":"subscribed")") != std::string::npos;
        if (subscribed)
            break;
        if (Clock::now() > deadline || !readSome(100))
            return false;
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

void DeliveryProbe::run()
{
    for (int64_t sequence = 1; !m_stopping; ++sequence) {
        const auto sent = Clock::now();
        const std::string publish = R"({"type":"publish","channel":")" + m_channel + R"(","data":)"
                                    + std::to_string(sequence) + "}";
        if (!sendAll(m_fd, clientFrame(0x1, publish)))
            return;
        if (awaitEcho(sequence)) {
            const std::lock_guard lock(m_mutex);
            m_roundTrips.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        } else {
            ++m_lost;
        }
        std::this_thread::sleep_until(sent + std::chrono::milliseconds(m_periodMs));
    }
}

bool DeliveryProbe::awaitEcho(int64_t sequence)
{
    const std::string wanted = R"("data":)" + std::to_string(sequence);
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    while (Clock::now() < deadline && !m_stopping) {
        int opcode = 0;
        std::string payload;
        while (takeFrame(m_received, opcode, payload)) {
            if (opcode == 0x9 && payload.size() < 126)
                sendAll(m_fd, clientFrame(0xA, payload));
            else if (opcode == 0x1 && payload.rfind(R"({"channel":)", 0) == 0  // not a reply
                     && carries(payload, wanted))
                return true;
        }
        if (!readSome(50))
            return false;
    }
    return false;
}

bool DeliveryProbe::readSome(int waitMs)
{
    pollfd waiter{m_fd, POLLIN, 0};
    if (::poll(&waiter, 1, waitMs) <= 0)
        return true;  // nothing yet
    char chunk[4096];
    const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0)
        m_received.append(chunk, size_t(n));
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

std::vector<double> DeliveryProbe::take()
{
    const std::lock_guard lock(m_mutex);
    return std::exchange(m_roundTrips, {});
}

void DeliveryProbe::stop()
{
    m_stopping = true;
    if (m_thread.joinable())
        m_thread.join();
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

}  // namespace kucun::bench
