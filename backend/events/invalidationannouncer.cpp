#include "invalidationannouncer.h"

#include "eventbus.h"
#include "hubevent.h"

#include <QDateTime>
#include <QJsonObject>
#include <QLoggingCategory>

namespace kucun {

Q_LOGGING_CATEGORY(lcAnnouncer, "kucun.events")

InvalidationAnnouncer::InvalidationAnnouncer(EventBus &bus)
    : m_bus(bus)
{
}

void InvalidationAnnouncer::tagInvalidated(const QString &tag, qint64, InvalidationCause cause)
{
    announce(QStringLiteral("tag"), tag, cause);
}

void InvalidationAnnouncer::namespaceInvalidated(const QString &pattern, qint64,
                                                 InvalidationCause cause)
{
    announce(QStringLiteral("namespace"), pattern, cause);
}

void InvalidationAnnouncer::announce(const QString &field, const QString &value,
                                     InvalidationCause cause)
{
    if (cause != InvalidationCause::Request)
        return;
    const Result<QByteArray> event
        = EventCodec::build(EventType::CacheInvalidate, QJsonObject{{field, value}},
                            m_bus.instanceId(), QDateTime::currentMSecsSinceEpoch());
    if (!event) {
        // Done here all the same; the other hubs would refuse such an event (e.g. a 300-character
        // tag), so it is not sent.
        qCWarning(lcAnnouncer).noquote()
            << "invalidation of" << field << value.left(80) << "not announced:" << event.error();
        return;
    }
    m_bus.publish(EventCodec::channelFor(EventType::CacheInvalidate), event.value());
}

}  // namespace kucun
