// Thousands of WebSocket clients on one hub (SPEC §6, §9): with 3 000 connected at once, the
// heartbeat drops exactly the clients that stop answering pings, keeps every one that answers,
// and none of those is starved of a message. The hub runs in its own thread, as in the engine;
// the clients are raw sockets in the test's thread, read without blocking when poll() says.

#include "config/hubconfig.h"
#include "ws/wshub.h"

#include <QLoggingCategory>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using kucun::HubConfig;
using kucun::WsHub;

class TestWsManyClients : public QObject
{
    Q_OBJECT

private slots:
    void heartbeatDropsOnlyTheSilentAndNoneStarves();
};

namespace {

constexpr int kClients = 3000;
constexpr int kSilentEvery = 3;  // clients 0, 3, 6, … never answer a ping
constexpr int kMessages = 20;

std::string maskedFrame(int opcode, const std::string &payload)
{
    const unsigned char mask[4] = {0x0a, 0x0b, 0x0c, 0x0d};
    std::string frame;
    frame.push_back(char(0x80 | opcode));
    frame.push_back(char(0x80 | payload.size()));  // < 126 bytes here
    frame.append(reinterpret_cast<const char *>(mask), 4);
    for (size_t i = 0; i < payload.size(); ++i)
        frame.push_back(char(payload[i] ^ mask[i % 4]));
    return frame;
}

struct Client
{
    int fd = -1;
    bool silent = false;  // stops answering pings once every client is subscribed
    bool closed = false;  // the hub closed the connection
    bool subscribed = false;  // its subscription was answered
    int messages = 0;  // channel messages received
    std::string buffer;
};

bool sendAll(int fd, const std::string &bytes)
{
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += size_t(n);
    }
    return true;
}

// Connects and sends the upgrade request; the answer is read with the rest.
int openClient(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: "
                                "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (!sendAll(fd, request)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Reads what arrived for `client`: skips the upgrade answer, counts channel messages, answers
// pings unless the client has gone silent, notes the end of the connection (after what came
// with it).
void drain(Client &client, bool silenceOn)
{
    char chunk[16384];
    bool ended = false;
    for (;;) {
        const ssize_t n = ::recv(client.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n <= 0) {
            ended = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
            break;
        }
        client.buffer.append(chunk, size_t(n));
    }
    if (client.buffer.rfind("HTTP/1.1", 0) == 0) {
        const size_t end = client.buffer.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        client.buffer.erase(0, end + 4);
    }
    size_t at = 0;
    while (client.buffer.size() - at >= 2) {
        const int opcode = client.buffer[at] & 0x0f;
        size_t length = uint8_t(client.buffer[at + 1]) & 0x7f;
        size_t header = 2;
        if (length == 126) {
            if (client.buffer.size() - at < 4)
                break;
            length = (size_t(uint8_t(client.buffer[at + 2])) << 8) | uint8_t(client.buffer[at + 3]);
            header = 4;
        }
        if (client.buffer.size() - at < header + length)
            break;
        const std::string payload = client.buffer.substr(at + header, length);
        if (opcode == 0x9 && !(client.silent && silenceOn))
            sendAll(client.fd, maskedFrame(0xA, payload));
        else if (opcode == 0x1 && payload.find("\"data\":{\"n\":") != std::string::npos)
            ++client.messages;
        else if (opcode == 0x1 && payload.find("\"type\":\"subscribed\"") != std::string::npos)
            client.subscribed = true;
        at += header + length;
    }
    client.buffer.erase(0, at);
    client.closed = client.closed || ended;
}

// The clients' descriptors and the hub's: false when the hard limit does not allow them.
bool raiseFileLimit(rlim_t needed)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max < needed)
        return false;
    limit.rlim_cur = limit.rlim_max;
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

}  // namespace

