#include "events/localbus.h"

#include <QTest>

using kucun::LocalBus;

class Receiver : public QObject
{
public:
    QStringList channels;
    QList<QByteArray> payloads;
    void listen(LocalBus &bus, const QString &pattern, bool asOthers = false)
    {
        const auto keep = [this](const QString &channel, const QByteArray &payload) {
            channels.append(channel);
            payloads.append(payload);
        };
        m_id = asOthers ? bus.subscribeAsOthers(pattern, this, keep)
                        : bus.subscribe(pattern, this, keep);
    }
    int id() const { return m_id; }

private:
    int m_id = 0;
};

class TestLocalBus : public QObject
{
    Q_OBJECT

private slots:
    void deliversLaterNeverInsidePublish();
    void matchesPatterns();
    void destroyedSubscriberIsForgotten();
    void unsubscribeStopsDelivery();
    void knowsItsInstance();
    void whatIsMeantForOtherHubsReachesOnlyThoseWhoStandInForThem();
};

void TestLocalBus::deliversLaterNeverInsidePublish()
{
    LocalBus bus(QStringLiteral("hub-1"));
    Receiver receiver;
    receiver.listen(bus, QStringLiteral("channel:inventory:change"));
    bus.publish(QStringLiteral("channel:inventory:change"), "{\"productId\":\"42\"}");
    QCOMPARE(receiver.payloads.size(), 0);
    QTRY_COMPARE(receiver.payloads.size(), 1);
    QCOMPARE(receiver.payloads.first(), QByteArray("{\"productId\":\"42\"}"));
    QCOMPARE(receiver.channels.first(), QStringLiteral("channel:inventory:change"));
}

void TestLocalBus::matchesPatterns()
{
    LocalBus bus(QStringLiteral("hub-1"));
    Receiver channels;
    Receiver websocket;
    channels.listen(bus, QStringLiteral("channel:*"));
    websocket.listen(bus, QStringLiteral("ws:*"));
    bus.publish(QStringLiteral("channel:order:status"), "a");
    bus.publish(QStringLiteral("ws:orders"), "b");
    bus.publish(QStringLiteral("other"), "c");
    QTRY_COMPARE(channels.payloads.size() + websocket.payloads.size(), 2);
    QTest::qWait(0);
    QCOMPARE(channels.payloads, QList<QByteArray>{"a"});
    QCOMPARE(websocket.payloads, QList<QByteArray>{"b"});
}

void TestLocalBus::destroyedSubscriberIsForgotten()
{
    LocalBus bus(QStringLiteral("hub-1"));
    Receiver survivor;
    survivor.listen(bus, QStringLiteral("*"));
    {
        auto *gone = new Receiver;
        gone->listen(bus, QStringLiteral("*"));
        bus.publish(QStringLiteral("x"), "queued before the subscriber went");
        delete gone;
    }
    bus.publish(QStringLiteral("x"), "after");
    QTRY_COMPARE(survivor.payloads.size(), 2);  // and no crash delivering to the dead one
}

void TestLocalBus::unsubscribeStopsDelivery()
{
    LocalBus bus(QStringLiteral("hub-1"));
    Receiver receiver;
    Receiver witness;
    receiver.listen(bus, QStringLiteral("*"));
    witness.listen(bus, QStringLiteral("*"));
    bus.unsubscribe(receiver.id());
    bus.publish(QStringLiteral("x"), "p");
    QTRY_COMPARE(witness.payloads.size(), 1);
    QCOMPARE(receiver.payloads.size(), 0);
}

void TestLocalBus::knowsItsInstance()
{
    LocalBus bus(QStringLiteral("hub-7"));
    QCOMPARE(bus.instanceId(), QStringLiteral("hub-7"));
}

void TestLocalBus::whatIsMeantForOtherHubsReachesOnlyThoseWhoStandInForThem()
{
    LocalBus bus(QStringLiteral("hub-1"));
    Receiver here;
    Receiver others;
    here.listen(bus, QStringLiteral("*"));
    others.listen(bus, QStringLiteral("ws:*"), true);
    bus.publishToOthers(QStringLiteral("ws:orders"), "for other hubs");
    bus.publish(QStringLiteral("ws:orders"), "for this hub");
    QTRY_COMPARE(here.payloads.size() + others.payloads.size(), 2);
    QTest::qWait(0);
    QCOMPARE(here.payloads, QList<QByteArray>{"for this hub"});
    QCOMPARE(others.payloads, QList<QByteArray>{"for other hubs"});
    QCOMPARE(others.channels, QStringList{QStringLiteral("ws:orders")});
}

QTEST_GUILESS_MAIN(TestLocalBus)
#include "tst_localbus.moc"
