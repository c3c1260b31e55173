#pragma once

#include "channelregistry.h"
#include "config/hubconfig.h"
#include "core/latencyhistogram.h"
#include "core/result.h"
#include "events/channelsink.h"
#include "heartbeatwheel.h"
#include "sharedhistory.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QUrl>
#include <QWebSocketProtocol>

#include <chrono>
#include <deque>
#include <functional>
#include <vector>

class QTimer;
class QJsonObject;

namespace kucun {

class EventBus;
class WsConnection;
class WsTransport;

// The WebSocket hub, protocol v1 of SPEC §6: accepts browser and server clients (browsers only
// from allowed origins), checks tokens when a JWT secret is set, greets with `welcome`, answers
// subscribe (with recovery from the channel's history), unsubscribe, publish, ping and auth,
// delivers routed events to each channel's subscribers, pings every client and drops those
// that stop answering, enforces the per-client limits, and closes everyone with 1001 when the
// hub goes away. The connections themselves (listening, handshakes, frame writes) are its
// WsTransport's. Lives in the engine thread. docs/protocol.md is the client's view.
class WsHub : public QObject, public ChannelSink
{
    Q_OBJECT

public:
    static constexpr int kProtocolVersion = 1;
    static constexpr qint64 kMaxMessageBytes = 64 * 1024;  // bigger: closed with 1009
    // The longest envelope a delivered message puts around its data:
    // {"channel":"","data":,"ts":<13 digits>,"offset":<16 digits>} and a little to spare.
    static constexpr qint64 kEnvelopeBytes = 72;
    // Close codes of our own (RFC 6455 leaves 4000-4999 to applications). A full hub does not
    // use the registered 1013 "try again later": RFC 6455 itself does not list it, and clients
    // that check codes against the RFC, Qt's among them, report it as a protocol error.
    static constexpr auto kCloseUnauthorized = QWebSocketProtocol::CloseCode(4001);
    static constexpr auto kCloseHubFull = QWebSocketProtocol::CloseCode(4029);
    static constexpr auto kCloseByAdministrator = QWebSocketProtocol::CloseCode(4003);

    // The limits of SPEC §6: the defaults, and those that are settings (WS_MAX_CLIENTS,
    // WS_MAX_QUEUE_MB, WS_HISTORY_MAX_MB and the bounds against hostile clients) from
    // limitsFor(config). Tests lower the others.
    struct Limits
    {
        double requestsPerSecond = 100;  // sustained
        double burst = 200;  // at once
        int maxSubscriptions = 128;
        int maxClients = 10000;
        qint64 maxQueuedBytes = 4 * 1024 * 1024;  // beyond: closed 1008 as a slow consumer
        // With a JWT secret, until a token checked out: a stranger may not make the hub hold
        // megabytes for it (pongs to a ping flood, error replies it never reads).
        qint64 maxQueuedBytesUnauthenticated = 64 * 1024;
        // Connections that have not finished their handshake: dropped after the timeout, and
        // refused (503) beyond the caps.
        std::chrono::milliseconds handshakeTimeout{5000};
        int maxHandshakes = 1024;
        int maxHandshakesPerAddress = 64;
        std::chrono::milliseconds heartbeatInterval{25000};
        std::chrono::milliseconds pongTimeout{10000};
        std::chrono::milliseconds authTimeout{10000};  // with a secret, to present a token
        // How long a client being closed (slow consumer, bad token, administrator) may take to
        // go by itself before the connection is dropped.
        std::chrono::milliseconds closeGrace{1000};
        ChannelRegistry::HistoryLimits history;
    };
    static Limits limitsFor(const HubConfig &config);

    // Configured once: `config` says where to listen, whom to let in and the JWT secret;
    // `limits` how much each client may do.
    WsHub(const HubConfig &config, const Limits &limits, QObject *parent = nullptr);
    explicit WsHub(const HubConfig &config)
        : WsHub(config, limitsFor(config))
    {
    }
    ~WsHub() override;

