#include "rawwsclient.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QTest>

namespace kucun::test {

int RawWsClient::Frame::closeCode() const
{
    if (payload.size() < 2)
        return 1005;  // no status code present
    return (uchar(payload[0]) << 8) | uchar(payload[1]);
}

bool RawWsClient::open(const QUrl &url, const QByteArray &origin, int timeoutMs)
{
    m_statusLine.clear();
    m_socket.connectToHost(url.host(), quint16(url.port()));
    if (!QTest::qWaitFor([this] { return isConnected(); }, timeoutMs))
        return false;
    QByteArray nonce(16, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(nonce.data()), 4);
    const QByteArray key = nonce.toBase64();  // RFC 6455 §4.1: 16 random bytes
    QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    if (path.isEmpty())
        path = "/";
    if (url.hasQuery())
        path += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    m_socket.write("GET " + path + " HTTP/1.1\r\nHost: " + url.host().toUtf8()
                   + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                   + "\r\nSec-WebSocket-Version: 13\r\n"
                   + (origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n") + "\r\n");
    const bool answered = QTest::qWaitFor(
        [this] {
            m_pending += m_socket.readAll();
            return m_pending.contains("\r\n\r\n");
        },
        timeoutMs);
    const qsizetype end = m_pending.indexOf("\r\n\r\n");
    m_statusLine = m_pending.left(m_pending.indexOf("\r\n"));
    if (!answered || end < 0 || !m_pending.startsWith("HTTP/1.1 101"))
        return false;
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    if (!m_pending.left(end).contains("Sec-WebSocket-Accept: " + accept))
        return false;
    m_pending.remove(0, end + 4);
    return true;
}

void RawWsClient::sendText(const QByteArray &text)
{
    sendFrame(0x81, text);  // FIN, text
}

QByteArray clientFrame(quint8 first, const QByteArray &payload, std::optional<quint32> mask)
{
    QByteArray frame;
    frame.append(char(first));
    const char maskBit = mask ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.append(char(maskBit | char(payload.size())));
    } else if (payload.size() <= 0xffff) {
        frame.append(char(maskBit | 126));
        frame.append(char(payload.size() >> 8));
        frame.append(char(payload.size() & 0xff));
    } else {
        frame.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(payload.size()) >> shift) & 0xff));
    }
    const quint32 key = mask.value_or(0);
    const char maskBytes[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
    if (mask)
        frame.append(maskBytes, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ maskBytes[i % 4]));
    return frame;
}

void RawWsClient::sendFrame(quint8 first, const QByteArray &payload, bool masked)
{
    const QByteArray frame = clientFrame(
        first, payload,
        masked ? std::optional<quint32>(QRandomGenerator::global()->generate()) : std::nullopt);
    m_socket.write(frame);
    m_socket.flush();
}

QList<RawWsClient::Frame> RawWsClient::read(int timeoutMs)
{
    // The server usually runs in this thread: wait with its event loop turning.
    if (m_socket.bytesAvailable() == 0)
        (void)QTest::qWaitFor([this] { return m_socket.bytesAvailable() > 0 || !isConnected(); },
                              timeoutMs);
    m_pending += m_socket.readAll();
    QList<Frame> frames;
    for (;;) {
        if (m_pending.size() < 2)
            break;
        const int opcode = uchar(m_pending[0]) & 0x0f;
        qsizetype length = uchar(m_pending[1]) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_pending.size() < 4)
                break;
            length = (uchar(m_pending[2]) << 8) | uchar(m_pending[3]);
            header = 4;
        } else if (length == 127) {
            if (m_pending.size() < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | uchar(m_pending[i]);
            header = 10;
        }
        if (m_pending.size() < header + length)
            break;
        frames.append({opcode, m_pending.mid(header, length)});
        m_pending.remove(0, header + length);
    }
    return frames;
}

QList<RawWsClient::Frame> RawWsClient::readUntil(int opcode, int timeoutMs)
{
    QList<Frame> frames;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QList<Frame> more = read(int(std::max<qint64>(1, deadline.remainingTime())));
        frames += more;
        for (const Frame &frame : more) {
            if (frame.opcode == opcode)
                return frames;
        }
        if (more.isEmpty() && !isConnected())
            break;
    }
    return frames;
}

}  // namespace kucun::test
