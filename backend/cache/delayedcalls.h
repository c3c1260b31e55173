#pragma once

#include <QObject>

#include <chrono>
#include <functional>
#include <memory>

class QThread;

namespace kucun {

// Runs functions after a delay on a small thread of its own, so that code without an event
// loop (a worker thread waiting on a future) can still wait without blocking anyone.
// Calls still pending at destruction are dropped.
class DelayedCalls
{
public:
    DelayedCalls();
    ~DelayedCalls();
    DelayedCalls(const DelayedCalls &) = delete;
    DelayedCalls &operator=(const DelayedCalls &) = delete;

    void after(std::chrono::milliseconds delay, std::function<void()> call);

private:
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr;  // lives in m_thread; deleted there when the thread ends
};

}  // namespace kucun
