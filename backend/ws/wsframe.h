#pragma once

#include <QByteArray>

namespace kucun {

// A server-to-client WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked) around
// `utf8`. The hub builds it once per message and writes the same bytes to every subscriber's
// socket, where QWebSocket::sendTextMessage would re-encode and re-frame for each of them.
QByteArray textFrame(const QByteArray &utf8);

// The payload of a frame built by textFrame() (tests and tools).
QByteArray textFramePayload(const QByteArray &frame);

}  // namespace kucun
