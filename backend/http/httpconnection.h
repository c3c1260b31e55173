#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

class QTcpSocket;

namespace kucun {

// One client connection of the HTTP side: reads requests with HttpRequestParser, hands each to
// the server's handler and writes its answer, one request at a time (a pipelined request waits
// for the answer before it). Holds no more than a request's limits: while an answer is pending,
// or while the client does not read what it was sent, nothing more is read (the socket's read
// buffer is bounded, so the kernel's window pushes back on the sender). Refusals and
// `Connection: close` answers end with a lingering close: the answer is written, the sending
// side shut, and what the client still sends is read and dropped for a moment, so that the
// client sees the answer rather than a reset. HttpServer owns it; engine thread.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    // Answers a request, now or later; a no-op once the connection is gone.
    using Responder = std::function<void(const HttpResponse &)>;
    using Handler = std::function<void(const HttpRequest &, HttpConnection &, Responder)>;

    HttpConnection(QTcpSocket *socket, const HttpRequestParser::Limits &limits, Handler handler,
                   QObject *parent);
    ~HttpConnection() override;

    // The clock of the times below.
    static qint64 monotonicMs();

    QHostAddress peerAddress() const { return m_peer; }
    bool isEncrypted() const;
    // Monotonic ms when the request in progress began (first byte, or the connection for its
    // first request), -1 while idle between requests or while its answer is being made.
    qint64 requestStartedMs() const { return m_requestStartedMs; }
    qint64 idleSinceMs() const { return m_idleSinceMs; }
    bool isAnswering() const { return m_answering; }
    // Drops the connection now (timeouts, the server closing).
    void abort();
    // Starts reading; the server calls it once the connection is set up.
    void start();
    // An upgrade (GET /api/stream): the socket leaves this connection, unparented and with no
    // connection of ours to its signals, with what was read past the request; the connection is
    // finished. Called by a handler instead of answering; null when the connection is gone.
    struct TakenSocket
    {
        QTcpSocket *socket = nullptr;
        QByteArray received;
    };
    TakenSocket takeSocket();

signals:
    void finished(kucun::HttpConnection *connection);
    // A request refused before it reached the handler (400, 413, 431, 501, 505).
    void refused(int status);

private:
    void readAvailable();
    void handleNext();
    void answerExpectContinue();
    void respond(quint64 requestNumber, const HttpResponse &response, bool keepAlive,
                 bool headOnly);
    void write(const QByteArray &bytes);
    void closeGracefully();
    void discardInput();
    void gone();

    QTcpSocket *m_socket;  // a child, until taken
    const QHostAddress m_peer;
    HttpRequestParser m_parser;
    const Handler m_handler;
    quint64 m_requestNumber = 0;
    quint64 m_continued = 0;  // the number of the request last told 100 Continue
    qint64 m_requestStartedMs = -1;
    qint64 m_idleSinceMs = -1;
    bool m_answering = false;
    bool m_inHandler = false;  // the handler runs: an answer it makes returns to the read loop
    bool m_closing = false;
    bool m_gone = false;
};

}  // namespace kucun
