// Record and replay (SPEC §14): the lines of a recording and their refusals; a replay onto the
// bus in order, at the recorded pace scaled or as fast as possible, skipping bad lines with
// their numbers; and end to end, 500 mixed events recorded from the demo of one hub (--record)
// replayed into a second (--replay, max and 10x), which handles the same messages in the same
// order with the same outcome.

#include "config/hubconfig.h"
#include "engine/enginehost.h"
#include "events/eventrecording.h"
#include "events/eventreplayer.h"
#include "events/localbus.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using kucun::EngineHost;
using kucun::EventReplayer;
using kucun::HubConfig;
using kucun::RecordedMessage;
namespace EventRecording = kucun::EventRecording;

namespace {

struct Heard
{
    QString channel;
    QByteArray payload;
    friend bool operator==(const Heard &, const Heard &) = default;
};

// What a hub's router handled, in order, from its telemetry.
struct RouterLog
{
    explicit RouterLog(EngineHost &host)
    {
        QObject::connect(&host, &EngineHost::telemetry, &context,
                         [this](const kucun::EngineTelemetryPtr &report) {
                             for (const kucun::EventRecord &event : report->events) {
                                 heard.append({event.channel, event.payload});
                                 outcomes.append(event.accepted ? event.routedTo
                                                                : QStringLiteral("refused"));
                             }
                         });
    }
    QObject context;
    QList<Heard> heard;
    QStringList outcomes;  // the WebSocket channel each went to, or "refused"
};

bool startHost(EngineHost &host)
{
    host.start();
    return QTest::qWaitFor([&host] { return host.state() == EngineHost::State::Running; }, 10000);
}

void stopHost(EngineHost &host)
{
    QSignalSpy finished(&host, &EngineHost::finished);
    host.stop();
    (void)finished.wait(10000);
}

QList<QByteArray> linesOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

}  // namespace

class TestEventReplay : public QObject
{
    Q_OBJECT

private slots:
    void lineRoundTrip();
    void badLinesAreRefused_data();
    void badLinesAreRefused();
    void replaySkipsBadLinesAndKeepsOrder();
    void recordedDemoReplaysTheSameIntoAnotherHub_data();
    void recordedDemoReplaysTheSameIntoAnotherHub();
};

void TestEventReplay::lineRoundTrip()
{
    const RecordedMessage message{1234, QStringLiteral("ws:orders"),
                                  QByteArrayLiteral("{\"n\":1.50, \"s\":\"é\"}")};
    const QByteArray line = EventRecording::line(message);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const auto read = EventRecording::read(line.chopped(1), 0);
    const auto *back = std::get_if<RecordedMessage>(&read);
    QVERIFY(back);
    QCOMPARE(back->atMs, 1234);
    QCOMPARE(back->channel, message.channel);
    QCOMPARE(back->payload, message.payload);  // the very text, spacing and "1.50" included
    // A payload written as JSON (by hand) is taken as its text.
    const auto object = EventRecording::read(R"({"t":5,"channel":"c","payload":{"a":1}})", 0);
    QCOMPARE(std::get<RecordedMessage>(object).payload, QByteArrayLiteral("{\"a\":1}"));
}

void TestEventReplay::badLinesAreRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("why");
    QTest::addRow("not json") << QByteArray("{\"t\":") << "not a JSON object";
    QTest::addRow("an array") << QByteArray("[1]") << "not a JSON object";
    QTest::addRow("no t") << QByteArray(R"({"channel":"c","payload":"x"})") << "\"t\" must be";
    QTest::addRow("negative t") << QByteArray(R"({"t":-1,"channel":"c","payload":"x"})")
                                << "\"t\" must be";
    QTest::addRow("fraction t") << QByteArray(R"({"t":1.5,"channel":"c","payload":"x"})")
                                << "\"t\" must be";
    QTest::addRow("back in time") << QByteArray(R"({"t":5,"channel":"c","payload":"x"})")
                                  << "\"t\" goes back in time (5 after 10)";
    QTest::addRow("no channel") << QByteArray(R"({"t":20,"payload":"x"})") << "\"channel\" must";
    QTest::addRow("spaced channel")
        << QByteArray(R"({"t":20,"channel":"a b","payload":"x"})") << "\"channel\" must";
    QTest::addRow("no payload") << QByteArray(R"({"t":20,"channel":"c"})")
                                << "\"payload\" is missing";
}

void TestEventReplay::badLinesAreRefused()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, why);
    const auto read = EventRecording::read(line, 10);
    const auto *refusal = std::get_if<QString>(&read);
    QVERIFY(refusal);
    QVERIFY2(refusal->startsWith(why), qPrintable(*refusal));
}

