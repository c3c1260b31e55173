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
};

}  // namespace kucun
