#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace kucun {

// Decodes what a WebSocket client sends (RFC 6455 §5) as the bytes arrive, and holds it to the
// rules a server must: every client frame masked, no reserved bits (the hub offers no
// extension), known opcodes, control frames short and unfragmented, continuation frames only
// inside a fragmented message, text valid UTF-8, close payloads well-formed. It never buffers
// more than one message of `maxMessageBytes` plus a frame header: a longer message is refused as
// soon as its length is known. Binary messages are refused when their first frame arrives (the
// hub's protocol is text). After a refusal it reads nothing more. Pure: no I/O, fuzzed.
class WsFrameReader
{
public:
    struct Message
    {
        enum class Kind {
            Text,  // payload: a whole message, valid UTF-8
            Ping,  // payload: the ping's, to be echoed in the pong
            Pong,
            Close,  // closeCode (1005 when the frame had none) and the reason in payload
            Refused,  // closeCode to close with, and why in payload (for the log)
        };
        Kind kind = Kind::Text;
        QByteArray payload;
        quint16 closeCode = 0;
    };

    // The close codes this reader refuses with.
    static constexpr quint16 kProtocolError = 1002;
    static constexpr quint16 kUnsupportedData = 1003;
    static constexpr quint16 kNoStatus = 1005;  // a close frame without a code (never sent)
    static constexpr quint16 kInvalidPayload = 1007;
    static constexpr quint16 kTooBig = 1009;

    explicit WsFrameReader(qint64 maxMessageBytes);

    // Takes bytes as they came off the socket; next() then hands out what they complete.
    void append(QByteArrayView bytes);
    std::optional<Message> next();
    // A refusal was handed out: the connection is to be closed.
    bool refused() const { return m_refused; }
    // Bytes held: an unfinished frame, and the fragments of an unfinished message.
    qsizetype bufferedBytes() const { return m_input.size() - m_position + m_message.size(); }

private:
    Message refuse(quint16 code, const char *why);
    std::optional<Message> control(int opcode, QByteArray payload);

    const qint64 m_maxMessageBytes;
    QByteArray m_input;
    qsizetype m_position = 0;  // bytes of m_input already decoded
    QByteArray m_message;  // the fragments of a text message so far
    bool m_inMessage = false;
    bool m_refused = false;
};

}  // namespace kucun
