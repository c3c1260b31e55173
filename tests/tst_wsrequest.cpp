#include "ws/wsrequest.h"

#include <QJsonObject>
#include <QTest>

using kucun::WsRequest;
using kucun::WsRequestError;

Q_DECLARE_METATYPE(WsRequest::Type)

class TestWsRequest : public QObject
{
    Q_OBJECT

private slots:
    void decodesEveryRequest();
    void refusals_data();
    void refusals();
};

void TestWsRequest::decodesEveryRequest()
{
    const auto decode = [](const QByteArray &frame) {
        auto decoded = kucun::decodeWsRequest(frame);
        if (const auto *error = std::get_if<WsRequestError>(&decoded))
            qWarning() << error->message;
        return std::get<WsRequest>(decoded);
    };

    const WsRequest subscribe = decode(
        R"({"type":"subscribe","channel":"inventory","id":7,"since":{"offset":41,"epoch":"e1"}})");
    QCOMPARE(subscribe.type, WsRequest::Type::Subscribe);
    QCOMPARE(subscribe.channel, QStringLiteral("inventory"));
    QCOMPARE(subscribe.id.toInt(), 7);
    QVERIFY(subscribe.since.has_value());
    QCOMPARE(subscribe.since->offset, 41);
    QCOMPARE(subscribe.since->epoch, QStringLiteral("e1"));

    const WsRequest plain = decode(R"({"type":"subscribe","channel":"orders:SO-7"})");
    QVERIFY(!plain.since.has_value());
    QVERIFY(plain.id.isUndefined());

    const WsRequest publish
        = decode(R"({"type":"publish","channel":"orders","data":{"orderId":"SO-7"},"id":"x"})");
    QCOMPARE(publish.type, WsRequest::Type::Publish);
    QCOMPARE(publish.data.toObject().value(QStringLiteral("orderId")).toString(),
             QStringLiteral("SO-7"));
    QCOMPARE(publish.id.toString(), QStringLiteral("x"));
    QVERIFY(decode(R"({"type":"publish","channel":"c","data":null})").data.isNull());

    QCOMPARE(decode(R"({"type":"unsubscribe","channel":"c"})").type, WsRequest::Type::Unsubscribe);
    QCOMPARE(decode(R"({"type":"ping"})").type, WsRequest::Type::Ping);
    const WsRequest auth = decode(R"({"type":"auth","token":"a.b.c"})");
    QCOMPARE(auth.type, WsRequest::Type::Auth);
    QCOMPARE(auth.token, QStringLiteral("a.b.c"));
}

void TestWsRequest::refusals_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("idEchoed");

    QTest::addRow("not JSON") << QByteArray("subscribe inventory") << "bad_json" << false;
    QTest::addRow("array") << QByteArray("[1]") << "bad_json" << false;
    QTest::addRow("not UTF-8") << QByteArray("{\"type\":\"ping\xff\"}") << "bad_json" << false;
    QTest::addRow("empty") << QByteArray() << "bad_json" << false;
    QTest::addRow("unknown type") << QByteArray(R"({"type":"teleport","id":1})") << "unknown_type"
                                  << true;
    QTest::addRow("type not text") << QByteArray(R"({"type":1,"id":1})") << "unknown_type" << true;
    QTest::addRow("no channel") << QByteArray(R"({"type":"subscribe","id":1})") << "bad_channel"
                                << true;
    QTest::addRow("channel with space")
        << QByteArray(R"({"type":"unsubscribe","channel":"a b","id":1})") << "bad_channel" << true;
    QTest::addRow("channel of 65") << QByteArray(R"({"type":"publish","data":1,"channel":")")
                                          + QByteArray(65, 'c') + R"(","id":1})"
                                   << "bad_channel" << true;
    QTest::addRow("publish without data")
        << QByteArray(R"({"type":"publish","channel":"c","id":1})") << "bad_json" << true;
    QTest::addRow("since not an object")
        << QByteArray(R"({"type":"subscribe","channel":"c","since":5,"id":1})") << "bad_json"
        << true;
    QTest::addRow("since negative") << QByteArray(
        R"({"type":"subscribe","channel":"c","since":{"offset":-1,"epoch":"e"},"id":1})")
                                    << "bad_json" << true;
    QTest::addRow("since fractional") << QByteArray(
        R"({"type":"subscribe","channel":"c","since":{"offset":1.5,"epoch":"e"},"id":1})")
                                      << "bad_json" << true;
    QTest::addRow("since without epoch")
        << QByteArray(R"({"type":"subscribe","channel":"c","since":{"offset":1},"id":1})")
        << "bad_json" << true;
    QTest::addRow("auth without token")
        << QByteArray(R"({"type":"auth","id":1})") << "bad_json" << true;
    QTest::addRow("auth with empty token")
        << QByteArray(R"({"type":"auth","token":"","id":1})") << "bad_json" << true;
}

void TestWsRequest::refusals()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    QFETCH(bool, idEchoed);
    const auto decoded = kucun::decodeWsRequest(frame);
    const WsRequestError *error = std::get_if<WsRequestError>(&decoded);
    QVERIFY(error);
    QCOMPARE(error->code, code);
    QVERIFY(!error->message.isEmpty());
    QCOMPARE(error->id.toInt(), idEchoed ? 1 : 0);
}

QTEST_GUILESS_MAIN(TestWsRequest)
#include "tst_wsrequest.moc"
