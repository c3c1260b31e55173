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

void HubLink::setDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done)
{
    if (!refusedReadOnly(context, done))
        doSetDemoFaults(faults, context, std::move(done));
}

void HubLink::replay(const QString &path, double speed, QObject *context, Answer<qint64> done)
{
    if (!refusedReadOnly(context, done))
        doReplay(path, speed, context, std::move(done));
}

namespace {

QString notHere()
{
    return QStringLiteral("an attached hub records and replays on its own box (kucun-hub "
                          "--record FILE, --replay FILE)");
}

}  // namespace

void HubLink::doReplay(const QString &, double, QObject *context, Answer<qint64> done)
{
    answerLater<qint64>(context, std::move(done), Error{notHere()});
}

void HubLink::recordTo(const QString &, QObject *context, Answer<bool> done)
{
    answerLater<bool>(context, std::move(done), Error{notHere()});
}

void HubLink::applySettings(const HubConfig &config)
{
    if (!isReadOnly() && canApplySettings())
        doApplySettings(config);
}

}  // namespace kucun
