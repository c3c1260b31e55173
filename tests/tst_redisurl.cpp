#include "redis/redisurl.h"

#include <QTest>

using kucun::RedisUrl;

class TestRedisUrl : public QObject
{
    Q_OBJECT

private slots:
    void parsesValidUrls_data();
    void parsesValidUrls();
    void refusesInvalidUrls_data();
    void refusesInvalidUrls();
    void parsesSentinelUrls();
    void redactedHidesThePassword();
    void redactTextMasksPasswordsInUnparsableText_data();
    void redactTextMasksPasswordsInUnparsableText();
};

void TestRedisUrl::parsesValidUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("database");

    QTest::addRow("host only") << "redis://localhost"
                               << "localhost" << 6379 << ""
                               << "" << 0;
    QTest::addRow("host and port") << "redis://127.0.0.1:6380"
                                   << "127.0.0.1" << 6380 << ""
                                   << "" << 0;
    QTest::addRow("database") << "redis://cache.local:6379/3"
                              << "cache.local" << 6379 << ""
                              << "" << 3;
    QTest::addRow("trailing slash") << "redis://h/"
                                    << "h" << 6379 << ""
                                    << "" << 0;
    QTest::addRow("password only") << "redis://:s3cret@h"
                                   << "h" << 6379 << ""
                                   << "s3cret" << 0;
    QTest::addRow("user and password") << "redis://app:pw@h:7000/15"
                                       << "h" << 7000 << "app"
                                       << "pw" << 15;
    QTest::addRow("percent-encoded password") << "redis://:p%40ss%3Aword@h"
                                              << "h" << 6379 << ""
                                              << "p@ss:word" << 0;
    QTest::addRow("ipv6") << "redis://[::1]:6390"
                          << "::1" << 6390 << ""
                          << "" << 0;
}

void TestRedisUrl::parsesValidUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(int, database);
    const RedisUrl::ParseResult parsed = RedisUrl::parse(text);
    QVERIFY2(parsed.url.has_value(), qPrintable(parsed.error));
    QCOMPARE(parsed.url->host, host);
    QCOMPARE(int(parsed.url->port), port);
    QCOMPARE(parsed.url->user, user);
    QCOMPARE(parsed.url->password, password);
    QCOMPARE(parsed.url->database, database);
}

void TestRedisUrl::refusesInvalidUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");

    QTest::addRow("not a URL") << "localhost:6379"
                               << "scheme";
    QTest::addRow("http scheme") << "http://localhost"
                                 << "scheme";
    QTest::addRow("tls") << "rediss://localhost"
                         << "TLS";
    QTest::addRow("no host") << "redis://"
                             << "host";
    QTest::addRow("port too big") << "redis://h:70000"
                                  << "malformed";
    QTest::addRow("port zero") << "redis://h:0"
                               << "port 0";
    QTest::addRow("port not a number") << "redis://h:abc"
                                       << "malformed";
    QTest::addRow("database not a number") << "redis://h/abc"
                                           << "database";
    QTest::addRow("negative database") << "redis://h/-1"
                                       << "database";
    QTest::addRow("database path") << "redis://h/1/2"
                                   << "database";
    QTest::addRow("database too big") << "redis://h/99999999999"
                                      << "database";
    QTest::addRow("query") << "redis://h?db=1"
                           << "query";
    QTest::addRow("user without password") << "redis://app@h"
                                           << "password";
    QTest::addRow("space in host") << "redis://ho st"
                                   << "malformed";
    QTest::addRow("sentinel without master") << "redis+sentinel://s1:26379"
                                             << "master's name is missing";
    QTest::addRow("sentinel empty master") << "redis+sentinel://s1:26379/"
                                           << "master's name must be";
    QTest::addRow("sentinel master with a space") << "redis+sentinel://s1/my master"
                                                  << "master's name must be";
    QTest::addRow("sentinel bad database") << "redis+sentinel://s1/m/x"
                                           << "database must be a number";
    QTest::addRow("sentinel path too long") << "redis+sentinel://s1/m/1/2"
                                            << "master's name must be";
    QTest::addRow("sentinel empty host") << "redis+sentinel://s1,/m"
                                         << "sentinel's host[:port]";
    QTest::addRow("sentinel bad port") << "redis+sentinel://s1:99999/m"
                                       << "sentinel's host[:port]";
    QTest::addRow("sentinel port zero") << "redis+sentinel://s1:0/m"
                                        << "port 0";
    QTest::addRow("sentinel user without password") << "redis+sentinel://app@s1/m"
                                                    << "password";
    QTest::addRow("sentinel query") << "redis+sentinel://s1/m?x=1"
                                    << "query";
}

