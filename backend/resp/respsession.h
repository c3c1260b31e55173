#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>

namespace kucun {

// What the Redis-protocol front knows of one client connection (SPEC §12): what CLIENT LIST
// shows and the state commands change. RespConnection owns it; RespCommands reads and writes it.
struct RespSession
{
    // The clock of the times below: milliseconds since the first call, never going back.
    static qint64 clockMs()
    {
        static const QElapsedTimer clock = [] {
            QElapsedTimer started;
            started.start();
            return started;
        }();
        return clock.elapsed();
    }

    qint64 id = 0;  // CLIENT ID: rises by one per connection, from 1
    QHostAddress peer;
    quint16 peerPort = 0;
    QHostAddress local;
    quint16 localPort = 0;
    qint64 createdMs = 0;  // monotonic
    qint64 lastCommandMs = 0;  // monotonic
    QByteArray name;  // CLIENT SETNAME
    QByteArray libraryName;  // CLIENT SETINFO LIB-NAME
    QByteArray libraryVersion;  // CLIENT SETINFO LIB-VER
    QByteArray lastCommand;  // lower case, as CLIENT LIST's cmd= shows it
    bool authenticated = false;
    // MULTI: the commands queued for EXEC, their size, and whether one was refused.
    bool inMulti = false;
    bool multiFailed = false;
    QList<QList<QByteArray>> queued;
    qint64 queuedBytes = 0;
    bool closeAfterReply = false;  // QUIT, CLIENT KILL of itself
    bool killed = false;  // CLIENT KILL from another connection: closed at once
};

}  // namespace kucun
