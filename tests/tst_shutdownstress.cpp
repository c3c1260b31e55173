// Load, then SIGTERM, many times over: the real kucun-hub binary on a real redis-server, with
// WebSocket clients that read, clients that stop reading (queued writes), clients that vanish,
// a Redis flood on ws:inventory and the demo's cache traffic on worker threads, all in flight
// when the signal lands. Each round must end with exit code 0 and nothing from a sanitizer or
// glibc's heap checks on stderr. Label `stress`; KUCUN_STRESS_ROUNDS changes the count.

#include "support/hubprocess.h"
#include "support/rawwsclient.h"
#include "support/redisserver.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <memory>
#include <vector>

class TestShutdownStress : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadThenSigtermRepeatedly();

private:
    static QUrl waitForReadyLine(QProcess &hub);
    void oneRound(int round);

    kucun::test::RedisServer m_redis;
    QTemporaryDir m_home;
};

void TestShutdownStress::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY(m_redis.start());
}

QUrl TestShutdownStress::waitForReadyLine(QProcess &hub)
{
    QDeadlineTimer deadline(30000);  // bounded; ASan builds start slowly
    while (!hub.canReadLine() && hub.state() == QProcess::Running && !deadline.hasExpired())
        hub.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    static const QRegularExpression ready(QStringLiteral("^kucun-hub ready ws=(\\S+) "));
    const QRegularExpressionMatch match = ready.match(QString::fromUtf8(hub.readLine()));
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

void TestShutdownStress::loadThenSigtermRepeatedly()
{
    const int rounds = qEnvironmentVariableIsSet("KUCUN_STRESS_ROUNDS")
                           ? qEnvironmentVariableIntValue("KUCUN_STRESS_ROUNDS")
                           : 8;
    for (int round = 0; round < rounds; ++round) {
        oneRound(round);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestShutdownStress::oneRound(int round)
{
    QProcess hub;
    hub.setProcessEnvironment(kucun::test::HubProcess::cleanEnvironment(m_home.path()));
    hub.start(QStringLiteral(KUCUN_HUB_BINARY),
              {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0"),
               QStringLiteral("--redis"), m_redis.url(), QStringLiteral("--data-dir"),
               m_home.filePath(QStringLiteral("data-%1").arg(round)), QStringLiteral("--demo")});
    QVERIFY2(hub.waitForStarted(10000), qPrintable(hub.errorString()));
    QUrl url = waitForReadyLine(hub);
    QVERIFY2(url.isValid(), hub.readAllStandardError().constData());

    // Readers, clients that stop reading (their frames queue in the hub), and clients that go
    // away in the middle of the flood.
    std::vector<std::unique_ptr<kucun::test::RawWsClient>> clients;
    for (int i = 0; i < 60; ++i) {
        auto client = std::make_unique<kucun::test::RawWsClient>();
        QVERIFY2(client->open(url), "a client could not connect");
        client->sendText(R"({"type":"subscribe","channel":"inventory"})");
        if (i % 3 == 1)
            client->stopReading();
        clients.push_back(std::move(client));
    }

    // The flood comes through Redis, as a site publishes.
    QProcess flood;
    flood.start(QStringLiteral("redis-benchmark"),
                {QStringLiteral("-p"), QString::number(m_redis.port()), QStringLiteral("-c"),
                 QStringLiteral("8"), QStringLiteral("-P"), QStringLiteral("16"),
                 QStringLiteral("-n"), QStringLiteral("400000"), QStringLiteral("-q"),
                 QStringLiteral("PUBLISH"), QStringLiteral("ws:inventory"),
                 QStringLiteral(R"({"productId":"42","quantity":95,"padding":"%1"})")
                     .arg(QString(200, u'x'))});
    QVERIFY2(flood.waitForStarted(10000), "redis-benchmark did not start");

    // Let the flood run for a second, reading some of it and dropping a client now and then.
    qsizetype delivered = 0;
    QDeadlineTimer floodTime(1000);
    for (int turn = 0; !floodTime.hasExpired(); ++turn) {
        for (size_t i = 0; i < clients.size(); i += 3)
            delivered += clients[i]->read(5).size();
        if (turn % 16 == 15 && clients.size() > 30)
            clients.pop_back();
    }
    QVERIFY2(delivered > 0, "no message reached the clients: the load did not happen");

    QCOMPARE(::kill(static_cast<pid_t>(hub.processId()), SIGTERM), 0);
    // Bounded: the hub gives clients 2 s to answer the close; an ASan build is slower.
    QDeadlineTimer deadline(30000);
    while (hub.state() == QProcess::Running && !deadline.hasExpired()) {
        for (size_t i = 0; i < clients.size(); i += 3)
            clients[i]->read(10);
        hub.waitForFinished(50);
    }
    flood.kill();
    flood.waitForFinished(5000);
    QVERIFY2(hub.state() == QProcess::NotRunning, "the hub did not stop within 30 s");
    const QByteArray errors = hub.readAllStandardError();
    // A sanitizer's report starts with "==<pid>==ERROR"; show it from there, else the tail.
    const qsizetype report = errors.indexOf("==ERROR");
    const QByteArray shown
        = errors.mid(report >= 0 ? report : std::max<qsizetype>(0, errors.size() - 6000), 6000);
    QVERIFY2(hub.exitStatus() == QProcess::NormalExit, shown.constData());
    QVERIFY2(hub.exitCode() == 0, shown.constData());
    for (const char *trouble : {"AddressSanitizer", "runtime error", "corrupted", "double free",
                                "LeakSanitizer", "malloc()"}) {
        QVERIFY2(!errors.contains(trouble), shown.constData());
    }
}

QTEST_GUILESS_MAIN(TestShutdownStress)
#include "tst_shutdownstress.moc"
