#pragma once

#include "eventbus.h"

#include <QList>
#include <QObject>

#include <mutex>

namespace kucun {

// The embedded engine's bus: delivers in process, queued to each subscriber's thread. A
// subscription ends by itself when its context object is destroyed (the removal happens in
// QObject::destroyed, under the same lock as delivery, so no event is ever posted to a dead
// object).
class LocalBus final : public QObject, public EventBus
{
    Q_OBJECT

public:
    explicit LocalBus(QString instanceId, QObject *parent = nullptr);
    ~LocalBus() override;

    void publish(const QString &channel, const QByteArray &payload) override;
    // In-process only: there are no other hubs to reach.
    void publishToOthers(const QString &, const QByteArray &) override { }
    int subscribe(const QString &pattern, QObject *context, Handler handler) override;
    void unsubscribe(int subscriptionId) override;
    QString instanceId() const override { return m_instanceId; }

private:
    struct Subscription
    {
        int id;
        QByteArray pattern;  // UTF-8, matched byte-wise like Redis
        QObject *context;
        Handler handler;
    };

    const QString m_instanceId;
    std::mutex m_mutex;
    QList<Subscription> m_subscriptions;
    int m_nextId = 1;
};

}  // namespace kucun
