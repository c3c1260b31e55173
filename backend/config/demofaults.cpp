#include "demofaults.h"

#include "core/jsonvalue.h"
#include "settingparsers.h"

#include <QJsonValue>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace kucun {

namespace {

// The numeric faults, in the order text() writes them.
struct NumericFault
{
    const char *word;  // in --demo-fault
    const char *jsonName;
    int DemoFaults::*member;
    int maximum;
    const char *unit;  // in messages
};

constexpr NumericFault kNumericFaults[] = {
    {"slow", "slowLoaderMs", &DemoFaults::loaderLatencyMs, DemoFaults::kMaxLoaderLatencyMs,
     "milliseconds of loader latency"},
    {"fail", "failingLoadersPercent", &DemoFaults::failingLoadersPercent, 100,
     "percent of loader calls that fail"},
    {"stampede", "stampedeReaders", &DemoFaults::stampedeReaders, DemoFaults::kMaxStampedeReaders,
     "concurrent readers of one key"},
    {"burst", "burstEventsPerSecond", &DemoFaults::burstEventsPerSecond, DemoFaults::kMaxBurst,
     "events per second"},
};

constexpr auto kRedisCutWord = "redis-cut";
constexpr auto kRedisCutJson = "redisCut";

QString outOfRange(const NumericFault &fault, const QString &value)
{
    return QStringLiteral("%1 is not a number from 0 to %2 (%3)")
        .arg(value)
        .arg(fault.maximum)
        .arg(QLatin1String(fault.unit));
}

QString allowedItems()
{
    QStringList words;
    for (const NumericFault &fault : kNumericFaults)
        words << QStringLiteral("%1=N").arg(QLatin1String(fault.word));
    words << QLatin1String(kRedisCutWord);
    return words.join(QStringLiteral(", "));
}

}  // namespace

QString DemoFaults::text() const
{
    QStringList items;
    for (const NumericFault &fault : kNumericFaults) {
        if (this->*fault.member > 0)
            items
                << QStringLiteral("%1=%2").arg(QLatin1String(fault.word)).arg(this->*fault.member);
    }
    if (redisCut)
        items << QLatin1String(kRedisCutWord);
    return items.isEmpty() ? QStringLiteral("none") : items.join(u',');
}

Result<DemoFaults> DemoFaults::parse(const QString &text)
{
    DemoFaults faults;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed == u"none")
        return faults;
    QSet<QString> seen;
    for (const QString &rawItem : trimmed.split(u',')) {
        const QString item = rawItem.trimmed();
        const QString word = item.section(u'=', 0, 0);
        if (seen.contains(word))
            return Error{QStringLiteral("%1 is given twice").arg(quotedForMessage(word))};
        seen.insert(word);
        if (word == QLatin1String(kRedisCutWord) && !item.contains(u'=')) {
            faults.redisCut = true;
            continue;
        }
        const auto *fault = std::find_if(std::begin(kNumericFaults), std::end(kNumericFaults),
                                         [&word](const NumericFault &candidate) {
                                             return word == QLatin1String(candidate.word);
                                         });
        if (fault == std::end(kNumericFaults) || !item.contains(u'=')) {
            return Error{QStringLiteral("%1 is not a fault; expected %2")
                             .arg(quotedForMessage(item), allowedItems())};
        }
        const QString value = item.section(u'=', 1);
        bool number = false;
        const int parsed = value.toInt(&number);
        if (!number || parsed < 0 || parsed > fault->maximum)
            return Error{
                QStringLiteral("%1: %2").arg(word, outOfRange(*fault, quotedForMessage(value)))};
        faults.*fault->member = parsed;
    }
    return faults;
}

QJsonObject DemoFaults::toJson() const
{
    QJsonObject json;
    for (const NumericFault &fault : kNumericFaults)
        json.insert(QLatin1String(fault.jsonName), this->*fault.member);
    json.insert(QLatin1String(kRedisCutJson), redisCut);
    return json;
}

Result<DemoFaults> DemoFaults::fromJson(const QJsonObject &json, const DemoFaults &base)
{
    DemoFaults faults = base;
    QSet<QString> known{QLatin1String(kRedisCutJson)};
    for (const NumericFault &fault : kNumericFaults) {
        const QString name = QLatin1String(fault.jsonName);
        known.insert(name);
        if (!json.contains(name))
            continue;
        const QJsonValue value = json.value(name);
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number != std::floor(number) || number < 0
            || number > fault.maximum) {
            return Error{QStringLiteral("%1: %2").arg(
                name, outOfRange(fault, QString::fromUtf8(jsonValueText(value))))};
        }
        faults.*fault.member = int(number);
    }
    if (json.contains(QLatin1String(kRedisCutJson))) {
        const QJsonValue value = json.value(QLatin1String(kRedisCutJson));
        if (!value.isBool())
            return Error{QStringLiteral("redisCut: expected true or false")};
        faults.redisCut = value.toBool();
    }
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key()))
            return Error{QStringLiteral("%1 is not a fault").arg(quotedForMessage(it.key()))};
    }
    return faults;
}

Result<DemoFaults> DemoFaults::fromJson(const QJsonObject &json)
{
    return fromJson(json, DemoFaults());
}

}  // namespace kucun
