// Drives the real kucun-hub binary as a site would: ready line, welcome, signals, exit codes.

#include "support/hubprocess.h"
#include "support/redisserver.h"
#include "ws/jwtverifier.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <csignal>

class TestHeadless : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servesUntilSignalled_data();
    void servesUntilSignalled();
    void refusesBadSettings_data();
    void refusesBadSettings();
    void helpAndVersion();
    void busyPortExitsWithOne();
    void windowModeWithoutDisplayExplainsItself();
    void readyLineNamesTheEngine_data();
    void readyLineNamesTheEngine();
    void auditLogIsWrittenInWalModeAndFlushedOnSigterm();
    void auditLogStaysWithinItsByteBoundUnderARedisFlood();
    void secretsStayOutOfTheLog();

private:
    QProcessEnvironment cleanEnvironment() const;
    void startHub(QProcess &hub, const QStringList &arguments,
                  const QProcessEnvironment &environment) const;
    static QUrl waitForReadyLine(QProcess &hub);
    // The ws= address of the ready line, whatever the engine.
    static QUrl waitForAnyReadyLine(QProcess &hub);
    static bool stopWithSigterm(QProcess &hub);

    QTemporaryDir m_home;
};

void TestHeadless::initTestCase()
{
    QVERIFY(m_home.isValid());
    QFile routes(m_home.filePath(QStringLiteral("bad-routes.json")));
    QVERIFY(routes.open(QIODevice::WriteOnly));
    routes.write(R"({"routes":[{"type":"stock:moved"}]})");
}

QProcessEnvironment TestHeadless::cleanEnvironment() const
{
    return kucun::test::HubProcess::cleanEnvironment(m_home.path());
}

void TestHeadless::startHub(QProcess &hub, const QStringList &arguments,
                            const QProcessEnvironment &environment) const
{
    hub.setProcessEnvironment(environment);
    hub.start(QStringLiteral(KUCUN_HUB_BINARY), arguments);
    QVERIFY2(hub.waitForStarted(10000), qPrintable(hub.errorString()));
}

QUrl TestHeadless::waitForReadyLine(QProcess &hub)
{
    // Bounded: 20 s at most, then the match below fails.
    QDeadlineTimer deadline(20000);
    while (!hub.canReadLine() && hub.state() == QProcess::Running && !deadline.hasExpired())
        hub.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    const QString line = QString::fromUtf8(hub.readLine());
    static const QRegularExpression ready(
        QStringLiteral("^kucun-hub ready ws=(ws://127\\.0\\.0\\.1:(\\d+)) "
                       "http=http://127\\.0\\.0\\.1:\\d+ resp=redis://127\\.0\\.0\\.1:\\d+ "
                       "engine=memory\\n$"));
    const QRegularExpressionMatch match = ready.match(line);
    if (!match.hasMatch()) {
        qWarning().noquote() << "unexpected first line:" << line
                             << "stderr:" << hub.readAllStandardError();
        return {};
    }
    const QUrl url(match.captured(1));
    return url.port() > 0 ? url : QUrl();
}

void TestHeadless::servesUntilSignalled_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addRow("SIGTERM") << SIGTERM;
    QTest::addRow("SIGINT") << SIGINT;
}

