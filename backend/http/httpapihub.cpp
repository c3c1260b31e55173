// The WebSocket side of the server API: publish, channels, clients.
#include "core/jsonvalue.h"
#include "events/hubevent.h"
#include "httpapi.h"
#include "httpapicall.h"
#include "ws/wshub.h"
#include "ws/wsinfojson.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kucun {

namespace {

struct Publication
{
    QString channel;
    QByteArray dataText;  // written out once, for the size check and the envelope
};

// One {"channel","data"} object checked; else why not, for the 400. `written` is the element's
// text in the body, when known: its data is passed on as it was written instead of written out
// again.
std::optional<QString> readPublication(const QJsonValue &value, QByteArrayView written,
                                       Publication &out)
{
    if (!value.isObject())
        return QStringLiteral("expected {\"channel\":…,\"data\":…}");
    const QJsonObject object = value.toObject();
    const QJsonValue channel = object.value(QStringLiteral("channel"));
    if (!channel.isString() || !EventCodec::isValidChannelName(channel.toString()))
        return QStringLiteral("channel must be a channel name (1-64 of A-Z a-z 0-9 _ . : -)");
    if (!object.contains(QStringLiteral("data")))
        return QStringLiteral("data is missing");
    const std::optional<QByteArrayView> dataText
        = written.isEmpty() ? std::nullopt : memberText(written, "data");
    out = {channel.toString(), dataText ? dataText->toByteArray()
                                        : jsonValueText(object.value(QStringLiteral("data")))};
    return std::nullopt;
}

// {"channel":C,"offset":N}; `channel` is a checked channel name, which needs no escaping.
QByteArray published(const QString &channel, qint64 offset)
{
    return "{\"channel\":\"" + channel.toLatin1() + "\",\"offset\":" + QByteArray::number(offset)
           + '}';
}

}  // namespace

void HttpApi::publish(const Call &call)
{
    const std::optional<QJsonValue> body = call.jsonBody();
    if (!body)
        return;
    const bool batch = body->isArray();
    const QJsonArray items = batch ? body->toArray() : QJsonArray{*body};
    if (items.size() > kMaxPublishBatch) {
        call.fail(413, QStringLiteral("too_large"),
                  QStringLiteral("at most %1 messages per call").arg(kMaxPublishBatch));
        return;
    }
    const QByteArrayView bodyText(call.request.body);
    QList<QByteArrayView> written
        = batch ? elementTexts(bodyText) : QList<QByteArrayView>{bodyText};
    if (written.size() != items.size())
        written.clear();  // not as the parser read it: each data is written out again
    // All are checked before any goes out: a bad element changes nothing.
    QList<Publication> publications(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (const auto refusal = readPublication(items[i], written.value(i), publications[i])) {
            call.fail(400, QStringLiteral("bad_json"),
                      batch ? QStringLiteral("element %1: %2").arg(i).arg(*refusal) : *refusal);
            return;
        }
        // Too large for clients: the WebSocket side's `too_large`, with HTTP's status for it.
        const Publication &publication = publications[i];
        if (const auto refusal
            = WsHub::tooLargeForClients(publication.channel, publication.dataText)) {
            call.fail(413, QStringLiteral("too_large"),
                      batch ? QStringLiteral("element %1: %2").arg(i).arg(*refusal) : *refusal);
            return;
        }
    }
    // The answers are written as text: channel names are plain ASCII (checked above), and the
    // JSON writer was a tenth of a publish. On a shared stream each offset comes from Redis:
    // the call is answered once the last has.
    struct Answers
    {
        QList<QByteArray> texts;
        qsizetype pending = 0;
    };
    const auto answers = std::make_shared<Answers>();
    answers->texts.resize(publications.size());
    answers->pending = publications.size();
    const auto finish = [answers, batch, respond = call.respond] {
        HttpResponse response;
        response.body = batch ? '[' + answers->texts.join(',') + ']' : answers->texts.front();
        respond(response);
    };
    for (qsizetype i = 0; i < publications.size(); ++i) {
        const QString channel = publications[i].channel;
        m_parts.hub->publishText(channel, publications[i].dataText,
                                 [answers, finish, channel, i](const Result<qint64> &offset) {
                                     // Checked above against the same limit; a refusal here would
                                     // be a bug, said plainly.
                                     answers->texts[i]
                                         = offset ? published(channel, offset.value())
                                                  : jsonValueText(QJsonObject{
                                                      {QStringLiteral("error"), offset.error()}});
                                     if (--answers->pending == 0)
                                         finish();
                                 });
    }
}

void HttpApi::channels(const Respond &respond) const
{
    QJsonArray rows;
    for (const ChannelRegistry::ChannelInfo &channel : m_parts.hub->channelInfos())
        rows.append(channelInfoJson(channel));
    respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("channels"), rows}}));
}

void HttpApi::clients(const Respond &respond) const
{
    QJsonArray rows;
    for (const WsClientInfo &client : m_parts.hub->clientInfos())
        rows.append(clientInfoJson(client));
    respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("clients"), rows}}));
}

void HttpApi::disconnectClient(const QString &id, const Respond &respond)
{
    if (!m_parts.hub->disconnectClient(id)) {
        respond(HttpResponse::error(404, QStringLiteral("not_found"),
                                    QStringLiteral("no client '%1'").arg(id.left(100))));
        return;
    }
    respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("disconnected"), id}}));
}

}  // namespace kucun
