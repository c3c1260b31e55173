// SharedHistory on a real redis-server (SPEC §6 with Redis): the key layout, offsets given once
// across hubs, recovery from the Redis history and its refusals, the ingest lease and its
// take-over, and stamped messages read back strictly.

#include "redis/redisclient.h"
#include "support/redislistener.h"
#include "support/redisserver.h"
#include "ws/sharedhistory.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using kucun::RedisClient;
using kucun::SharedHistory;
using kucun::SharedMessage;
using kucun::StreamPosition;
using kucun::test::RedisServer;

namespace {

// One hub's side of it: a Redis client and the shared history on it, with what arrived.
struct Hub
{
    std::unique_ptr<RedisClient> client;
    std::unique_ptr<SharedHistory> shared;
    QList<SharedMessage> arrived;

    Hub(quint16 port, const QString &instanceId, std::chrono::milliseconds leaseTime = 5000ms)
    {
        client = std::make_unique<RedisClient>(
            *kucun::RedisUrl::parse(QStringLiteral("redis://127.0.0.1:%1").arg(port)).url, 1);
        SharedHistory::Options options;
        options.instanceId = instanceId;
        options.leaseTime = leaseTime;
        shared = std::make_unique<SharedHistory>(*client, options);
        shared->setReceiver([this](const SharedMessage &message) { arrived.append(message); });
        // What a hub's router does with a ws:<channel> message it hears (through the bus,
        // queued): hands it to the shared history.
        client->psubscribe({QByteArrayLiteral("ws:*")});
        QObject::connect(
            client.get(), &RedisClient::messageReceived, shared.get(),
            [this](const QByteArray &pattern, const QByteArray &channel,
                   const QByteArray &payload) {
                if (pattern != "ws:*")
                    return;
                const QString name = QString::fromUtf8(channel.mid(3));
                QMetaObject::invokeMethod(
                    shared.get(),
                    [this, name, payload] { shared->ingest(name, payload, 1'800'000'000'000); },
                    Qt::QueuedConnection);
            });
        client->start();
    }

    QList<qint64> offsets() const
    {
        QList<qint64> out;
        for (const SharedMessage &message : arrived)
            out.append(message.offset);
        return out;
    }

    // Up, and it knows which dataset it stamps in.
    bool waitActive() const
    {
        return QTest::qWaitFor([this] { return shared->active(); }, 10000);
    }

    SharedHistory::Stamp publish(const QString &channel, const QByteArray &dataText)
    {
        if (!waitActive())
            return {};
        std::optional<kucun::Result<SharedHistory::Stamp>> answer;
        shared->publish(
            channel, dataText, 1'800'000'000'000, client.get(),
            [&answer](const kucun::Result<SharedHistory::Stamp> &stamp) { answer = stamp; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000) || !*answer)
            return {};
        return answer->value();
    }

    SharedHistory::Position position(const QString &channel,
                                     const std::optional<StreamPosition> &since)
    {
        if (!waitActive())
            return {};
        std::optional<kucun::Result<SharedHistory::Position>> answer;
        shared->position(channel, since, client.get(),
                         [&answer](const kucun::Result<SharedHistory::Position> &position) {
                             answer = position;
                         });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000) || !*answer)
            return {};
        return answer->value();
    }
};

QJsonObject dataOf(const QByteArray &envelope)
{
    return QJsonDocument::fromJson(envelope).object().value(QStringLiteral("data")).toObject();
}

}  // namespace

class TestSharedHistory : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void readsStampedMessagesStrictly_data();
    void readsStampedMessagesStrictly();
    void publishStampsInRedisWithTheSpecLayout();
    void recoveryReadsTheRedisHistory_data();
    void recoveryReadsTheRedisHistory();
    void lostKeysStartANewEpoch();
    void aRedisThatLostItsLastWritesStartsNewEpochs();
    void aMessageKnownByAKeyIsStampedOnceByWhicheverHubComesFirst();
    void everyHubHearsAnIngestedMessageButItIsStampedOnce();
    void aHubsPublishGoesToTheSiteAndIsStampedOnce();
    void aSurvivorStampsWhatTheDeadHolderLeft();
    void aReleasedLeaseIsLetGoAtOnce();

