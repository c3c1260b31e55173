#include "ws/channelregistry.h"
#include "ws/wsconnection.h"
#include "ws/wsframe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using kucun::ChannelRegistry;
using kucun::StreamPosition;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kStartMs = 1'800'000'000'000;

QJsonObject envelopeOf(const QByteArray &frame)
{
    return QJsonDocument::fromJson(kucun::textFramePayload(frame)).object();
}

qint64 offsetOf(const QByteArray &frame)
{
    return envelopeOf(frame).value(QStringLiteral("offset")).toInteger();
}

// A message of channel `inventory`'s shared stream, as it arrives from Redis.
kucun::SharedMessage shared(const QString &epoch, qint64 offset)
{
    const QByteArray envelope
        = R"({"channel":"inventory","data":{"n":)" + QByteArray::number(offset) + R"(},"offset":)"
          + QByteArray::number(offset) + R"(,"ts":)" + QByteArray::number(kStartMs) + "}";
    return {QStringLiteral("inventory"), epoch, offset, kStartMs, envelope};
}

}  // namespace

class TestChannelRegistry : public QObject
{
    Q_OBJECT

private slots:
    void stampsOffsetsAndEncodesOnce();
    void recovery_data();
    void recovery();
    void pruneDropsIdleChannels();
    void snapshotCountsSubscribersAndRate();
    void byteBudgetDropsTheOldestMessagesAnywhere();
    void aMessageBiggerThanTheBudgetIsNotKept();
    void channelCapDropsTheOldestHistory();
    void sharedMessagesAreDeliveredAsRedisStampedThem();
    void aChangedStreamIsNoticedFirst_data();
    void aChangedStreamIsNoticedFirst();
    void joinersGetOnlyWhatTheyWereNotToldOf();
    void leavingTheSharedStreamStartsALocalEpoch();
    void joinersOfAChannelNotYetSharedHearItGoesLocal();
};

void TestChannelRegistry::stampsOffsetsAndEncodesOnce()
{
    ChannelRegistry registry;
    kucun::WsConnection a;
    kucun::WsConnection b;
    const ChannelRegistry::Position before = registry.subscribe(QStringLiteral("inventory"), &a);
    registry.subscribe(QStringLiteral("inventory"), &b);
    QCOMPARE(before.offset, 0);
    QVERIFY(!before.epoch.isEmpty());

    const auto first = registry.stamp(QStringLiteral("inventory"), QJsonObject{{"n", 1}}, kStartMs);
    const auto second
        = registry.stamp(QStringLiteral("inventory"), QJsonObject{{"n", 2}}, kStartMs);
    QCOMPARE(first.offset, 1);
    QCOMPARE(second.offset, 2);
    QCOMPARE(first.subscribers, QSet<kucun::WsConnection *>({&a, &b}));
    const QJsonObject envelope = envelopeOf(second.frame);
    QCOMPARE(envelope.value("channel").toString(), QStringLiteral("inventory"));
    QCOMPARE(envelope.value("data").toObject().value("n").toInt(), 2);
    QCOMPARE(envelope.value("ts").toInteger(), kStartMs);
    QCOMPARE(envelope.value("offset").toInteger(), 2);

    // Another channel has a stream of its own.
    const auto other = registry.stamp(QStringLiteral("orders"), 1, kStartMs);
    QCOMPARE(other.offset, 1);
    QVERIFY(other.subscribers.isEmpty());
    QCOMPARE(registry.subscribe(QStringLiteral("inventory"), &a).epoch, before.epoch);
}

