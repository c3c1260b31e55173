#pragma once

#include "core/throttledlog.h"
#include "eventrouter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QObject>

#include <optional>

class QTimer;

namespace kucun {

// `--record FILE` (SPEC §14): every message the router handles (each event, accepted or not,
// and each ws:<channel> message) as a line of EventRecording, with its time since the recording
// began. Written through a buffer flushed every second and when the recorder goes; a write that
// fails (a full disk) stops the recording with one warning, and the hub runs on. Engine thread.
class EventRecorder : public QObject
{
    Q_OBJECT

public:
    static constexpr int kFlushIntervalMs = 1000;

    explicit EventRecorder(EventRouter &router, QObject *parent = nullptr);
    ~EventRecorder() override;

    // Starts writing to `path` (created, or emptied); on failure returns why.
    std::optional<QString> start(const QString &path);
    void stop();
    bool isRecording() const { return m_file.isOpen(); }
    qint64 recorded() const { return m_recorded; }

private:
    void take(const EventRecord &record);
    void flush();

    EventRouter &m_router;
    QFile m_file;
    QElapsedTimer m_clock;
    QTimer *m_flushTimer = nullptr;
    qint64 m_recorded = 0;
};

}  // namespace kucun