private:
    bool waitForPatterns(int count) const;

    std::unique_ptr<RedisServer> m_server;
};

void TestSharedHistory::init()
{
    m_server = std::make_unique<RedisServer>();
    QVERIFY(m_server->start());
}

void TestSharedHistory::cleanup()
{
    m_server.reset();
}

bool TestSharedHistory::waitForPatterns(int count) const
{
    // Subscriber connections, each with its two patterns (PUBSUB NUMPAT counts patterns, not
    // subscribers).
    return QTest::qWaitFor(
        [&] {
            return m_server->cli({"CLIENT", "LIST"}).count(QStringLiteral(" psub=2 ")) >= count;
        },
        10000);
}

void TestSharedHistory::readsStampedMessagesStrictly_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("good");
    const QByteArray envelope = R"({"channel":"orders","data":{"n":1},"offset":7,"ts":1700})";
    QTest::addRow("good") << "orders"
                          << "abc123 7 1700 -\n" + envelope << true;
    QTest::addRow("ingest tag") << "orders"
                                << "abc123 7 1700 ff09\n" + envelope << true;
    QTest::addRow("no header") << "orders" << envelope << false;
    QTest::addRow("offset zero") << "orders"
                                 << QByteArray("abc123 0 1700 -\n")
                                        + R"({"channel":"orders","data":1,"offset":0,"ts":1700})"
                                 << false;
    QTest::addRow("offset not the envelope's") << "orders"
                                               << "abc123 8 1700 -\n" + envelope << false;
    QTest::addRow("time not the envelope's") << "orders"
                                             << "abc123 7 1701 -\n" + envelope << false;
    QTest::addRow("another channel's envelope") << "products"
                                                << "abc123 7 1700 -\n" + envelope << false;
    QTest::addRow("epoch with a quote") << "orders"
                                        << "ab\"c 7 1700 -\n" + envelope << false;
    QTest::addRow("bad tag") << "orders"
                             << "abc123 7 1700 xyz\n" + envelope << false;
    QTest::addRow("data not JSON")
        << "orders"
        << QByteArray("abc123 7 1700 -\n")
               + R"({"channel":"orders","data":{"n":},"offset":7,"ts":1700})"
        << false;
    QTest::addRow("no data") << "orders"
                             << QByteArray("abc123 7 1700 -\n")
                                    + R"({"channel":"orders","data":,"offset":7,"ts":1700})"
                             << false;
    QTest::addRow("not a channel name")
        << "or ders"
        << QByteArray("abc123 7 1700 -\n")
               + R"({"channel":"or ders","data":1,"offset":7,"ts":1700})"
        << false;
}

void TestSharedHistory::readsStampedMessagesStrictly()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, payload);
    QFETCH(bool, good);
    const std::optional<SharedMessage> message = kucun::parseStampedMessage(channel, payload);
    QCOMPARE(message.has_value(), good);
    if (good) {
        QCOMPARE(message->epoch, QStringLiteral("abc123"));
        QCOMPARE(message->offset, 7);
        QCOMPARE(message->timestampMs, 1700);
        QCOMPARE(message->envelope, payload.mid(payload.indexOf('\n') + 1));
    }
}

void TestSharedHistory::publishStampsInRedisWithTheSpecLayout()
{
    Hub hub(m_server->port(), QStringLiteral("hub-a"));
    QVERIFY(waitForPatterns(1));
    const SharedHistory::Stamp first = hub.publish("orders", R"({"orderId":"SO-1"})");
    const SharedHistory::Stamp second = hub.publish("orders", R"({"orderId":"SO-2"})");
    QCOMPARE(first.offset, 1);
    QCOMPARE(second.offset, 2);
    QVERIFY(!first.epoch.isEmpty());
    QCOMPARE(second.epoch, first.epoch);

    QCOMPARE(m_server->cli({"GET", "kucun:ws:orders:offset"}), QStringLiteral("2"));
    QCOMPARE(m_server->cli({"GET", "kucun:ws:orders:epoch"}), first.epoch);
    QCOMPARE(m_server->cli({"XLEN", "kucun:ws:orders:history"}), QStringLiteral("2"));
    QCOMPARE(m_server->cli({"TYPE", "kucun:ws:orders:history"}), QStringLiteral("stream"));
    QVERIFY(m_server->cli({"PTTL", "kucun:ws:orders:history"}).toLongLong() > 0);

    // Every hub, this one included, gets them from Redis, in order, as clients get them.
    QTRY_COMPARE(hub.offsets(), QList<qint64>({1, 2}));
    QCOMPARE(hub.arrived[1].envelope,
             R"({"channel":"orders","data":{"orderId":"SO-2"},"offset":2,"ts":1800000000000})");
    QCOMPARE(hub.arrived[1].epoch, first.epoch);
}

