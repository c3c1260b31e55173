#include "localbus.h"

#include "core/globpattern.h"

#include <QMetaObject>
#include <QObject>

namespace kucun {

LocalBus::LocalBus(QString instanceId, QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
{
}

LocalBus::~LocalBus() = default;

namespace {

EventBus::SourcedHandler ignoringSource(EventBus::Handler handler)
{
    return [handler = std::move(handler)](const QString &channel, const QByteArray &payload,
                                          EventSource) { handler(channel, payload); };
}

}  // namespace

void LocalBus::publish(const QString &channel, const QByteArray &payload, EventSource source)
{
    deliver(channel, payload, source, false);
}

void LocalBus::publishToOthers(const QString &channel, const QByteArray &payload)
{
    deliver(channel, payload, EventSource::Redis, true);
}

void LocalBus::deliver(const QString &channel, const QByteArray &payload, EventSource source,
                       bool toOthers)
{
    const QByteArray name = channel.toUtf8();
    const std::string_view nameView(name.constData(), size_t(name.size()));
    std::lock_guard lock(m_mutex);
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        const std::string_view pattern(subscription.pattern.constData(),
                                       size_t(subscription.pattern.size()));
        if (subscription.asOthers != toOthers || !globMatches(pattern, nameView))
            continue;
        // Queued even within one thread: delivery never happens inside publish().
        QMetaObject::invokeMethod(
            subscription.context,
            [handler = subscription.handler, channel, payload, source] {
                handler(channel, payload, source);
            },
            Qt::QueuedConnection);
    }
}

int LocalBus::subscribe(const QString &pattern, QObject *context, Handler handler)
{
    return add(pattern, context, ignoringSource(std::move(handler)), false);
}

int LocalBus::subscribeWithSource(const QString &pattern, QObject *context, SourcedHandler handler)
{
    return add(pattern, context, std::move(handler), false);
}

int LocalBus::subscribeAsOthers(const QString &pattern, QObject *context, Handler handler)
{
    return add(pattern, context, ignoringSource(std::move(handler)), true);
}

int LocalBus::add(const QString &pattern, QObject *context, SourcedHandler handler, bool asOthers)
{
    int id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        m_subscriptions.append({id, pattern.toUtf8(), context, std::move(handler), asOthers});
    }
    // Direct: runs in the thread destroying the context, before it can receive anything more.
    connect(
        context, &QObject::destroyed, this, [this, id] { unsubscribe(id); }, Qt::DirectConnection);
    return id;
}

void LocalBus::unsubscribe(int subscriptionId)
{
    std::lock_guard lock(m_mutex);
    m_subscriptions.removeIf(
        [subscriptionId](const Subscription &s) { return s.id == subscriptionId; });
}

}  // namespace kucun
