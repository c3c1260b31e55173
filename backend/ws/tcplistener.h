#pragma once

#include <QHostAddress>
#include <QObject>

#include <optional>

class QSocketNotifier;
class QSslConfiguration;
class QTcpSocket;
class QTimer;

namespace kucun {

// A listening TCP socket that hands out accepted descriptors, and that copes with running out
// of them. QTcpServer does not: when accept() fails with EMFILE the connection stays in the
// backlog, the socket stays readable, and QTcpServer tries again at once, forever, at 100 % CPU
// and without a word. Here such a failure pauses accepting for a moment and is reported, so
// that the owner can log it and make room. Engine thread; Unix.
class TcpListener : public QObject
{
    Q_OBJECT

public:
    explicit TcpListener(QObject *parent = nullptr);
    ~TcpListener() override;

    // On failure returns why, in one line.
    std::optional<QString> listen(const QHostAddress &host, quint16 port, int backlog);
    void close();
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }

signals:
    // A connected socket, non-blocking, for QTcpSocket::setSocketDescriptor; the receiver owns
    // it (and must close it if it does not take it).
    void accepted(qintptr descriptor);
    // accept() failed for want of descriptors or memory; accepting resumes by itself after a
    // pause. `error` is the errno.
    void acceptStarved(int error);

private:
    std::optional<QString> bind(const QHostAddress &host, quint16 port, int backlog,
                                bool dualStack);
    void acceptPending();

    int m_descriptor = -1;
    int m_lastError = 0;  // errno of the last failed step of bind()
    QHostAddress m_address;
    quint16 m_port = 0;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_resume = nullptr;
};

// A socket for a descriptor TcpListener accepted: a QSslSocket that starts the server side of
// the TLS handshake when `tls` is given, else a QTcpSocket. Nagle's algorithm is off: every
// message and answer is written whole and should leave now, not wait for the previous one to be
// acknowledged (tens of milliseconds with delayed ACKs). Null when the descriptor could not be
// taken (it is closed then, and `error` says why).
QTcpSocket *adoptAcceptedSocket(qintptr descriptor, const QSslConfiguration *tls, QString *error);

}  // namespace kucun
