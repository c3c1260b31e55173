#include "httpconnection.h"

#include <QPointer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <sys/socket.h>

namespace kucun {

namespace {

// What is read from the socket at once, and what Qt may hold unread for us: the kernel holds
// the rest, and its window slows a sender we do not read.
constexpr qint64 kReadSlice = 64 * 1024;
// Answers not yet taken by the client beyond which no further request is read: a client that
// pipelines requests and never reads cannot make the hub hold their answers.
constexpr qint64 kMaxUnsentBytes = 256 * 1024;
// How long a closing connection's late input is read and dropped before it is cut.
constexpr std::chrono::milliseconds kLinger{2000};

}  // namespace

qint64 HttpConnection::monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpRequestParser::Limits &limits,
                               Handler handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_peer(socket->peerAddress())
    , m_parser(limits)
    , m_handler(std::move(handler))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadSlice);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_closing) {
            readAvailable();  // it may have waited for the client to take its answers
            return;
        }
        if (m_socket->bytesToWrite() == 0 && !isEncrypted())
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::gone);
    // A reset, a failed TLS handshake: nothing more can be said on this connection.
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] { abort(); });
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isEncrypted() const
{
    return qobject_cast<const QSslSocket *>(m_socket) != nullptr;
}

void HttpConnection::start()
{
    // The first request's clock starts with the connection: one that connects and sends nothing
    // is closed like one that sends a request slowly.
    m_requestStartedMs = monotonicMs();
    readAvailable();
}

HttpConnection::TakenSocket HttpConnection::takeSocket()
{
    if (m_gone || m_closing)
        return {};
    TakenSocket taken{m_socket, m_parser.takeBuffered()};
    m_socket->disconnect(this);
    m_socket->setParent(nullptr);
    m_socket = nullptr;  // nothing here touches it again: every path checks m_gone first
    m_answering = false;
    gone();
    return taken;
}

void HttpConnection::abort()
{
    if (m_gone)
        return;
    m_socket->abort();
    gone();
}

void HttpConnection::readAvailable()
{
    if (m_gone)
        return;
    if (m_closing) {
        discardInput();
        return;
    }
    for (;;) {
        if (m_gone)
            return;  // the handler took the socket (an upgrade)
        if (m_answering || m_closing || m_socket->bytesToWrite() >= kMaxUnsentBytes)
            return;  // resumes when the answer is made, or when the client takes it
        const quint64 handled = m_requestNumber;
        handleNext();
        if (m_answering || m_closing)
            return;
        if (m_requestNumber != handled)
            continue;  // answered at once: the next request may be in the buffer already
        answerExpectContinue();
        if (m_socket->bytesAvailable() == 0)
            return;
        if (m_requestStartedMs < 0)
            m_requestStartedMs = monotonicMs();
        // What is there, not a whole slice: read(n) allocates n bytes first.
        m_parser.append(m_socket->read(std::min(m_socket->bytesAvailable(), kReadSlice)));
    }
}

void HttpConnection::handleNext()
{
    std::optional<HttpRequestParser::Result> next = m_parser.next();
    if (!next)
        return;
    if (const auto *refusal = std::get_if<HttpRefusal>(&*next)) {
        HttpResponse response = HttpResponse::error(refusal->status, httpErrorCode(refusal->status),
                                                    QString::fromUtf8(refusal->reason));
        write(response.serialize(false));
        emit refused(refusal->status);
        closeGracefully();
        return;
    }
    const HttpRequest request = std::get<HttpRequest>(std::move(*next));
    m_answering = true;
    m_requestStartedMs = -1;
    const quint64 number = ++m_requestNumber;
    const bool keepAlive = request.keepAlive;
    const bool headOnly = request.method == "HEAD";
    m_inHandler = true;
    m_handler(request, *this,
              [self = QPointer<HttpConnection>(this), number, keepAlive,
               headOnly](const HttpResponse &response) {
                  if (self)
                      self->respond(number, response, keepAlive, headOnly);
              });
    m_inHandler = false;
}

void HttpConnection::answerExpectContinue()
{
    // RFC 9110 §10.1.1: a client that asked may wait (curl: a second) for the interim answer
    // before it sends the body. A body over the limit never gets here: its 413 went first.
    const HttpRequest *head = m_parser.waitingForBody();
    if (!head || m_continued == m_requestNumber + 1 || head->minorVersion == 0
        || head->header("expect").compare("100-continue", Qt::CaseInsensitive) != 0)
        return;
    m_continued = m_requestNumber + 1;
    write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
}

void HttpConnection::respond(quint64 requestNumber, const HttpResponse &response, bool keepAlive,
                             bool headOnly)
{
    if (m_gone || m_closing || !m_answering || requestNumber != m_requestNumber)
        return;  // gone, or answered already
    m_answering = false;
    write(response.serialize(keepAlive, headOnly));
    if (!keepAlive || response.closeConnection) {
        closeGracefully();
        return;
    }
    const qint64 now = monotonicMs();
    m_idleSinceMs = now;
    m_requestStartedMs = m_parser.bufferedBytes() > 0 ? now : -1;
    // A pipelined request may wait in the buffer: an answer made inside the handler returns to
    // readAvailable()'s loop, one made later needs it called again.
    if (!m_inHandler)
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

void HttpConnection::write(const QByteArray &bytes)
{
    qint64 written = 0;
    // With nothing of Qt's own waiting, a plain connection's answer goes straight to the kernel,
    // now: through QTcpSocket it would wait for another turn of the event loop (as the
    // WebSocket transport's writes, wstransport.cpp).
    if (!isEncrypted() && m_socket->bytesToWrite() == 0) {
        const ssize_t sent = ::send(int(m_socket->socketDescriptor()), bytes.constData(),
                                    size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0)
            written = sent;  // on an error Qt's write below runs into it and reports it
    }
    if (written < bytes.size())
        m_socket->write(bytes.constData() + written, bytes.size() - written);
}

void HttpConnection::closeGracefully()
{
    if (m_closing)
        return;
    m_closing = true;
    m_requestStartedMs = -1;
    auto *linger = new QTimer(this);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, this, &HttpConnection::abort);
    linger->start(kLinger);
    if (isEncrypted()) {
        m_socket->disconnectFromHost();  // close_notify once everything is written
        return;
    }
    if (m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    discardInput();
}

void HttpConnection::discardInput()
{
    while (m_socket->bytesAvailable() > 0)
        m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::gone()
{
    if (m_gone)
        return;
    m_gone = true;
    emit finished(this);
}

}  // namespace kucun
