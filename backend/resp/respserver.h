#pragma once

#include "core/throttledlog.h"
#include "respcommands.h"
#include "respconnection.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <optional>

namespace kucun {

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
        int maxConnections = 10000;
        RespConnection::Limits limits = defaultLimits();
    };
    static RespConnection::Limits defaultLimits();

    explicit RespServer(Options options, QObject *parent = nullptr);
    ~RespServer() override;

    // On failure returns why, in one line.
    std::optional<QString> listen();
    // redis://host:port with the port really bound.
    QUrl serverUrl() const;
    int connectionCount() const { return int(m_connections.size()); }
    qint64 refusedConnections() const { return m_refused; }
    qint64 protocolErrors() const { return m_protocolErrors; }
    void close();

private:
    QList<const RespSession *> sessions() const override;
    bool kill(qint64 id) override;
    void accept(qintptr descriptor);
    void refuseFull(qintptr descriptor);

    const Options m_options;
    RespCommands m_commands;
    TcpListener *m_listener = nullptr;  // a child
    QHash<qint64, RespConnection *> m_connections;  // by client id; children
    qint64 m_nextId = 1;
    qint64 m_refused = 0;
    qint64 m_protocolErrors = 0;
    ThrottledLog m_refusedFull;
    ThrottledLog m_starved;
    ThrottledLog m_badInput;
};

}  // namespace kucun
