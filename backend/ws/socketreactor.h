#pragma once

#include <QObject>

#include <cstdint>
#include <functional>

class QSocketNotifier;

namespace kucun {

// Readiness of many plain sockets through one epoll descriptor, itself watched by one
// QSocketNotifier. The event loop then looks at a single descriptor however many clients there
// are: with a QTcpSocket (and its notifier) per client, every turn of the loop polls all of them,
// and each socket keeps a 16 KiB read buffer of Qt's for good once it has read anything. Level-
// triggered: a socket not read to the end is reported again on the next turn. Engine thread;
// Linux.
class SocketReactor : public QObject
{
    Q_OBJECT

public:
    // Readable (or closed, or failed) and writable, as epoll reports them.
    enum Event : uint32_t { Readable = 1, Writable = 2 };
    // Called for each ready socket with what it is ready for; `context` is what add() was given.
    // It may remove or close that socket, or any other.
    using Handler = std::function<void(void *context, uint32_t events)>;

    explicit SocketReactor(Handler handler, QObject *parent = nullptr);
    ~SocketReactor() override;

    // False (errno set) when the descriptor cannot be watched.
    bool add(int descriptor, void *context);
    // Also report when it can be written to (after a send() the kernel did not take whole).
    void watchWrites(int descriptor, void *context, bool on);
    // Before the descriptor is closed.
    void remove(int descriptor);
    // Whether epoll is there (it is on Linux unless the process is out of descriptors).
    bool isValid() const { return m_epoll >= 0; }

private:
    void dispatch();

    Handler m_handler;
    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
};

}  // namespace kucun
