#include "events/hubevent.h"

#include <QJsonDocument>
#include <QTest>

using kucun::EventCodec;
using kucun::EventType;

namespace {

// A valid event of each type, as the seed's site publishes them.
QJsonObject validEvent(EventType type)
{
    const double ts = 1700000000000.0;
    switch (type) {
    case EventType::CacheInvalidate:
        return {{"type", "cache:invalidate"}, {"tag", "products:42"}, {"timestamp", ts}};
    case EventType::DataUpdate:
        return {{"type", "data:update"},
                {"resource", "products"},
                {"id", "42"},
                {"action", "update"},
                {"timestamp", ts}};
    case EventType::InventoryChange:
        return {{"type", "inventory:change"},
                {"productId", "42"},
                {"variantId", "7"},
                {"oldQuantity", 100},
                {"newQuantity", 95},
                {"reason", QStringLiteral("销售出库")},
                {"timestamp", ts}};
    case EventType::OrderStatus:
        return {{"type", "order:status"},
                {"orderId", "SO-1001"},
                {"status", "shipped"},
                {"previousStatus", "paid"},
                {"timestamp", ts}};
    case EventType::FinanceChange:
        return {{"type", "finance:change"}, {"entity", "payment"}, {"id", "P-9"},
                {"action", "create"},       {"amount", 12.5},      {"timestamp", ts}};
    }
    return {};
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

const QList<EventType> kAllTypes{EventType::CacheInvalidate, EventType::DataUpdate,
                                 EventType::InventoryChange, EventType::OrderStatus,
                                 EventType::FinanceChange};

}  // namespace

class TestEventCodec : public QObject
{
    Q_OBJECT

private slots:
    void acceptsValidEvents_data();
    void acceptsValidEvents();
    void refusesInvalidFields_data();
    void refusesInvalidFields();
    void refusesBadPayloads_data();
    void refusesBadPayloads();
    void keepsExtraFields();
    void encodeRoundTrips();
    void buildMakesWhatDecodeAccepts_data();
    void buildMakesWhatDecodeAccepts();
    void buildRefusesWhatEveryHubWouldRefuse();
    void schemaDeclaresEveryFieldOfTheSpec();
    void channelNames_data();
    void channelNames();
};

void TestEventCodec::acceptsValidEvents_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QJsonObject>("event");
    for (EventType type : kAllTypes) {
        QTest::addRow("%s", qPrintable(EventCodec::typeName(type)))
            << int(type) << validEvent(type);
    }
    QJsonObject minimalInventory = validEvent(EventType::InventoryChange);
    minimalInventory.remove("variantId");
    QTest::addRow("inventory without variant")
        << int(EventType::InventoryChange) << minimalInventory;
    QJsonObject namespaceInvalidation{{"type", "cache:invalidate"},
                                      {"namespace", "products:list:"},
                                      {"timestamp", 1},
                                      {"source", "hub-2"},
                                      {"id", "e-1"}};
    QTest::addRow("namespace invalidation")
        << int(EventType::CacheInvalidate) << namespaceInvalidation;
    QJsonObject fractional = validEvent(EventType::InventoryChange);
    fractional["newQuantity"] = 94.5;
    QTest::addRow("fractional quantity") << int(EventType::InventoryChange) << fractional;
}

void TestEventCodec::acceptsValidEvents()
{
    QFETCH(int, type);
    QFETCH(QJsonObject, event);
    const auto eventType = EventType(type);
    const auto result = EventCodec::decode(EventCodec::channelFor(eventType), json(event));
    QVERIFY2(result.event.has_value(), qPrintable(result.reason));
    QCOMPARE(result.event->type, eventType);
    QCOMPARE(result.event->timestamp, qint64(event.value("timestamp").toDouble()));
    QCOMPARE(result.event->fields, event);
}

