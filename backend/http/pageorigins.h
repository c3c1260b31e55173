#pragma once

#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QUrl>

namespace kucun {

// The origins of the pages the HTTP side serves (SPEC §7): what a browser sends as `Origin`
// after it loaded the demo page from the server at `serverUrl`, so that the hub lets that page
// open its WebSocket. A loopback bind is reached as localhost too; a bind to every address
// (0.0.0.0, ::) by each of the machine's `localAddresses` and by its `hostName`. A name the
// machine is reached by beyond those (a reverse proxy's, a DNS alias) goes in
// WS_ALLOWED_ORIGINS.
QStringList pageOrigins(const QUrl &serverUrl, const QList<QHostAddress> &localAddresses,
                        const QString &hostName);

}  // namespace kucun
