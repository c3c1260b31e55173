#pragma once

#include "wsframereader.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QUrl>

class QTcpSocket;

namespace kucun {

// One client connection of the WebSocket transport, from the first byte of its handshake to its
// last frame: the socket, what was read and not yet decoded, what waits to be written, and how
// much it may have waiting. The hub names a client by this object; the transport owns it (a
// child) and deletes it later once the peer has gone. Engine thread.
//
// A plain connection is a bare descriptor the transport reads and writes itself (SocketReactor):
// an idle client then costs this object and the hub's record of it, nothing of Qt's socket
// machinery. A TLS connection is a QSslSocket, which does the encryption.
class WsConnection : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Handshaking,  // the upgrade request has not been read in full
        Open,
        Closing,  // a close frame went out, or the connection failed: nothing more is sent
    };

    // A connection on `socket` (taken as a child), or, without one, a placeholder that only
    // stands for a client (tests of what keeps clients by name).
    explicit WsConnection(QTcpSocket *socket = nullptr, qint64 maxMessageBytes = 64 * 1024,
                          QObject *parent = nullptr);
    // A plain connection on an accepted descriptor, which it closes when it goes.
    WsConnection(int descriptor, const QHostAddress &peer, qint64 maxMessageBytes, QObject *parent);
    ~WsConnection() override;

    State state() const { return m_state; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    // The request's Origin header; empty for a client that sent none.
    QString origin() const { return m_origin; }
    // The request's path and query, e.g. "/?token=…".
    QUrl requestUrl() const { return m_requestUrl; }

private:
    friend class WsTransport;

    void setPeer(const QHostAddress &peer);

    QTcpSocket *m_socket = nullptr;  // TLS
    int m_descriptor = -1;  // plain: open until the transport closes it
    QByteArray m_unsent;  // plain: what the kernel did not take yet
    bool m_closeWhenSent = false;  // plain: close the descriptor once m_unsent is out
    State m_state = State::Handshaking;
    QHostAddress m_peerAddress;
    QString m_peerAddressText;
    QString m_handshakeKey;  // for the per-address handshake count: the address, an IPv6 /64
    QString m_origin;
    QUrl m_requestUrl;
    bool m_announced = false;  // the transport reported it connected
    quint16 m_closeCode = 0;  // the close frame's code, sent or answered; 0: none (1006)
    qint64 m_acceptedAtMs = 0;  // on the transport's clock, for the handshake timeout
    QByteArray m_handshake;  // the upgrade request so far
    WsFrameReader m_reader;
    QByteArray m_pending;  // frames queued in this event-loop turn
    bool m_writePending = false;  // in the transport's list of connections to flush
    qint64 m_queueLimit = 0;  // queued beyond this: reported as a slow consumer
    bool m_overflowReported = false;
    // Ping frames the peer may still have answered (a token bucket, like the hub's requests).
    double m_pingTokens = 0;
    qint64 m_pingsRefilledAtMs = 0;
};

}  // namespace kucun