void TestSharedHistory::recoveryReadsTheRedisHistory_data()
{
    QTest::addColumn<qint64>("since");
    QTest::addColumn<bool>("sameEpoch");
    QTest::addColumn<bool>("recovered");
    QTest::addColumn<QList<int>>("replayed");  // the `n` of each message given back
    QTest::addRow("from the start") << qint64(0) << true << true << QList<int>{1, 2, 3, 4};
    QTest::addRow("the last two") << qint64(2) << true << true << QList<int>{3, 4};
    QTest::addRow("up to date") << qint64(4) << true << true << QList<int>{};
    QTest::addRow("ahead of the stream") << qint64(5) << true << false << QList<int>{};
    QTest::addRow("another epoch") << qint64(2) << false << false << QList<int>{};
}

void TestSharedHistory::recoveryReadsTheRedisHistory()
{
    QFETCH(qint64, since);
    QFETCH(bool, sameEpoch);
    QFETCH(bool, recovered);
    QFETCH(QList<int>, replayed);
    Hub writer(m_server->port(), QStringLiteral("hub-a"));
    QVERIFY(waitForPatterns(1));
    QString epoch;
    for (int n = 1; n <= 4; ++n)
        epoch = writer.publish("orders", QStringLiteral(R"({"n":%1})").arg(n).toUtf8()).epoch;
    QVERIFY(!epoch.isEmpty());

    // Another hub, which never saw them, answers from Redis.
    Hub reader(m_server->port(), QStringLiteral("hub-b"));
    QTRY_VERIFY(reader.shared->active());
    const SharedHistory::Position position = reader.position(
        "orders", StreamPosition{since, sameEpoch ? epoch : QStringLiteral("0123456789abcdef")});
    QCOMPARE(position.epoch, epoch);
    QCOMPARE(position.offset, 4);
    QCOMPARE(position.recovered, recovered);
    QList<int> numbers;
    for (const QByteArray &envelope : position.envelopes)
        numbers.append(dataOf(envelope).value("n").toInt());
    QCOMPARE(numbers, replayed);
}

void TestSharedHistory::lostKeysStartANewEpoch()
{
    Hub hub(m_server->port(), QStringLiteral("hub-a"));
    QVERIFY(waitForPatterns(1));
    const QString before = hub.publish("orders", R"({"n":1})").epoch;
    hub.publish("orders", R"({"n":2})");
    // A plain subscriber learns the position without changing it.
    QCOMPARE(hub.position("orders", std::nullopt).offset, 2);
    QCOMPARE(hub.position("orders", std::nullopt).epoch, before);

    // The history alone gone (aged out): the stream goes on, but nothing can be recovered.
    QCOMPARE(m_server->cli({"DEL", "kucun:ws:orders:history"}), QStringLiteral("1"));
    const SharedHistory::Position aged = hub.position("orders", StreamPosition{1, before});
    QCOMPARE(aged.epoch, before);
    QVERIFY(!aged.recovered);

    // The offset gone (evicted, flushed): a new epoch from offset 1, and old positions refused.
    QCOMPARE(m_server->cli({"DEL", "kucun:ws:orders:offset"}), QStringLiteral("1"));
    const SharedHistory::Stamp after = hub.publish("orders", R"({"n":3})");
    QCOMPARE(after.offset, 1);
    QVERIFY(after.epoch != before);
    QVERIFY(!hub.position("orders", StreamPosition{2, before}).recovered);

    // A channel nobody published on gets a stream at offset 0 whose epoch its first message
    // keeps, and whose keys go by themselves if nobody ever publishes.
    const SharedHistory::Position fresh = hub.position("quiet", std::nullopt);
    QCOMPARE(fresh.offset, 0);
    QVERIFY(m_server->cli({"PTTL", "kucun:ws:quiet:epoch"}).toLongLong() > 0);
    QCOMPARE(hub.publish("quiet", R"({"n":1})").epoch, fresh.epoch);
}

