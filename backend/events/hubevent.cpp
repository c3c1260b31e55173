#include "hubevent.h"

#include "core/jsonvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <cmath>

namespace kucun {

namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1: exact in every JSON reader

// Checks one event's fields; returns the reason for refusing it, or an empty string.
class FieldChecker
{
public:
    explicit FieldChecker(const QJsonObject &object)
        : m_object(object)
    {
    }

    QString requireText(const QString &field)
    {
        if (!m_reason.isEmpty())
            return m_reason;
        if (!m_object.contains(field))
            return fail(QStringLiteral("missing field %1").arg(field));
        return checkText(field);
    }
    QString optionalText(const QString &field)
    {
        if (!m_reason.isEmpty() || !m_object.contains(field))
            return m_reason;
        return checkText(field);
    }
    QString requireNumber(const QString &field)
    {
        if (!m_reason.isEmpty())
            return m_reason;
        if (!m_object.contains(field))
            return fail(QStringLiteral("missing field %1").arg(field));
        return checkNumber(field);
    }
    QString requireOneOf(const QString &field, const QStringList &allowed)
    {
        if (!requireText(field).isEmpty())
            return m_reason;
        if (!allowed.contains(m_object.value(field).toString()))
            return fail(QStringLiteral("%1 must be one of %2").arg(field, allowed.join(u'|')));
        return m_reason;
    }
    QString requireMatch(const QString &field, const QRegularExpression &rule, const QString &what)
    {
        if (!requireText(field).isEmpty())
            return m_reason;
        if (!rule.match(m_object.value(field).toString()).hasMatch())
            return fail(QStringLiteral("%1 is not %2").arg(field, what));
        return m_reason;
    }
    QString reason() const { return m_reason; }
    QString fail(const QString &reason)
    {
        if (m_reason.isEmpty())
            m_reason = reason;
        return m_reason;
    }

private:
    QString checkText(const QString &field)
    {
        const QJsonValue value = m_object.value(field);
        if (!value.isString())
            return fail(QStringLiteral("%1 is not a string").arg(field));
        const QString text = value.toString();
        if (text.isEmpty())
            return fail(QStringLiteral("%1 is empty").arg(field));
        if (text.size() > EventCodec::kMaxTextLength) {
            return fail(QStringLiteral("%1 is longer than %2 characters")
                            .arg(field)
                            .arg(EventCodec::kMaxTextLength));
        }
        return m_reason;
    }
    QString checkNumber(const QString &field)
    {
        const QJsonValue value = m_object.value(field);
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return fail(QStringLiteral("%1 is not a number").arg(field));
        return m_reason;
    }

    const QJsonObject &m_object;
    QString m_reason;
};

// Checks the fields the type's schema declares; returns the first reason to refuse, or "".
QString checkFields(const EventTypeSchema &schema, FieldChecker &check, const QJsonObject &object)
{
    static const QRegularExpression resourceRule(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    QStringList oneOf;
    int oneOfPresent = 0;
    for (const EventFieldSchema &field : schema.fields) {
        if (field.presence == FieldPresence::OneOf) {
            oneOf.append(QLatin1StringView(field.name));
            oneOfPresent += object.contains(QLatin1StringView(field.name)) ? 1 : 0;
        }
    }
    if (!oneOf.isEmpty() && oneOfPresent != 1)
        return check.fail(QStringLiteral("needs exactly one of %1").arg(oneOf.join(u" and ")));

    for (const EventFieldSchema &field : schema.fields) {
        const QString name = QLatin1StringView(field.name);
        if (field.presence != FieldPresence::Required && !object.contains(name))
            continue;
        switch (field.kind) {
        case FieldKind::Text:
            check.requireText(name);
            break;
        case FieldKind::Number:
            check.requireNumber(name);
            break;
        case FieldKind::Action:
            check.requireOneOf(name, actionNames());
            break;
        case FieldKind::ResourceName:
            check.requireMatch(name, resourceRule,
                               QStringLiteral("a resource name (1-64 of A-Z a-z 0-9 _ . -)"));
            break;
        }
    }
    return check.reason();
}

EventDecodeResult refused(const QString &reason)
{
    return {std::nullopt, reason};
}

}  // namespace

QString EventCodec::ownEventId(EventType type, const QJsonObject &event)
{
    const QJsonValue eventId = event.value(QStringLiteral("eventId"));
    if (eventId.isString() && !eventId.toString().isEmpty())
        return eventId.toString();
    const bool idNamesRecord = type == EventType::DataUpdate || type == EventType::FinanceChange;
    const QJsonValue own = event.value(QStringLiteral("id"));
    return !idNamesRecord && own.isString() ? own.toString() : QString();
}

QString HubEvent::templateValue(const QString &field) const
{
    const QJsonValue value = fields.value(field);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    return {};
}

bool EventCodec::isValidChannelName(const QString &channel)
{
    // ^[A-Za-z0-9_.:-]{1,64}$, by hand: every publish and subscribe asks, and a regular
    // expression match was a fiftieth of an HTTP publish.
    if (channel.isEmpty() || channel.size() > 64)
        return false;
    return std::all_of(channel.begin(), channel.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
               || u == '_' || u == '.' || u == ':' || u == '-';
    });
}

