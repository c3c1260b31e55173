#pragma once

#include "resprequestreader.h"
#include "respsession.h"

#include <QObject>

#include <functional>

class QTcpSocket;

namespace kucun {

// One client of the Redis-protocol front: reads requests with RespRequestReader, has each run
// at once and in order (pipelined requests too), and writes their replies together. Bounded: a
// client that does not read its replies is not read either once `maxUnsentBytes` wait for it
// (the socket's read buffer is bounded, so the kernel pushes back on the sender); a request the
// reader refuses is answered with Redis's protocol error, and the connection is closed after
// that reply. RespServer owns it; engine thread.
class RespConnection : public QObject
{
    Q_OBJECT

public:
    // Runs one request of the session and appends its reply.
    using Executor = std::function<void(RespSession &, const QList<QByteArray> &, QByteArray &)>;

    struct Limits
    {
        RespRequestReader::Limits reader;
        qint64 maxUnsentBytes = 4 * 1024 * 1024;
    };

    RespConnection(QTcpSocket *socket, RespSession session, const Limits &limits, Executor executor,
                   QObject *parent);
    ~RespConnection() override;

    const RespSession &session() const { return m_session; }
    // Closes the connection once what was written has left (the server closing).
    void closeSoon();
    // CLIENT KILL: closed now, or, when the request running is its own, after its reply.
    void kill();
    // A pub/sub message for this client. False (and the connection dropped) when more than
    // `maxBacklogBytes` wait for it already.
    bool deliver(const QByteArray &frame, qint64 maxBacklogBytes);
    void start();

signals:
    void finished(kucun::RespConnection *connection);
    void protocolError(const QByteArray &message);

private:
    void readAvailable();
    void flush();
    void gone();

    QTcpSocket *const m_socket;  // a child
    RespSession m_session;
    RespRequestReader m_reader;
    const Limits m_limits;
    const Executor m_executor;
    QByteArray m_output;  // replies of this round of reading, written together
    bool m_executing = false;
    bool m_closing = false;
    bool m_gone = false;
};

}  // namespace kucun
