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

    using EventBus::publish;
    void publish(const QString &channel, const QByteArray &payload, EventSource source) override;
    // There are no other hubs to reach in process: this goes to the subscriptions made with
    // subscribeAsOthers() only.
    void publishToOthers(const QString &channel, const QByteArray &payload) override;
    int subscribe(const QString &pattern, QObject *context, Handler handler) override;
    int subscribeWithSource(const QString &pattern, QObject *context,
                            SourcedHandler handler) override;
    // Hears what publishToOthers() sends, and nothing else: the Redis-protocol front, whose
    // subscribers stand where a site's subscribers on a shared Redis would.
    int subscribeAsOthers(const QString &pattern, QObject *context, Handler handler);
    void unsubscribe(int subscriptionId) override;
    QString instanceId() const override { return m_instanceId; }

private:
    struct Subscription
    {
        int id;
        QByteArray pattern;  // UTF-8, matched byte-wise like Redis
        QObject *context;
        SourcedHandler handler;
        bool asOthers;  // hears publishToOthers() instead of publish()
    };
    void deliver(const QString &channel, const QByteArray &payload, EventSource source,
                 bool toOthers);
    int add(const QString &pattern, QObject *context, SourcedHandler handler, bool asOthers);

    const QString m_instanceId;
    std::mutex m_mutex;
    QList<Subscription> m_subscriptions;
    int m_nextId = 1;
};

}  // namespace kucun
