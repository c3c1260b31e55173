// Several hubs on one real redis-server with shared channel history (SPEC §6 with Redis): a
// client recovers on another hub and on a restarted one exactly what it missed, whatever path
// each message took (a client's publish on either hub, a site's PUBLISH ws:<channel>, a routed
// event); every hub delivers each message once, with the same offset; while Redis is away the
// hub goes on locally under another epoch, and a `since` from before is not recovered.

#include "engine/engine.h"
#include "support/httptesting.h"
#include "support/redisserver.h"
#include "support/wssubscriber.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using kucun::Engine;
using kucun::HubConfig;
using kucun::test::RedisServer;
using kucun::test::WsSubscriber;

namespace {

const QString kChannel = QStringLiteral("orders");
const QByteArray kStream = QByteArrayLiteral("shop:events");

QJsonObject parsed(const QList<QVariant> &signal)
{
    return QJsonDocument::fromJson(signal.at(0).toString().toUtf8()).object();
}

void send(WsSubscriber &client, const QJsonObject &request)
{
    client.socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
}

// The last reply of `type` the client got, waiting up to 5 s for one after `after` messages.
QJsonObject replyOf(WsSubscriber &client, const QString &type, qsizetype after)
{
    QJsonObject found;
    // Empty when none came: the caller's comparisons say what was missing.
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = after; i < client.received.size(); ++i) {
                const QJsonObject message = parsed(client.received.at(i));
                if (message.value(QStringLiteral("type")).toString() == type)
                    found = message;
            }
            return !found.isEmpty();
        },
        5000);
    return found;
}

// What a message is about, whichever path it took: "seq" of a published one, the order id of a
// routed order:status event.
QString labelOf(const QJsonObject &message)
{
    const QJsonObject data = message.value(QStringLiteral("data")).toObject();
    if (data.contains(QStringLiteral("seq")))
        return QString::number(data.value(QStringLiteral("seq")).toInt());
    return data.value(QStringLiteral("orderId")).toString();
}

// (offset, label) of each message on the channel, in the order the client got them.
QList<QPair<qint64, QString>> streamOf(const WsSubscriber &client)
{
    QList<QPair<qint64, QString>> stream;
    for (const QJsonObject &message : client.messagesOn(kChannel))
        stream.append({message.value(QStringLiteral("offset")).toInteger(), labelOf(message)});
    return stream;
}

}  // namespace

class TestHubSharedHistory : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aClientRecoversOnAnotherHubAndAfterARestart();
    void whileRedisIsAwayTheStreamIsLocal();
    void anApiPublishIsDeliveredOnceHoweverItIsWritten();
    void streamEventsAreStampedOnceWhateverEachHubsPace();
    void aRefusalByRedisChangesNothingForOthers();

private:
    std::unique_ptr<Engine> startHub(const QString &name);
    bool hubsListenOnRedis(int hubs) const;
    // Subscribes with `since` and returns what came before the reply, and the reply.
    QPair<QList<QPair<qint64, QString>>, QJsonObject> resubscribe(WsSubscriber &client,
                                                                  const QJsonObject &since);

    std::unique_ptr<RedisServer> m_server;
    QTemporaryDir m_dir;
};

void TestHubSharedHistory::init()
{
    m_server = std::make_unique<RedisServer>();
    QVERIFY(m_server->start());
}

void TestHubSharedHistory::cleanup()
{
    m_server.reset();
}

std::unique_ptr<Engine> TestHubSharedHistory::startHub(const QString &name)
{
    HubConfig config;
    config.wsPort = 0;
    config.httpPort = 0;
    // A data folder of its own (its instance, its audit log), the same across a restart.
    config.dataDir = m_dir.filePath(name);
    config.eventStream = kStream;
    config.redis
        = kucun::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1").arg(m_server->port())).url;
    config.redisPoolSize = 2;
    auto engine = std::make_unique<Engine>(config);
    QSignalSpy started(engine.get(), &Engine::started);
    engine->start();
    if (!started.wait(10000) && started.isEmpty())
        return nullptr;
    return engine;
}

