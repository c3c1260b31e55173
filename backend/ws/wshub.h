#pragma once

#include "channelregistry.h"
#include "config/hubconfig.h"
#include "events/channelsink.h"

#include <QHash>
#include <QObject>
#include <QUrl>

#include <chrono>

class QWebSocket;
class QWebSocketServer;
class QWebSocketCorsAuthenticator;
class QTimer;
class QJsonObject;

namespace kucun {
class EventBus;
}

namespace kucun {

// The WebSocket hub (SPEC §6): accepts browser and server clients (browsers only from allowed
// origins), greets them with `welcome`, answers `subscribe`, `unsubscribe` and `ping`, delivers
// routed events to each channel's subscribers, and closes everyone with 1001 when the hub goes
// away. Lives in the engine thread; every socket is a child of the hub and is deleted (later)
// when it disconnects. docs/protocol.md says what is implemented so far.
class WsHub : public QObject, public ChannelSink
{
    Q_OBJECT

public:
    static constexpr int kProtocolVersion = 1;
    static constexpr int kHeartbeatSeconds = 25;
    static constexpr qint64 kMaxMessageBytes = 64 * 1024;  // bigger: closed with 1009

    // Per-client limits of SPEC §6 (the defaults); tests lower them.
    struct Limits
    {
        double requestsPerSecond = 100;  // sustained
        double burst = 200;  // at once
        int maxSubscriptions = 128;
    };
    void setLimits(const Limits &limits) { m_limits = limits; }

    explicit WsHub(const HubConfig &config, QObject *parent = nullptr);
    ~WsHub() override;

    // Starts listening on WS_HOST:WS_PORT. On failure returns why, in one line.
    std::optional<QString> listen();
    // ws://host:port with the port really bound (useful when 0 was asked for).
    QUrl serverUrl() const;
    int clientCount() const { return static_cast<int>(m_clients.size()); }

    // Stops accepting, sends close 1001 ("going away") to every client and emits drained() once
    // all of them are gone or `grace` has passed, whichever comes first.
    void closeAll(std::chrono::milliseconds grace);

    // Client publishes also go to the other hubs through this bus (not owned; may be null).
    void setBus(EventBus *bus) { m_bus = bus; }

    // ChannelSink: {"channel","data","ts","offset"} to the channel's subscribers.
    void deliverToChannel(const QString &channel, const QJsonValue &data) override;

signals:
    void clientConnected(const QString &clientId);
    void clientDisconnected(const QString &clientId);
    void drained();

private:
    void acceptPendingConnections();
    void checkOrigin(QWebSocketCorsAuthenticator *authenticator) const;
    void forgetClient(QWebSocket *socket);
    void finishDrainIfEmpty();
    void handleRequest(QWebSocket *socket, const QString &message);
    void reply(QWebSocket *socket, QJsonObject message, const QJsonValue &requestId);
    void replyError(QWebSocket *socket, const QString &code, const QString &message,
                    const QJsonValue &requestId);
    void handlePublish(QWebSocket *socket, const QJsonObject &request, const QJsonValue &requestId);
    qint64 deliver(const QString &channel, const QJsonValue &data);

    const HubConfig m_config;
    QWebSocketServer *m_server = nullptr;
    // A token bucket per client: a request takes a token; tokens come back at
    // requestsPerSecond up to burst.
    struct Client
    {
        QString id;
        double tokens = 0;
        qint64 refilledAtMs = 0;
    };
    bool takeRequestToken(Client &client);

    QHash<QWebSocket *, Client> m_clients;
    Limits m_limits;
    ChannelRegistry m_channels;
    EventBus *m_bus = nullptr;
    QTimer *m_drainDeadline = nullptr;
    bool m_draining = false;
};

}  // namespace kucun
