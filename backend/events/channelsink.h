#pragma once

#include <QJsonValue>
#include <QString>

namespace kucun {

// Where routed events go to reach browsers: the WebSocket hub implements it, tests use a fake.
// The sink wraps `data` as {"channel","data","ts","offset"} (SPEC §5) and delivers it to the
// channel's subscribers. Called in the engine thread.
class ChannelSink
{
public:
    virtual ~ChannelSink() = default;
    virtual void deliverToChannel(const QString &channel, const QJsonValue &data) = 0;
    // The same for a message known on every hub by `key` (an event's id, a stream entry's):
    // where hubs share channel history, it is stamped once, by whichever hub comes first, and
    // each delivers that.
    virtual void deliverKeyed(const QString &channel, const QJsonValue &data, const QString &key)
    {
        Q_UNUSED(key);
        deliverToChannel(channel, data);
    }
};

}  // namespace kucun
