#include "ws/jwtverifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using kucun::ClientGrant;
using kucun::JwtVerifier;

namespace {

const QByteArray kSecret = "a-secret-of-the-site-that-is-long-enough";
constexpr qint64 kNowMs = 1'800'000'000'000;  // exp below is in seconds, as JWT has it

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray signedToken(const QByteArray &claims)
{
    return JwtVerifier::sign(claims, kSecret);
}

}  // namespace

class TestJwtVerifier : public QObject
{
    Q_OBJECT

private slots:
    void acceptsAWellSignedToken();
    void refusals_data();
    void refusals();
    void grantsFollowTheGlobs_data();
    void grantsFollowTheGlobs();
    void publishedVectors_data();
    void publishedVectors();
    void tokensMadeByAnotherImplementation_data();
    void tokensMadeByAnotherImplementation();
};

void TestJwtVerifier::acceptsAWellSignedToken()
{
    const QByteArray token = signedToken(
        R"({"sub":"warehouse-7","exp":1800000060,"channels":["inventory","orders:*"],"publish":["orders:*"]})");
    const auto result = JwtVerifier(kSecret).verify(token, kNowMs);
    if (const QString *why = std::get_if<QString>(&result))
        QFAIL(qPrintable(*why));
    const ClientGrant grant = std::get<ClientGrant>(result);
    QCOMPARE(grant.subject, QStringLiteral("warehouse-7"));
    QCOMPARE(grant.expiresAtMs, 1'800'000'060'000);
    QCOMPARE(grant.channelGlobs.value_or(QStringList()), QStringList({"inventory", "orders:*"}));
    QCOMPARE(grant.publishGlobs, QStringList({"orders:*"}));
}

void TestJwtVerifier::refusals_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("why");

    const QByteArray claims = R"({"sub":"s","exp":1800000060})";
    const QByteArray good = signedToken(claims);
    const QList<QByteArray> parts = good.split('.');

    QTest::addRow("expired") << signedToken(R"({"exp":1799999999})") << "the token has expired";
    QTest::addRow("expires this very moment")
        << signedToken(R"({"exp":1800000000})") << "the token has expired";
    QTest::addRow("no exp") << signedToken(R"({"sub":"s"})") << "the token has no \"exp\"";
    QTest::addRow("exp as text") << signedToken(R"({"exp":"1800000060"})")
                                 << "the token has no \"exp\"";
    QTest::addRow("not yet valid")
        << signedToken(R"({"exp":1800000060,"nbf":1800000030})") << "the token is not valid yet";
    QTest::addRow("forged: another secret")
        << JwtVerifier::sign(claims, "another secret") << "the token's signature does not match";
    QTest::addRow("forged: claims changed after signing")
        << parts[0] + '.' + base64Url(R"({"sub":"admin","exp":1800000060})") + '.' + parts[2]
        << "the token's signature does not match";
    QTest::addRow("alg none") << base64Url(R"({"alg":"none"})") + '.' + parts[1] + '.'
                              << "the token is not signed with HS256";
    QTest::addRow("alg HS512") << base64Url(R"({"alg":"HS512","typ":"JWT"})") + '.' + parts[1] + '.'
                                      + parts[2]
                               << "the token is not signed with HS256";
    QTest::addRow("two parts") << parts[0] + '.' + parts[1]
                               << "not a JWT (three base64url parts separated by dots)";
    QTest::addRow("empty") << QByteArray() << "not a JWT (three base64url parts separated by dots)";
    QTest::addRow("header not base64")
        << "#$%." + parts[1] + '.' + parts[2] << "the token's header is not base64url JSON";
    QTest::addRow("signature with padding") << good + "=="
                                            << "the token's signature does not match";
    QTest::addRow("sub not text") << signedToken(R"({"exp":1800000060,"sub":7})")
                                  << "the token's \"sub\" is not a string";
    QTest::addRow("channels not a list")
        << signedToken(R"({"exp":1800000060,"channels":"inventory"})")
        << "the token's \"channels\" is not a list of channel patterns";
    QTest::addRow("publish holds a number")
        << signedToken(R"({"exp":1800000060,"publish":["a",1]})")
        << "the token's \"publish\" is not a list of channel patterns";
    QTest::addRow("claims not JSON")
        << JwtVerifier::sign("not json", kSecret) << "the token's claims are not base64url JSON";
    QTest::addRow("huge") << QByteArray(9000, 'a') << "the token is longer than 8192 bytes";
}

void TestJwtVerifier::refusals()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, why);
    const auto result = JwtVerifier(kSecret).verify(token, kNowMs);
    QVERIFY(std::holds_alternative<QString>(result));
    QCOMPARE(std::get<QString>(result), why);
    QVERIFY(!std::get<QString>(result).contains(QString::fromLatin1(kSecret)));
}

