#pragma once

#include "jwtverifier.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace kucun {

// What the hub's protocol keeps about one connected client (engine thread); the connection
// itself is the transport's.
struct WsClient
{
    QString id;
    QString address;
    QString origin;
    qint64 connectedAtMs = 0;  // on the hub's monotonic clock
    qint64 connectedSinceMs = 0;  // wall clock, for people

    // A token bucket: a request takes a token; tokens come back at the sustained rate up to the
    // burst.
    double tokens = 0;
    qint64 refilledAtMs = 0;
    bool takeRequestToken(double perSecond, double burst, qint64 nowMs)
    {
        tokens = std::min(burst, tokens + double(nowMs - refilledAtMs) * perSecond / 1000.0);
        refilledAtMs = nowMs;
        if (tokens < 1)
            return false;
        tokens -= 1;
        return true;
    }

    // With a JWT secret: set once a token checked out. Until then only ping and auth work.
    std::optional<ClientGrant> grant;

    // Heartbeat, on the hub's monotonic clock: when the unanswered ping went out (0: none
    // outstanding), when the next one is due.
    qint64 pingSentAtMs = 0;
    qint64 nextPingAtMs = 0;

    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    // Being closed (slow consumer, token, heartbeat, an administrator): gets nothing more, and
    // its requests are ignored until the socket is gone.
    bool closing = false;
};

// A client as the Clients & channels panel shows it.
struct WsClientInfo
{
    QString id;
    QString address;
    QString origin;
    QString subject;  // the token's `sub`; empty without auth
    QStringList subscriptions;
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 queuedBytes = 0;
    qint64 connectedSinceMs = 0;
};

}  // namespace kucun