    // Starts listening on WS_HOST:WS_PORT. On failure returns why, in one line.
    std::optional<QString> listen();
    // ws://host:port with the port really bound (useful when 0 was asked for).
    QUrl serverUrl() const;
    int clientCount() const { return static_cast<int>(m_clients.size()); }
    // Frames queued to clients since the hub started: messages, replies, welcomes.
    qint64 deliveriesTotal() const { return m_deliveriesTotal; }
    // Requests read from clients since the hub started.
    qint64 messagesInTotal() const { return m_messagesInTotal; }
    // Clients gone, by the code of their close frame (1006: none).
    const QHash<quint16, qint64> &closesByCode() const;
    // From a message's delivery to the write that handed it to its subscribers' sockets.
    const LatencyHistogram &writeLatency() const { return m_writeLatency; }

    // A publish from the server side (the HTTP API): checked and delivered exactly like a
    // client's (`channel` must be a valid name, `dataText` JSON text as jsonValueText() writes
    // it), and passed to the other hubs. `done` gets the offset, or why it was refused (too
    // large for clients): at once on a local stream, once Redis has stamped it on a shared one.
    using PublishDone = std::function<void(const Result<qint64> &offset)>;
    void publishText(const QString &channel, const QByteArray &dataText, PublishDone done);
    // Why a message of `dataText` on `channel` may not be published, if it may not.
    static std::optional<QString> tooLargeForClients(const QString &channel,
                                                     const QByteArray &dataText);
    // Browser origins let in besides WS_ALLOWED_ORIGINS: the hub's own HTTP origin (SPEC §7).
    void allowOrigins(const QStringList &origins);

    // Telemetry for the GUI, and the administrator's hand.
    QList<WsClientInfo> clientInfos() const;
    QList<ChannelRegistry::ChannelInfo> channelInfos() const;
    // Closes the client with 4003 "disconnected by the administrator" (SPEC §6: a client must
    // not reconnect at once); false if unknown or being closed already.
    bool disconnectClient(const QString &clientId);

    // Stops accepting, sends close 1001 ("going away") to every client and emits drained() once
    // all of them are gone or `grace` has passed, whichever comes first.
    void closeAll(std::chrono::milliseconds grace);

    // Client publishes also go to the other hubs through this bus (not owned; may be null).
    void setBus(EventBus *bus) { m_bus = bus; }
    // With Redis (WS_HISTORY=shared): channel streams shared by every hub on it, while Redis is
    // up (not owned; may be null: every stream is this hub's own).
    void setSharedHistory(SharedHistory *shared);
    bool sharesHistory() const;
    // Channels following the stream shared in Redis (the rest are this hub's own).
    int sharedChannelCount() const { return m_channels.sharedChannelCount(); }

    // ChannelSink: {"channel","data","ts","offset"} to the channel's subscribers.
    void deliverToChannel(const QString &channel, const QJsonValue &data) override;
    void deliverKeyed(const QString &channel, const QJsonValue &data, const QString &key) override;
    // With the subscribers written to and skipped (and why), reported once the frames are
    // handed to the sockets at the end of this event-loop turn.
    void deliverTraced(const QString &channel, const QJsonValue &data, const QString &key,
                       DeliveryReport report) override;

signals:
    void clientConnected(const QString &clientId);
    void clientDisconnected(const QString &clientId);
    void drained();

private:
    void connectionOpened(WsConnection *connection);
    void accept(WsConnection *connection);
    // The client's token checked out (in the URL or an auth request).
    void grant(WsConnection *connection, WsClient &client, ClientGrant checked);
    void forgetClient(WsConnection *connection);
    void finishDrainIfEmpty();
    // Sends a close frame and stops all delivery to the client at once; the transport drops the
    // connection if the client has not gone within closeGrace (a slow peer may never answer).
    void cut(WsConnection *connection, QWebSocketProtocol::CloseCode code, const QString &reason);
    void cutSlowConsumer(WsConnection *connection);
    static std::chrono::milliseconds tickFor(const Limits &limits);
    // The clients whose visit is due: heartbeats, auth timeouts, token expiry.
    void tick();
    // Does what is due for the client, and schedules its next visit.
    void visit(WsConnection *connection, WsClient &client, qint64 now, qint64 wallNow);
    qint64 nextVisit(const WsClient &client, qint64 now, qint64 wallNow) const;
    void observeWriteLatency();

