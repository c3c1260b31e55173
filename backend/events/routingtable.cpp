#include "routingtable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace kucun {

namespace {

const QRegularExpression &placeholder()
{
    static const QRegularExpression rule(QStringLiteral("\\{([A-Za-z]+)\\}"));
    return rule;
}

// The fields each event type has, for checking templates and conditions when loading.
QStringList fieldsOf(EventType type)
{
    QStringList common{QStringLiteral("type"), QStringLiteral("timestamp"),
                       QStringLiteral("source"), QStringLiteral("id")};
    switch (type) {
    case EventType::CacheInvalidate:
        return common << QStringLiteral("tag") << QStringLiteral("namespace");
    case EventType::DataUpdate:
        return common << QStringLiteral("resource") << QStringLiteral("action");
    case EventType::InventoryChange:
        return common << QStringLiteral("productId") << QStringLiteral("variantId")
                      << QStringLiteral("oldQuantity") << QStringLiteral("newQuantity")
                      << QStringLiteral("reason");
    case EventType::OrderStatus:
        return common << QStringLiteral("orderId") << QStringLiteral("status")
                      << QStringLiteral("previousStatus");
    case EventType::FinanceChange:
        return common << QStringLiteral("entity") << QStringLiteral("action")
                      << QStringLiteral("amount");
    }
    Q_UNREACHABLE();
}

// Fills `{field}` placeholders; nullopt when a field is absent.
std::optional<QString> expand(const QString &pattern, const HubEvent &event)
{
    QString result;
    qsizetype last = 0;
    auto matches = placeholder().globalMatch(pattern);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        const QString value = event.templateValue(match.captured(1));
        if (value.isEmpty())
            return std::nullopt;
        result += pattern.mid(last, match.capturedStart() - last) + value;
        last = match.capturedEnd();
    }
    return result + pattern.mid(last);
}

QString checkTemplate(const QString &pattern, EventType type)
{
    if (pattern.isEmpty())
        return QStringLiteral("an empty template");
    const QStringList fields = fieldsOf(type);
    auto matches = placeholder().globalMatch(pattern);
    while (matches.hasNext()) {
        const QString field = matches.next().captured(1);
        if (!fields.contains(field)) {
            return QStringLiteral("'{%1}' is not a field of %2 events")
                .arg(field, EventCodec::typeName(type));
        }
    }
    QString rest = pattern;
    rest.remove(placeholder());
    if (rest.contains(u'{') || rest.contains(u'}'))
        return QStringLiteral("'%1' has an unmatched brace").arg(pattern);
    return {};
}

RoutingTable::LoadResult failure(const QString &why)
{
    return {std::nullopt, why};
}

std::optional<QStringList> stringList(const QJsonValue &value)
{
    if (value.isUndefined())
        return QStringList();
    if (!value.isArray())
        return std::nullopt;
    QStringList list;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString())
            return std::nullopt;
        list.append(item.toString());
    }
    return list;
}

RoutingTable::Route route(EventType type, QStringList tags, QStringList namespaces, QString channel,
                          QMap<QString, QString> when = {})
{
    return {type, std::move(when), std::move(tags), std::move(namespaces), std::move(channel)};
}

}  // namespace

RoutingTable RoutingTable::builtIn()
{
    using T = EventType;
    const QString overview = QStringLiteral("dashboard:overview");
    RoutingTable table;
    table.m_routes = {
        route(T::CacheInvalidate, {QStringLiteral("{tag}")}, {QStringLiteral("{namespace}")},
              QStringLiteral("cache")),
        route(T::InventoryChange,
              {QStringLiteral("inventory:summary:{productId}"),
               QStringLiteral("products:{productId}"), overview},
              {}, QStringLiteral("inventory")),
        route(T::DataUpdate,
              {QStringLiteral("products"), QStringLiteral("products:list"),
               QStringLiteral("products:search"), QStringLiteral("products:{id}")},
              {QStringLiteral("products:list:")}, QStringLiteral("products"),
              {{QStringLiteral("resource"), QStringLiteral("products")}}),
        route(T::DataUpdate,
              {QStringLiteral("sales-orders"), QStringLiteral("sales-orders:list"), overview}, {},
              QStringLiteral("orders"),
              {{QStringLiteral("resource"), QStringLiteral("sales-orders")}}),
        route(T::DataUpdate,
              {QStringLiteral("{resource}"), QStringLiteral("{resource}:list"),
               QStringLiteral("{resource}:{id}")},
              {}, QStringLiteral("{resource}")),
        route(T::OrderStatus, {QStringLiteral("sales-orders:list"), overview}, {},
              QStringLiteral("orders")),
        route(T::FinanceChange, {QStringLiteral("finance"), overview}, {},
              QStringLiteral("finance")),
    };
    return table;
}

RoutingTable::LoadResult RoutingTable::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    return fromJson(file.read(1024 * 1024 + 1));
}

