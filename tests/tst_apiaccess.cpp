// Who may call the server API (SPEC §7, §13): keys and roles, loopback without a key, the
// viewer's read-only role, the write rate per key, and the failure count /metrics shows.

#include "http/apiaccess.h"

#include <QTest>

using kucun::ApiAccess;
using kucun::HttpRequest;

namespace {

const QByteArray kAdmin = "admin-key-0123456789abcdef";
const QByteArray kViewer = "viewer-key-0123456789abcdef";

HttpRequest withAuthorization(const QByteArray &value)
{
    HttpRequest request;
    request.method = "GET";
    request.target = "/api/stats";
    if (!value.isEmpty())
        request.headers.append({"authorization", value});
    return request;
}

}  // namespace

class TestApiAccess : public QObject
{
    Q_OBJECT

private slots:
    void decides_data();
    void decides();
    void writesAreLimitedPerKey();
    void noLimitWhenSetToZero();
};

void TestApiAccess::decides_data()
{
    QTest::addColumn<bool>("keysSet");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("write");
    QTest::addColumn<int>("status");  // 0: allowed
    QTest::addColumn<QString>("role");
    QTest::addColumn<int>("failuresCounted");

    QTest::newRow("no keys, loopback")
        << false << QByteArray() << "127.0.0.1" << true << 0 << "admin" << 0;
    QTest::newRow("no keys, IPv6 loopback")
        << false << QByteArray() << "::1" << true << 0 << "admin" << 0;
    QTest::newRow("no keys, LAN peer")
        << false << QByteArray() << "192.168.1.20" << false << 403 << "" << 0;
    QTest::newRow("no keys, LAN peer with a key")
        << false << "Bearer " + kAdmin << "10.0.0.2" << false << 403 << "" << 0;
    QTest::newRow("keys, none given")
        << true << QByteArray() << "127.0.0.1" << false << 401 << "" << 1;
    QTest::newRow("keys, wrong key") << true << QByteArray("Bearer nope-nope-nope-nope")
                                     << "127.0.0.1" << false << 401 << "" << 1;
    QTest::newRow("keys, key without scheme")
        << true << kAdmin << "127.0.0.1" << false << 401 << "" << 1;
    QTest::newRow("keys, admin key prefix")
        << true << "Bearer " + kAdmin.left(10) << "10.0.0.2" << false << 401 << "" << 1;
    QTest::newRow("admin reads") << true << "Bearer " + kAdmin << "10.0.0.2" << false << 0
                                 << "admin" << 0;
    QTest::newRow("admin writes") << true << "bearer " + kAdmin << "10.0.0.2" << true << 0
                                  << "admin" << 0;
    QTest::newRow("viewer reads") << true << "Bearer " + kViewer << "10.0.0.2" << false << 0
                                  << "viewer" << 0;
    QTest::newRow("viewer writes")
        << true << "Bearer " + kViewer << "10.0.0.2" << true << 403 << "" << 0;
}

void TestApiAccess::decides()
{
    QFETCH(bool, keysSet);
    QFETCH(QByteArray, authorization);
    QFETCH(QString, peer);
    QFETCH(bool, write);
    QFETCH(int, status);
    QFETCH(QString, role);
    QFETCH(int, failuresCounted);

    ApiAccess access(keysSet ? kAdmin : QByteArray(), keysSet ? kViewer : QByteArray(), 1000);
    const ApiAccess::Decision decision
        = access.authorize(withAuthorization(authorization), QHostAddress(peer), write, 1000);
    if (status == 0) {
        QVERIFY2(decision.role.has_value(), qPrintable(decision.message));
        QCOMPARE(ApiAccess::roleName(*decision.role), role);
    } else {
        QVERIFY(!decision.role);
        QCOMPARE(decision.status, status);
        QVERIFY(!decision.message.isEmpty());
        // The key is never repeated back.
        QVERIFY(!decision.message.contains(QString::fromLatin1(kAdmin)));
    }
    QCOMPARE(access.authFailures(), qint64(failuresCounted));
}

void TestApiAccess::writesAreLimitedPerKey()
{
    ApiAccess access(kAdmin, kViewer, 100);
    const HttpRequest admin = withAuthorization("Bearer " + kAdmin);
    const QHostAddress peer(QStringLiteral("10.0.0.2"));
    int allowed = 0;
    for (int i = 0; i < 150; ++i)
        allowed += access.authorize(admin, peer, true, 5000).role ? 1 : 0;
    QCOMPARE(allowed, 100);  // a second's worth at once
    const ApiAccess::Decision refused = access.authorize(admin, peer, true, 5000);
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.code, QStringLiteral("rate_limited"));
    // Reads are not limited, and the bucket fills again with time: 10 ms is one more write.
    QVERIFY(access.authorize(admin, peer, false, 5000).role);
    QVERIFY(access.authorize(admin, peer, true, 5010).role);
    QVERIFY(!access.authorize(admin, peer, true, 5010).role);
}

void TestApiAccess::noLimitWhenSetToZero()
{
    ApiAccess access({}, {}, 0);
    const HttpRequest request = withAuthorization({});
    for (int i = 0; i < 10000; ++i)
        QVERIFY(access.authorize(request, QHostAddress::LocalHost, true, 1).role);
}

QTEST_GUILESS_MAIN(TestApiAccess)
#include "tst_apiaccess.moc"