void TestEventCodec::refusesInvalidFields_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");  // Undefined: the field is removed
    QTest::addColumn<QString>("reason");

    const QJsonValue missing(QJsonValue::Undefined);
    const QString huge(300, u'x');
    struct Field
    {
        EventType type;
        const char *name;
        bool number;
    };
    const QList<Field> required{
        {EventType::DataUpdate, "resource", false},
        {EventType::DataUpdate, "id", false},
        {EventType::DataUpdate, "action", false},
        {EventType::InventoryChange, "productId", false},
        {EventType::InventoryChange, "oldQuantity", true},
        {EventType::InventoryChange, "newQuantity", true},
        {EventType::InventoryChange, "reason", false},
        {EventType::OrderStatus, "orderId", false},
        {EventType::OrderStatus, "status", false},
        {EventType::FinanceChange, "entity", false},
        {EventType::FinanceChange, "id", false},
        {EventType::FinanceChange, "action", false},
    };
    for (const Field &f : required) {
        const QString name = QString::fromLatin1(f.name);
        const QString type = EventCodec::typeName(f.type);
        QTest::addRow("%s %s missing", qPrintable(type), f.name)
            << int(f.type) << name << missing << "missing field " + name;
        if (f.number) {
            QTest::addRow("%s %s text", qPrintable(type), f.name)
                << int(f.type) << name << QJsonValue("95") << name + " is not a number";
            QTest::addRow("%s %s null", qPrintable(type), f.name)
                << int(f.type) << name << QJsonValue(QJsonValue::Null) << name + " is not a number";
        } else {
            QTest::addRow("%s %s number", qPrintable(type), f.name)
                << int(f.type) << name << QJsonValue(42) << name + " is not a string";
            QTest::addRow("%s %s empty", qPrintable(type), f.name)
                << int(f.type) << name << QJsonValue("") << name + " is empty";
            QTest::addRow("%s %s huge", qPrintable(type), f.name)
                << int(f.type) << name << QJsonValue(huge)
                << name + " is longer than 256 characters";
        }
    }
    for (EventType type : kAllTypes) {
        const QString typeName = EventCodec::typeName(type);
        QTest::addRow("%s timestamp missing", qPrintable(typeName))
            << int(type) << "timestamp" << missing << "missing field timestamp";
        QTest::addRow("%s timestamp text", qPrintable(typeName))
            << int(type) << "timestamp" << QJsonValue("1700000000000")
            << "timestamp is not a number";
        QTest::addRow("%s timestamp negative", qPrintable(typeName))
            << int(type) << "timestamp" << QJsonValue(-1)
            << "timestamp is not a time in milliseconds";
        QTest::addRow("%s timestamp fraction", qPrintable(typeName))
            << int(type) << "timestamp" << QJsonValue(1.5)
            << "timestamp is not a time in milliseconds";
        QTest::addRow("%s source number", qPrintable(typeName))
            << int(type) << "source" << QJsonValue(7) << "source is not a string";
        QTest::addRow("%s type missing", qPrintable(typeName))
            << int(type) << "type" << missing << "missing field type";
        QTest::addRow("%s type unknown", qPrintable(typeName))
            << int(type) << "type" << QJsonValue("stock:moved") << "unknown type stock:moved";
    }
    QTest::addRow("action unknown")
        << int(EventType::DataUpdate) << "action" << QJsonValue("upsert")
        << "action must be one of create|update|delete";
    QTest::addRow("resource with colon")
        << int(EventType::DataUpdate) << "resource" << QJsonValue("a:b")
        << "resource is not a resource name (1-64 of A-Z a-z 0-9 _ . -)";
    QTest::addRow("variant number") << int(EventType::InventoryChange) << "variantId"
                                    << QJsonValue(7) << "variantId is not a string";
    QTest::addRow("amount text") << int(EventType::FinanceChange) << "amount" << QJsonValue("12.5")
                                 << "amount is not a number";
    QTest::addRow("previous status empty") << int(EventType::OrderStatus) << "previousStatus"
                                           << QJsonValue("") << "previousStatus is empty";
    QTest::addRow("invalidate tag and namespace")
        << int(EventType::CacheInvalidate) << "namespace" << QJsonValue("products:")
        << "needs exactly one of tag and namespace";
    QTest::addRow("invalidate neither") << int(EventType::CacheInvalidate) << "tag" << missing
                                        << "needs exactly one of tag and namespace";
    QTest::addRow("invalidate tag empty")
        << int(EventType::CacheInvalidate) << "tag" << QJsonValue("") << "tag is empty";
    QTest::addRow("wrong type for the channel")
        << int(EventType::OrderStatus) << "type" << QJsonValue("data:update")
        << "type data:update does not belong on channel:order:status";
}