void TestSharedHistory::aRedisThatLostItsLastWritesStartsNewEpochs()
{
    auto hub = std::make_unique<Hub>(m_server->port(), QStringLiteral("hub-a"));
    QVERIFY(waitForPatterns(1));
    const QString before = hub->publish("orders", R"({"n":1})").epoch;
    hub->publish("orders", R"({"n":2})");
    QCOMPARE(m_server->cli({"SAVE"}), QStringLiteral("OK"));
    QCOMPARE(hub->publish("orders", R"({"n":3})").offset, 3);  // after the snapshot: lost
    hub.reset();

    // It comes back from its snapshot, at offset 2 of the same epoch. Offset 3 would be given
    // again to another message: a client that had the lost one must not recover from it.
    m_server->kill();
    QVERIFY(m_server->restart());
    QCOMPARE(m_server->cli({"GET", "kucun:ws:orders:offset"}), QStringLiteral("2"));
    hub = std::make_unique<Hub>(m_server->port(), QStringLiteral("hub-a"));
    QVERIFY(waitForPatterns(1));
    QVERIFY(!hub->position("orders", StreamPosition{3, before}).recovered);
    const SharedHistory::Stamp after = hub->publish("orders", R"({"n":4})");
    QVERIFY(after.epoch != before);
    QCOMPARE(after.offset, 1);
}

void TestSharedHistory::aMessageKnownByAKeyIsStampedOnceByWhicheverHubComesFirst()
{
    Hub first(m_server->port(), QStringLiteral("hub-a"));
    Hub second(m_server->port(), QStringLiteral("hub-b"));
    QVERIFY(waitForPatterns(2));
    QVERIFY(first.waitActive() && second.waitActive());
    // Each hub reads the same stream entries at its own pace, the second long after the first.
    for (int n = 1; n <= 3; ++n) {
        first.shared->stampOnce("orders", QStringLiteral(R"({"n":%1})").arg(n).toUtf8(),
                                1'800'000'000'000, QStringLiteral("stream:e:%1-0").arg(n));
    }
    QTRY_COMPARE(second.offsets(), QList<qint64>({1, 2, 3}));
    for (int n = 1; n <= 3; ++n) {
        second.shared->stampOnce("orders", QStringLiteral(R"({"n":%1})").arg(n).toUtf8(),
                                 1'800'000'000'000, QStringLiteral("stream:e:%1-0").arg(n));
    }
    // Nothing more: a marker with a key of its own comes next.
    second.shared->stampOnce("orders", R"({"n":4})", 1'800'000'000'000, QStringLiteral("marker"));
    QTRY_COMPARE(first.offsets(), QList<qint64>({1, 2, 3, 4}));
    QCOMPARE(second.offsets(), first.offsets());
}

void TestSharedHistory::everyHubHearsAnIngestedMessageButItIsStampedOnce()
{
    Hub first(m_server->port(), QStringLiteral("hub-a"));
    Hub second(m_server->port(), QStringLiteral("hub-b"));
    QVERIFY(waitForPatterns(2));
    QTRY_VERIFY(first.shared->holdsIngestLease() != second.shared->holdsIngestLease());
    // Past the new holder's grace, so that it stamps as it hears.
    QTest::qWait(int(SharedHistory::kTakeOverGrace.count()) * 2);

    for (int n = 1; n <= 20; ++n) {
        const QByteArray data = QStringLiteral(R"({"n":%1})").arg(n).toUtf8();
        first.shared->ingest("inventory", data, 1'800'000'000'000);
        second.shared->ingest("inventory", data, 1'800'000'000'000);
        // The same message twice is two messages: each hub hears both.
        if (n == 10) {
            first.shared->ingest("inventory", data, 1'800'000'000'000);
            second.shared->ingest("inventory", data, 1'800'000'000'000);
        }
    }
    QList<qint64> expected;
    for (qint64 offset = 1; offset <= 21; ++offset)
        expected.append(offset);
    QTRY_COMPARE(first.offsets(), expected);
    QTRY_COMPARE(second.offsets(), expected);
    QCOMPARE(m_server->cli({"GET", "kucun:ws:inventory:offset"}), QStringLiteral("21"));
    QCOMPARE(dataOf(first.arrived[10].envelope).value("n").toInt(), 10);
    QTRY_COMPARE(first.shared->ingestPending() + second.shared->ingestPending(), 0);
}

