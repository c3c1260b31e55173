#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

namespace kucun::test {

// A blocking Redis-protocol client for the tests: sends requests as raw bytes and returns each
// reply's raw bytes, so that replies of two servers can be compared byte for byte. Uses hiredis's
// reader only to tell where a reply ends. Every wait is bounded.
class RespClient
{
public:
    bool connectTo(quint16 port);
    // Sends `request` (multibulk or inline bytes) and returns the next `replies` replies, whole;
    // what came before a timeout or a close otherwise.
    QByteArray send(const QByteArray &request, int replies = 1);
    QByteArray command(const QList<QByteArray> &arguments) { return send(encode(arguments)); }
    // Sends `request` and returns what comes back until it ends with `end`: for replies nested
    // deeper than hiredis's reader takes (7 levels).
    QByteArray sendUntil(const QByteArray &request, const QByteArray &end);
    // True when the server closed the connection (within a bounded wait).
    bool waitForClose();

    static QByteArray encode(const QList<QByteArray> &arguments);

private:
    QTcpSocket m_socket;
    QByteArray m_pending;  // bytes of replies not yet handed out
};

}  // namespace kucun::test
