#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace kucun {

// What became of one message handed to a channel's subscribers, for its event's trace
// (SPEC §14).
struct ChannelDelivery
{
    // Client ids named in a trace at most; the counts cover everyone.
    static constexpr int kMaxNamed = 50;

    struct Skip
    {
        QString client;
        QString why;  // "closing", "cut as a slow consumer", …
        friend bool operator==(const Skip &, const Skip &) = default;
    };

    bool known = false;  // false: the sink could not say (a stand-in in tests)
    // Handed to the channel's stream shared in Redis: Redis stamps it and every hub delivers
    // it when it comes back, so this hub knows neither its offset nor its readers here.
    bool shared = false;
    qint64 offset = -1;
    qint64 written = 0;  // subscribers whose socket the message was written to
    QStringList writtenTo;  // the first kMaxNamed of them
    qint64 notSubscribed = 0;  // clients connected then but not subscribed to the channel
    QList<Skip> skipped;  // subscribers it did not reach (the first kMaxNamed)
    qint64 skippedCount = 0;
    // When the last socket write happened; unset (epoch) when nothing was written.
    std::chrono::steady_clock::time_point lastWriteAt{};
};

// Where routed events go to reach browsers: the WebSocket hub implements it, tests use a fake.
// The sink wraps `data` as {"channel","data","ts","offset"} (SPEC §5) and delivers it to the
// channel's subscribers. Called in the engine thread.
class ChannelSink
{
public:
    using DeliveryReport = std::function<void(const ChannelDelivery &delivery)>;

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
    // Either of the above (`key` empty: the first), and `report` once the message has been
    // written to the subscribers' sockets: at most once, in the same thread, at once when there
    // is nothing to wait for. A sink that cannot tell reports at once that it does not know; one
    // destroyed first never reports (the router gives such a trace up after a while).
    virtual void deliverTraced(const QString &channel, const QJsonValue &data, const QString &key,
                               DeliveryReport report)
    {
        if (key.isEmpty())
            deliverToChannel(channel, data);
        else
            deliverKeyed(channel, data, key);
        report(ChannelDelivery{});
    }
};

}  // namespace kucun
