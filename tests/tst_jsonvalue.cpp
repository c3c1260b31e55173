// JSON values as text (core/jsonvalue.h): scalars and containers both ways, and the scanner
// that finds a member's or an element's text as it was written, checked against Qt's parser on
// the same text, whatever the spacing, nesting, escapes and repeated names.

#include "core/jsonvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using kucun::elementTexts;
using kucun::jsonValueText;
using kucun::memberText;
using kucun::parseJsonValue;

class TestJsonValue : public QObject
{
    Q_OBJECT

private slots:
    void roundTrips_data();
    void roundTrips();
    void refusesWhatIsNotOneValue();
    void memberTextIsWhatTheParserRead_data();
    void memberTextIsWhatTheParserRead();
    void memberTextGivesUpOnEscapedNames();
    void elementTexts();
};

void TestJsonValue::roundTrips_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("object") << QJsonValue(QJsonObject{{"a", 1}, {"b", QJsonArray{true, "x"}}});
    QTest::newRow("array") << QJsonValue(QJsonArray{1, 2.5, "三"});
    QTest::newRow("string") << QJsonValue(QStringLiteral("quote \" and \\ back"));
    QTest::newRow("number") << QJsonValue(42);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("false") << QJsonValue(false);
}

void TestJsonValue::roundTrips()
{
    QFETCH(QJsonValue, value);
    const QByteArray text = jsonValueText(value);
    QVERIFY(!text.contains(' ') || value.isString());
    QCOMPARE(parseJsonValue(text), std::optional<QJsonValue>(value));
    QCOMPARE(parseJsonValue(" \n" + text + "\t"), std::optional<QJsonValue>(value));
}

void TestJsonValue::refusesWhatIsNotOneValue()
{
    for (const QByteArray &text : {QByteArray(""), QByteArray("1 2"), QByteArray("{\"a\":"),
                                   QByteArray("[1,]"), QByteArray("{} {}"), QByteArray("x")})
        QVERIFY2(!parseJsonValue(text), text.constData());
}

void TestJsonValue::memberTextIsWhatTheParserRead_data()
{
    QTest::addColumn<QByteArray>("object");
    QTest::newRow("compact") << QByteArray(R"({"channel":"c","data":{"n":1}})");
    QTest::newRow("spaced") << QByteArray("{ \"data\" :\n [ 1 , {\"x\" : \"]}\"} ] ,\"k\":2 }");
    QTest::newRow("scalar last") << QByteArray(R"({"channel":"c","data":-1.5e3})");
    QTest::newRow("scalar spaced") << QByteArray("{\"data\" : true }");
    QTest::newRow("string with quotes")
        << QByteArray(R"({"data":"a \"quoted\" {brace} [bracket] \\","z":0})");
    QTest::newRow("nested data names") << QByteArray(R"({"x":{"data":1},"data":[{"data":2}]})");
    QTest::newRow("repeated: the last") << QByteArray(R"({"data":1,"data":{"second":true}})");
    QTest::newRow("null") << QByteArray(R"({"data":null})");
    QTest::newRow("unicode") << QByteArray(R"({"data":"库存 \u00e9"})");
}

void TestJsonValue::memberTextIsWhatTheParserRead()
{
    QFETCH(QByteArray, object);
    const QJsonDocument parsed = QJsonDocument::fromJson(object);
    QVERIFY(parsed.isObject());
    const std::optional<QByteArrayView> text = memberText(object, "data");
    QVERIFY(text.has_value());
    QCOMPARE(parseJsonValue(text->toByteArray()),
             std::optional<QJsonValue>(parsed.object().value("data")));
    QVERIFY(!memberText(object, "missing"));
}

void TestJsonValue::memberTextGivesUpOnEscapedNames()
{
    // "d\u0061ta" is "data" too: the scanner, which compares names as written, must not pick
    // the other one.
    QVERIFY(!memberText(R"({"data":1,"d\u0061ta":2})", "data"));
    QVERIFY(!memberText(R"([1])", "data"));
}

void TestJsonValue::elementTexts()
{
    const QByteArray array = R"([ {"data":"]"} ,2,"x,y", [1,[2]],null ])";
    const QJsonArray parsed = QJsonDocument::fromJson(array).array();
    const QList<QByteArrayView> elements = kucun::elementTexts(array);
    QCOMPARE(elements.size(), parsed.size());
    for (qsizetype i = 0; i < elements.size(); ++i)
        QCOMPARE(parseJsonValue(elements[i].toByteArray()), std::optional<QJsonValue>(parsed[i]));
    QVERIFY(kucun::elementTexts("[]").isEmpty());
    QVERIFY(kucun::elementTexts("{}").isEmpty());
}

QTEST_GUILESS_MAIN(TestJsonValue)
#include "tst_jsonvalue.moc"