void TestWsManyClients::heartbeatDropsOnlyTheSilentAndNoneStarves()
{
    // A line per client connected and dropped would be thousands.
    QLoggingCategory::setFilterRules(QStringLiteral("kucun.ws.debug=false\nkucun.ws.info=false"));
    if (!raiseFileLimit(2 * kClients + 500))
        QSKIP("the hard limit of open files is below what 3 000 clients and their hub need");
    HubConfig config;
    config.wsPort = 0;
    WsHub::Limits limits = WsHub::limitsFor(config);
    limits.maxClients = kClients + 100;
    limits.maxHandshakes = kClients + 100;
    limits.maxHandshakesPerAddress = kClients + 100;
    limits.heartbeatInterval = std::chrono::milliseconds(300);
    limits.pongTimeout = std::chrono::milliseconds(1500);
    QThread hubThread;
    auto *hub = new WsHub(config, limits);
    hub->moveToThread(&hubThread);
    hubThread.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(
        hub,
        [hub, &port] {
            if (!hub->listen())
                port = quint16(hub->serverUrl().port());
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(port != 0);
    const auto clientCount = [hub] {
        int count = 0;
        QMetaObject::invokeMethod(
            hub, [hub, &count] { count = hub->clientCount(); }, Qt::BlockingQueuedConnection);
        return count;
    };

    std::vector<Client> clients(kClients);
    std::vector<pollfd> waits(kClients);
    bool silenceOn = false;
    int closed = 0;
    // Reads whatever is ready, answering pings; a connection that ended is not polled again.
    const auto pump = [&](int waitMs) {
        if (::poll(waits.data(), waits.size(), waitMs) <= 0)
            return;
        for (size_t i = 0; i < waits.size(); ++i) {
            if (waits[i].fd < 0 || waits[i].revents == 0)
                continue;
            drain(clients[i], silenceOn);
            if (clients[i].closed) {
                waits[i].fd = -1;
                ++closed;
            }
        }
    };
    for (int i = 0; i < kClients; ++i) {
        Client &client = clients[size_t(i)];
        client.fd = openClient(port);
        QVERIFY2(client.fd >= 0, qPrintable(QString::number(i)));
        client.silent = i % kSilentEvery == 0;
        waits[size_t(i)] = {client.fd, POLLIN, 0};
        sendAll(client.fd, maskedFrame(0x1, R"({"type":"subscribe","channel":"many"})"));
        if (i % 50 == 49)
            pump(0);  // pings are answered while the others connect
    }
    // Every subscription answered before the first message goes out.
    const QDeadlineTimer subscribing(30000);
    const auto subscribedCount = [&clients] {
        return int(std::count_if(clients.cbegin(), clients.cend(),
                                 [](const Client &client) { return client.subscribed; }));
    };
    while (subscribedCount() < kClients && !subscribing.hasExpired())
        pump(20);
    QCOMPARE(subscribedCount(), kClients);
    QCOMPARE(closed, 0);
    QCOMPARE(clientCount(), kClients);

    // From now on the silent third stops answering. While the heartbeat runs for several
    // rounds, a message every 100 ms to everyone; bounded: at most 30 s.
    silenceOn = true;
    const int silent = (kClients + kSilentEvery - 1) / kSilentEvery;
    const auto everyAnswererHasAll = [&clients] {
        return std::all_of(clients.cbegin(), clients.cend(), [](const Client &client) {
            return client.silent || client.closed || client.messages == kMessages;
        });
    };
    int published = 0;
    const QDeadlineTimer deadline(30000);
    QElapsedTimer sincePublish;
    sincePublish.start();
    while (!deadline.hasExpired()
           && (published < kMessages || closed < silent || !everyAnswererHasAll())) {
        if (published < kMessages && sincePublish.elapsed() >= 100) {
            sincePublish.restart();
            ++published;
            QMetaObject::invokeMethod(hub, [hub, published] {
                hub->publishText(QStringLiteral("many"),
                                 QByteArray("{\"n\":") + QByteArray::number(published) + '}',
                                 [](const kucun::Result<qint64> &) {});
            });
        }
        pump(20);
    }

    int answeringKept = 0;
    int starved = 0;
    int silentKept = 0;
    for (const Client &client : clients) {
        if (client.silent && !client.closed)
            ++silentKept;
        if (!client.silent && !client.closed)
            ++answeringKept;
        if (!client.silent && client.messages != kMessages)
            ++starved;
    }
    QCOMPARE(silentKept, 0);  // every silent client was dropped
    QCOMPARE(answeringKept, kClients - silent);  // and none that answered
    QCOMPARE(starved, 0);  // each answering client got every message
    QTRY_COMPARE_WITH_TIMEOUT(clientCount(), kClients - silent, 10000);

    for (const Client &client : clients)
        ::close(client.fd);
    QMetaObject::invokeMethod(
        hub, [hub] { delete hub; }, Qt::BlockingQueuedConnection);
    hubThread.quit();
    hubThread.wait();
}

QTEST_GUILESS_MAIN(TestWsManyClients)
#include "tst_wsmanyclients.moc"