bool TestHubSharedHistory::hubsListenOnRedis(int hubs) const
{
    // Each hub's subscriber holds channel:*, ws:* and kucun:ws:*.
    return QTest::qWaitFor(
        [&] {
            return m_server->cli({"CLIENT", "LIST"}).count(QStringLiteral(" psub=3 ")) >= hubs;
        },
        10000);
}

QPair<QList<QPair<qint64, QString>>, QJsonObject>
TestHubSharedHistory::resubscribe(WsSubscriber &client, const QJsonObject &since)
{
    const qsizetype before = client.received.size();
    send(client, {{"type", "subscribe"}, {"channel", kChannel}, {"since", since}, {"id", 7}});
    const QJsonObject reply = replyOf(client, QStringLiteral("subscribed"), before);
    QList<QPair<qint64, QString>> replayed;
    for (qsizetype i = before; i < client.received.size(); ++i) {
        const QJsonObject message = parsed(client.received.at(i));
        if (message.value(QStringLiteral("type")).toString() == u"subscribed")
            break;
        replayed.append({message.value(QStringLiteral("offset")).toInteger(), labelOf(message)});
    }
    return {replayed, reply};
}

void TestHubSharedHistory::aClientRecoversOnAnotherHubAndAfterARestart()
{
    auto hubA = startHub(QStringLiteral("a"));
    auto hubB = startHub(QStringLiteral("b"));
    QVERIFY(hubA && hubB);
    QVERIFY(hubsListenOnRedis(2));

    // Watchers on both hubs see the live stream; the leaver takes its position and goes.
    WsSubscriber watcherA;
    WsSubscriber watcherB;
    WsSubscriber publisherA;
    WsSubscriber publisherB;
    WsSubscriber leaver;
    for (auto [client, hub] : {std::pair{&watcherA, hubA.get()},
                               {&watcherB, hubB.get()},
                               {&publisherA, hubA.get()},
                               {&publisherB, hubB.get()},
                               {&leaver, hubA.get()}})
        QVERIFY(client->open(hub->wsUrl()));
    QVERIFY(watcherA.subscribe(kChannel));
    QVERIFY(watcherB.subscribe(kChannel));
    // Something on the channel first: the leaver's position is not the stream's start.
    send(publisherA,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", -1}}}});
    QTRY_COMPARE(watcherB.messagesOn(kChannel).size(), 1);
    const qsizetype before = leaver.received.size();
    QVERIFY(leaver.subscribe(kChannel));
    const QJsonObject left = replyOf(leaver, QStringLiteral("subscribed"), before);
    const qint64 leftAt = left.value(QStringLiteral("offset")).toInteger();
    QCOMPARE(leftAt, 1);
    leaver.socket.close();

    // 50 messages by every path there is, each through once before the next.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int seq = 0; seq < 50; ++seq) {
        const QJsonObject data{{"seq", seq}};
        switch (seq % 4) {
        case 0:
            send(publisherA, {{"type", "publish"}, {"channel", kChannel}, {"data", data}});
            break;
        case 1:
            send(publisherB, {{"type", "publish"}, {"channel", kChannel}, {"data", data}});
            break;
        case 2:
            m_server->cli({"PUBLISH", "ws:orders",
                           QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact))});
            break;
        default: {
            const QJsonObject event{{"type", "order:status"},
                                    {"orderId", QString::number(seq)},
                                    {"status", "shipped"},
                                    {"timestamp", now}};
            m_server->cli({"PUBLISH", "channel:order:status",
                           QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact))});
        }
        }
        QTRY_COMPARE(watcherB.messagesOn(kChannel).size(), seq + 2);
    }
    QTRY_COMPARE(watcherA.messagesOn(kChannel).size(), 51);
    // Both hubs delivered every message once, with the same offsets, in the same order.
    const QList<QPair<qint64, QString>> live = streamOf(watcherB).mid(1);
    QCOMPARE(streamOf(watcherA).mid(1), live);
    QStringList labels;
    for (qsizetype i = 0; i < live.size(); ++i) {
        QCOMPARE(live[i].first, leftAt + 1 + i);
        labels.append(live[i].second);
    }
    labels.sort();
    QStringList expected;
    for (int seq = 0; seq < 50; ++seq)
        expected.append(QString::number(seq));
    expected.sort();
    QCOMPARE(labels, expected);

    // Back on the other hub: exactly those 50, then the reply that says they were all there.
    WsSubscriber onB;
    QVERIFY(onB.open(hubB->wsUrl()));
    const auto [replayedOnB, replyOnB] = resubscribe(onB, left);
    QCOMPARE(replayedOnB, live);
    QCOMPARE(replyOnB.value(QStringLiteral("recovered")).toBool(), true);
    QCOMPARE(replyOnB.value(QStringLiteral("offset")).toInteger(), leftAt + 50);
    QCOMPARE(replyOnB.value(QStringLiteral("epoch")), left.value(QStringLiteral("epoch")));
    QCOMPARE(replyOnB.value(QStringLiteral("id")).toInt(), 7);

    // And on hub A after a restart, whose memory of the channel went with it.
    watcherA.socket.close();
    publisherA.socket.close();
    hubA.reset();
    hubA = startHub(QStringLiteral("a"));
    QVERIFY(hubA);
    QVERIFY(hubsListenOnRedis(2));
    WsSubscriber onRestartedA;
    QVERIFY(onRestartedA.open(hubA->wsUrl()));
    const auto [replayedOnA, replyOnA] = resubscribe(onRestartedA, left);
    QCOMPARE(replayedOnA, live);
    QCOMPARE(replyOnA.value(QStringLiteral("recovered")).toBool(), true);
    QCOMPARE(replyOnA.value(QStringLiteral("offset")).toInteger(), leftAt + 50);

    // Live again on the restarted hub, in the same stream.
    send(publisherB,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 50}}}});
    QTRY_COMPARE(onRestartedA.messagesOn(kChannel).size(), 51);
    QCOMPARE(streamOf(onRestartedA).last(), (QPair<qint64, QString>{leftAt + 51, "50"}));
}

