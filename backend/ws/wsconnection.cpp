#include "wsconnection.h"

#include <QTcpSocket>

#include <unistd.h>

namespace kucun {

WsConnection::WsConnection(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_reader(maxMessageBytes)
{
    if (!socket)
        return;
    socket->setParent(this);
    setPeer(socket->peerAddress());
}

WsConnection::WsConnection(int descriptor, const QHostAddress &peer, qint64 maxMessageBytes,
                           QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_reader(maxMessageBytes)
{
    setPeer(peer);
}

WsConnection::~WsConnection()
{
    if (m_descriptor >= 0)
        ::close(m_descriptor);
}

void WsConnection::setPeer(const QHostAddress &peer)
{
    m_peerAddress = peer;
    m_peerAddressText = m_peerAddress.toString();
    // One IPv6 host commonly has a whole /64: count its handshakes as one address.
    bool isIPv4 = false;
    m_peerAddress.toIPv4Address(&isIPv4);
    if (m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol && !isIPv4) {
        const Q_IPV6ADDR bytes = m_peerAddress.toIPv6Address();
        m_handshakeKey
            = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes.c), 8).toHex())
              + QStringLiteral("::/64");
    } else {
        m_handshakeKey = m_peerAddressText;
    }
}

}  // namespace kucun
