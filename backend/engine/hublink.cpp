#include "hublink.h"

namespace kucun {

void HubLink::setReadOnly(const QString &reason)
{
    setReadOnlyReasons(reason, m_roleReadOnlyReason);
}

void HubLink::setRoleReadOnly(const QString &reason)
{
    setReadOnlyReasons(m_ownReadOnlyReason, reason);
}

void HubLink::setReadOnlyReasons(const QString &own, const QString &role)
{
    const QString before = readOnlyReason();
    m_ownReadOnlyReason = own;
    m_roleReadOnlyReason = role;
    if (readOnlyReason() != before)
        emit readOnlyChanged(readOnlyReason());
}

void HubLink::invalidate(const Invalidation &what, QObject *context, Answer<qint64> removed)
{
    if (!refusedReadOnly(context, removed))
        doInvalidate(what, context, std::move(removed));
}

void HubLink::deleteKey(const QString &key, QObject *context, Answer<qint64> removed)
{
    if (!refusedReadOnly(context, removed))
        doDeleteKey(key, context, std::move(removed));
}

void HubLink::setKeyTtl(const QString &key, qint64 seconds, QObject *context, Answer<bool> done)
{
    if (!refusedReadOnly(context, done))
        doSetKeyTtl(key, seconds, context, std::move(done));
}

void HubLink::publish(const QString &channel, const QByteArray &payload, QObject *context,
                      Answer<bool> done)
{
    if (!refusedReadOnly(context, done))
        doPublish(channel, payload, context, std::move(done));
}

void HubLink::disconnectClient(const QString &clientId, QObject *context, Answer<bool> done)
{
    if (!refusedReadOnly(context, done))
        doDisconnectClient(clientId, context, std::move(done));
}

void HubLink::setDemoRate(int operationsPerSecond)
{
    if (!isReadOnly())
        doSetDemoRate(operationsPerSecond);
}

void HubLink::applySettings(const HubConfig &config)
{
    if (!isReadOnly() && canApplySettings())
        doApplySettings(config);
}

}  // namespace kucun
