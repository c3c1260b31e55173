#include "wsframereader.h"

namespace kucun {

namespace {

constexpr int kContinuation = 0x0;
constexpr int kText = 0x1;
constexpr int kBinary = 0x2;
constexpr int kClose = 0x8;
constexpr int kPing = 0x9;
constexpr int kPong = 0xA;
constexpr qsizetype kMaxControlPayload = 125;

// Close codes a peer may send (RFC 6455 §7.4; 1012-1014 registered since). 1004-1006 and 1015
// are reserved for reporting and must never appear on the wire.
bool isSendableCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
           || (code >= 3000 && code <= 4999);
}

quint64 bigEndian(const char *bytes, int count)
{
    quint64 value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | uchar(bytes[i]);
    return value;
}

}  // namespace

WsFrameReader::WsFrameReader(qint64 maxMessageBytes)
    : m_maxMessageBytes(maxMessageBytes)
{
}

void WsFrameReader::append(QByteArrayView bytes)
{
    if (m_refused)
        return;  // the connection is being closed: what follows is not read
    m_input.append(bytes);
}

WsFrameReader::Message WsFrameReader::refuse(quint16 code, const char *why)
{
    m_refused = true;
    m_input.clear();
    m_message.clear();
    m_position = 0;
    return {Message::Kind::Refused, QByteArray(why), code};
}

std::optional<WsFrameReader::Message> WsFrameReader::next()
{
    while (!m_refused) {
        const qsizetype available = m_input.size() - m_position;
        const char *frame = m_input.constData() + m_position;
        if (available < 2)
            break;
        const bool final = uchar(frame[0]) & 0x80;
        const int opcode = uchar(frame[0]) & 0x0f;
        const bool isControl = opcode & 0x8;
        if (uchar(frame[0]) & 0x70)
            return refuse(kProtocolError, "reserved bits set without an extension");
        if (!(uchar(frame[1]) & 0x80))
            return refuse(kProtocolError, "unmasked client frame");
        if (isControl && opcode != kClose && opcode != kPing && opcode != kPong)
            return refuse(kProtocolError, "unknown opcode");
        if (!isControl && opcode > kBinary)
            return refuse(kProtocolError, "unknown opcode");
        if (isControl && !final)
            return refuse(kProtocolError, "fragmented control frame");
        if (opcode == kBinary)
            return refuse(kUnsupportedData,
                          "binary frames are not supported: the protocol is text");
        if (opcode == kContinuation && !m_inMessage)
            return refuse(kProtocolError, "continuation frame outside a fragmented message");
        if (opcode == kText && m_inMessage)
            return refuse(kProtocolError, "new message inside a fragmented one");

        const int lengthMarker = uchar(frame[1]) & 0x7f;
        const int lengthBytes = lengthMarker == 127 ? 8 : lengthMarker == 126 ? 2 : 0;
        const qsizetype header = 2 + lengthBytes + 4;  // with the masking key
        if (available < 2 + lengthBytes)
            break;
        const quint64 length
            = lengthBytes ? bigEndian(frame + 2, lengthBytes) : quint64(lengthMarker);
        if (isControl && length > kMaxControlPayload)
            return refuse(kProtocolError, "control frame longer than 125 bytes");
        if (!isControl && length > quint64(m_maxMessageBytes - m_message.size()))
            return refuse(kTooBig, "message longer than the hub accepts");
        if (available < header || quint64(available - header) < length)
            break;  // the rest of the frame has not arrived

        const char *mask = frame + header - 4;
        const char *masked = frame + header;
        QByteArray unmasked(qsizetype(length), Qt::Uninitialized);
        char *out = unmasked.data();
        for (quint64 i = 0; i < length; ++i)
            out[i] = char(masked[i] ^ mask[i % 4]);
        m_position += header + qsizetype(length);

        if (isControl)
            return control(opcode, std::move(unmasked));
        m_message.append(unmasked);
        m_inMessage = !final;
        if (final) {
            QByteArray text;
            text.swap(m_message);
            if (!text.isValidUtf8())
                return refuse(kInvalidPayload, "text message that is not UTF-8");
            return Message{Message::Kind::Text, std::move(text), 0};
        }
    }
    // Keep only what is not decoded yet: at most one unfinished frame. An idle connection holds
    // no buffer: most reads end on a frame boundary.
    if (m_position == m_input.size())
        m_input = QByteArray();
    else
        m_input.remove(0, m_position);
    m_position = 0;
    return std::nullopt;
}

std::optional<WsFrameReader::Message> WsFrameReader::control(int opcode, QByteArray payload)
{
    if (opcode == kPing)
        return Message{Message::Kind::Ping, std::move(payload), 0};
    if (opcode == kPong)
        return Message{Message::Kind::Pong, std::move(payload), 0};
    if (payload.isEmpty())
        return Message{Message::Kind::Close, {}, kNoStatus};
    if (payload.size() == 1)
        return refuse(kProtocolError, "close frame with a one-byte payload");
    const auto code = quint16(bigEndian(payload.constData(), 2));
    if (!isSendableCloseCode(code))
        return refuse(kProtocolError, "close frame with a code a peer may not send");
    QByteArray reason = payload.mid(2);
    if (!reason.isValidUtf8())
        return refuse(kInvalidPayload, "close reason that is not UTF-8");
    return Message{Message::Kind::Close, std::move(reason), code};
}

}  // namespace kucun
