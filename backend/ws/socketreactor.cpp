#include "socketreactor.h"

#include <QSocketNotifier>

#include <array>
#include <sys/epoll.h>
#include <unistd.h>

namespace kucun {

namespace {

// Ready sockets taken per turn of the event loop; the rest wait for the next turn, so that a
// storm of clients cannot keep the loop (timers, Redis, the telemetry) from running.
constexpr int kEventsPerTurn = 512;

uint32_t epollEvents(bool writes)
{
    return EPOLLIN | EPOLLRDHUP | (writes ? EPOLLOUT : 0u);
}

}  // namespace

SocketReactor::SocketReactor(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
{
    if (m_epoll < 0)
        return;
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SocketReactor::dispatch);
}

SocketReactor::~SocketReactor()
{
    delete m_notifier;  // before the descriptor it watches
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool SocketReactor::add(int descriptor, void *context)
{
    epoll_event event{};
    event.events = epollEvents(false);
    event.data.ptr = context;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event) == 0;
}

void SocketReactor::watchWrites(int descriptor, void *context, bool on)
{
    epoll_event event{};
    event.events = epollEvents(on);
    event.data.ptr = context;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, descriptor, &event);
}

void SocketReactor::remove(int descriptor)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, nullptr);
}

void SocketReactor::dispatch()
{
    std::array<epoll_event, kEventsPerTurn> events;
    const int ready = ::epoll_wait(m_epoll, events.data(), kEventsPerTurn, 0);
    for (int i = 0; i < ready; ++i) {
        const uint32_t flags = events[size_t(i)].events;
        uint32_t what = 0;
        if (flags & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            what |= Readable;
        if (flags & EPOLLOUT)
            what |= Writable;
        m_handler(events[size_t(i)].data.ptr, what);
    }
}

}  // namespace kucun
