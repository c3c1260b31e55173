#include "redislistener.h"

#include <QTest>

namespace kucun::test {

namespace {

QByteArray bulk(const QByteArray &text)
{
    return '$' + QByteArray::number(text.size()) + "\r\n" + text + "\r\n";
}

}  // namespace

RedisListener::RedisListener()
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { readReplies(); });
}

bool RedisListener::listen(quint16 port, const QList<QByteArray> &patterns)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(5000))
        return false;
    QByteArray request = '*' + QByteArray::number(patterns.size() + 1) + "\r\n"
                         + bulk(QByteArrayLiteral("PSUBSCRIBE"));
    for (const QByteArray &pattern : patterns)
        request += bulk(pattern);
    m_socket.write(request);
    // Redis confirms each pattern with a reply of its own; a message published after the last
    // confirmation is certain to reach this listener.
    return QTest::qWaitFor([&] { return m_confirmed == patterns.size(); }, 5000);
}

QList<QByteArray> RedisListener::payloadsOn(const QByteArray &channel) const
{
    QList<QByteArray> payloads;
    for (const Message &message : m_messages) {
        if (message.channel == channel)
            payloads.append(message.payload);
    }
    return payloads;
}

void RedisListener::readReplies()
{
    m_buffer += m_socket.readAll();
    while (const std::optional<QList<QByteArray>> reply = takeArray()) {
        // ["psubscribe", pattern, count] or ["pmessage", pattern, channel, payload].
        if (reply->size() == 3 && reply->at(0) == "psubscribe")
            ++m_confirmed;
        else if (reply->size() == 4 && reply->at(0) == "pmessage")
            m_messages.append({reply->at(2), reply->at(3)});
        else
            m_protocolError = reply->join(' ');
    }
}

std::optional<QList<QByteArray>> RedisListener::takeArray()
{
    qsizetype position = 0;
    // One "<type><text>\r\n" line from `position` on; nothing when it has not all come yet.
    const auto line = [&](char type) -> std::optional<QByteArray> {
        const qsizetype end = m_buffer.indexOf("\r\n", position);
        if (end < 0)
            return std::nullopt;
        if (m_buffer.at(position) != type) {
            m_protocolError = m_buffer.mid(position, end - position);
            m_buffer.clear();  // nothing after a reply not understood can be trusted
            return std::nullopt;
        }
        const QByteArray text = m_buffer.mid(position + 1, end - position - 1);
        position = end + 2;
        return text;
    };
    if (m_buffer.isEmpty())
        return std::nullopt;
    const std::optional<QByteArray> count = line('*');
    if (!count)
        return std::nullopt;
    QList<QByteArray> elements;
    for (int i = 0; i < count->toInt(); ++i) {
        if (position >= m_buffer.size())
            return std::nullopt;
        if (m_buffer.at(position) == ':') {  // the subscription count
            const std::optional<QByteArray> number = line(':');
            if (!number)
                return std::nullopt;
            elements.append(*number);
            continue;
        }
        const std::optional<QByteArray> length = line('$');
        if (!length)
            return std::nullopt;
        const qsizetype size = length->toLongLong();
        if (m_buffer.size() < position + size + 2)
            return std::nullopt;
        elements.append(m_buffer.mid(position, size));
        position += size + 2;
    }
    m_buffer.remove(0, position);
    return elements;
}

}  // namespace kucun::test
