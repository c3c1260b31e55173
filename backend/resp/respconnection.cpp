#include "respconnection.h"

#include "respwriter.h"

#include <QTcpSocket>

namespace kucun {

namespace {

// Read in slices: a pipelined burst is answered a slice at a time, so the replies of a client
// that sends much and reads nothing stop it being read long before its output gets large.
constexpr qint64 kReadSlice = 64 * 1024;
constexpr qint64 kSocketReadBuffer = 256 * 1024;

}  // namespace

RespConnection::RespConnection(QTcpSocket *socket, RespSession session, const Limits &limits,
                               Executor executor, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_session(std::move(session))
    , m_reader(limits.reader)
    , m_limits(limits)
    , m_executor(std::move(executor))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
}

RespConnection::~RespConnection() = default;

void RespConnection::start()
{
    connect(m_socket, &QTcpSocket::readyRead, this, &RespConnection::readAvailable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &RespConnection::readAvailable);
    connect(m_socket, &QTcpSocket::disconnected, this, &RespConnection::gone);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &RespConnection::gone);
    readAvailable();
}

void RespConnection::readAvailable()
{
    while (!m_closing && !m_gone && m_socket->bytesToWrite() < m_limits.maxUnsentBytes
           && m_socket->bytesAvailable() > 0) {
        m_reader.append(m_socket->read(kReadSlice));
        // Once per slice: a pipeline's requests arrive together anyway.
        m_session.lastCommandMs = RespSession::clockMs();
        while (auto next = m_reader.next()) {
            if (auto *error = std::get_if<RespProtocolError>(&*next)) {
                resp::appendError(m_output, "ERR " + error->message);
                emit protocolError(error->message);
                m_closing = true;
                break;
            }
            m_executing = true;
            QList<QByteArray> &arguments = std::get<RespRequest>(*next).arguments;
            m_executor(m_session, arguments, m_output);
            m_reader.recycle(std::move(arguments));
            m_executing = false;
            if (m_session.closeAfterReply || m_session.killed) {
                m_closing = true;
                break;
            }
        }
        flush();
    }
    if (m_closing && !m_gone)
        closeSoon();
}

void RespConnection::flush()
{
    if (m_output.isEmpty() || m_gone)
        return;
    m_socket->write(m_output);
    m_output.clear();
}

void RespConnection::closeSoon()
{
    if (m_gone)
        return;
    m_closing = true;
    flush();
    // disconnectFromHost writes what is pending first, then closes; `disconnected` follows.
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        gone();
}

bool RespConnection::deliver(const QByteArray &frame, qint64 maxBacklogBytes)
{
    if (m_gone || m_closing)
        return true;
    if (m_socket->bytesToWrite() + frame.size() > maxBacklogBytes) {
        // What waits is lost either way: drop it at once rather than flush it first.
        m_closing = true;
        m_socket->abort();
        gone();
        return false;
    }
    m_socket->write(frame);
    return true;
}

void RespConnection::kill()
{
    if (m_executing)
        m_session.killed = true;
    else
        closeSoon();
}

void RespConnection::gone()
{
    if (m_gone)
        return;
    m_gone = true;
    emit finished(this);
}

}  // namespace kucun
