#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>
#include <QUrl>

#include <optional>

namespace kucun::test {

// A client-to-server frame: `first` is its first byte (FIN, reserved bits, opcode); masked with
// `mask` when given, as a client must, or left unmasked to test the server's refusal.
QByteArray clientFrame(quint8 first, const QByteArray &payload, std::optional<quint32> mask);

// A WebSocket client written on a bare QTcpSocket, for what QWebSocket will not do: never
// answer a ping, stop reading while the server keeps sending, or read the close frame that
// comes after megabytes of queued data, or send what the RFC forbids. Minimal RFC 6455: one
// handshake, any frame out, unfragmented frames in. Every wait is bounded and keeps this thread's
// event loop turning, so a server in the same thread goes on working.
class RawWsClient
{
public:
    struct Frame
    {
        int opcode = 0;  // 0x1 text, 0x8 close, 0x9 ping, 0xA pong
        QByteArray payload;
        int closeCode() const;  // for a close frame
    };

    RawWsClient() = default;

    // Connects and completes the handshake, with an Origin header when `origin` is given; false
    // when that did not happen within `timeoutMs` (statusLine() then tells what the server said).
    bool open(const QUrl &url, const QByteArray &origin = {}, int timeoutMs = 5000);
    // The first line of the server's answer to the handshake, e.g. "HTTP/1.1 403 Forbidden".
    QByteArray statusLine() const { return m_statusLine; }
    void sendText(const QByteArray &text);
    // Any frame: `first` is its first byte (FIN, reserved bits, opcode); a client must mask.
    void sendFrame(quint8 first, const QByteArray &payload, bool masked = true);
    // Reads what has arrived (waiting up to `timeoutMs` for something) and returns the whole
    // frames among it.
    QList<Frame> read(int timeoutMs);
    // Reads until a frame with `opcode` arrives or `timeoutMs` passes; returns every frame read.
    QList<Frame> readUntil(int opcode, int timeoutMs);
    // Stops taking data off the connection (what arrives stays in the kernel's buffers), and
    // starts again.
    void stopReading() { m_socket.setReadBufferSize(1); }
    void startReading() { m_socket.setReadBufferSize(0); }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    QTcpSocket m_socket;
    QByteArray m_pending;
    QByteArray m_statusLine;
};

}  // namespace kucun::test
