#include "eventreplayer.h"

#include "eventbus.h"

#include <QFile>
#include <QLoggingCategory>
#include <QTimer>

#include <cmath>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcEvents)

EventReplayer::EventReplayer(EventBus &bus, double speed, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_speed(speed)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &EventReplayer::sendDue);
}

std::optional<QString> EventReplayer::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read '%1': %2").arg(path, file.errorString());
    if (file.size() > kMaxFileBytes) {
        return QStringLiteral("'%1' is %2 MiB; a recording may be at most %3 MiB")
            .arg(path)
            .arg(file.size() >> 20)
            .arg(kMaxFileBytes >> 20);
    }
    loadText(file.read(kMaxFileBytes + 1));
    return std::nullopt;
}

void EventReplayer::loadText(const QByteArray &text)
{
    m_messages.clear();
    m_next = 0;
    qint64 previousAtMs = 0;
    int number = 0;
    for (qsizetype start = 0; start < text.size();) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = QByteArrayView(text).sliced(start, end - start);
        start = end + 1;
        ++number;
        if (line.trimmed().isEmpty())
            continue;
        EventRecording::LineRead read = EventRecording::read(line, previousAtMs);
        if (const QString *why = std::get_if<QString>(&read)) {
            qCWarning(lcEvents).noquote() << "replay: line" << number << "skipped:" << *why;
            emit lineRefused(number, *why);
            continue;
        }
        RecordedMessage message = std::get<RecordedMessage>(std::move(read));
        previousAtMs = message.atMs;
        m_messages.append(std::move(message));
    }
}

void EventReplayer::start()
{
    m_next = 0;
    m_clock.start();
    qCInfo(lcEvents).noquote() << "replaying" << m_messages.size() << "messages"
                               << (m_speed > 0 ? QStringLiteral("at %1x").arg(m_speed)
                                               : QStringLiteral("as fast as possible"));
    sendDue();
}

void EventReplayer::sendDue()
{
    // The recorded pace, scaled: a message is due at its time / speed since the start.
    const auto dueAtMs = [this](const RecordedMessage &message) {
        return m_speed > 0 ? qint64(std::llround(double(message.atMs) / m_speed)) : 0;
    };
    int batch = 0;
    while (m_next < m_messages.size() && batch < kMaxBatch) {
        const RecordedMessage &message = m_messages[m_next];
        const qint64 waitMs = dueAtMs(message) - m_clock.elapsed();
        if (waitMs > 0) {
            m_timer->start(int(std::min<qint64>(waitMs, 60'000)));
            return;
        }
        m_bus.publish(message.channel, message.payload, EventSource::Replay);
        ++m_next;
        ++batch;
    }
    if (m_next < m_messages.size()) {
        m_timer->start(0);  // the rest in the next turn: the hub serves in between
        return;
    }
    qCInfo(lcEvents) << "replay done:" << m_next << "messages sent";
    emit finished(m_next);
}

}  // namespace kucun