void TestChannelRegistry::recovery_data()
{
    QTest::addColumn<int>("historySize");
    QTest::addColumn<int>("published");  // messages 1..published, one per second
    QTest::addColumn<qint64>("sinceOffset");
    QTest::addColumn<bool>("sameEpoch");
    QTest::addColumn<qint64>("askedAtMs");  // after the start
    QTest::addColumn<QList<qint64>>("replayed");  // empty and recovered: up to date
    QTest::addColumn<bool>("recovered");

    const qint64 soon = 10'000;
    QTest::addRow("missed three") << 100 << 5 << qint64(2) << true << soon << QList<qint64>{3, 4, 5}
                                  << true;
    QTest::addRow("up to date") << 100 << 5 << qint64(5) << true << soon << QList<qint64>{} << true;
    QTest::addRow("from the start")
        << 100 << 3 << qint64(0) << true << soon << QList<qint64>{1, 2, 3} << true;
    QTest::addRow("exactly what history holds")
        << 3 << 5 << qint64(2) << true << soon << QList<qint64>{3, 4, 5} << true;
    QTest::addRow("one more than history holds")
        << 3 << 5 << qint64(1) << true << soon << QList<qint64>{} << false;
    QTest::addRow("another epoch")
        << 100 << 5 << qint64(2) << false << soon << QList<qint64>{} << false;
    QTest::addRow("an offset never reached")
        << 100 << 5 << qint64(6) << true << soon << QList<qint64>{} << false;
    // Messages at 0..4 s; five minutes later the first three are too old.
    QTest::addRow("too old") << 100 << 5 << qint64(1) << true << qint64(302'500) << QList<qint64>{}
                             << false;
    QTest::addRow("the recent ones are not too old")
        << 100 << 5 << qint64(3) << true << qint64(302'500) << QList<qint64>{4, 5} << true;
}

void TestChannelRegistry::recovery()
{
    QFETCH(int, historySize);
    QFETCH(int, published);
    QFETCH(qint64, sinceOffset);
    QFETCH(bool, sameEpoch);
    QFETCH(qint64, askedAtMs);
    QFETCH(QList<qint64>, replayed);
    QFETCH(bool, recovered);

    ChannelRegistry registry;
    registry.setHistoryLimits({historySize, 5min});
    kucun::WsConnection client;
    const QString epoch = registry.subscribe(QStringLiteral("inventory"), &client).epoch;
    for (int i = 0; i < published; ++i)
        registry.stamp(QStringLiteral("inventory"), i, kStartMs + i * 1000);

    const auto missed = registry.missedSince(
        QStringLiteral("inventory"),
        StreamPosition{sinceOffset, sameEpoch ? epoch : QStringLiteral("0123456789abcdef")},
        kStartMs + askedAtMs);
    QCOMPARE(missed.has_value(), recovered);
    QList<qint64> offsets;
    for (const QByteArray &frame : missed.value_or(QList<QByteArray>()))
        offsets.append(offsetOf(frame));
    QCOMPARE(offsets, replayed);
}

void TestChannelRegistry::pruneDropsIdleChannels()
{
    ChannelRegistry registry;
    registry.setHistoryLimits({100, 1min});
    kucun::WsConnection client;
    registry.subscribe(QStringLiteral("watched"), &client);
    registry.stamp(QStringLiteral("published"), 1, kStartMs);
    registry.subscribe(QStringLiteral("left"), &client);
    registry.unsubscribe(QStringLiteral("left"), &client);
    QCOMPARE(registry.snapshot(kStartMs).size(), 3);

    registry.prune(kStartMs + 1000);  // "left" has neither subscribers nor history
    QCOMPARE(registry.snapshot(kStartMs).size(), 2);
    registry.prune(kStartMs + 61'000);  // "published" lost its history
    const QList<ChannelRegistry::ChannelInfo> left = registry.snapshot(kStartMs + 61'000);
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().name, QStringLiteral("watched"));

    registry.forget(&client);
    QVERIFY(registry.channelsOf(&client).isEmpty());
    registry.prune(kStartMs + 62'000);
    QVERIFY(registry.snapshot(kStartMs).isEmpty());
}

void TestChannelRegistry::snapshotCountsSubscribersAndRate()
{
    ChannelRegistry registry;
    kucun::WsConnection a;
    kucun::WsConnection b;
    registry.subscribe(QStringLiteral("inventory"), &a);
    registry.subscribe(QStringLiteral("inventory"), &b);
    // 3 messages in one second, then 1 in the next.
    for (int i = 0; i < 3; ++i)
        registry.stamp(QStringLiteral("inventory"), i, kStartMs + i * 100);
    registry.stamp(QStringLiteral("inventory"), 3, kStartMs + 1500);

    const auto during = registry.snapshot(kStartMs + 1600);
    QCOMPARE(during.size(), 1);
    QCOMPARE(during[0].subscribers, 2);
    QCOMPARE(during[0].offset, 4);
    QCOMPARE(during[0].historySize, 4);
    QCOMPARE(during[0].messagesTotal, 4);
    QCOMPARE(during[0].messagesPerSecond, 3);  // the last whole second
    QCOMPARE(registry.snapshot(kStartMs + 2100)[0].messagesPerSecond, 1);
    QCOMPARE(registry.snapshot(kStartMs + 3100)[0].messagesPerSecond, 0);
}

void TestChannelRegistry::byteBudgetDropsTheOldestMessagesAnywhere()
{
    ChannelRegistry registry;
    registry.setHistoryLimits({1000, 5min, 20 * 1024, 100});
    const QString kilobyte(1000, u'x');
    kucun::WsConnection client;
    const QString quietEpoch = registry.subscribe(QStringLiteral("quiet"), &client).epoch;
    const QString busyEpoch = registry.subscribe(QStringLiteral("busy"), &client).epoch;
    for (int i = 0; i < 5; ++i)
        registry.stamp(QStringLiteral("quiet"), kilobyte, kStartMs + i);
    for (int i = 0; i < 40; ++i)  // 40 KB offered to a 20 KiB budget
        registry.stamp(QStringLiteral("busy"), kilobyte, kStartMs + 100 + i);

    QVERIFY(registry.historyBytes() <= 20 * 1024);
    QVERIFY(registry.historyBytes() > 15 * 1024);  // the budget is used, not emptied
    QVERIFY(registry.evictedForBytes() >= 5 + 20);
    // The quiet channel's messages were the oldest: gone, and its recovery says so.
    QCOMPARE(registry.missedSince(QStringLiteral("quiet"), {0, quietEpoch}, kStartMs + 200),
             std::nullopt);
    QCOMPARE(registry.missedSince(QStringLiteral("quiet"), {5, quietEpoch}, kStartMs + 200)->size(),
             0);  // up to date: nothing missing, nothing to say
    // The busy channel keeps its newest messages, in order; older ones cannot be recovered.
    const auto recent
        = registry.missedSince(QStringLiteral("busy"), {35, busyEpoch}, kStartMs + 200);
    QVERIFY(recent);
    QCOMPARE(recent->size(), 5);
    QCOMPARE(offsetOf(recent->front()), 36);
    QCOMPARE(registry.missedSince(QStringLiteral("busy"), {1, busyEpoch}, kStartMs + 200),
             std::nullopt);
    const auto infos = registry.snapshot(kStartMs + 200);
    qint64 kept = 0;
    for (const auto &info : infos)
        kept += info.historySize;
    QCOMPARE(kept, 45 - registry.evictedForBytes());

    // Age and pruning give the bytes back.
    registry.prune(kStartMs + 10 * 60 * 1000);
    QCOMPARE(registry.historyBytes(), 0);
}

void TestChannelRegistry::aMessageBiggerThanTheBudgetIsNotKept()
{
    ChannelRegistry registry;
    registry.setHistoryLimits({1000, 5min, 4 * 1024, 100});
    kucun::WsConnection client;
    registry.subscribe(QStringLiteral("big"), &client);
    const auto message = registry.stamp(QStringLiteral("big"), QString(8000, u'x'), kStartMs);
    QCOMPARE(message.subscribers.size(), 1);  // delivered all the same
    QCOMPARE(registry.historyBytes(), 0);
}

void TestChannelRegistry::channelCapDropsTheOldestHistory()
{
    ChannelRegistry registry;
    registry.setHistoryLimits({1000, 5min, 1024 * 1024, 2});
    kucun::WsConnection client;
    const QString epoch = registry.subscribe(QStringLiteral("watched"), &client).epoch;
    // Subscriptions alone hold no history and do not count.
    for (int i = 0; i < 5; ++i)
        registry.subscribe(QStringLiteral("idle-%1").arg(i), &client);
    registry.stamp(QStringLiteral("old"), 1, kStartMs);
    registry.stamp(QStringLiteral("watched"), 2, kStartMs + 1000);

    // A third channel with history: "old" had the oldest, loses it, and with nobody subscribed
    // goes altogether.
    registry.stamp(QStringLiteral("third"), 3, kStartMs + 2000);
    const auto names = [&] {
        QStringList holding;
        for (const auto &info : registry.snapshot(kStartMs + 3000)) {
            if (info.historySize > 0)
                holding.append(info.name);
        }
        holding.sort();
        return holding;
    };
    QCOMPARE(names(), QStringList({"third", "watched"}));
    QCOMPARE(registry.channelCount(), 2 + 5);

    // A fourth: now "watched" has the oldest history and loses it, but stays, with its stream:
    // a recovery from before answers recovered:false, the next offset follows on.
    registry.stamp(QStringLiteral("fourth"), 4, kStartMs + 3000);
    QCOMPARE(names(), QStringList({"fourth", "third"}));
    QCOMPARE(registry.missedSince(QStringLiteral("watched"), {0, epoch}, kStartMs + 3000),
             std::nullopt);
    QCOMPARE(registry.stamp(QStringLiteral("watched"), 5, kStartMs + 4000).offset, 2);
    QCOMPARE(registry.subscribe(QStringLiteral("watched"), &client).epoch, epoch);
    QCOMPARE(names(), QStringList({"fourth", "watched"}));  // and "third" lost its history
}

void TestChannelRegistry::sharedMessagesAreDeliveredAsRedisStampedThem()
{
    ChannelRegistry registry;
    kucun::WsConnection a;
    kucun::WsConnection b;
    registry.joinShared(QStringLiteral("inventory"), &a, {4, QStringLiteral("E1")});
    registry.joinShared(QStringLiteral("inventory"), &b, {4, QStringLiteral("E1")});
    for (qint64 offset = 5; offset <= 7; ++offset) {
        const auto delivery = registry.deliverShared(shared(QStringLiteral("E1"), offset));
        QCOMPARE(delivery.subscribers, QSet<kucun::WsConnection *>({&a, &b}));
        QVERIFY(delivery.noticed.isEmpty());
        QCOMPARE(kucun::textFramePayload(delivery.frame),
                 shared(QStringLiteral("E1"), offset).envelope);
    }
    QCOMPARE(registry.positionOf(QStringLiteral("inventory"))->offset, 7);
    QCOMPARE(registry.positionOf(QStringLiteral("inventory"))->epoch, QStringLiteral("E1"));
    QVERIFY(registry.snapshot(kStartMs).front().shared);
    QCOMPARE(registry.sharedChannelCount(), 1);
    // The same message twice is delivered once.
    QVERIFY(registry.deliverShared(shared(QStringLiteral("E1"), 7)).subscribers.isEmpty());
    // Kept in this hub's copy with Redis's offsets.
    const auto missed
        = registry.missedSince(QStringLiteral("inventory"), {5, QStringLiteral("E1")}, kStartMs);
    QVERIFY(missed);
    QCOMPARE(missed->size(), 2);
    QCOMPARE(offsetOf(missed->back()), 7);
}

void TestChannelRegistry::aChangedStreamIsNoticedFirst_data()
{
    QTest::addColumn<QString>("epoch");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<bool>("noticed");
    QTest::addRow("the next message") << "E1" << qint64(4) << false;
    QTest::addRow("messages this hub missed") << "E1" << qint64(6) << true;
    QTest::addRow("another epoch") << "E2" << qint64(1) << true;
}

void TestChannelRegistry::aChangedStreamIsNoticedFirst()
{
    QFETCH(QString, epoch);
    QFETCH(qint64, offset);
    QFETCH(bool, noticed);
    ChannelRegistry registry;
    kucun::WsConnection client;
    registry.subscribe(QStringLiteral("inventory"), &client);
    registry.deliverShared(shared(QStringLiteral("E1"), 3));  // the channel follows E1 from here

    const auto delivery = registry.deliverShared(shared(epoch, offset));
    QCOMPARE(delivery.subscribers, QSet<kucun::WsConnection *>({&client}));
    QCOMPARE(delivery.noticed.contains(&client), noticed);
    if (noticed) {
        // Where the client's stream now stands: just before this message, recovered:false.
        const QJsonObject notice
            = QJsonDocument::fromJson(kucun::textFramePayload(delivery.notice)).object();
        QCOMPARE(notice.value("type").toString(), QStringLiteral("subscribed"));
        QCOMPARE(notice.value("channel").toString(), QStringLiteral("inventory"));
        QCOMPARE(notice.value("offset").toInteger(), offset - 1);
        QCOMPARE(notice.value("epoch").toString(), epoch);
        QCOMPARE(notice.value("recovered").toBool(true), false);
    }
}

void TestChannelRegistry::joinersGetOnlyWhatTheyWereNotToldOf()
{
    ChannelRegistry registry;
    kucun::WsConnection early;
    kucun::WsConnection joiner;
    kucun::WsConnection stranger;
    registry.joinShared(QStringLiteral("inventory"), &early, {5, QStringLiteral("E1")});
    registry.deliverShared(shared(QStringLiteral("E1"), 6));
    // Redis told the joiner of messages up to 8 (recovered from its history): 7 and 8 are
    // still on their way to this hub.
    registry.joinShared(QStringLiteral("inventory"), &joiner, {8, QStringLiteral("E1")});
    // Told of a stream the channel has not followed yet (another epoch).
    registry.joinShared(QStringLiteral("inventory"), &stranger, {0, QStringLiteral("E9")});
    for (const qint64 offset : {7, 8}) {
        const auto delivery = registry.deliverShared(shared(QStringLiteral("E1"), offset));
        QCOMPARE(delivery.subscribers, QSet<kucun::WsConnection *>({&early, &stranger}));
        QCOMPARE(delivery.noticed,
                 QList<kucun::WsConnection *>({&stranger}).mid(offset == 7 ? 0 : 1));
    }
    const auto next = registry.deliverShared(shared(QStringLiteral("E1"), 9));
    QCOMPARE(next.subscribers, QSet<kucun::WsConnection *>({&early, &joiner, &stranger}));
    QVERIFY(next.noticed.isEmpty());
}

void TestChannelRegistry::leavingTheSharedStreamStartsALocalEpoch()
{
    ChannelRegistry registry;
    kucun::WsConnection client;
    registry.joinShared(QStringLiteral("inventory"), &client, {2, QStringLiteral("E1")});
    registry.deliverShared(shared(QStringLiteral("E1"), 3));
    registry.stamp(QStringLiteral("local"), 1, kStartMs);  // a channel of this hub's own

    const QList<ChannelRegistry::Notice> notices = registry.leaveShared();
    QCOMPARE(notices.size(), 1);
    QCOMPARE(notices.front().subscribers, QSet<kucun::WsConnection *>({&client}));
    const QJsonObject notice
        = QJsonDocument::fromJson(kucun::textFramePayload(notices.front().frame)).object();
    const ChannelRegistry::Position now = *registry.positionOf(QStringLiteral("inventory"));
    QCOMPARE(notice.value("offset").toInteger(), 3);
    QCOMPARE(notice.value("epoch").toString(), now.epoch);
    QVERIFY(now.epoch != QStringLiteral("E1"));
    QCOMPARE(registry.sharedChannelCount(), 0);
    // Nothing of the shared stream is recovered from here any more; the local stream goes on.
    QVERIFY(
        !registry.missedSince(QStringLiteral("inventory"), {2, QStringLiteral("E1")}, kStartMs));
    QCOMPARE(registry.stamp(QStringLiteral("inventory"), 1, kStartMs).offset, 4);
    QVERIFY(registry.leaveShared().isEmpty());
}

void TestChannelRegistry::joinersOfAChannelNotYetSharedHearItGoesLocal()
{
    // Told a position of the shared stream before any message of it reached this hub; then
    // Redis goes away: the client must not take the local stream for the one it was told of.
    ChannelRegistry registry;
    kucun::WsConnection client;
    registry.joinShared(QStringLiteral("quiet"), &client, {5, QStringLiteral("E1")});
    const QList<ChannelRegistry::Notice> notices = registry.leaveShared();
    QCOMPARE(notices.size(), 1);
    QCOMPARE(notices.front().subscribers, QSet<kucun::WsConnection *>({&client}));
    const QJsonObject notice
        = QJsonDocument::fromJson(kucun::textFramePayload(notices.front().frame)).object();
    QCOMPARE(notice.value("epoch").toString(), registry.positionOf(QStringLiteral("quiet"))->epoch);
    // From then on an ordinary subscriber of the local stream.
    QVERIFY(registry.leaveShared().isEmpty());
    QCOMPARE(registry.stamp(QStringLiteral("quiet"), 1, kStartMs).subscribers,
             QSet<kucun::WsConnection *>({&client}));
}

QTEST_GUILESS_MAIN(TestChannelRegistry)
#include "tst_channelregistry.moc"