void TestEventReplay::replaySkipsBadLinesAndKeepsOrder()
{
    kucun::LocalBus bus(QStringLiteral("test"));
    QObject context;
    QList<Heard> heard;
    bus.subscribe(QStringLiteral("*"), &context,
                  [&heard](const QString &channel, const QByteArray &payload) {
                      heard.append({channel, payload});
                  });
    EventReplayer replayer(bus, 0);
    QSignalSpy refused(&replayer, &EventReplayer::lineRefused);
    QSignalSpy finished(&replayer, &EventReplayer::finished);
    replayer.loadText(R"({"t":0,"channel":"ws:a","payload":"1"}
not json
{"t":3,"channel":"ws:b","payload":"2"}
{"t":1,"channel":"ws:c","payload":"3"}

{"t":9,"channel":"ws:d","payload":"4"})");
    QCOMPARE(refused.size(), 2);
    QCOMPARE(refused[0][0].toInt(), 2);
    QCOMPARE(refused[1][0].toInt(), 4);
    QVERIFY(refused[1][1].toString().contains(QStringLiteral("back in time")));
    QCOMPARE(replayer.messageCount(), 3);
    replayer.start();
    QVERIFY(finished.wait(5000) || finished.size() == 1);
    QCOMPARE(finished[0][0].toInt(), 3);
    QTRY_COMPARE(heard.size(), 3);
    QCOMPARE(heard, (QList<Heard>{{QStringLiteral("ws:a"), "1"},
                                  {QStringLiteral("ws:b"), "2"},
                                  {QStringLiteral("ws:d"), "4"}}));
}

void TestEventReplay::recordedDemoReplaysTheSameIntoAnotherHub_data()
{
    QTest::addColumn<double>("speed");
    QTest::addRow("max") << 0.0;
    QTest::addRow("10x") << 10.0;
}

void TestEventReplay::recordedDemoReplaysTheSameIntoAnotherHub()
{
    QFETCH(double, speed);
    constexpr int kMessages = 500;
    QTemporaryDir dir;
    const QString recording = dir.filePath(QStringLiteral("demo.jsonl"));

    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("b")));
    // Hub A: the demo's traffic, recorded.
    QStringList outcomesInA;
    {
        HubConfig config;
        config.wsPort = 0;
        config.dataDir = dir.filePath(QStringLiteral("a"));
        config.recordFile = recording;
        EngineHost a(config);
        RouterLog logA(a);
        a.setDemoRate(2000);
        QVERIFY(startHost(a));
        QTRY_VERIFY_WITH_TIMEOUT(linesOf(recording).size() >= kMessages, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(logA.outcomes.size() >= kMessages, 10000);
        a.setDemoRate(0);
        stopHost(a);
        outcomesInA = logA.outcomes.first(kMessages);
    }
    QList<QByteArray> lines = linesOf(recording);
    QVERIFY(lines.size() >= kMessages);
    lines = lines.first(kMessages);
    QList<Heard> recorded;
    QSet<QString> channels;
    for (const QByteArray &line : std::as_const(lines)) {
        const auto message = std::get<RecordedMessage>(EventRecording::read(line, 0));
        recorded.append({message.channel, message.payload});
        channels.insert(message.channel);
    }
    QVERIFY2(channels.size() >= 3, "the demo's traffic is mixed");  // events and ws: messages
    const qint64 recordedSpanMs
        = std::get<RecordedMessage>(EventRecording::read(lines.last(), 0)).atMs
          - std::get<RecordedMessage>(EventRecording::read(lines.first(), 0)).atMs;
    const QString part = dir.filePath(QStringLiteral("first500.jsonl"));
    {
        QFile file(part);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(lines.join('\n') + '\n');
    }

    // Hub B: the recording replayed; its router handles the same messages in the same order.
    HubConfig config;
    config.wsPort = 0;
    config.dataDir = dir.filePath(QStringLiteral("b"));
    config.replayFile = part;
    config.replaySpeed = speed;
    EngineHost b(config);
    RouterLog log(b);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(startHost(b));
    QTRY_COMPARE_WITH_TIMEOUT(log.heard.size(), kMessages, 60000);
    const qint64 tookMs = clock.elapsed();
    QCOMPARE(log.heard, recorded);
    // The same routing result: each went to the same WebSocket channel, or was refused alike.
    QCOMPARE(log.outcomes, outcomesInA);
    if (speed > 0) {
        // Loosely: not faster than the scaled pace allows (minus the first message's offset).
        QVERIFY2(tookMs >= qint64(double(recordedSpanMs) / speed) - 50,
                 qPrintable(QStringLiteral("%1 ms for a span of %2 ms at %3x")
                                .arg(tookMs)
                                .arg(recordedSpanMs)
                                .arg(speed)));
    }
    stopHost(b);
}

QTEST_GUILESS_MAIN(TestEventReplay)
#include "tst_eventreplay.moc"