    void handleRequest(WsConnection *connection, const QString &message);
    void processRequest(WsConnection *connection, WsClient &client, const QString &message);
    // A request waits for Redis: the client's later requests wait behind it, so that every
    // client is answered in the order it asked.
    void holdRequests(WsConnection *connection);
    void resumeRequests(WsConnection *connection);
    // The connection of a client that was waiting for Redis, if it is still here.
    WsConnection *stillConnected(const QString &clientId) const;
    void handleSubscribe(WsConnection *connection, WsClient &client, const WsRequest &request);
    void subscribeLocally(WsConnection *connection, WsClient &client, const WsRequest &request);
    void subscribeShared(WsConnection *connection, WsClient &client, const WsRequest &request);
    void joinShared(WsConnection *connection, WsClient &client, const WsRequest &request,
                    const SharedHistory::Position &shared);
    void replySubscribed(WsConnection *connection, WsClient &client, const WsRequest &request,
                         const ChannelRegistry::Position &position, bool recovered);
    void handlePublish(WsConnection *connection, WsClient &client, const WsRequest &request);
    void deliverShared(const SharedMessage &message);
    // Redis went away: every shared stream goes on here with a local epoch.
    void leaveSharedStreams();
    void handleAuth(WsConnection *connection, WsClient &client, const WsRequest &request);
    // Queues one text frame (see wsframe.h) with the transport and counts it; the transport
    // reports a client whose queue has grown too long. Queued frames go out in one write per
    // connection when the event loop next turns: a burst of messages costs each client one
    // system call.
    // False when nothing was queued: the client is being closed.
    bool send(WsConnection *connection, WsClient &client, const QByteArray &frame);
    // The same frame to each of these connections that is still a client.
    template <typename Connections>
    void sendToEach(const Connections &connections, const QByteArray &frame)
    {
        for (WsConnection *connection : connections) {
            if (const auto client = m_clients.find(connection); client != m_clients.end())
                send(connection, *client, frame);
        }
    }
    void reply(WsConnection *connection, WsClient &client, QJsonObject message,
               const QJsonValue &requestId);
    void replyError(WsConnection *connection, WsClient &client, const QString &code,
                    const QString &message, const QJsonValue &requestId);
    qint64 deliver(const QString &channel, const QByteArray &dataText);
    // deliver(), noting for a trace what became of the message at each subscriber.
    ChannelDelivery deliverNoting(const QString &channel, const QByteArray &dataText);
    void timeDelivery();
    bool authRequired() const { return !m_config.jwtSecret.isEmpty(); }

    const HubConfig m_config;
    const Limits m_limits;
    const JwtVerifier m_verifier;
    // Intervals (heartbeats, auth timeout, request budget) on a monotonic clock, so that a
    // wall-clock step neither cuts every client nor stops the pings.
    QElapsedTimer m_clock;
    WsTransport *m_transport = nullptr;  // a child
    qint64 m_deliveriesTotal = 0;
    qint64 m_messagesInTotal = 0;
    // Deliveries of this turn waiting for their write (at most kMaxTimedPerTurn: a burst is
    // sampled, not held), on m_clock in ns.
    static constexpr qsizetype kMaxTimedPerTurn = 1024;
    QList<qint64> m_latencyStarts;
    // Traced deliveries of this turn, reported once their frames are written.
    std::vector<std::pair<DeliveryReport, ChannelDelivery>> m_pendingReports;
    LatencyHistogram m_writeLatency;
    QHash<WsConnection *, WsClient> m_clients;
    QHash<QString, WsConnection *> m_connectionsById;
    ChannelRegistry m_channels;
    EventBus *m_bus = nullptr;
    SharedHistory *m_shared = nullptr;
    // Requests of clients waiting for Redis, in the order they came (an entry, maybe empty,
    // for every client that waits).
    QHash<WsConnection *, std::deque<QString>> m_held;
    HeartbeatWheel m_wheel;
    QTimer *m_ticker = nullptr;  // the wheel's tick, history pruning
    qint64 m_prunedAtMs = 0;  // on m_clock
    QTimer *m_drainDeadline = nullptr;
    bool m_draining = false;
};

}  // namespace kucun