void TestHubSharedHistory::whileRedisIsAwayTheStreamIsLocal()
{
    auto hub = startHub(QStringLiteral("a"));
    QVERIFY(hub);
    QVERIFY(hubsListenOnRedis(1));
    QSignalSpy modes(hub.get(), &Engine::modeChanged);
    WsSubscriber reader;
    WsSubscriber publisher;
    QVERIFY(reader.open(hub->wsUrl()));
    QVERIFY(publisher.open(hub->wsUrl()));
    qsizetype before = reader.received.size();
    QVERIFY(reader.subscribe(kChannel));
    const QJsonObject shared = replyOf(reader, QStringLiteral("subscribed"), before);
    send(publisher,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 1}}}});
    QTRY_COMPARE(reader.messagesOn(kChannel).size(), 1);
    const QJsonObject position{{"offset", 1}, {"epoch", shared.value(QStringLiteral("epoch"))}};

    // Redis goes: the reader hears that its stream goes on under a local epoch, and gets what
    // is published meanwhile.
    before = reader.received.size();
    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 1, 10000);
    const QJsonObject local = replyOf(reader, QStringLiteral("subscribed"), before);
    QCOMPARE(local.value(QStringLiteral("recovered")).toBool(), false);
    QVERIFY(local.value(QStringLiteral("epoch")) != shared.value(QStringLiteral("epoch")));
    QCOMPARE(local.value(QStringLiteral("offset")).toInteger(), 1);
    send(publisher,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 2}}}});
    QTRY_COMPARE(reader.messagesOn(kChannel).size(), 2);
    QCOMPARE(reader.messagesOn(kChannel).last().value(QStringLiteral("offset")).toInteger(), 2);

    // A client coming back with a position of the shared stream is told it cannot be
    // recovered here, rather than given the local messages as if they were the shared ones.
    WsSubscriber returning;
    QVERIFY(returning.open(hub->wsUrl()));
    const auto [replayed, reply] = resubscribe(returning, position);
    QVERIFY(replayed.isEmpty());
    QCOMPARE(reply.value(QStringLiteral("recovered")).toBool(), false);
    QCOMPARE(reply.value(QStringLiteral("epoch")), local.value(QStringLiteral("epoch")));

    // Redis back (empty: a new shared stream): the reader is told, then gets the messages.
    QVERIFY(m_server->restart());
    QTRY_COMPARE_WITH_TIMEOUT(modes.size(), 2, 20000);
    QVERIFY(hubsListenOnRedis(1));
    before = reader.received.size();
    send(publisher,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 3}}}});
    QTRY_COMPARE(reader.messagesOn(kChannel).size(), 3);
    const QJsonObject back = replyOf(reader, QStringLiteral("subscribed"), before);
    QCOMPARE(back.value(QStringLiteral("recovered")).toBool(), false);
    QCOMPARE(back.value(QStringLiteral("epoch")).toString(),
             m_server->cli({"GET", "kucun:ws:orders:epoch"}));
    QCOMPARE(reader.messagesOn(kChannel).last().value(QStringLiteral("offset")).toInteger(), 1);
    QCOMPARE(reader.messagesOn(kChannel).last().value("data")["seq"].toInt(), 3);
    QCOMPARE(reader.socket.state(), QAbstractSocket::ConnectedState);
}