void TestEventCodec::refusesInvalidFields()
{
    QFETCH(int, type);
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, reason);
    QJsonObject event = validEvent(EventType(type));
    if (value.isUndefined())
        event.remove(field);
    else
        event.insert(field, value);
    const auto result = EventCodec::decode(EventCodec::channelFor(EventType(type)), json(event));
    QVERIFY(!result.event.has_value());
    QCOMPARE(result.reason, reason);
}

void TestEventCodec::refusesBadPayloads_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("reason");

    const QString inventory = QStringLiteral("channel:inventory:change");
    QTest::addRow("not JSON") << inventory << QByteArray("productId=42") << "not JSON";
    QTest::addRow("truncated") << inventory << QByteArray("{\"type\":\"inventory:change\"")
                               << "not JSON";
    QTest::addRow("array") << inventory << QByteArray("[1,2]") << "not a JSON object";
    QTest::addRow("string") << inventory << QByteArray("\"x\"") << "not a JSON object";
    QTest::addRow("empty") << inventory << QByteArray() << "not JSON";
    QTest::addRow("not UTF-8") << inventory
                               << QByteArray(
                                      "{\"type\":\"inventory:change\",\"reason\":\"\xff\xfe\"}")
                               << "not UTF-8";
    QTest::addRow("huge") << inventory << QByteArray(70000, ' ') << "larger than 65536 bytes";
    QTest::addRow("unknown channel")
        << "channel:stock:moved" << QByteArray("{}") << "unknown channel channel:stock:moved";
}

void TestEventCodec::refusesBadPayloads()
{
    QFETCH(QString, channel);
    QFETCH(QByteArray, payload);
    QFETCH(QString, reason);
    const auto result = EventCodec::decode(channel, payload);
    QVERIFY(!result.event.has_value());
    QCOMPARE(result.reason, reason);
}

void TestEventCodec::keepsExtraFields()
{
    QJsonObject event = validEvent(EventType::InventoryChange);
    event.insert("warehouse", "WH-2");
    event.insert("operator", QJsonObject{{"name", QStringLiteral("王芳")}});
    const auto result = EventCodec::decode("channel:inventory:change", json(event));
    QVERIFY(result.event);
    QCOMPARE(result.event->fields.value("warehouse").toString(), QStringLiteral("WH-2"));
    QCOMPARE(result.event->fields.value("operator").toObject().value("name").toString(),
             QStringLiteral("王芳"));
}

void TestEventCodec::encodeRoundTrips()
{
    for (EventType type : kAllTypes) {
        const auto first = EventCodec::decode(EventCodec::channelFor(type), json(validEvent(type)));
        QVERIFY(first.event);
        const auto second
            = EventCodec::decode(EventCodec::channelFor(type), EventCodec::encode(*first.event));
        QVERIFY(second.event);
        QCOMPARE(second.event->fields, first.event->fields);
    }
}

void TestEventCodec::buildMakesWhatDecodeAccepts_data()
{
    QTest::addColumn<int>("type");
    for (EventType type : kAllTypes)
        QTest::addRow("%s", qPrintable(EventCodec::typeName(type))) << int(type);
}