void TestHeadless::servesUntilSignalled()
{
    QFETCH(int, signalNumber);
    QProcess hub;
    startHub(hub, {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0")},
             cleanEnvironment());
    const QUrl url = waitForReadyLine(hub);
    QVERIFY(url.isValid());

    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    client.open(url);
    QTRY_COMPARE(messages.size(), 1);
    const QJsonObject welcome
        = QJsonDocument::fromJson(messages.at(0).at(0).toString().toUtf8()).object();
    QCOMPARE(welcome.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(welcome.value(QStringLiteral("protocol")).toInt(), 1);

    QCOMPARE(::kill(static_cast<pid_t>(hub.processId()), signalNumber), 0);
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE_WITH_TIMEOUT(hub.state(), QProcess::NotRunning, 20000);
    QCOMPARE(hub.exitStatus(), QProcess::NormalExit);
    const QByteArray errors = hub.readAllStandardError();
    QVERIFY2(hub.exitCode() == 0, errors.constData());
    QVERIFY2(!errors.contains("QObject") && !errors.contains("QSocketNotifier"),
             errors.constData());
    QVERIFY(hub.readAllStandardOutput().isEmpty());  // the ready line is the only output
}

void TestHeadless::refusesBadSettings_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("envName");
    QTest::addColumn<QString>("envValue");
    QTest::addColumn<QString>("expected");

    QTest::addRow("bad port in env") << QStringList{"--headless"} << "WS_PORT"
                                     << "abc"
                                     << "kucun-hub: WS_PORT: 'abc' is not a port number (0-65535)";
    QTest::addRow("bad port flag")
        << QStringList{"--headless", "--ws-port", "70000"} << ""
        << ""
        << "kucun-hub: --ws-port: '70000' is not a port number (0-65535)";
    QTest::addRow("bad redis url")
        << QStringList{"--headless"} << "REDIS_URL"
        << "http://cache:6379"
        << "kucun-hub: REDIS_URL: 'http://cache:6379' is not a Redis URL "
           "(redis://[user:pass@]host[:port][/db] or "
           "redis+sentinel://[user:pass@]host[:port][,host[:port]…]/master[/db]): the scheme "
           "must be redis:// or redis+sentinel://";
    QTest::addRow("unknown flag") << QStringList{"--headles"} << ""
                                  << ""
                                  << "kucun-hub: --headles: unknown option (see --help)";
    QTest::addRow("bad routing table")
        << QStringList{"--headless", "--routes", m_home.filePath("bad-routes.json")} << ""
        << ""
        << QStringLiteral("kucun-hub: HUB_ROUTES: '%1' route 1: 'stock:moved' is not an event type")
               .arg(m_home.filePath("bad-routes.json"));
    QTest::addRow("missing config")
        << QStringList{"--headless", "--config", "/nonexistent/k.ini"} << ""
        << ""
        << "kucun-hub: --config: '/nonexistent/k.ini' is not a "
           "readable file";
    QTest::addRow("unreadable config")
        << QStringList{"--headless", "--config", "/proc/self/mem"} << ""
        << ""
        << "kucun-hub: --config: '/proc/self/mem' cannot be read (Input/output error)";
    QTest::addRow("data dir flag") << QStringList{"--headless", "--data-dir", "/proc"} << ""
                                   << ""
                                   << "kucun-hub: --data-dir: '/proc' is not writable";
    QTest::addRow("data dir env") << QStringList{"--headless"} << "HUB_DATA_DIR"
                                  << "/proc"
                                  << "kucun-hub: HUB_DATA_DIR: '/proc' is not writable";
    QTest::addRow("audit bound") << QStringList{"--headless", "--audit-max-mb", "4"} << ""
                                 << ""
                                 << "kucun-hub: --audit-max-mb: '4' is not a size in MiB (a "
                                    "whole number from 8 to 65536)";
}

void TestHeadless::refusesBadSettings()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, envName);
    QFETCH(QString, envValue);
    QFETCH(QString, expected);

    QProcessEnvironment env = cleanEnvironment();
    if (!envName.isEmpty())
        env.insert(envName, envValue);
    QProcess hub;
    startHub(hub, arguments, env);
    QVERIFY(hub.waitForFinished(20000));
    QCOMPARE(hub.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(hub.readAllStandardError()), expected + u'\n');
    QVERIFY(hub.readAllStandardOutput().isEmpty());  // nothing started, no ready line
}

void TestHeadless::helpAndVersion()
{
    QProcess help;
    startHub(help, {QStringLiteral("--help")}, cleanEnvironment());
    QVERIFY(help.waitForFinished(20000));
    QCOMPARE(help.exitCode(), 0);
    const QString helpText = QString::fromUtf8(help.readAllStandardOutput());
    QVERIFY2(helpText.startsWith(QStringLiteral("Usage: kucun-hub [options]\n")),
             qPrintable(helpText.left(80)));
    QVERIFY(helpText.contains(QStringLiteral("--ws-port <port>")));
    QVERIFY(helpText.contains(QStringLiteral("WS_PORT")));

    QProcess version;
    startHub(version, {QStringLiteral("--version")}, cleanEnvironment());
    QVERIFY(version.waitForFinished(20000));
    QCOMPARE(version.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(version.readAllStandardOutput()),
             QStringLiteral("kucun-hub %1\n").arg(QStringLiteral(KUCUN_VERSION)));
}

