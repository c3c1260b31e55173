#include "wsframe.h"

namespace kucun {

namespace {

constexpr char kFinalTextFrame = char(0x81);
constexpr char kFinalClose = char(0x88);
constexpr char kFinalPing = char(0x89);
constexpr char kFinalPong = char(0x8A);
constexpr qsizetype kMaxControlPayload = 125;

QByteArray controlFrame(char first, const QByteArray &payload)
{
    Q_ASSERT(payload.size() <= kMaxControlPayload);
    QByteArray frame;
    frame.reserve(2 + payload.size());
    frame.append(first);
    frame.append(char(payload.size()));
    frame.append(payload);
    return frame;
}
constexpr qsizetype kLength16 = 126;  // marker: a 16-bit length follows
constexpr qsizetype kLength64 = 127;  // marker: a 64-bit length follows

}  // namespace

QByteArray textFrame(const QByteArray &utf8)
{
    const qsizetype size = utf8.size();
    QByteArray frame;
    frame.reserve(size + 10);
    frame.append(kFinalTextFrame);
    if (size < kLength16) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(kLength16));
        frame.append(char(size >> 8));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(kLength64));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    frame.append(utf8);
    return frame;
}

QByteArray pingFrame()
{
    return controlFrame(kFinalPing, {});
}

QByteArray pongFrame(const QByteArray &payload)
{
    return controlFrame(kFinalPong, payload.left(kMaxControlPayload));
}

QByteArray closeFrame(quint16 code, const QString &reason)
{
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xff));
    QString text = reason;
    // The reason must stay UTF-8: drop whole characters until it fits.
    while (text.toUtf8().size() > kMaxControlPayload - 2)
        text.chop(text.size() >= 2 && text.back().isLowSurrogate() ? 2 : 1);
    payload.append(text.toUtf8());
    return controlFrame(kFinalClose, payload);
}

QByteArray textFramePayload(const QByteArray &frame)
{
    if (frame.size() < 2)
        return {};
    const qsizetype marker = uchar(frame[1]) & 0x7f;
    const qsizetype header = marker < kLength16 ? 2 : marker == kLength16 ? 4 : 10;
    return frame.mid(header);
}

}  // namespace kucun