QString EventCodec::typeName(EventType type)
{
    return QString::fromLatin1(eventSchema(type).name);
}

std::optional<EventType> EventCodec::typeFromName(const QString &name)
{
    for (const EventTypeSchema &schema : eventSchemas()) {
        if (name == QLatin1StringView(schema.name))
            return schema.type;
    }
    return std::nullopt;
}

QString EventCodec::channelFor(EventType type)
{
    return QString::fromLatin1(eventSchema(type).channel);
}

std::optional<EventType> EventCodec::typeForChannel(const QString &channel)
{
    for (const EventTypeSchema &schema : eventSchemas()) {
        if (channel == QLatin1StringView(schema.channel))
            return schema.type;
    }
    return std::nullopt;
}

EventDecodeResult EventCodec::decode(const QString &channel, const QByteArray &payload)
{
    const std::optional<EventType> channelType = typeForChannel(channel);
    if (!channelType)
        return refused(QStringLiteral("unknown channel %1").arg(channel.left(80)));
    if (payload.size() > kMaxPayloadBytes)
        return refused(QStringLiteral("larger than %1 bytes").arg(kMaxPayloadBytes));
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    [[maybe_unused]] const QString text = utf8(payload);
    if (utf8.hasError())
        return refused(QStringLiteral("not UTF-8"));

    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonDocument takes no top-level scalar; "42" is JSON all the same, just not an event.
        return refused(parseJsonValue(payload) ? QStringLiteral("not a JSON object")
                                               : QStringLiteral("not JSON"));
    }
    if (!document.isObject())
        return refused(QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();

    FieldChecker check(object);
    if (!check.requireText(QStringLiteral("type")).isEmpty())
        return refused(check.reason());
    const QString typeText = object.value(QStringLiteral("type")).toString();
    const std::optional<EventType> type = typeFromName(typeText);
    if (!type)
        return refused(QStringLiteral("unknown type %1").arg(typeText.left(80)));
    if (*type != *channelType)
        return refused(QStringLiteral("type %1 does not belong on %2").arg(typeText, channel));

    if (!check.requireNumber(QStringLiteral("timestamp")).isEmpty())
        return refused(check.reason());
    const double timestamp = object.value(QStringLiteral("timestamp")).toDouble();
    if (timestamp < 0 || timestamp > kMaxSafeInteger || timestamp != std::floor(timestamp))
        return refused(QStringLiteral("timestamp is not a time in milliseconds"));
    check.optionalText(QStringLiteral("source"));
    // `id` is the record's id where the type declares it (data:update, finance:change), an
    // optional event id else.
    const EventTypeSchema &schema = eventSchema(*type);
    if (!schema.declares("id"))
        check.optionalText(QStringLiteral("id"));
    if (!check.reason().isEmpty() || !checkFields(schema, check, object).isEmpty())
        return refused(check.reason());

    HubEvent event;
    event.type = *type;
    event.channel = channel;
    event.timestamp = static_cast<qint64>(timestamp);
    event.source = object.value(QStringLiteral("source")).toString();
    event.fields = object;
    return {event, {}};
}

QByteArray EventCodec::encode(const HubEvent &event)
{
    QJsonObject object = event.fields;
    object.insert(QStringLiteral("type"), typeName(event.type));
    object.insert(QStringLiteral("timestamp"), double(event.timestamp));
    if (!event.source.isEmpty())
        object.insert(QStringLiteral("source"), event.source);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Result<QByteArray> EventCodec::build(EventType type, const QJsonObject &fields,
                                     const QString &source, qint64 timestampMs)
{
    QJsonObject object = fields;
    object.insert(QStringLiteral("type"), typeName(type));
    object.insert(QStringLiteral("timestamp"), double(timestampMs));
    if (!source.isEmpty())
        object.insert(QStringLiteral("source"), source);
    QByteArray payload = QJsonDocument(object).toJson(QJsonDocument::Compact);
    const EventDecodeResult checked = decode(channelFor(type), payload);
    if (!checked.event)
        return Error{checked.reason};
    return payload;
}

}  // namespace kucun
