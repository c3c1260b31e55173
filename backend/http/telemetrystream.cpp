#include "telemetrystream.h"

#include "httpconnection.h"
#include "ws/wsframe.h"
#include "ws/wsframereader.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {

constexpr quint16 kGoingAway = 1001;
constexpr quint16 kPolicyViolation = 1008;
constexpr qint64 kReadSlice = 16 * 1024;

}  // namespace

struct TelemetryStream::Window
{
    explicit Window(QTcpSocket *taken)
        : socket(taken)
        , peer(taken->peerAddress())
        , reader(kMaxIncomingMessageBytes)
    {
    }
    std::unique_ptr<QTcpSocket> socket;
    QHostAddress peer;
    WsFrameReader reader;
    quint64 id = 0;
    bool closing = false;  // a close frame went out: nothing more is sent
};

TelemetryStream::TelemetryStream(QObject *parent)
    : QObject(parent)
{
}

TelemetryStream::~TelemetryStream()
{
    for (const auto &window : m_windows)
        window->socket->disconnect(this);
}

void TelemetryStream::attach(QTcpSocket *socket, const QByteArray &received,
                             const QByteArray &hello)
{
    auto owned = std::make_unique<Window>(socket);
    Window *window = owned.get();
    m_windows.push_back(std::move(owned));
    socket->setReadBufferSize(kReadSlice);
    // The socket is the sender: once its window is removed nothing of it arrives any more. Its
    // end is taken later (queued): an abort inside broadcast() must not change the list it walks.
    connect(socket, &QTcpSocket::readyRead, this, [this, window] { readFrom(window); });
    // By number, not by pointer: a queued end may arrive after the window has gone.
    window->id = ++m_lastId;
    connect(
        socket, &QTcpSocket::disconnected, this, [this, id = window->id] { remove(id); },
        Qt::QueuedConnection);
    connect(
        socket, &QTcpSocket::errorOccurred, this, [this, id = window->id] { remove(id); },
        Qt::QueuedConnection);
    emit windowCountChanged(windowCount());
    window->reader.append(received);
    send(window, textFrame(hello));
    readFrom(window);
}

void TelemetryStream::broadcast(const QByteArray &message)
{
    if (m_windows.empty())
        return;
    const QByteArray frame = textFrame(message);
    // send() may cut a window, which leaves the list later (deleteLater), not now.
    for (const auto &window : m_windows)
        send(window.get(), frame);
}

void TelemetryStream::send(Window *window, const QByteArray &frame)
{
    if (window->closing)
        return;
    if (window->socket->bytesToWrite() + frame.size() > kMaxQueuedBytes) {
        ++m_cutTotal;
        if (m_cutLog.note(HttpConnection::monotonicMs())) {
            qCWarning(lcHttp).noquote()
                << "cut an attached window at" << window->peer.toString() << "that read nothing"
                << "of its last" << (kMaxQueuedBytes >> 20) << "MiB of telemetry ("
                << m_cutLog.take() << "cut so far)";
        }
        window->closing = true;
        window->socket->abort();  // a close frame would only wait behind what it did not read
        return;
    }
    window->socket->write(frame);
}

void TelemetryStream::readFrom(Window *window)
{
    while (window->socket->bytesAvailable() > 0 && !window->reader.refused())
        window->reader.append(window->socket->read(kReadSlice));
    while (std::optional<WsFrameReader::Message> message = window->reader.next()) {
        switch (message->kind) {
        case WsFrameReader::Message::Kind::Ping:
            send(window, pongFrame(message->payload));
            break;
        case WsFrameReader::Message::Kind::Close:
            close(window,
                  message->closeCode == WsFrameReader::kNoStatus ? 1000 : message->closeCode,
                  QString());
            return;
        case WsFrameReader::Message::Kind::Refused:
            close(window, message->closeCode, QString::fromUtf8(message->payload));
            return;
        case WsFrameReader::Message::Kind::Text:
            // The stream goes one way; a window has nothing to ask on it.
            close(window, kPolicyViolation, QStringLiteral("this stream takes no messages"));
            return;
        case WsFrameReader::Message::Kind::Pong:
            break;
        }
    }
}

void TelemetryStream::close(Window *window, quint16 code, const QString &reason)
{
    if (window->closing)
        return;
    send(window, closeFrame(code, reason));
    window->closing = true;
    window->socket->disconnectFromHost();  // once the close frame is written
    // A window that never takes it is not kept waiting for: the socket's own timer cuts it.
    QTcpSocket *socket = window->socket.get();
    QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
}

void TelemetryStream::closeAll()
{
    for (const auto &window : m_windows)
        close(window.get(), kGoingAway, QStringLiteral("the hub is stopping"));
}

void TelemetryStream::remove(quint64 id)
{
    const auto found = std::find_if(m_windows.begin(), m_windows.end(),
                                    [id](const auto &held) { return held->id == id; });
    if (found == m_windows.end())
        return;
    const std::unique_ptr<Window> gone = std::move(*found);
    m_windows.erase(found);
    QTcpSocket *socket = gone->socket.release();
    socket->disconnect(this);
    socket->deleteLater();
    emit windowCountChanged(windowCount());
}

}  // namespace kucun