void TestHubSharedHistory::anApiPublishIsDeliveredOnceHoweverItIsWritten()
{
    auto hubA = startHub(QStringLiteral("a"));
    auto hubB = startHub(QStringLiteral("b"));
    QVERIFY(hubA && hubB);
    QVERIFY(hubsListenOnRedis(2));
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(onA.open(hubA->wsUrl()) && onB.open(hubB->wsUrl()));
    QVERIFY(onA.subscribe(kChannel) && onB.subscribe(kChannel));
    // Written with spaces and keys out of order: every hub hears it back on ws:orders as its
    // router writes it out again, and must still know it for the publish it is.
    QNetworkAccessManager network;
    const QUrl publish = hubA->httpUrl().resolved(QUrl(QStringLiteral("/api/publish")));
    const kucun::test::HttpReply reply = kucun::test::httpCall(
        network, "POST", publish,
        R"({"channel":"orders", "data": {"seq": 1,  "b": [1, 2], "a": null}})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json()[QStringLiteral("offset")].toInteger(), 1);
    // A marker behind it: once both have it, a second copy would have come.
    QCOMPARE(
        kucun::test::httpCall(network, "POST", publish, R"({"channel":"orders","data":{"seq":2}})")
            .status,
        200);
    QTRY_COMPARE(onA.messagesOn(kChannel).size(), 2);
    QTRY_COMPARE(onB.messagesOn(kChannel).size(), 2);
    QTest::qWait(300);
    QCOMPARE(streamOf(onA), (QList<QPair<qint64, QString>>{{1, "1"}, {2, "2"}}));
    QCOMPARE(streamOf(onB), streamOf(onA));
}

void TestHubSharedHistory::streamEventsAreStampedOnceWhateverEachHubsPace()
{
    auto hubA = startHub(QStringLiteral("a"));
    auto hubB = startHub(QStringLiteral("b"));
    QVERIFY(hubA && hubB);
    QVERIFY(hubsListenOnRedis(2));
    // Both read the stream, each through its own group.
    QVERIFY(QTest::qWaitFor(
        [this] {
            return m_server->cli({"XINFO", "GROUPS", QString::fromLatin1(kStream)})
                       .split(u'\n')
                       .count(QStringLiteral("name"))
                   == 2;
        },
        10000));
    WsSubscriber onA;
    WsSubscriber onB;
    QVERIFY(onA.open(hubA->wsUrl()) && onB.open(hubB->wsUrl()));
    QVERIFY(onA.subscribe(kChannel) && onB.subscribe(kChannel));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto event = [now](const QString &orderId, const QString &eventId) {
        QJsonObject fields{{"type", "order:status"},
                           {"orderId", orderId},
                           {"status", "shipped"},
                           {"timestamp", now}};
        if (!eventId.isEmpty())
            fields.insert(QStringLiteral("eventId"), eventId);
        return QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
    };
    // On the stream only, without an id of its own: each hub reads the entry; it is one message.
    m_server->cli({"XADD", QString::fromLatin1(kStream), "*", "event", event("1", {})});
    // On Pub/Sub and on the stream, with its id: one message.
    m_server->cli({"PUBLISH", "channel:order:status", event("2", "ev-2")});
    m_server->cli({"XADD", QString::fromLatin1(kStream), "*", "event", event("2", "ev-2")});
    m_server->cli({"XADD", QString::fromLatin1(kStream), "*", "event", event("3", {})});
    QTRY_COMPARE(onA.messagesOn(kChannel).size(), 3);
    QTRY_COMPARE(onB.messagesOn(kChannel).size(), 3);
    QTest::qWait(300);
    QCOMPARE(streamOf(onA), (QList<QPair<qint64, QString>>{{1, "1"}, {2, "2"}, {3, "3"}}));
    QCOMPARE(streamOf(onB), streamOf(onA));
}

void TestHubSharedHistory::aRefusalByRedisChangesNothingForOthers()
{
    auto hub = startHub(QStringLiteral("a"));
    QVERIFY(hub);
    QVERIFY(hubsListenOnRedis(1));
    WsSubscriber reader;
    WsSubscriber publisher;
    QVERIFY(reader.open(hub->wsUrl()) && publisher.open(hub->wsUrl()));
    QVERIFY(reader.subscribe(kChannel));
    send(publisher,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 1}}}});
    QTRY_COMPARE(reader.messagesOn(kChannel).size(), 1);

    // Redis full, and told not to evict: it refuses the script's writes.
    QCOMPARE(m_server->cli({"CONFIG", "SET", "maxmemory-policy", "noeviction"}),
             QStringLiteral("OK"));
    QCOMPARE(m_server->cli({"CONFIG", "SET", "maxmemory", "1"}), QStringLiteral("OK"));
    qsizetype before = publisher.received.size();
    send(
        publisher,
        {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 2}}}, {"id", 9}});
    const QJsonObject refused = replyOf(publisher, QStringLiteral("error"), before);
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
    QCOMPARE(refused.value(QStringLiteral("id")).toInt(), 9);

    // Nobody else heard of it: no message, no notice of a changed stream.
    QCOMPARE(m_server->cli({"CONFIG", "SET", "maxmemory", "0"}), QStringLiteral("OK"));
    send(publisher,
         {{"type", "publish"}, {"channel", kChannel}, {"data", QJsonObject{{"seq", 3}}}});
    QTRY_COMPARE(reader.messagesOn(kChannel).size(), 2);
    QCOMPARE(streamOf(reader), (QList<QPair<qint64, QString>>{{1, "1"}, {2, "3"}}));
    int subscribedFrames = 0;
    for (const QList<QVariant> &signal : reader.received)
        subscribedFrames
            += parsed(signal).value(QStringLiteral("type")).toString() == u"subscribed";
    QCOMPARE(subscribedFrames, 1);  // the answer to its own subscribe, and no notice since
}

QTEST_GUILESS_MAIN(TestHubSharedHistory)
#include "tst_hubsharedhistory.moc"
