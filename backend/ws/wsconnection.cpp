#include "wsconnection.h"

#include <QTcpSocket>

namespace kucun {

WsConnection::WsConnection(QTcpSocket *socket, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_reader(maxMessageBytes)
{
    if (!socket)
        return;
    socket->setParent(this);
    m_peerAddress = socket->peerAddress();
    m_peerAddressText = m_peerAddress.toString();
}

}  // namespace kucun