void TestHeadless::busyPortExitsWithOne()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    QProcess hub;
    startHub(hub,
             {QStringLiteral("--headless"), QStringLiteral("--ws-port"),
              QString::number(occupier.serverPort())},
             cleanEnvironment());
    QVERIFY(hub.waitForFinished(20000));
    QCOMPARE(hub.exitCode(), 1);
    const QString errors = QString::fromUtf8(hub.readAllStandardError());
    QVERIFY2(errors.contains(QStringLiteral("kucun-hub: cannot listen on 127.0.0.1 port %1")
                                 .arg(occupier.serverPort())),
             qPrintable(errors));
    QVERIFY(hub.readAllStandardOutput().isEmpty());
}

void TestHeadless::windowModeWithoutDisplayExplainsItself()
{
    QProcessEnvironment env = cleanEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    QProcess hub;
    startHub(hub, {QStringLiteral("--ws-port"), QStringLiteral("0")}, env);
    QVERIFY(hub.waitForFinished(20000));
    QCOMPARE(hub.exitCode(), 1);
    QVERIFY(hub.readAllStandardError().contains("use --headless"));
}

void TestHeadless::readyLineNamesTheEngine_data()
{
    QTest::addColumn<bool>("redisUp");
    QTest::addRow("Redis answers") << true;
    QTest::addRow("Redis does not answer") << false;
}

void TestHeadless::readyLineNamesTheEngine()
{
    QFETCH(bool, redisUp);
    kucun::test::RedisServer redis;
    if (redisUp)
        QVERIFY(redis.start());
    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("REDIS_URL"), redis.url());
    QProcess hub;
    startHub(hub, {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0")},
             env);
    QDeadlineTimer deadline(20000);
    while (!hub.canReadLine() && hub.state() == QProcess::Running && !deadline.hasExpired())
        hub.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    const QString line = QString::fromUtf8(hub.readLine());
    // With a Redis of the site's own, the Redis-protocol front stays off (SPEC §12).
    const QString expected = redisUp ? QStringLiteral(" resp=off engine=redis\n")
                                     : QStringLiteral(" resp=off engine=degraded\n");
    QVERIFY2(line.startsWith(QStringLiteral("kucun-hub ready ws=ws://127.0.0.1:"))
                 && line.endsWith(expected),
             qPrintable(line + hub.readAllStandardError()));
    hub.terminate();
    QVERIFY(hub.waitForFinished(20000));
    QCOMPARE(hub.exitCode(), 0);
}

QUrl TestHeadless::waitForAnyReadyLine(QProcess &hub)
{
    QDeadlineTimer deadline(20000);
    while (!hub.canReadLine() && hub.state() == QProcess::Running && !deadline.hasExpired())
        hub.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    static const QRegularExpression ready(QStringLiteral("^kucun-hub ready ws=(\\S+) "));
    const QRegularExpressionMatch match = ready.match(QString::fromUtf8(hub.readLine()));
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

bool TestHeadless::stopWithSigterm(QProcess &hub)
{
    if (::kill(static_cast<pid_t>(hub.processId()), SIGTERM) != 0)
        return false;
    return hub.waitForFinished(20000) && hub.exitStatus() == QProcess::NormalExit
           && hub.exitCode() == 0;
}

void TestHeadless::auditLogIsWrittenInWalModeAndFlushedOnSigterm()
{
    kucun::test::RedisServer redis;
    QVERIFY(redis.start());
    QTemporaryDir data;
    QProcess hub;
    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("REDIS_URL"), redis.url());
    startHub(hub,
             {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0"),
              QStringLiteral("--data-dir"), data.path()},
             env);
    const QUrl url = waitForAnyReadyLine(hub);
    QVERIFY2(url.isValid(), hub.readAllStandardError().constData());

    QWebSocket orders;
    QSignalSpy received(&orders, &QWebSocket::textMessageReceived);
    orders.open(url);
    QTRY_COMPARE(received.size(), 1);
    orders.sendTextMessage(QStringLiteral(R"({"type":"subscribe","channel":"orders"})"));
    QTRY_COMPARE(received.size(), 2);
    // Redis delivers in order: once the last good event reaches the client, the refused one
    // sent first has been handled too. Then SIGTERM at once: the log must be flushed on the way
    // out, not on its next timer.
    redis.cli({"PUBLISH", "channel:order:status", R"({"type":"order:status"})"});
    constexpr int kEvents = 25;
    for (int i = 0; i < kEvents; ++i) {
        redis.cli(
            {"PUBLISH", "channel:order:status",
             QStringLiteral(
                 R"({"type":"order:status","orderId":"SO-%1","status":"paid","timestamp":1700000000000})")
                 .arg(i)});
    }
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2 + kEvents, 10000);
    QVERIFY2(stopWithSigterm(hub), hub.readAllStandardError().constData());

    const QString path = QDir(data.path()).filePath(QStringLiteral("audit.db"));
    QVERIFY(QFile::exists(path));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                    QStringLiteral("audit-after-exit"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM events")) && query.next());
        QCOMPARE(query.value(0).toInt(), kEvents + 1);
        QVERIFY(query.exec(
                    QStringLiteral("SELECT count(*) FROM events WHERE status LIKE 'rejected: %'"))
                && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("audit-after-exit"));
}

