#include "eventrecording.h"

#include "core/jsonvalue.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace kucun::EventRecording {

namespace {

// What the bus carries: Redis channel names, as the routing table and ws:<channel> use them.
bool isBusChannel(const QString &channel)
{
    if (channel.isEmpty() || channel.size() > 256)
        return false;
    for (const QChar c : channel) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

}  // namespace

QByteArray line(const RecordedMessage &message)
{
    const QJsonObject object{{QStringLiteral("t"), message.atMs},
                             {QStringLiteral("channel"), message.channel},
                             {QStringLiteral("payload"), QString::fromUtf8(message.payload)}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

LineRead read(QByteArrayView line, qint64 previousAtMs)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("not a JSON object");
    const QJsonObject object = document.object();
    const QJsonValue t = object.value(QStringLiteral("t"));
    const double at = t.toDouble(-1);
    if (!t.isDouble() || at < 0 || at != double(qint64(at)) || at > 1e15)
        return QStringLiteral("\"t\" must be a whole number of milliseconds, 0 or more");
    if (qint64(at) < previousAtMs)
        return QStringLiteral("\"t\" goes back in time (%1 after %2)")
            .arg(qint64(at))
            .arg(previousAtMs);
    const QString channel = object.value(QStringLiteral("channel")).toString();
    if (!isBusChannel(channel))
        return QStringLiteral("\"channel\" must be a channel name (1-256 characters, no spaces)");
    const QJsonValue payload = object.value(QStringLiteral("payload"));
    if (payload.isUndefined())
        return QStringLiteral("\"payload\" is missing");
    return RecordedMessage{qint64(at), channel,
                           payload.isString() ? payload.toString().toUtf8()
                                              : jsonValueText(payload)};
}

}  // namespace kucun::EventRecording