RoutingTable::LoadResult RoutingTable::fromJson(const QByteArray &json)
{
    if (json.size() > 1024 * 1024)
        return failure(QStringLiteral("is larger than 1 MiB"));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return failure(QStringLiteral("is not JSON (%1 at offset %2)")
                           .arg(error.errorString())
                           .arg(error.offset));
    const QJsonObject root = document.object();
    if (!document.isObject() || !root.value(QStringLiteral("routes")).isArray())
        return failure(QStringLiteral("needs an object with a \"routes\" array"));
    for (const QString &key : root.keys()) {
        if (key != u"routes")
            return failure(QStringLiteral("has an unknown key '%1'").arg(key));
    }

    RoutingTable table;
    const QJsonArray routes = root.value(QStringLiteral("routes")).toArray();
    for (qsizetype i = 0; i < routes.size(); ++i) {
        const QString where = QStringLiteral("route %1").arg(i + 1);
        if (!routes[i].isObject())
            return failure(QStringLiteral("%1 is not an object").arg(where));
        const QJsonObject object = routes[i].toObject();
        for (const QString &key : object.keys()) {
            static const QStringList known{QStringLiteral("type"), QStringLiteral("when"),
                                           QStringLiteral("tags"), QStringLiteral("namespaces"),
                                           QStringLiteral("channel")};
            if (!known.contains(key))
                return failure(QStringLiteral("%1 has an unknown key '%2'").arg(where, key));
        }
        const auto type = EventCodec::typeFromName(object.value(QStringLiteral("type")).toString());
        if (!type) {
            return failure(QStringLiteral("%1: '%2' is not an event type")
                               .arg(where, object.value(QStringLiteral("type")).toString()));
        }
        Route parsed{*type, {}, {}, {}, {}};
        const auto tags = stringList(object.value(QStringLiteral("tags")));
        const auto namespaces = stringList(object.value(QStringLiteral("namespaces")));
        if (!tags || !namespaces)
            return failure(
                QStringLiteral("%1: tags and namespaces must be lists of strings").arg(where));
        parsed.tags = *tags;
        parsed.namespaces = *namespaces;
        for (const QString &pattern : parsed.tags + parsed.namespaces) {
            if (const QString problem = checkTemplate(pattern, *type); !problem.isEmpty())
                return failure(QStringLiteral("%1: %2").arg(where, problem));
        }
        const QJsonValue channel = object.value(QStringLiteral("channel"));
        if (!channel.isUndefined() && !channel.isNull()) {
            if (!channel.isString())
                return failure(QStringLiteral("%1: channel must be a string").arg(where));
            parsed.channel = channel.toString();
            if (const QString problem = checkTemplate(parsed.channel, *type); !problem.isEmpty())
                return failure(QStringLiteral("%1: %2").arg(where, problem));
            QString literal = parsed.channel;
            literal.remove(placeholder());
            if (!literal.isEmpty() && !EventCodec::isValidChannelName(literal))
                return failure(
                    QStringLiteral("%1: '%2' is not a channel name").arg(where, parsed.channel));
        }
        const QJsonValue when = object.value(QStringLiteral("when"));
        if (!when.isUndefined()) {
            if (!when.isObject())
                return failure(QStringLiteral("%1: when must be an object").arg(where));
            const QJsonObject conditions = when.toObject();
            for (auto it = conditions.begin(); it != conditions.end(); ++it) {
                if (!fieldsOf(*type).contains(it.key()) || !it.value().isString()) {
                    return failure(QStringLiteral("%1: when.%2 must be a string field of %3 events")
                                       .arg(where, it.key(), EventCodec::typeName(*type)));
                }
                parsed.when.insert(it.key(), it.value().toString());
            }
        }
        table.m_routes.append(parsed);
    }
    return {table, {}};
}

QString RoutingTable::ruleName(int index) const
{
    if (index < 0 || index >= m_routes.size())
        return {};
    const Route &route = m_routes[index];
    QString name = QStringLiteral("#%1 %2").arg(index + 1).arg(EventCodec::typeName(route.type));
    for (auto it = route.when.begin(); it != route.when.end(); ++it)
        name += u' ' + it.key() + u'=' + it.value();
    return name;
}

RouteAction RoutingTable::actionFor(const HubEvent &event) const
{
    for (qsizetype index = 0; index < m_routes.size(); ++index) {
        const Route &candidate = m_routes[index];
        if (candidate.type != event.type)
            continue;
        bool matches = true;
        for (auto it = candidate.when.begin(); it != candidate.when.end() && matches; ++it)
            matches = event.text(it.key()) == it.value();
        if (!matches)
            continue;
        RouteAction action;
        action.rule = int(index);
        for (const QString &pattern : candidate.tags) {
            if (const auto tag = expand(pattern, event))
                action.tags.append(*tag);
        }
        for (const QString &pattern : candidate.namespaces) {
            if (const auto ns = expand(pattern, event))
                action.namespaces.append(*ns);
        }
        if (!candidate.channel.isEmpty()) {
            const auto channel = expand(candidate.channel, event);
            if (channel && EventCodec::isValidChannelName(*channel))
                action.channel = *channel;
        }
        return action;
    }
    return {};
}

}  // namespace kucun
