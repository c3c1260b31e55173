#pragma once

#include "core/throttledlog.h"
#include "respcommands.h"
#include "respconnection.h"
#include "resppubsub.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <optional>

namespace kucun {

class EventBus;
class MemoryStore;
class TcpListener;

// The Redis-protocol front of SPEC §12: a TCP server on our own accept loop (TcpListener) whose
// connections (RespConnection) run their requests through RespCommands. Bounds: connections
// at once (beyond, Redis's "max number of clients reached" and closed), a bulk string's size,
// and what may wait unread for a client. Engine thread.
class RespServer : public QObject, private RespClients
{
    Q_OBJECT

public:
    struct Options
    {
        QHostAddress host{QHostAddress::LocalHost};
        quint16 port = 0;
        QByteArray password;  // RESP_PASSWORD
        MemoryStore *store = nullptr;  // the embedded engine's keys (required)
        KeyAccessSketch *keyAccess = nullptr;  // told of every key read and write (optional)
        int maxConnections = 10000;
        // A subscriber this far behind is disconnected (Redis's client-output-buffer-limit
        // pubsub): it would otherwise hold every message in memory.
        qint64 maxSubscriberBacklogBytes = 32LL * 1024 * 1024;
        RespConnection::Limits limits = defaultLimits();
    };
    static RespConnection::Limits defaultLimits();

    explicit RespServer(Options options, QObject *parent = nullptr);
    ~RespServer() override;

    // On failure returns why, in one line.
    std::optional<QString> listen();
    // PUBLISH and SUBSCRIBE go through the hub's bus from now on (SPEC §12, §5).
    void attachBus(EventBus *bus) { m_pubsub.attachBus(bus); }
    // A message for this front's subscribers only (not for the bus): what the hub would send
    // the other hubs through Redis, which a site's Redis subscribers would hear there.
    void deliverToSubscribers(const QByteArray &channel, const QByteArray &message)
    {
        m_pubsub.deliver(channel, message);
    }
    // redis://host:port with the port really bound.
    QUrl serverUrl() const;
    int connectionCount() const { return int(m_connections.size()); }
    qint64 refusedConnections() const { return m_refused; }
    qint64 protocolErrors() const { return m_protocolErrors; }
    qint64 slowSubscribersCut() const { return m_slowSubscribersCut; }
    void close();

private:
    QList<const RespSession *> sessions() const override;
    bool kill(qint64 id) override;
    qint64 connectionsAccepted() const override { return m_nextId - 1; }
    int maxClients() const override { return m_options.maxConnections; }
    quint16 port() const override;
    void accept(qintptr descriptor);
    void refuseFull(qintptr descriptor);
    void deliver(qint64 id, const QByteArray &frame);

    const Options m_options;
    RespPubSub m_pubsub;
    RespCommands m_commands;
    TcpListener *m_listener = nullptr;  // a child
    QHash<qint64, RespConnection *> m_connections;  // by client id; children
    qint64 m_nextId = 1;
    qint64 m_refused = 0;
    qint64 m_protocolErrors = 0;
    qint64 m_slowSubscribersCut = 0;
    ThrottledLog m_refusedFull;
    ThrottledLog m_starved;
    ThrottledLog m_badInput;
    ThrottledLog m_slowSubscribers;
};

}  // namespace kucun