void TestSharedHistory::aHubsPublishGoesToTheSiteAndIsStampedOnce()
{
    Hub first(m_server->port(), QStringLiteral("hub-a"));
    Hub second(m_server->port(), QStringLiteral("hub-b"));
    QVERIFY(waitForPatterns(2));
    QTRY_VERIFY(first.shared->holdsIngestLease() != second.shared->holdsIngestLease());
    QTest::qWait(int(SharedHistory::kTakeOverGrace.count()) * 2);
    kucun::test::RedisListener site;
    QVERIFY(site.listen(m_server->port(), {QByteArrayLiteral("ws:*")}));

    // Published by either hub, each heard by both on ws:orders as a site's message would be:
    // stamped once all the same.
    QCOMPARE(second.publish("orders", R"({"n":1})").offset, 1);
    QCOMPARE(first.publish("orders", R"({"n":2})").offset, 2);
    QTRY_COMPARE(site.payloadsOn("ws:orders"), QList<QByteArray>({R"({"n":1})", R"({"n":2})"}));
    // A site's message behind them, the same text as one of them, is a message of its own.
    m_server->cli({"PUBLISH", "ws:orders", R"({"n":1})"});
    QTRY_COMPARE(first.offsets(), QList<qint64>({1, 2, 3}));
    QTRY_COMPARE(second.offsets(), QList<qint64>({1, 2, 3}));
    QCOMPARE(dataOf(second.arrived[2].envelope).value("n").toInt(), 1);
    QTRY_COMPARE(first.shared->ingestPending() + second.shared->ingestPending(), 0);
    QCOMPARE(m_server->cli({"KEYS", "kucun:ws-echo:*"}), QString());
    QCOMPARE(first.shared->ingestLost() + second.shared->ingestLost(), 0);
}

void TestSharedHistory::aSurvivorStampsWhatTheDeadHolderLeft()
{
    auto first = std::make_unique<Hub>(m_server->port(), QStringLiteral("hub-a"), 600ms);
    QTRY_VERIFY(first->shared->holdsIngestLease());
    Hub second(m_server->port(), QStringLiteral("hub-b"), 600ms);
    QVERIFY(waitForPatterns(2));
    QTRY_VERIFY(second.shared->active());
    QVERIFY(!second.shared->holdsIngestLease());

    // The holder dies without a word; its lease runs on. What the survivor hears meanwhile
    // waits, then it takes the lease and stamps it.
    first.reset();
    second.shared->ingest("inventory", R"({"n":1})", 1'800'000'000'000);
    QCOMPARE(second.shared->ingestPending(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(second.shared->holdsIngestLease(), 5000);
    QTRY_COMPARE(second.offsets(), QList<qint64>({1}));
    QCOMPARE(dataOf(second.arrived[0].envelope).value("n").toInt(), 1);
    QCOMPARE(second.shared->ingestLost(), 0);
}

void TestSharedHistory::aReleasedLeaseIsLetGoAtOnce()
{
    Hub first(m_server->port(), QStringLiteral("hub-a"), 30s);
    QTRY_VERIFY(first.shared->holdsIngestLease());
    QCOMPARE(m_server->cli({"GET", "kucun:ws-ingest-lease"}), QStringLiteral("hub-a"));
    first.shared->releaseLease();
    QVERIFY(!first.shared->holdsIngestLease());
    // Gone now, not when its 30 s run out: the next hub to look takes it.
    QTRY_COMPARE(m_server->cli({"EXISTS", "kucun:ws-ingest-lease"}), QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(TestSharedHistory)
#include "tst_sharedhistory.moc"
