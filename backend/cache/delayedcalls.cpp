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
    m_thread->quit();
    m_thread->wait();
}

void DelayedCalls::after(std::chrono::milliseconds delay, std::function<void()> call)
{
    // The timer must be started in the context's thread: hop there first.
    QMetaObject::invokeMethod(
        m_context,
        [context = m_context, delay, call = std::move(call)]() mutable {
            QTimer::singleShot(delay, context, std::move(call));
        },
        Qt::QueuedConnection);
}

}  // namespace kucun
