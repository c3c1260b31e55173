// The real kucun-hub binary under the attacks that once took it down (raw sockets on loopback,
// nothing but what an outsider can send). The protocol-level defences have their own tests
// (tst_wstransport, tst_wshubauth); here the process as a whole: its descriptors, its CPU.

#include "support/hubprocess.h"
#include "support/rawwsclient.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sys/resource.h>
#include <vector>

using kucun::test::HubProcess;
using kucun::test::RawWsClient;

class TestHostileClients : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void outOfDescriptorsTheHubNeitherSpinsNorLocksOut();

private:
    QTemporaryDir m_home;
};

void TestHostileClients::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Hundreds of client sockets in this process.
    rlimit limit{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = std::max<rlim_t>(limit.rlim_cur, std::min<rlim_t>(limit.rlim_max, 4096));
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &limit), 0);
}

void TestHostileClients::outOfDescriptorsTheHubNeitherSpinsNorLocksOut()
{
#if defined(__SANITIZE_ADDRESS__)
    // UBSan's vptr check opens a pipe the first time it meets a type, to test that an object can
    // be read; in a hub without descriptors that fails, and it stops the hub over an object that
    // is fine. The Release build runs this test.
    QSKIP("the sanitizers need file descriptors of their own");
#endif
    constexpr rlim_t kHubDescriptors = 160;
    HubProcess hub;
    QProcessEnvironment environment = HubProcess::cleanEnvironment(m_home.path());
    environment.insert(QStringLiteral("WS_HANDSHAKE_TIMEOUT_MS"), QStringLiteral("1500"));
    const auto fewDescriptors = [] {
        const rlimit limit{kHubDescriptors, kHubDescriptors};
        ::setrlimit(RLIMIT_NOFILE, &limit);
    };
    QVERIFY(
        hub.start(QStringLiteral(KUCUN_HUB_BINARY),
                  {QStringLiteral("--headless"), QStringLiteral("--ws-port"), QStringLiteral("0")},
                  environment, fewDescriptors));
    const QUrl url = hub.waitForReady();
    QVERIFY(url.isValid());

    // Handshakes that never finish, from 8 addresses, each within its share but more in
    // all than the hub has descriptors.
    std::vector<std::unique_ptr<QTcpSocket>> stalled;
    for (int address = 2; address < 10; ++address) {
        for (int i = 0; i < 40; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->bind(QHostAddress(QStringLiteral("127.0.0.%1").arg(address)));
            socket->connectToHost(url.host(), quint16(url.port()));
            stalled.push_back(std::move(socket));
        }
    }
    for (const auto &socket : stalled) {
        // The kernel completes the connection (the backlog) whether the hub accepts it or not.
        QVERIFY2(socket->waitForConnected(5000), qPrintable(socket->errorString()));
        socket->write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
    }

    QByteArray errors;
    QVERIFY(QTest::qWaitFor(
        [&] {
            errors += hub.process.readAllStandardError();
            return errors.contains("cannot accept connections");
        },
        15000));
    // It does not spin: over two seconds it uses well under one second of CPU.
    const double cpuBefore = hub.cpuSeconds();
    QTest::qWait(2000);
    const double cpuUsed = hub.cpuSeconds() - cpuBefore;
    QVERIFY2(cpuUsed < 1.0, qPrintable(QStringLiteral("%1 s of CPU").arg(cpuUsed)));

    // The unfinished handshakes time out (WS_HANDSHAKE_TIMEOUT_MS), and a real client gets in
    // while the attackers still hold their sockets open.
    RawWsClient client;
    QVERIFY2(client.open(url, {}, 30000), client.statusLine().constData());
    const QList<RawWsClient::Frame> welcome = client.read(5000);
    QVERIFY(!welcome.isEmpty());
    QVERIFY(welcome.front().payload.contains(R"("type":"welcome")"));

    errors += hub.process.readAllStandardError();
    QCOMPARE(errors.count("cannot accept connections"), 1);  // said once, not once per attempt
    QVERIFY2(errors.contains("did not finish the handshake within 1500 ms"), errors.constData());
    stalled.clear();
    QVERIFY(hub.stop());
}

QTEST_GUILESS_MAIN(TestHostileClients)
#include "tst_hostileclients.moc"
