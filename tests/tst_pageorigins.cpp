// Which origins the hub's own pages have (SPEC §7): the demo page must be able to open the
// hub's WebSocket however the browser reached it, and no other page through this rule.

#include "http/pageorigins.h"

#include <QTest>

using kucun::pageOrigins;

class TestPageOrigins : public QObject
{
    Q_OBJECT

private slots:
    void origins_data();
    void origins();
};

void TestPageOrigins::origins_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QStringList>("origins");

    QTest::newRow("loopback") << "http://127.0.0.1:3003"
                              << QStringList{"http://127.0.0.1:3003", "http://localhost:3003"};
    QTest::newRow("loopback with TLS")
        << "https://127.0.0.1:3443"
        << QStringList{"https://127.0.0.1:3443", "https://localhost:3443"};
    QTest::newRow("IPv6 loopback")
        << "http://[::1]:3003" << QStringList{"http://[::1]:3003", "http://localhost:3003"};
    // One address of the machine: only that one, as the browser sends it.
    QTest::newRow("one address") << "http://192.168.1.20:3003"
                                 << QStringList{"http://192.168.1.20:3003"};
    // Every address: each of the machine's (not a link-local one, whose zone an origin cannot
    // carry), its name in lower case (browsers lower-case hosts), and localhost.
    QTest::newRow("every IPv4 address")
        << "http://0.0.0.0:3003"
        << QStringList{"http://localhost:3003", "http://127.0.0.1:3003", "http://192.168.1.20:3003",
                       "http://[fd00::20]:3003", "http://shopbox:3003"};
    QTest::newRow("every address")
        << "http://[::]:3003"
        << QStringList{"http://localhost:3003", "http://127.0.0.1:3003", "http://192.168.1.20:3003",
                       "http://[fd00::20]:3003", "http://shopbox:3003"};
}

void TestPageOrigins::origins()
{
    QFETCH(QString, server);
    QFETCH(QStringList, origins);

    QHostAddress linkLocal(QStringLiteral("fe80::1"));
    linkLocal.setScopeId(QStringLiteral("eth0"));
    const QList<QHostAddress> addresses{QHostAddress(QStringLiteral("127.0.0.1")),
                                        QHostAddress(QStringLiteral("192.168.1.20")), linkLocal,
                                        QHostAddress(QStringLiteral("fd00::20"))};
    QCOMPARE(pageOrigins(QUrl(server), addresses, QStringLiteral("ShopBox")), origins);
}

QTEST_GUILESS_MAIN(TestPageOrigins)
#include "tst_pageorigins.moc"
