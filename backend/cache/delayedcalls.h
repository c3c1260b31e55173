#pragma once

#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

class QThread;

namespace kucun {

// Runs functions after a delay on a small thread of its own, so that code without an event
// loop (a worker thread waiting on a future) can still wait without blocking anyone.
// Calls still pending at stop() or destruction are dropped, and so are calls asked for after.
class DelayedCalls
{
public:
    DelayedCalls();
    ~DelayedCalls();
    DelayedCalls(const DelayedCalls &) = delete;
    DelayedCalls &operator=(const DelayedCalls &) = delete;

    // Any thread.
    void after(std::chrono::milliseconds delay, std::function<void()> call);
    // Ends the thread and waits for it; the object stays usable (after() then does nothing).
    void stop();

private:
    std::mutex m_mutex;  // orders after() against stop(), so no call is posted to a dead context
    bool m_stopped = false;
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr;  // lives in m_thread; deleted there when the thread ends
};

}  // namespace kucun
