#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <optional>

namespace kucun::test {

// The site listening on Redis Pub/Sub, as `redis-cli PSUBSCRIBE` would: a plain socket of its
// own speaking RESP, so that what the hubs put on Redis is seen through none of the hub's code.
// Messages are read while the test's event loop runs (QTRY_*, QTest::qWait).
class RedisListener
{
public:
    struct Message
    {
        QByteArray channel;
        QByteArray payload;
    };

    RedisListener();

    // Connects to the redis-server on loopback `port` and subscribes to `patterns` (globs);
    // false unless Redis confirmed every one within 5 s.
    bool listen(quint16 port, const QList<QByteArray> &patterns);
    // Everything received so far, in the order Redis sent it.
    const QList<Message> &messages() const { return m_messages; }
    // The payloads received on `channel`, in order.
    QList<QByteArray> payloadsOn(const QByteArray &channel) const;
    // Set when Redis sent something a subscriber should never get (an error, a stray reply).
    const QByteArray &protocolError() const { return m_protocolError; }

private:
    void readReplies();
    // Takes one complete RESP array of bulk strings and integers off the front of the buffer;
    // nothing (and the buffer untouched) while it is incomplete.
    std::optional<QList<QByteArray>> takeArray();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QList<Message> m_messages;
    qsizetype m_confirmed = 0;
    QByteArray m_protocolError;
};

}  // namespace kucun::test
