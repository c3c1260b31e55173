#include "naivewshub.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>
#include <QWebSocketServer>

namespace kucun::bench {

NaiveWsHub::NaiveWsHub(const RedisUrl &redis, QObject *parent)
    : QObject(parent)
    , m_server(new QWebSocketServer(QStringLiteral("naive"), QWebSocketServer::NonSecureMode, this))
    , m_redis(new RedisClient(redis, 1, this))
{
    connect(m_server, &QWebSocketServer::newConnection, this, &NaiveWsHub::accept);
    connect(m_redis, &RedisClient::messageReceived, this,
            [this](const QByteArray &, const QByteArray &channel, const QByteArray &payload) {
                deliver(channel, payload);
            });
}

quint16 NaiveWsHub::start()
{
    m_server->listen(QHostAddress::LocalHost, 0);
    m_redis->psubscribe({QByteArrayLiteral("ws:*")});
    m_redis->start();
    return m_server->serverPort();
}

void NaiveWsHub::accept()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &) {
            m_subscribers.append(socket);  // every client here asks for the one channel
            socket->sendTextMessage(QStringLiteral(R"({"type":"subscribed"})"));
        });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_subscribers.removeAll(socket);
            socket->deleteLater();
        });
    }
}

void NaiveWsHub::deliver(const QByteArray &channel, const QByteArray &payload)
{
    const QJsonObject envelope{{QStringLiteral("channel"), QString::fromUtf8(channel.mid(3))},
                               {QStringLiteral("data"), QJsonDocument::fromJson(payload).object()},
                               {QStringLiteral("ts"), QDateTime::currentMSecsSinceEpoch()},
                               {QStringLiteral("offset"), ++m_offset}};
    const QString text = QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact));
    for (QWebSocket *subscriber : std::as_const(m_subscribers))
        subscriber->sendTextMessage(text);
}

}  // namespace kucun::bench
