#pragma once

#include "core/throttledlog.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

#include <memory>
#include <vector>

class QTcpSocket;

namespace kucun {

// The windows attached to this hub through GET /api/stream (SPEC §13): WebSocket connections
// taken over from the HTTP side once their upgrade was answered. Every message broadcast goes
// to each of them as one text frame, built once. A window that does not take what it is sent is
// cut as soon as more than kMaxQueuedBytes wait for it: it can never slow the hub, nor make it
// hold more than that per window. What a window sends is read only for its control frames
// (ping, close); anything else is dropped. Engine thread.
class TelemetryStream : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxQueuedBytes = 8 * 1024 * 1024;
    // A window has nothing to say but ping and close: a longer message is a protocol error.
    static constexpr qint64 kMaxIncomingMessageBytes = 4096;
    // Windows at once: each may hold kMaxQueuedBytes, and an attached window is a person's.
    static constexpr int kMaxWindows = 64;
    // A window told to close that does not close is cut after this long.
    static constexpr int kCloseGraceMs = 5000;

    explicit TelemetryStream(QObject *parent = nullptr);
    ~TelemetryStream() override;

    // Takes `socket` (upgraded already: the 101 was written) and what was read past the
    // request; `hello` is the first message the window gets.
    void attach(QTcpSocket *socket, const QByteArray &received, const QByteArray &hello);
    void broadcast(const QByteArray &message);
    int windowCount() const { return int(m_windows.size()); }
    bool isFull() const { return windowCount() >= kMaxWindows; }
    // Windows cut for not reading, since the start.
    qint64 cutTotal() const { return m_cutTotal; }
    // Closes every window with 1001 (the hub is going).
    void closeAll();

signals:
    void windowCountChanged(int windows);

private:
    struct Window;
    void readFrom(Window *window);
    void send(Window *window, const QByteArray &frame);
    void close(Window *window, quint16 code, const QString &reason);
    void remove(quint64 id);

    std::vector<std::unique_ptr<Window>> m_windows;
    quint64 m_lastId = 0;
    qint64 m_cutTotal = 0;
    ThrottledLog m_cutLog;
};

}  // namespace kucun