void TestHeadless::auditLogStaysWithinItsByteBoundUnderARedisFlood()
{
    // Issue reproduction, scaled down: a publisher sending 64 KiB events that are not JSON on
    // channel:inventory:change; the rows bound (1 000 000) is far away.
    kucun::test::RedisServer redis;
    QVERIFY(redis.start());
    QTemporaryDir data;
    QProcess hub;
    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("REDIS_URL"), redis.url());
    startHub(hub,
             {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0"),
              QStringLiteral("--data-dir"), data.path(), QStringLiteral("--audit-max-mb"),
              QStringLiteral("8")},
             env);
    const QUrl url = waitForAnyReadyLine(hub);
    QVERIFY2(url.isValid(), hub.readAllStandardError().constData());
    QWebSocket orders;
    QSignalSpy received(&orders, &QWebSocket::textMessageReceived);
    orders.open(url);
    QTRY_COMPARE(received.size(), 1);
    orders.sendTextMessage(QStringLiteral(R"({"type":"subscribe","channel":"orders"})"));
    QTRY_COMPARE(received.size(), 2);

    const QString path = QDir(data.path()).filePath(QStringLiteral("audit.db"));
    const auto fileBytes = [&path] {
        return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    };
    constexpr qint64 kBound = 8LL << 20;
    QTcpSocket publisher;
    publisher.connectToHost(QHostAddress::LocalHost, redis.port());
    QVERIFY(publisher.waitForConnected(10000));
    const QByteArray payload(64 << 10, 'x');
    const QByteArray publish = "*3\r\n$7\r\nPUBLISH\r\n$24\r\nchannel:inventory:change\r\n$"
                               + QByteArray::number(payload.size()) + "\r\n" + payload + "\r\n";
    const QByteArray marker
        = "*3\r\n$7\r\nPUBLISH\r\n$20\r\nchannel:order:status\r\n$70\r\n"
          R"({"type":"order:status","orderId":"SO-0","status":"paid","timestamp":1})"
          "\r\n";
    qint64 largest = 0;
    for (int block = 0; block < 20; ++block) {
        // 50 at a time, then an order event that the WebSocket client waits for: Redis delivers
        // in order, so the hub has read the block before the next is sent, and a slow (sanitizer)
        // hub neither makes Redis cut its subscriber nor overflows its audit queue.
        for (int i = 0; i < 50; ++i)
            publisher.write(publish);
        publisher.write(marker);
        QByteArray replies;
        while (replies.count('\n') < 51 && publisher.waitForReadyRead(10000))
            replies += publisher.readAll();
        QCOMPARE(replies.count('\n'), 51);
        const qsizetype before = received.size();
        (void)QTest::qWaitFor([&] { return received.size() > before; }, 10000);
        largest = std::max(largest, fileBytes());
    }
    // Redis delivers in order: once this reaches the client, the flood has been handled. If
    // Redis cut the subscriber meanwhile (its output buffer limit), the event may be lost while
    // the hub subscribes again: publish it again, a bounded number of times.
    bool delivered = false;
    const qsizetype beforeLast = received.size();
    for (int attempt = 0; attempt < 20 && !delivered; ++attempt) {
        redis.cli({"PUBLISH", "channel:order:status",
                   R"({"type":"order:status","orderId":"SO-1","status":"paid","timestamp":1})"});
        delivered = QTest::qWaitFor([&] { return received.size() > beforeLast; }, 1000);
    }
    QVERIFY(delivered);
    largest = std::max(largest, fileBytes());
    QVERIFY2(largest <= kBound, qPrintable(QString::number(largest)));
    QVERIFY2(stopWithSigterm(hub), hub.readAllStandardError().constData());
    QVERIFY2(fileBytes() <= kBound, qPrintable(QString::number(fileBytes())));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                    QStringLiteral("audit-after-flood"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT count(*), max(payload_bytes), "
                                          "max(length(payload)) FROM events WHERE type = ''"))
                && query.next());
        QVERIFY2(query.value(0).toInt() >= 100, qPrintable(query.value(0).toString()));
        QCOMPARE(query.value(1).toInt(), 64 << 10);  // the size as received
        QCOMPARE(query.value(2).toInt(), 16 << 10);  // stored cut
        QVERIFY(
            query.exec(QStringLiteral("SELECT count(*) FROM events WHERE type = 'order:status'"))
            && query.next());
        QVERIFY(query.value(0).toInt() >= 1);  // the newest rows survived
    }
    QSqlDatabase::removeDatabase(QStringLiteral("audit-after-flood"));
}