void TestJwtVerifier::grantsFollowTheGlobs_data()
{
    QTest::addColumn<QByteArray>("claims");
    QTest::addColumn<QString>("channel");
    QTest::addColumn<bool>("maySubscribe");
    QTest::addColumn<bool>("mayPublish");

    const QByteArray scoped
        = R"({"exp":1800000060,"channels":["inventory","orders:*"],"publish":["orders:*"]})";
    QTest::addRow("listed channel") << scoped << "inventory" << true << false;
    QTest::addRow("glob match") << scoped << "orders:SO-7" << true << true;
    QTest::addRow("not listed") << scoped << "products" << false << false;
    QTest::addRow("prefix is not a match") << scoped << "inventory2" << false << false;
    QTest::addRow("no channels claim: any channel")
        << QByteArray(R"({"exp":1800000060})") << "products" << true << false;
    QTest::addRow("empty lists: nothing")
        << QByteArray(R"({"exp":1800000060,"channels":[],"publish":[]})") << "inventory" << false
        << false;
}

void TestJwtVerifier::grantsFollowTheGlobs()
{
    QFETCH(QByteArray, claims);
    QFETCH(QString, channel);
    QFETCH(bool, maySubscribe);
    QFETCH(bool, mayPublish);
    const auto result = JwtVerifier(kSecret).verify(signedToken(claims), kNowMs);
    QVERIFY(std::holds_alternative<ClientGrant>(result));
    const ClientGrant grant = std::get<ClientGrant>(result);
    QCOMPARE(grant.maySubscribe(channel), maySubscribe);
    QCOMPARE(grant.mayPublish(channel), mayPublish);
}

void TestJwtVerifier::publishedVectors_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<QString>("refusal");  // empty: accepted

    // RFC 7515 appendix A.1: HS256 with the JWK key given there; its header and claims hold
    // CR LF and spaces, as JSON allows. exp = 1300819380: valid just before, expired after.
    const QByteArray rfcToken
        = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
          "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0"
          "cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const QByteArray rfcKey = QByteArray::fromBase64(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
        QByteArray::Base64UrlEncoding);
    QTest::addRow("RFC 7515 A.1, before exp")
        << rfcToken << rfcKey << qint64(1300819379000) << QString();
    QTest::addRow("RFC 7515 A.1, after exp")
        << rfcToken << rfcKey << qint64(1300819381000) << "the token has expired";
    QByteArray tampered = rfcToken;
    tampered[tampered.size() - 1] = 'Y';
    QTest::addRow("RFC 7515 A.1, last signature character changed")
        << tampered << rfcKey << qint64(1300819379000) << "the token's signature does not match";
    // jwt.io's example token: the signature checks out (it is checked before any claim), and
    // it is refused only because it has no exp, which this hub requires.
    QTest::addRow("jwt.io example")
        << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
        << QByteArray("your-256-bit-secret") << qint64(kNowMs) << "the token has no \"exp\"";
}

void TestJwtVerifier::publishedVectors()
{
    QFETCH(QByteArray, token);
    QFETCH(QByteArray, secret);
    QFETCH(qint64, nowMs);
    QFETCH(QString, refusal);
    const auto result = JwtVerifier(secret).verify(token, nowMs);
    if (refusal.isEmpty()) {
        if (const QString *why = std::get_if<QString>(&result))
            QFAIL(qPrintable(*why));
        QCOMPARE(std::get<ClientGrant>(result).expiresAtMs, 1300819380000);
    } else {
        QVERIFY(std::holds_alternative<QString>(result));
        QCOMPARE(std::get<QString>(result), refusal);
    }
}

void TestJwtVerifier::tokensMadeByAnotherImplementation_data()
{
    // Made with Python's hmac and base64 by scripts/dev/make-jwt-fixtures.py.
    QFile file(QStringLiteral(KUCUN_FIXTURES_DIR "/jwt-python-hmac.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QJsonObject fixtures = QJsonDocument::fromJson(file.readAll()).object();
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QJsonObject>("fixture");
    const QJsonArray cases = fixtures.value("cases").toArray();
    QCOMPARE(cases.size(), 4);
    for (const QJsonValue &fixture : cases) {
        QTest::addRow("%s", qPrintable(fixture["name"].toString()))
            << fixtures.value("secret").toString().toUtf8() << fixture.toObject();
    }
}

void TestJwtVerifier::tokensMadeByAnotherImplementation()
{
    QFETCH(QByteArray, secret);
    QFETCH(QJsonObject, fixture);
    const auto result = JwtVerifier(secret).verify(fixture["token"].toString().toUtf8(), kNowMs);
    if (!fixture["accepted"].toBool()) {
        QVERIFY(std::holds_alternative<QString>(result));
        QCOMPARE(std::get<QString>(result), fixture["reason"].toString());
        return;
    }
    if (const QString *why = std::get_if<QString>(&result))
        QFAIL(qPrintable(*why));
    const ClientGrant grant = std::get<ClientGrant>(result);
    QCOMPARE(grant.subject, fixture["sub"].toString());
    QCOMPARE(grant.expiresAtMs, 4102444800000);
    QCOMPARE(grant.channelGlobs.has_value(), !fixture["channels"].isNull());
    if (grant.channelGlobs)
        QCOMPARE(QJsonArray::fromStringList(*grant.channelGlobs), fixture["channels"].toArray());
    QCOMPARE(QJsonArray::fromStringList(grant.publishGlobs), fixture["publish"].toArray());
}

QTEST_GUILESS_MAIN(TestJwtVerifier)
#include "tst_jwtverifier.moc"
