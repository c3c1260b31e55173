#include "events/routingtable.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using kucun::EventCodec;
using kucun::RoutingTable;

namespace {

kucun::HubEvent decodedEvent(const char *channel, const QByteArray &json)
{
    const auto decoded = EventCodec::decode(QString::fromLatin1(channel), json);
    if (!decoded.event)
        qFatal("test event refused: %s", qPrintable(decoded.reason));
    return *decoded.event;
}

}  // namespace

class TestRoutingTable : public QObject
{
    Q_OBJECT

private slots:
    void builtInFollowsTheSpec_data();
    void builtInFollowsTheSpec();
    void loadsAFile();
    void refusesBadFiles_data();
    void refusesBadFiles();
    void unreadableFile();
};

void TestRoutingTable::builtInFollowsTheSpec_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QStringList>("namespaces");
    QTest::addColumn<QString>("wsChannel");

    QTest::addRow("inventory:change")
        << "channel:inventory:change"
        << QByteArray(
               R"({"type":"inventory:change","productId":"42","oldQuantity":100,"newQuantity":95,"reason":"sale","timestamp":1})")
        << QStringList{"inventory:summary:42", "products:42", "dashboard:overview"} << QStringList{}
        << "inventory";
    QTest::addRow("data:update products")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"products","id":"42","action":"update","timestamp":1})")
        << QStringList{"products", "products:list", "products:search", "products:42"}
        << QStringList{"products:list:"} << "products";
    QTest::addRow("data:update sales-orders")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"sales-orders","id":"SO-1","action":"create","timestamp":1})")
        << QStringList{"sales-orders", "sales-orders:list", "dashboard:overview"} << QStringList{}
        << "orders";
    QTest::addRow("data:update other resource")
        << "channel:data:update"
        << QByteArray(
               R"({"type":"data:update","resource":"suppliers","id":"9","action":"delete","timestamp":1})")
        << QStringList{"suppliers", "suppliers:list", "suppliers:9"} << QStringList{}
        << "suppliers";
    QTest::addRow("order:status")
        << "channel:order:status"
        << QByteArray(
               R"({"type":"order:status","orderId":"SO-1001","status":"shipped","timestamp":1})")
        << QStringList{"sales-orders:list", "dashboard:overview"} << QStringList{} << "orders";
    QTest::addRow("finance:change")
        << "channel:finance:change"
        << QByteArray(
               R"({"type":"finance:change","entity":"payment","id":"P-9","action":"create","timestamp":1})")
        << QStringList{"finance", "dashboard:overview"} << QStringList{} << "finance";
    QTest::addRow("cache:invalidate tag")
        << "channel:cache:invalidate"
        << QByteArray(R"({"type":"cache:invalidate","tag":"products:42","timestamp":1})")
        << QStringList{"products:42"} << QStringList{} << "cache";
    QTest::addRow("cache:invalidate namespace")
        << "channel:cache:invalidate"
        << QByteArray(R"({"type":"cache:invalidate","namespace":"inventory:*","timestamp":1})")
        << QStringList{} << QStringList{"inventory:*"} << "cache";
}

void TestRoutingTable::builtInFollowsTheSpec()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, json);
    QFETCH(QStringList, tags);
    QFETCH(QStringList, namespaces);
    QFETCH(QString, wsChannel);
    const kucun::RouteAction action
        = RoutingTable::builtIn().actionFor(decodedEvent(qPrintable(channel), json));
    QCOMPARE(action.tags, tags);
    QCOMPARE(action.namespaces, namespaces);
    QCOMPARE(action.channel, wsChannel);
}

