#pragma once

#include <QByteArray>
#include <QString>

namespace kucun {

// One message of a channel's shared stream, as Redis stamped it (SPEC §6 with Redis).
struct SharedMessage
{
    QString channel;
    QString epoch;
    qint64 offset = 0;
    qint64 timestampMs = 0;
    // {"channel","data","offset","ts"}: the text every hub sends its clients, written once, in
    // the Lua script that gave the offset.
    QByteArray envelope;
};

}  // namespace kucun
