#include "wshandshake.h"

#include <QCryptographicHash>
#include <QList>

namespace kucun {

namespace {

// RFC 6455 §1.3: appended to the client's key before hashing.
constexpr QByteArrayView kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool hasToken(QByteArrayView headerValue, QByteArrayView token)
{
    for (const QByteArrayView part : headerValue.toByteArray().split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 405:
        return "Method Not Allowed";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

}  // namespace

WsUpgradeParse parseWsUpgrade(QByteArrayView received, qsizetype maxHeaderBytes)
{
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0) {
        if (received.size() > maxHeaderBytes)
            return WsUpgradeRefusal{431, "the request's header is too long"};
        return WsUpgradeIncomplete{};
    }
    if (end + 4 > maxHeaderBytes)
        return WsUpgradeRefusal{431, "the request's header is too long"};

    const QList<QByteArray> lines = received.first(end).toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.front().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return WsUpgradeRefusal{400, "not an HTTP/1.1 request"};
    if (requestLine[0] != "GET")
        return WsUpgradeRefusal{405, "a WebSocket handshake is a GET request"};
    if (requestLine[2] == "HTTP/1.0")
        return WsUpgradeRefusal{400, "a WebSocket handshake needs HTTP/1.1"};

    WsUpgradeRequest request;
    request.target = requestLine[1];
    request.headerBytes = end + 4;
    QByteArray upgrade, connection, version, host;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return WsUpgradeRefusal{400, "a header line without a name"};
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (name == "upgrade")
            upgrade = value;
        else if (name == "connection")
            connection = value;
        else if (name == "sec-websocket-version")
            version = value;
        else if (name == "sec-websocket-key")
            request.key = value;
        else if (name == "origin")
            request.origin = value;
        else if (name == "host")
            host = value;
    }
    if (std::optional<WsUpgradeRefusal> refusal
        = checkWsUpgradeHeaders({upgrade, connection, version, host, request.key}))
        return *refusal;
    return request;
}

std::optional<WsUpgradeRefusal> checkWsUpgradeHeaders(const WsUpgradeHeaders &headers)
{
    if (!hasToken(headers.upgrade, "websocket") || !hasToken(headers.connection, "upgrade"))
        return WsUpgradeRefusal{426, "this port speaks WebSocket only"};
    if (headers.version != "13")
        return WsUpgradeRefusal{426, "WebSocket version 13 is the one spoken here"};
    if (headers.host.isEmpty())
        return WsUpgradeRefusal{400, "no Host header"};
    const auto key
        = QByteArray::fromBase64Encoding(headers.key, QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.size() != 16)
        return WsUpgradeRefusal{400, "Sec-WebSocket-Key is not 16 bytes in base64"};
    return std::nullopt;
}

QByteArray wsUpgradeAccepted(const QByteArray &key)
{
    const QByteArray accept
        = QCryptographicHash::hash(key + kAcceptGuid.toByteArray(), QCryptographicHash::Sha1)
              .toBase64();
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
           + accept + "\r\n\r\n";
}

QByteArray wsUpgradeRefused(const WsUpgradeRefusal &refusal)
{
    const QByteArray body = refusal.reason + '\n';
    QByteArray response = "HTTP/1.1 " + QByteArray::number(refusal.status) + ' '
                          + reasonPhrase(refusal.status).toByteArray()
                          + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\nConnection: close\r\n";
    if (refusal.status == 426)
        response += "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";
    return response + "\r\n" + body;
}

}  // namespace kucun