void TestHeadless::secretsStayOutOfTheLog()
{
    // A Redis password, the JWT secret and the tokens clients present: none may be logged, with
    // every debug line switched on.
    const QString password = QStringLiteral("Pw-that-must-not-leak-7781");
    const QByteArray secret = "jwt-secret-that-must-not-leak-5512";
    kucun::test::RedisServer redis;
    QVERIFY(redis.start());
    QProcessEnvironment env = cleanEnvironment();
    env.insert(QStringLiteral("REDIS_URL"),
               QStringLiteral("redis://:%1@127.0.0.1:%2").arg(password).arg(redis.port()));
    env.insert(QStringLiteral("HUB_JWT_SECRET"), QString::fromLatin1(secret));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("kucun.*.debug=true"));
    QProcess hub;
    startHub(hub, {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0")},
             env);
    const QUrl url = waitForAnyReadyLine(hub);
    QVERIFY2(url.isValid(), hub.readAllStandardError().constData());

    const QByteArray good
        = kucun::JwtVerifier::sign(QStringLiteral(R"({"sub":"picker","exp":%1})")
                                       .arg(QDateTime::currentSecsSinceEpoch() + 600)
                                       .toUtf8(),
                                   secret);
    const QByteArray forged
        = kucun::JwtVerifier::sign(R"({"sub":"x","exp":4102444800})", "some-other-secret-entirely");
    const auto withTokenInUrl = [&url](const QByteArray &token) {
        QUrl withToken = url;
        withToken.setQuery(QStringLiteral("token=") + QString::fromLatin1(token));
        return withToken;
    };
    QWebSocket withToken;
    QSignalSpy welcomed(&withToken, &QWebSocket::textMessageReceived);
    withToken.open(withTokenInUrl(good));
    QTRY_COMPARE(welcomed.size(), 1);
    QWebSocket withForgery;
    QSignalSpy refused(&withForgery, &QWebSocket::disconnected);
    withForgery.open(withTokenInUrl(forged));
    QTRY_COMPARE(refused.size(), 1);
    QCOMPARE(int(withForgery.closeCode()), 4001);
    withToken.sendTextMessage(QStringLiteral(R"({"type":"auth","token":"%1"})").arg(forged));

    QVERIFY(stopWithSigterm(hub));
    const QByteArray log = hub.readAllStandardError();
    QVERIFY(log.contains("kucun.ws"));  // the debug lines were there to look at
    for (const QByteArray &leak :
         {password.toUtf8(), secret, good, forged, good.split('.')[2], forged.split('.')[2]}) {
        QVERIFY2(!log.contains(leak), log.constData());
    }
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
