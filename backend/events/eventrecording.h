#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace kucun {

// One line of a recording (SPEC §14, `--record`): what came on the bus, when, as JSON on a line
// of its own: {"t":ms since the recording began,"channel":C,"payload":the message as it came}.
// The payload is kept as the text it was (a string member), so that a replay sends the very
// bytes that were heard, valid JSON or not.
struct RecordedMessage
{
    qint64 atMs = 0;
    QString channel;
    QByteArray payload;
};

namespace EventRecording {

QByteArray line(const RecordedMessage &message);

// A line read back, or why it cannot be replayed. `t` must be a whole number of ms from 0 and
// not before the previous line's; the channel a bus channel name; the payload a string (or any
// JSON value, taken as its text).
using LineRead = std::variant<RecordedMessage, QString>;
LineRead read(QByteArrayView line, qint64 previousAtMs);

}  // namespace EventRecording

}  // namespace kucun