void TestRoutingTable::loadsAFile()
{
    const auto loaded = RoutingTable::fromJson(R"({"routes":[
        {"type":"inventory:change","when":{"reason":"audit"},"tags":[],"channel":null},
        {"type":"inventory:change","tags":["stock:{productId}:{variantId}"],"channel":"stock.{productId}"}
    ]})");
    QVERIFY2(loaded.table, qPrintable(loaded.error));
    const auto audit = loaded.table->actionFor(decodedEvent(
        "channel:inventory:change",
        R"({"type":"inventory:change","productId":"1","oldQuantity":1,"newQuantity":2,"reason":"audit","timestamp":1})"));
    QVERIFY(audit.tags.isEmpty());
    QVERIFY(audit.channel.isEmpty());
    const auto sale = loaded.table->actionFor(decodedEvent(
        "channel:inventory:change",
        R"({"type":"inventory:change","productId":"1","variantId":"3","oldQuantity":1,"newQuantity":2,"reason":"sale","timestamp":1})"));
    QCOMPARE(sale.tags, QStringList{"stock:1:3"});
    QCOMPARE(sale.channel, QStringLiteral("stock.1"));
    // A template whose field the event lacks is left out.
    const auto noVariant = loaded.table->actionFor(decodedEvent(
        "channel:inventory:change",
        R"({"type":"inventory:change","productId":"1","oldQuantity":1,"newQuantity":2,"reason":"sale","timestamp":1})"));
    QVERIFY(noVariant.tags.isEmpty());
    QCOMPARE(noVariant.channel, QStringLiteral("stock.1"));
    // No route for an event type: nothing happens.
    const auto none = loaded.table->actionFor(
        decodedEvent("channel:order:status",
                     R"({"type":"order:status","orderId":"1","status":"paid","timestamp":1})"));
    QVERIFY(none.tags.isEmpty() && none.channel.isEmpty());
}

void TestRoutingTable::refusesBadFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QTest::addRow("not JSON") << QByteArray("routes:") << "is not JSON";
    QTest::addRow("no routes") << QByteArray("{}") << "needs an object with a \"routes\" array";
    QTest::addRow("extra key") << QByteArray(R"({"routes":[],"version":2})")
                               << "has an unknown key 'version'";
    QTest::addRow("route not object")
        << QByteArray(R"({"routes":[1]})") << "route 1 is not an object";
    QTest::addRow("unknown type") << QByteArray(R"({"routes":[{"type":"stock:moved"}]})")
                                  << "route 1: 'stock:moved' is not an event type";
    QTest::addRow("unknown route key")
        << QByteArray(R"({"routes":[{"type":"order:status","tag":["x"]}]})")
        << "route 1 has an unknown key 'tag'";
    QTest::addRow("tags not strings")
        << QByteArray(R"({"routes":[{"type":"order:status","tags":[1]}]})")
        << "route 1: tags and namespaces must be lists of strings";
    QTest::addRow("unknown field")
        << QByteArray(R"({"routes":[{"type":"order:status","tags":["o:{productId}"]}]})")
        << "route 1: '{productId}' is not a field of order:status events";
    QTest::addRow("brace") << QByteArray(
        R"({"routes":[{"type":"order:status","tags":["o:{orderId"]}]})")
                           << "route 1: 'o:{orderId' has an unmatched brace";
    QTest::addRow("bad channel") << QByteArray(
        R"({"routes":[{"type":"order:status","channel":"a b"}]})")
                                 << "route 1: 'a b' is not a channel name";
    QTest::addRow("bad when")
        << QByteArray(R"({"routes":[{"type":"order:status","when":{"color":"red"}}]})")
        << "route 1: when.color must be a string field of order:status events";
}

void TestRoutingTable::refusesBadFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto loaded = RoutingTable::fromJson(json);
    QVERIFY(!loaded.table);
    QVERIFY2(loaded.error.startsWith(error), qPrintable(loaded.error));
}

void TestRoutingTable::unreadableFile()
{
    QTemporaryDir dir;
    const auto loaded = RoutingTable::fromFile(dir.filePath("missing.json"));
    QVERIFY(!loaded.table);
    QVERIFY(loaded.error.startsWith(QStringLiteral("cannot be read")));
}

QTEST_APPLESS_MAIN(TestRoutingTable)
#include "tst_routingtable.moc"
