#pragma once

#include "core/throttledlog.h"
#include "httpconnection.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QUrl>

#include <chrono>
#include <optional>

class QTimer;

namespace kucun {

class TcpListener;

// The HTTP/1.1 server of SPEC §7, on our own accept loop (TcpListener) and connections
// (HttpConnection), with TLS when given a configuration. docs/http.md says why not QHttpServer:
// in Qt 6.4 it holds whole requests without a bound, has no timeouts, and spins when out of
// descriptors. What it bounds: connections at once (beyond, 503 and closed), the time a request
// may take to arrive (the TLS handshake included), the time an idle keep-alive connection is
// kept, and a request's head and body (HttpRequestParser). Engine thread.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QHostAddress host{QHostAddress::LocalHost};
        quint16 port = 0;
        std::optional<QSslConfiguration> tls;  // https:// when set
        int maxConnections = 1000;
        std::chrono::milliseconds requestTimeout{10000};
        std::chrono::milliseconds idleTimeout{60000};
        HttpRequestParser::Limits limits;
    };

    HttpServer(Options options, HttpConnection::Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // On failure returns why, in one line.
    std::optional<QString> listen();
    // http[s]://host:port with the port really bound.
    QUrl serverUrl() const;
    int connectionCount() const { return int(m_connections.size()); }
    // Requests refused before any handler saw them, by status (503: connections over the cap).
    const QHash<int, qint64> &refusals() const { return m_refusals; }
    // Stops accepting and drops every connection.
    void close();

private:
    void accept(qintptr descriptor);
    void refuseFull(qintptr descriptor);
    void sweep();

    const Options m_options;
    const HttpConnection::Handler m_handler;
    TcpListener *m_listener = nullptr;  // a child
    QTimer *m_sweep = nullptr;
    QSet<HttpConnection *> m_connections;  // children
    QHash<int, qint64> m_refusals;
    ThrottledLog m_timeouts;
    ThrottledLog m_refusedFull;
    ThrottledLog m_starved;
};

}  // namespace kucun
