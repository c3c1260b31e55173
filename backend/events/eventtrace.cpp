#include "eventtrace.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace kucun {

namespace {

QJsonArray stringArray(const QStringList &items)
{
    QJsonArray array;
    for (const QString &item : items)
        array.append(item);
    return array;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList items;
    for (const QJsonValue &item : value.toArray()) {
        if (item.isString())
            items.append(item.toString());
    }
    return items;
}

qint64 number(const QJsonValue &value, qint64 absent)
{
    return value.isDouble() ? qint64(value.toDouble()) : absent;
}

QJsonObject invalidationJson(const EventTrace::Invalidation &invalidation)
{
    QJsonObject json{
        {invalidation.isNamespace ? QStringLiteral("namespace") : QStringLiteral("tag"),
         invalidation.target},
        {QStringLiteral("removed"), invalidation.removed},
        {QStringLiteral("keys"), stringArray(invalidation.keys)},
    };
    if (!invalidation.error.isEmpty())
        json.insert(QStringLiteral("error"), invalidation.error);
    return json;
}

EventTrace::Invalidation invalidationFromJson(const QJsonObject &json)
{
    EventTrace::Invalidation invalidation;
    invalidation.isNamespace = json.contains(QStringLiteral("namespace"));
    invalidation.target
        = json.value(invalidation.isNamespace ? QStringLiteral("namespace") : QStringLiteral("tag"))
              .toString();
    invalidation.removed = number(json.value(QStringLiteral("removed")), -1);
    invalidation.keys = stringList(json.value(QStringLiteral("keys")));
    invalidation.error = json.value(QStringLiteral("error")).toString();
    return invalidation;
}

QJsonObject deliveryJson(const QString &channel, const ChannelDelivery &delivery)
{
    QJsonArray skipped;
    for (const ChannelDelivery::Skip &skip : delivery.skipped) {
        skipped.append(QJsonObject{{QStringLiteral("client"), skip.client},
                                   {QStringLiteral("why"), skip.why}});
    }
    QJsonObject json{{QStringLiteral("channel"), channel},
                     {QStringLiteral("known"), delivery.known}};
    if (delivery.shared)
        json.insert(QStringLiteral("shared"), true);
    if (delivery.offset >= 0)
        json.insert(QStringLiteral("offset"), delivery.offset);
    if (delivery.known && !delivery.shared) {
        json.insert(QStringLiteral("written"), delivery.written);
        json.insert(QStringLiteral("clients"), stringArray(delivery.writtenTo));
        json.insert(QStringLiteral("notSubscribed"), delivery.notSubscribed);
        json.insert(QStringLiteral("skippedCount"), delivery.skippedCount);
        json.insert(QStringLiteral("skipped"), skipped);
    }
    return json;
}

ChannelDelivery deliveryFromJson(const QJsonObject &json)
{
    ChannelDelivery delivery;
    delivery.known = json.value(QStringLiteral("known")).toBool();
    delivery.shared = json.value(QStringLiteral("shared")).toBool();
    delivery.offset = number(json.value(QStringLiteral("offset")), -1);
    delivery.written = number(json.value(QStringLiteral("written")), 0);
    delivery.writtenTo = stringList(json.value(QStringLiteral("clients")));
    delivery.notSubscribed = number(json.value(QStringLiteral("notSubscribed")), 0);
    delivery.skippedCount = number(json.value(QStringLiteral("skippedCount")), 0);
    for (const QJsonValue &item : json.value(QStringLiteral("skipped")).toArray()) {
        const QJsonObject skip = item.toObject();
        delivery.skipped.append({skip.value(QStringLiteral("client")).toString(),
                                 skip.value(QStringLiteral("why")).toString()});
    }
    return delivery;
}

}  // namespace

QJsonObject EventTrace::toJson() const
{
    QJsonObject json{
        {QStringLiteral("id"), eventId},
        {QStringLiteral("receivedAt"), receivedAtMs},
        {QStringLiteral("source"), EventSources::name(source)},
        {QStringLiteral("channel"), channel},
        {QStringLiteral("type"), type},
        {QStringLiteral("accepted"), accepted},
        {QStringLiteral("complete"), complete},
    };
    if (!accepted)
        json.insert(QStringLiteral("reason"), reason);
    if (!rule.isEmpty())
        json.insert(QStringLiteral("rule"), rule);
    QJsonArray cascade;
    for (const Invalidation &invalidation : invalidations)
        cascade.append(invalidationJson(invalidation));
    json.insert(QStringLiteral("invalidations"), cascade);
    if (!wsChannel.isEmpty())
        json.insert(QStringLiteral("delivery"), deliveryJson(wsChannel, delivery));
    if (cascadeMicros >= 0)
        json.insert(QStringLiteral("cascadeMicros"), cascadeMicros);
    if (lastWriteMicros >= 0)
        json.insert(QStringLiteral("lastWriteMicros"), lastWriteMicros);
    return json;
}

QByteArray EventTrace::storedText(qsizetype maxBytes) const
{
    const QByteArray text = QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
    if (text.size() <= maxBytes)
        return text;
    EventTrace counts = *this;
    for (Invalidation &invalidation : counts.invalidations)
        invalidation.keys.clear();
    counts.delivery.writtenTo.clear();
    counts.delivery.skipped.clear();
    QJsonObject json = counts.toJson();
    json.insert(QStringLiteral("namesDropped"), true);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

EventTrace EventTrace::fromJson(const QJsonObject &json)
{
    EventTrace trace;
    trace.eventId = json.value(QStringLiteral("id")).toString();
    trace.receivedAtMs = number(json.value(QStringLiteral("receivedAt")), 0);
    trace.source = EventSources::fromName(json.value(QStringLiteral("source")).toString())
                       .value_or(EventSource::Hub);
    trace.channel = json.value(QStringLiteral("channel")).toString();
    trace.type = json.value(QStringLiteral("type")).toString();
    trace.accepted = json.value(QStringLiteral("accepted")).toBool();
    trace.reason = json.value(QStringLiteral("reason")).toString();
    trace.rule = json.value(QStringLiteral("rule")).toString();
    for (const QJsonValue &item : json.value(QStringLiteral("invalidations")).toArray())
        trace.invalidations.append(invalidationFromJson(item.toObject()));
    const QJsonObject delivery = json.value(QStringLiteral("delivery")).toObject();
    trace.wsChannel = delivery.value(QStringLiteral("channel")).toString();
    if (!trace.wsChannel.isEmpty())
        trace.delivery = deliveryFromJson(delivery);
    trace.cascadeMicros = number(json.value(QStringLiteral("cascadeMicros")), -1);
    trace.lastWriteMicros = number(json.value(QStringLiteral("lastWriteMicros")), -1);
    trace.complete = json.value(QStringLiteral("complete")).toBool(true);
    return trace;
}

}  // namespace kucun