void TestEventCodec::buildMakesWhatDecodeAccepts()
{
    QFETCH(int, type);
    const auto eventType = EventType(type);
    QJsonObject fields = validEvent(eventType);
    fields.remove("type");
    fields.remove("timestamp");
    const kucun::Result<QByteArray> built
        = EventCodec::build(eventType, fields, "hub-a", 1700000000123);
    QVERIFY2(built.ok(), qPrintable(built.error()));
    const auto decoded = EventCodec::decode(EventCodec::channelFor(eventType), built.value());
    QVERIFY2(decoded.event, qPrintable(decoded.reason));
    QCOMPARE(decoded.event->type, eventType);
    QCOMPARE(decoded.event->timestamp, 1700000000123);
    QCOMPARE(decoded.event->source, QStringLiteral("hub-a"));
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        QCOMPARE(decoded.event->fields.value(it.key()), it.value());
    // Without a source the event has none, as the site's own events.
    const auto anonymous = EventCodec::build(eventType, fields, QString(), 1);
    QVERIFY(!QJsonDocument::fromJson(anonymous.value()).object().contains("source"));
}

void TestEventCodec::buildRefusesWhatEveryHubWouldRefuse()
{
    const auto missing = EventCodec::build(EventType::InventoryChange,
                                           {{"productId", "42"}, {"oldQuantity", 1}}, "hub-a", 1);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error(), QStringLiteral("missing field newQuantity"));
    const auto both = EventCodec::build(EventType::CacheInvalidate,
                                        {{"tag", "products"}, {"namespace", "products:"}}, {}, 1);
    QCOMPARE(both.error(), QStringLiteral("needs exactly one of tag and namespace"));
    const auto badAction = EventCodec::build(
        EventType::DataUpdate, {{"resource", "products"}, {"id", "1"}, {"action", "drop"}}, {}, 1);
    QCOMPARE(badAction.error(), QStringLiteral("action must be one of create|update|delete"));
}

void TestEventCodec::schemaDeclaresEveryFieldOfTheSpec()
{
    // SPEC §5's fields, type by type: the table every consumer reads must hold exactly these.
    const QHash<EventType, QStringList> spec{
        {EventType::CacheInvalidate, {"tag", "namespace"}},
        {EventType::DataUpdate, {"resource", "id", "action"}},
        {EventType::InventoryChange,
         {"productId", "variantId", "oldQuantity", "newQuantity", "reason"}},
        {EventType::OrderStatus, {"orderId", "status", "previousStatus"}},
        {EventType::FinanceChange, {"entity", "id", "action", "amount"}},
    };
    QCOMPARE(kucun::eventSchemas().size(), size_t(spec.size()));
    for (const kucun::EventTypeSchema &schema : kucun::eventSchemas()) {
        QStringList names;
        for (const kucun::EventFieldSchema &field : schema.fields)
            names.append(QLatin1StringView(field.name));
        QCOMPARE(names, spec.value(schema.type));
        QCOMPARE(&kucun::eventSchema(schema.type), &schema);
        QCOMPARE(EventCodec::channelFor(schema.type), QStringLiteral("channel:") + schema.name);
    }
}

void TestEventCodec::channelNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << "inventory" << true;
    QTest::newRow("every allowed character") << "Az09_.:-" << true;
    QTest::newRow("64 characters") << QString(64, u'c') << true;
    QTest::newRow("65 characters") << QString(65, u'c') << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("space") << "a b" << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("quote") << "a\"b" << false;
    QTest::newRow("star") << "orders*" << false;
    QTest::newRow("accented letter") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("Chinese") << QStringLiteral("\u5e93\u5b58") << false;
    QTest::newRow("newline") << "a\n" << false;
}

void TestEventCodec::channelNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(EventCodec::isValidChannelName(name), valid);
}

QTEST_APPLESS_MAIN(TestEventCodec)
#include "tst_eventcodec.moc"
