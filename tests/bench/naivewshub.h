#pragma once

// The baseline of scripts/bench ws (SPEC §9): the obvious QWebSocketServer hub. It takes the
// same input as Kucun Hub (Redis `ws:<channel>` through RedisClient) and encodes each message
// once, but then calls QWebSocket::sendTextMessage for every subscriber, which converts the
// text to UTF-8, frames it and copies it once per client.

#include "redis/redisclient.h"

#include <QList>
#include <QObject>

class QWebSocket;
class QWebSocketServer;

namespace kucun::bench {

class NaiveWsHub : public QObject
{
    Q_OBJECT

public:
    explicit NaiveWsHub(const RedisUrl &redis, QObject *parent = nullptr);

    // Listens on a free loopback port and subscribes to ws:* (call in the hub's thread).
    quint16 start();

private:
    void accept();
    void deliver(const QByteArray &channel, const QByteArray &payload);

    QWebSocketServer *m_server = nullptr;
    RedisClient *m_redis = nullptr;
    QList<QWebSocket *> m_subscribers;
    qint64 m_offset = 0;
};

}  // namespace kucun::bench
