#include "delayedcalls.h"

#include <QThread>
#include <QTimer>

namespace kucun {

DelayedCalls::DelayedCalls()
    : m_thread(std::make_unique<QThread>())
    , m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("kucun-cache-timers"));
    m_context->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

DelayedCalls::~DelayedCalls()
{
    stop();
}

void DelayedCalls::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    // Not under the lock: a call running in the thread may be asking for another one.
    m_thread->quit();
    m_thread->wait();
}

void DelayedCalls::after(std::chrono::milliseconds delay, std::function<void()> call)
{
    std::lock_guard lock(m_mutex);
    if (m_stopped)
        return;
    // The timer must be started in the context's thread: hop there first.
    QMetaObject::invokeMethod(
        m_context,
        [context = m_context, delay, call = std::move(call)]() mutable {
            QTimer::singleShot(delay, context, std::move(call));
        },
        Qt::QueuedConnection);
}

}  // namespace kucun
