#include "respclient.h"

#include <hiredis/hiredis.h>
#include <memory>

namespace kucun::test {

namespace {

constexpr int kWaitMs = 15000;  // a script may run for 5 s before it is stopped

// How many bytes at the front of `bytes` make whole replies, `count` of them at most; and how
// many were whole.
std::pair<qsizetype, int> wholeReplies(const QByteArray &bytes, int count)
{
    std::unique_ptr<redisReader, void (*)(redisReader *)> reader(redisReaderCreate(),
                                                                 redisReaderFree);
    qsizetype consumed = 0;
    int found = 0;
    redisReaderFeed(reader.get(), bytes.constData(), size_t(bytes.size()));
    while (found < count) {
        void *reply = nullptr;
        if (redisReaderGetReply(reader.get(), &reply) != REDIS_OK || !reply)
            break;
        freeReplyObject(reply);
        ++found;
        // What the reader holds unread is the rest (it drops what it used as it goes).
        consumed = bytes.size() - qsizetype(reader->len - reader->pos);
    }
    return {consumed, found};
}

}  // namespace

bool RespClient::connectTo(quint16 port)
{
    m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return m_socket.waitForConnected(kWaitMs);
}

QByteArray RespClient::send(const QByteArray &request, int replies)
{
    m_socket.write(request);
    m_socket.waitForBytesWritten(kWaitMs);
    for (;;) {
        const auto [length, found] = wholeReplies(m_pending, replies);
        if (found == replies) {
            const QByteArray answer = m_pending.left(length);
            m_pending.remove(0, length);
            return answer;
        }
        if (!m_socket.waitForReadyRead(kWaitMs))
            return std::exchange(m_pending, {});
        m_pending += m_socket.readAll();
    }
}

QByteArray RespClient::sendUntil(const QByteArray &request, const QByteArray &end)
{
    m_socket.write(request);
    m_socket.waitForBytesWritten(kWaitMs);
    while (!m_pending.endsWith(end) && m_socket.waitForReadyRead(kWaitMs))
        m_pending += m_socket.readAll();
    return std::exchange(m_pending, {});
}

bool RespClient::waitForClose()
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    for (int round = 0; round < 50; ++round) {
        m_socket.waitForReadyRead(100);
        m_pending += m_socket.readAll();
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
    }
    return false;
}

QByteArray RespClient::encode(const QList<QByteArray> &arguments)
{
    QByteArray out = '*' + QByteArray::number(arguments.size()) + "\r\n";
    for (const QByteArray &argument : arguments)
        out += '$' + QByteArray::number(argument.size()) + "\r\n" + argument + "\r\n";
    return out;
}

}  // namespace kucun::test
