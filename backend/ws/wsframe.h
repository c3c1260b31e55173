#pragma once

#include <QByteArray>
#include <QString>

namespace kucun {

// A server-to-client WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked) around
// `utf8`. The hub builds it once per message and writes the same bytes to every subscriber's
// socket, where QWebSocket::sendTextMessage would re-encode and re-frame for each of them.
QByteArray textFrame(const QByteArray &utf8);

// Server-to-client control frames. A close reason is cut to fit the 125 bytes a control frame
// may carry (at a character boundary).
QByteArray pingFrame();
QByteArray pongFrame(const QByteArray &payload);  // echoes the ping's payload, at most 125 bytes
QByteArray closeFrame(quint16 code, const QString &reason);

// The payload of a frame built by textFrame() (tests and tools).
QByteArray textFramePayload(const QByteArray &frame);

}  // namespace kucun