void TestRedisUrl::parsesSentinelUrls()
{
    const auto parsed = RedisUrl::parse(
        QStringLiteral("redis+sentinel://app:p%40ss@10.0.0.1,sentinel-2:26380,[::1]:26381/shop/4"));
    QVERIFY2(parsed.url, qPrintable(parsed.error));
    const RedisUrl &url = *parsed.url;
    QVERIFY(url.viaSentinel());
    QCOMPARE(url.sentinels, (QList<RedisUrl::Endpoint>{
                                {"10.0.0.1", 26379}, {"sentinel-2", 26380}, {"::1", 26381}}));
    QCOMPARE(url.masterName, QStringLiteral("shop"));
    QCOMPARE(url.user, QStringLiteral("app"));
    QCOMPARE(url.password, QStringLiteral("p@ss"));
    QCOMPARE(url.database, 4);
    QVERIFY(url.host.isEmpty());  // until the sentinels name the master
    QCOMPARE(url.redacted(), QStringLiteral("redis+sentinel://app:***@10.0.0.1:26379,"
                                            "sentinel-2:26380,[::1]:26381/shop/4"));
    const RedisUrl master = url.at(QStringLiteral("10.0.0.9"), 6390);
    QCOMPARE(master.host, QStringLiteral("10.0.0.9"));
    QCOMPARE(master.port, 6390);
    QCOMPARE(master.password, QStringLiteral("p@ss"));

    const auto plain = RedisUrl::parse(QStringLiteral("redis+sentinel://127.0.0.1/mymaster"));
    QVERIFY(plain.url);
    QCOMPARE(plain.url->database, 0);
    QCOMPARE(plain.url->redacted(), QStringLiteral("redis+sentinel://127.0.0.1:26379/mymaster"));
    QVERIFY(!RedisUrl::parse(QStringLiteral("redis://h")).url->viaSentinel());
}

void TestRedisUrl::refusesInvalidUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const RedisUrl::ParseResult parsed = RedisUrl::parse(text);
    QVERIFY2(!parsed.url.has_value(), qPrintable(text));
    QVERIFY2(parsed.error.contains(reason), qPrintable(parsed.error));
}

void TestRedisUrl::redactedHidesThePassword()
{
    const auto parsed = RedisUrl::parse(QStringLiteral("redis://app:topsecret@h:7000/2"));
    QVERIFY(parsed.url);
    QCOMPARE(parsed.url->redacted(), QStringLiteral("redis://app:***@h:7000/2"));
    const auto plain = RedisUrl::parse(QStringLiteral("redis://h"));
    QCOMPARE(plain.url->redacted(), QStringLiteral("redis://h:6379"));
}

void TestRedisUrl::redactTextMasksPasswordsInUnparsableText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::addRow("bad port") << "redis://u:topsecret@h:99999"
                              << "redis://u:***@h:99999";
    QTest::addRow("password only") << "rediss://:topsecret@h"
                                   << "rediss://:***@h";
    QTest::addRow("at sign in password") << "redis://:top@secret@h/1"
                                         << "redis://:***@h/1";
    QTest::addRow("no user info") << "redis://h:1/2"
                                  << "redis://h:1/2";
    QTest::addRow("user without password") << "redis://u@h"
                                           << "redis://u@h";
    QTest::addRow("not a URL") << "/x@y"
                               << "/x@y";
    QTest::addRow("sentinel") << "redis+sentinel://:topsecret@s1,s2:1/m/x"
                              << "redis+sentinel://:***@s1,s2:1/m/x";
}

void TestRedisUrl::redactTextMasksPasswordsInUnparsableText()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(RedisUrl::redactText(text), expected);
}

QTEST_APPLESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
