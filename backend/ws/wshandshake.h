#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>
#include <variant>

namespace kucun {

// The opening handshake of RFC 6455 §4.2 on the server's side: the client's HTTP/1.1 upgrade
// request read and checked, and the answers to it. Pure: no I/O, fuzzed with the frame reader.

// A request that asked for a WebSocket correctly.
struct WsUpgradeRequest
{
    QByteArray target;  // path and query as sent, e.g. "/?token=…"
    QByteArray origin;  // empty: no Origin header (a server process, not a browser)
    QByteArray key;  // Sec-WebSocket-Key
    qsizetype headerBytes = 0;  // through the blank line; what follows is the first frame
};

// A request to refuse with an HTTP status, and a line that says why.
struct WsUpgradeRefusal
{
    int status = 400;
    QByteArray reason;
};

struct WsUpgradeIncomplete
{
};

// The request must fit in `maxHeaderBytes` (beyond: refused with 431).
using WsUpgradeParse = std::variant<WsUpgradeIncomplete, WsUpgradeRequest, WsUpgradeRefusal>;
WsUpgradeParse parseWsUpgrade(QByteArrayView received, qsizetype maxHeaderBytes);

// The headers that make an HTTP/1.1 GET a WebSocket upgrade (RFC 6455 §4.2.1), as sent.
struct WsUpgradeHeaders
{
    QByteArray upgrade;
    QByteArray connection;
    QByteArray version;  // Sec-WebSocket-Version
    QByteArray host;
    QByteArray key;  // Sec-WebSocket-Key
};
// Why they do not ask for a WebSocket correctly; nothing when they do. The HTTP side's
// /api/stream checks its upgrade with this too.
std::optional<WsUpgradeRefusal> checkWsUpgradeHeaders(const WsUpgradeHeaders &headers);

// "101 Switching Protocols" with the Sec-WebSocket-Accept that proves the key was read.
QByteArray wsUpgradeAccepted(const QByteArray &key);
// A complete HTTP response that refuses: the status, and the reason as a plain-text body.
QByteArray wsUpgradeRefused(const WsUpgradeRefusal &refusal);

}  // namespace kucun
