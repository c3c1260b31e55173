// Pub/sub of the Redis-protocol front: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH
// PUBSUB, with Redis 7.0's replies (RESP2). Who listens to what: RespPubSub.

#include "respcommands.h"
#include "resppubsub.h"
#include "respwriter.h"

namespace kucun {

namespace {

// The reply of each (un)subscription: kind, channel or pattern (null when there was none to end),
// and the client's subscriptions left.
void appendSubscription(QByteArray &out, QByteArrayView kind, const QByteArray *name,
                        qsizetype count)
{
    resp::appendArrayHeader(out, 3);
    resp::appendBulk(out, kind);
    if (name)
        resp::appendBulk(out, *name);
    else
        resp::appendNullBulk(out);
    resp::appendInteger(out, count);
}

}  // namespace

// SUBSCRIBE and PSUBSCRIBE: one reply per channel or pattern.
void RespCommands::subscribe(Call &call)
{
    const qint64 id = call.session.id;
    const bool patterns = call.name == "psubscribe";
    for (qsizetype j = 1; j < call.size(); ++j) {
        patterns ? m_pubsub.psubscribe(id, call.args[j]) : m_pubsub.subscribe(id, call.args[j]);
        appendSubscription(call.out, call.name, &call.args[j], m_pubsub.subscriptionCount(id));
    }
}

// UNSUBSCRIBE and PUNSUBSCRIBE: the ones named, or all the client has; with none, one reply
// that says so.
void RespCommands::unsubscribe(Call &call)
{
    const qint64 id = call.session.id;
    const bool patterns = call.name == "punsubscribe";
    const QList<QByteArray> names = call.size() > 1 ? call.args.mid(1)
                                    : patterns      ? m_pubsub.patternsOf(id)
                                                    : m_pubsub.channelsOf(id);
    if (names.isEmpty())
        appendSubscription(call.out, call.name, nullptr, m_pubsub.subscriptionCount(id));
    for (const QByteArray &name : names) {
        patterns ? m_pubsub.punsubscribe(id, name) : m_pubsub.unsubscribe(id, name);
        appendSubscription(call.out, call.name, &name, m_pubsub.subscriptionCount(id));
    }
}

void RespCommands::publish(Call &call)
{
    resp::appendInteger(call.out, m_pubsub.publish(call.args[1], call.args[2]));
}

void RespCommands::pubsubChannels(Call &call)
{
    if (call.size() > 3) {
        subcommandSyntaxError(call);
        return;
    }
    const QList<QByteArray> channels
        = m_pubsub.activeChannels(call.size() == 3 ? call.args[2] : QByteArray());
    resp::appendArrayHeader(call.out, channels.size());
    for (const QByteArray &channel : channels)
        resp::appendBulk(call.out, channel);
}

void RespCommands::pubsubNumsub(Call &call)
{
    resp::appendArrayHeader(call.out, (call.size() - 2) * 2);
    for (qsizetype j = 2; j < call.size(); ++j) {
        resp::appendBulk(call.out, call.args[j]);
        resp::appendInteger(call.out, m_pubsub.subscribersOf(call.args[j]));
    }
}

void RespCommands::pubsubNumpat(Call &call)
{
    resp::appendInteger(call.out, m_pubsub.patternCount());
}

}  // namespace kucun
