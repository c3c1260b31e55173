#include "httploadgen.h"

#include "loopbacksocket.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kucun::bench {

namespace {

int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double threadCpuSeconds()
{
    timespec spent{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spent);
    return double(spent.tv_sec) + double(spent.tv_nsec) / 1e9;
}

// An answer larger than this is not what /api/publish sends: a broken parse, not a load.
constexpr size_t kMaxAnswer = 64 * 1024;
constexpr int64_t kDrainLimitNs = 5'000'000'000;

struct Connection
{
    int fd = -1;
    std::string in;
    int64_t sentAtNs = 0;
    bool waiting = false;
};

struct Answer
{
    int status = 0;
    bool close = false;
};

// The sockets are non-blocking for the epoll loop; a request is a few hundred bytes, so a
// short write is rare, and waiting for room then is simpler than a write queue.
int openConnection(uint16_t port)
{
    const int fd = connectLoopback(port);
    if (fd >= 0)
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

// Takes one whole answer off the front of `in`, if it is all there: the status line, the
// headers up to the blank line, and Content-Length bytes of body. The generator sends no
// request that could be answered in chunks, so a length is required. nullopt: not complete
// yet; status -1: not HTTP as /api/publish speaks it.
std::optional<Answer> takeAnswer(std::string &in)
{
    const size_t headerEnd = in.find("\r\n\r\n");
    if (headerEnd == std::string::npos) {
        if (in.size() > kMaxAnswer)
            return Answer{-1, true};
        return std::nullopt;
    }
    if (in.compare(0, 9, "HTTP/1.1 ") != 0)
        return Answer{-1, true};
    Answer answer;
    answer.status = std::atoi(in.c_str() + 9);
    // Header names are case-insensitive; the block is short, so lowering a copy is cheap.
    std::string headers = in.substr(0, headerEnd + 2);
    std::transform(headers.begin(), headers.end(), headers.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    const size_t lengthAt = headers.find("\r\ncontent-length:");
    if (lengthAt == std::string::npos)
        return Answer{-1, true};
    const size_t length = size_t(std::strtoull(headers.c_str() + lengthAt + 17, nullptr, 10));
    answer.close = headers.find("\r\nconnection: close\r\n") != std::string::npos;
    const size_t total = headerEnd + 4 + length;
    if (length > kMaxAnswer)
        return Answer{-1, true};
    if (in.size() < total)
        return std::nullopt;
    in.erase(0, total);
    return answer;
}

class LoadLoop
{
public:
    explicit LoadLoop(const HttpLoad &load)
        : m_load(load)
        , m_connections(size_t(load.connections))
    {
    }

    ~LoadLoop()
    {
        for (Connection &connection : m_connections) {
            if (connection.fd >= 0)
                ::close(connection.fd);
        }
        if (m_epoll >= 0)
            ::close(m_epoll);
    }

    HttpLoadOutcome run()
    {
        const double cpuStart = threadCpuSeconds();
        m_epoll = ::epoll_create1(0);
        for (Connection &connection : m_connections) {
            if (!open(connection))
                return m_outcome;
        }
        m_outcome.connected = true;
        const int64_t start = nowNs();
        m_windowStart = start + int64_t(m_load.warmupSeconds * 1e9);
        m_windowEnd = m_windowStart + int64_t(m_load.seconds * 1e9);
        m_outcome.latenciesNs.reserve(1 << 20);
        for (Connection &connection : m_connections)
            send(connection);

        epoll_event events[64];
        for (;;) {
            const int64_t now = nowNs();
            m_stopping = now >= m_windowEnd;
            if (m_stopping
                && std::none_of(m_connections.begin(), m_connections.end(),
                                [](const Connection &c) { return c.waiting; }))
                break;
            if (now - m_windowEnd > kDrainLimitNs) {
                for (const Connection &connection : m_connections)
                    m_outcome.failed += connection.waiting ? 1 : 0;
                break;
            }
            const int ready = ::epoll_wait(m_epoll, events, 64, 10);
            for (int i = 0; i < ready; ++i)
                serve(*static_cast<Connection *>(events[i].data.ptr));
        }
        m_outcome.measuredSeconds = m_load.seconds;
        m_outcome.wallSeconds = double(nowNs() - start) / 1e9;
        m_outcome.cpuSeconds = threadCpuSeconds() - cpuStart;
        return m_outcome;
    }

private:
    bool open(Connection &connection)
    {
        connection.fd = openConnection(m_load.port);
        if (connection.fd < 0) {
            std::fprintf(stderr, "http load: could not connect to port %u: %s\n",
                         unsigned(m_load.port), std::strerror(errno));
            return false;
        }
        connection.in.clear();
        connection.waiting = false;
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.ptr = &connection;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, connection.fd, &event);
        return true;
    }

    void send(Connection &connection)
    {
        const std::string body = m_load.body(m_outcome.sent);
        std::string request = "POST " + m_load.path
                              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                "\r\nContent-Length: "
                              + std::to_string(body.size()) + "\r\n\r\n" + body;
        connection.sentAtNs = nowNs();
        connection.waiting = true;
        ++m_outcome.sent;
        if (!sendAll(connection.fd, request))
            reconnect(connection);
    }

    // The server ended the connection (or the generator could not read it): a request in
    // flight on it failed; a new connection carries on while the run lasts.
    void reconnect(Connection &connection)
    {
        if (connection.waiting)
            ++m_outcome.failed;
        connection.waiting = false;
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
        ::close(connection.fd);
        connection.fd = -1;
        ++m_outcome.reconnects;
        if (!m_stopping && open(connection))
            send(connection);
    }

    void serve(Connection &connection)
    {
        char chunk[16 * 1024];
        bool ended = false;
        for (;;) {
            const ssize_t n = ::recv(connection.fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                connection.in.append(chunk, size_t(n));
                continue;
            }
            ended = n == 0 || (errno != EAGAIN && errno != EINTR);
            break;
        }
        while (connection.waiting) {
            const std::optional<Answer> answer = takeAnswer(connection.in);
            if (!answer)
                break;
            const int64_t now = nowNs();
            connection.waiting = false;
            if (answer->status == 200) {
                ++m_outcome.ok;
            } else {
                ++m_outcome.failed;
                if (m_outcome.firstBadStatus == 0)
                    m_outcome.firstBadStatus = answer->status;
            }
            if (now >= m_windowStart && now < m_windowEnd) {
                ++m_outcome.measured;
                m_outcome.latenciesNs.push_back(now - connection.sentAtNs);
            }
            if (answer->close || answer->status < 0) {
                ended = true;
                break;
            }
            m_stopping = now >= m_windowEnd;
            if (!m_stopping)
                send(connection);
        }
        if (ended)
            reconnect(connection);
    }

    const HttpLoad &m_load;
    std::vector<Connection> m_connections;
    HttpLoadOutcome m_outcome;
    int m_epoll = -1;
    int64_t m_windowStart = 0;
    int64_t m_windowEnd = 0;
    bool m_stopping = false;
};

}  // namespace

HttpLoadOutcome runHttpLoad(const HttpLoad &load)
{
    return LoadLoop(load).run();
}

}  // namespace kucun::bench
