#include "eventrecorder.h"

#include "eventrecording.h"

#include <QLoggingCategory>
#include <QTimer>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcEvents)

EventRecorder::EventRecorder(EventRouter &router, QObject *parent)
    : QObject(parent)
    , m_router(router)
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &EventRecorder::flush);
    connect(&m_router, &EventRouter::eventProcessed, this, &EventRecorder::take);
}

EventRecorder::~EventRecorder()
{
    stop();
}

std::optional<QString> EventRecorder::start(const QString &path)
{
    stop();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return QStringLiteral("cannot write '%1': %2").arg(path, m_file.errorString());
    m_clock.start();
    m_recorded = 0;
    m_flushTimer->start();
    qCInfo(lcEvents).noquote() << "recording the bus to" << path;
    return std::nullopt;
}

void EventRecorder::stop()
{
    if (!m_file.isOpen())
        return;
    m_flushTimer->stop();
    flush();
    m_file.close();
    qCInfo(lcEvents).noquote() << "recorded" << m_recorded << "messages to" << m_file.fileName();
}

void EventRecorder::take(const EventRecord &record)
{
    if (!m_file.isOpen())
        return;
    const QByteArray line
        = EventRecording::line({m_clock.elapsed(), record.channel, record.payload});
    if (m_file.write(line) != line.size()) {
        qCWarning(lcEvents).noquote()
            << "recording to" << m_file.fileName() << "stopped:" << m_file.errorString();
        m_flushTimer->stop();
        m_file.close();
        return;
    }
    ++m_recorded;
}

void EventRecorder::flush()
{
    if (m_file.isOpen() && !m_file.flush()) {
        qCWarning(lcEvents).noquote()
            << "recording to" << m_file.fileName() << "stopped:" << m_file.errorString();
        m_flushTimer->stop();
        m_file.close();
    }
}

}  // namespace kucun
