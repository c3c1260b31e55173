#pragma once

#include "eventrecording.h"

#include <QElapsedTimer>
#include <QObject>

#include <optional>

class QTimer;

namespace kucun {

class EventBus;

// `--replay FILE [--replay-speed X|max]` (SPEC §14): the messages of a recording sent again on
// the bus, in order, at X times the recorded pace, or as fast as the bus takes them (`max`, a
// batch per turn of the event loop so the hub goes on serving meanwhile). On the Redis bus that
// is onto the same Redis channels. A line that cannot be replayed is reported once with its
// number and skipped; nothing else changes. Engine thread.
class EventReplayer : public QObject
{
    Q_OBJECT

public:
    // A recording larger than this is refused: it is read whole before the first message goes.
    static constexpr qint64 kMaxFileBytes = 512LL * 1024 * 1024;
    static constexpr int kMaxBatch = 1000;  // messages per turn at `max`

    // `speed` 0: as fast as possible; else the pace factor (2: twice as fast).
    EventReplayer(EventBus &bus, double speed, QObject *parent = nullptr);

    // Reads `path`; on failure (unreadable, too large) returns why. Refused lines are reported
    // (lineRefused) now, and skipped.
    std::optional<QString> load(const QString &path);
    // Reads a recording from memory (tests, the GUI's export).
    void loadText(const QByteArray &text);
    void start();
    int messageCount() const { return int(m_messages.size()); }
    int sent() const { return m_next; }

signals:
    void lineRefused(int lineNumber, const QString &why);
    void finished(int sent);

private:
    void sendDue();

    EventBus &m_bus;
    const double m_speed;
    QList<RecordedMessage> m_messages;
    int m_next = 0;
    QElapsedTimer m_clock;
    QTimer *m_timer = nullptr;
};

}  // namespace kucun
