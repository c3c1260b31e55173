#include "sharedhistory.h"

#include "core/jsonvalue.h"
#include "events/hubevent.h"
#include "redis/redisclient.h"
#include "sharedhistoryscripts.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QUuid>

namespace kucun {

Q_LOGGING_CATEGORY(lcShared, "kucun.ws.shared")

namespace {

struct Script
{
    QByteArray text;
    QByteArray sha;
};

Script script(const char *text)
{
    const QByteArray body(text);
    return {body, QCryptographicHash::hash(body, QCryptographicHash::Sha1).toHex()};
}

const Script &stampScript()
{
    static const Script s = script(sharedscripts::kStamp);
    return s;
}

const Script &positionScript()
{
    static const Script s = script(sharedscripts::kPosition);
    return s;
}

const Script &leaseScript()
{
    static const Script s = script(sharedscripts::kLease);
    return s;
}

const Script &releaseScript()
{
    static const Script s = script(sharedscripts::kRelease);
    return s;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray number(qint64 value)
{
    return QByteArray::number(value);
}

bool isEpochText(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 64)
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

std::optional<qint64> wholeNumber(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// EVALSHA, falling back to EVAL once when Redis does not know the script yet.
void evaluate(RedisClient &redis, const Script &script, QList<QByteArray> keysAndArgs, int keyCount,
              QObject *context, std::function<void(const RedisReply &)> done)
{
    QList<QByteArray> command{QByteArrayLiteral("EVALSHA"), script.sha, number(keyCount)};
    command += keysAndArgs;
    // In order on one connection: stamps reach Redis as the hub asked for them, so a client's
    // publishes keep their order.
    RedisClient *client = &redis;  // outlives every part that asks (Engine::Parts)
    client->commandInOrder(
        command, context,
        [client, scriptText = script.text, keysAndArgs = std::move(keysAndArgs), keyCount, context,
         done = std::move(done)](const RedisReply &reply) mutable {
            if (!reply.isError() || !reply.text.startsWith("NOSCRIPT")) {
                done(reply);
                return;
            }
            QList<QByteArray> again{QByteArrayLiteral("EVAL"), scriptText, number(keyCount)};
            again += keysAndArgs;
            client->commandInOrder(again, context, std::move(done));
        });
}

}  // namespace

quint64 ingestTag(const QString &channel, const QByteArray &dataText)
{
    quint64 hash = 14695981039346656037ULL;
    const auto mix = [&hash](QByteArrayView bytes) {
        for (const char c : bytes) {
            hash ^= quint8(c);
            hash *= 1099511628211ULL;
        }
    };
    mix(channel.toUtf8());
    mix(QByteArrayView("\0", 1));
    mix(dataText);
    return hash != 0 ? hash : 1;  // 0 stands for "no tag"
}

std::optional<SharedMessage> parseStampedMessage(const QString &channel, const QByteArray &payload,
                                                 quint64 *tag)
{
    if (!EventCodec::isValidChannelName(channel))
        return std::nullopt;
    const qsizetype newline = payload.indexOf('\n');
    if (newline < 0 || newline > 200)
        return std::nullopt;
    const QList<QByteArray> header = payload.left(newline).split(' ');
    if (header.size() != 4 || !isEpochText(header[0]))
        return std::nullopt;
    const std::optional<qint64> offset = wholeNumber(header[1]);
    const std::optional<qint64> timestamp = wholeNumber(header[2]);
    if (!offset || *offset < 1 || !timestamp)
        return std::nullopt;
    quint64 tagValue = 0;
    if (header[3] != "-") {
        bool ok = false;
        tagValue = header[3].toULongLong(&ok, 16);
        if (!ok)
            return std::nullopt;
    }
    // The envelope must be the one the script writes for this channel, offset and time, and
    // what it wraps must be JSON: clients get it as it is.
    const QByteArray envelope = payload.mid(newline + 1);
    const QByteArray head = "{\"channel\":\"" + channel.toLatin1() + "\",\"data\":";
    const QByteArray tail = ",\"offset\":" + header[1] + ",\"ts\":" + header[2] + '}';
    if (!envelope.startsWith(head) || !envelope.endsWith(tail)
        || envelope.size() < head.size() + tail.size() + 1)
        return std::nullopt;
    const QByteArrayView data
        = QByteArrayView(envelope).sliced(head.size(), envelope.size() - head.size() - tail.size());
    if (!parseJsonValue(data.toByteArray()))
        return std::nullopt;
    if (tag)
        *tag = tagValue;
    return SharedMessage{channel, QString::fromLatin1(header[0]), *offset, *timestamp, envelope};
}

SharedHistory::SharedHistory(RedisClient &client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_prefix(m_options.keyNamespace.toUtf8() + ":ws:")
    , m_pattern(m_prefix + '*')
    , m_leaseKey(m_options.keyNamespace.toUtf8() + ":ws-ingest-lease")
    , m_echoPrefix(m_options.keyNamespace.toUtf8() + ":ws-echo:")
    , m_oncePrefix(m_options.keyNamespace.toUtf8() + ":ws-once:")
    , m_epochPrefix(QUuid::createUuid().toString(QUuid::Id128).left(16).toLatin1())
    , m_leaseTimer(new QTimer(this))
    , m_takeOverTimer(new QTimer(this))
{
    connect(&m_client, &RedisClient::stateChanged, this, &SharedHistory::redisStateChanged);
    connect(&m_client, &RedisClient::messageReceived, this, &SharedHistory::received);
    m_client.psubscribe({m_pattern});
    // Renewed three times per lease, so a busy moment does not cost it.
    m_leaseTimer->setInterval(m_options.leaseTime / 3);
    connect(m_leaseTimer, &QTimer::timeout, this, &SharedHistory::tendLease);
    m_takeOverTimer->setSingleShot(true);
    connect(m_takeOverTimer, &QTimer::timeout, this, &SharedHistory::stampPending);
    redisStateChanged();
}

SharedHistory::~SharedHistory() = default;

bool SharedHistory::active() const
{
    return m_active;
}

void SharedHistory::redisStateChanged()
{
    const int round = ++m_round;
    if (m_client.state() != RedisClient::State::Up) {
        if (!m_active)
            return;
        m_active = false;
        m_replicationId.clear();
        m_leaseTimer->stop();
        m_takeOverTimer->stop();
        m_leaseHeld = false;
        // Whether the holder stamped these before Redis went is unknowable; Pub/Sub would have
        // lost them too.
        m_ingestLost += qint64(m_pending.size());
        m_pending.clear();
        emit activeChanged(false);
        return;
    }
    if (m_active)
        return;
    // Which dataset this is, before anything is stamped in it: a Redis that restarted or a
    // replica promoted has another replication id, and may have lost the last writes (an older
    // snapshot, asynchronous replication). Streams stamped under another id start a new epoch,
    // so that no client recovers offsets that were given again.
    m_client.commandInOrder({QByteArrayLiteral("INFO"), QByteArrayLiteral("replication")}, this,
                            [this, round](const RedisReply &reply) {
                                if (round != m_round)
                                    return;
                                const qsizetype at = reply.text.indexOf("master_replid:");
                                const QByteArray id
                                    = at < 0 ? QByteArray() : reply.text.mid(at + 14, 40).trimmed();
                                if (reply.isError() || id.isEmpty()) {
                                    qCWarning(lcShared).noquote()
                                        << "cannot tell which Redis dataset this is ("
                                        << reply.errorText() << "); channels stay local for now";
                                    QTimer::singleShot(1000, this, [this, round] {
                                        if (round == m_round)
                                            redisStateChanged();
                                    });
                                    return;
                                }
                                m_replicationId = id;
                                m_active = true;
                                // Loaded before anything runs them (the same connection keeps the
                                // order), so that a Redis that restarted empty never answers
                                // NOSCRIPT and has a first publish run after a second one.
                                for (const Script *s : {&stampScript(), &positionScript(),
                                                        &leaseScript(), &releaseScript()}) {
                                    m_client.commandInOrder({QByteArrayLiteral("SCRIPT"),
                                                             QByteArrayLiteral("LOAD"), s->text},
                                                            this, [](const RedisReply &) {});
                                }
                                tendLease();
                                m_leaseTimer->start();
                                emit activeChanged(true);
                            });
}

QByteArray SharedHistory::epochCandidate()
{
    // A stream made from it is new: no epoch may come twice. Random per hub, counted per call:
    // a message needs no random bytes of its own (most never start a stream).
    return m_epochPrefix + QByteArray::number(++m_epochsOffered, 16);
}

QByteArray SharedHistory::key(const QString &channel, const char *suffix) const
{
    return m_prefix + channel.toUtf8() + ':' + suffix;
}

void SharedHistory::runStamp(StampKind kind, const QString &channel, const QByteArray &dataText,
                             qint64 timestampMs, const QByteArray &tag, QObject *context,
                             std::function<void(const RedisReply &)> done,
                             const QByteArray &onceKey)
{
    const Script &s = stampScript();
    const QByteArray name = channel.toUtf8();
    evaluate(m_client, s,
             {key(channel, "offset"),
              key(channel, "epoch"),
              key(channel, "history"),
              m_leaseKey,
              m_echoPrefix + tag,
              m_oncePrefix + onceKey,
              key(channel, "replid"),
              name,
              dataText,
              number(timestampMs),
              epochCandidate(),
              m_prefix + name,
              tag,
              kind == StampKind::Ingest ? m_options.instanceId.toUtf8() : QByteArray(),
              number(m_options.maxMessages),
              number(m_options.maxAge.count()),
              number(m_options.keyTime.count()),
              kind == StampKind::Publish ? QByteArrayLiteral("ws:") + name : QByteArray(),
              kind == StampKind::Once ? number(kOnceWindow.count()) : QByteArray(),
              m_replicationId},
             7, context, std::move(done));
}

void SharedHistory::publish(const QString &channel, const QByteArray &dataText, qint64 timestampMs,
                            QObject *context, StampDone done)
{
    // Tagged as an ingested message is: every hub hears it back on ws:<channel> and knows it for
    // this one when the stamped copy comes by. Its router writes the data out again
    // (jsonValueText): the tag is that text's, whatever spacing the publisher used.
    const std::optional<QJsonValue> parsed = parseJsonValue(dataText);
    const QByteArray heardAs = parsed ? jsonValueText(*parsed) : dataText;
    const auto own = std::make_shared<OwnPublish>(OwnPublish{ingestTag(channel, heardAs), {}});
    m_ownPublishes.push_back(own);
    runStamp(
        StampKind::Publish, channel, dataText, timestampMs, QByteArray::number(own->tag, 16),
        context,
        [self = QPointer<SharedHistory>(this), own,
         done = std::move(done)](const RedisReply &reply) {
            if (self)
                self->m_ownPublishes.removeOne(own);
            if (reply.type == RedisReply::Type::Array && reply.elements.size() == 2
                && reply.elements[0].type == RedisReply::Type::Integer) {
                done(Stamp{reply.elements[0].integer, QString::fromLatin1(reply.elements[1].text)});
            } else if (own->seen) {
                // Redis went away after it ran the script, and its stamped copy got here
                // before the answer could: stamped all the same, not to be delivered again.
                done(*own->seen);
            } else {
                done(Error{reply.isError() ? reply.errorText()
                                           : QStringLiteral("unexpected reply")});
            }
        });
}

void SharedHistory::ingest(const QString &channel, const QByteArray &dataText, qint64 timestampMs)
{
    Pending item{channel, dataText, timestampMs, ingestTag(channel, dataText), nowMs()};
    // Kept in order behind what is waiting already: a holder that just took over stamps those
    // first.
    if (m_leaseHeld && m_pending.empty() && !m_takeOverTimer->isActive()) {
        stampIngested(std::move(item));
        return;
    }
    dropStalePending(item.heardAtMs);
    m_pending.push_back(std::move(item));
}

void SharedHistory::stampIngested(Pending item)
{
    const QByteArray tag = QByteArray::number(item.tag, 16);
    const QString channel = item.channel;
    const QByteArray dataText = item.dataText;
    const qint64 timestampMs = item.timestampMs;
    runStamp(StampKind::Ingest, channel, dataText, timestampMs, tag, this,
             [this, item = std::move(item)](const RedisReply &reply) mutable {
                 if (reply.type == RedisReply::Type::Integer) {
                     // A hub's own publish coming back on ws:<channel>: stamped already.
                 } else if (reply.isNil()) {
                     // Another hub holds the lease now: it stamps what it heard, this one
                     // included; kept until its stamped copy comes by.
                     m_leaseHeld = false;
                     m_pending.push_back(std::move(item));
                 } else if (reply.isError() && !reply.connectionError) {
                     qCWarning(lcShared).noquote() << "Redis refused to stamp a message on"
                                                   << item.channel << ":" << reply.errorText();
                 }
             });
}

void SharedHistory::stampOnce(const QString &channel, const QByteArray &dataText,
                              qint64 timestampMs, const QString &key)
{
    runStamp(
        StampKind::Once, channel, dataText, timestampMs, QByteArrayLiteral("-"), this,
        [channel](const RedisReply &reply) {
            // 0: another hub stamped it first.
            if (reply.isError() && !reply.connectionError) {
                qCWarning(lcShared).noquote()
                    << "Redis refused to stamp a message on" << channel << ":" << reply.errorText();
            }
        },
        key.toUtf8());
}

void SharedHistory::position(const QString &channel, const std::optional<StreamPosition> &since,
                             QObject *context, PositionDone done)
{
    const Script &s = positionScript();
    evaluate(m_client, s,
             {key(channel, "offset"), key(channel, "epoch"), key(channel, "history"),
              key(channel, "replid"), since ? number(since->offset) : QByteArray(),
              since ? since->epoch.toUtf8() : QByteArray(), epochCandidate(),
              number(m_options.maxAge.count()), number(m_options.maxAge.count()),
              number(m_options.maxMessages), m_replicationId},
             4, context, [done = std::move(done)](const RedisReply &reply) {
                 const QList<RedisReply> &parts = reply.elements;
                 if (reply.type != RedisReply::Type::Array || parts.size() < 2
                     || parts[0].type != RedisReply::Type::String
                     || parts[1].type != RedisReply::Type::Integer) {
                     done(Error{reply.isError() ? reply.errorText()
                                                : QStringLiteral("unexpected reply")});
                     return;
                 }
                 Position position;
                 position.epoch = QString::fromLatin1(parts[0].text);
                 position.offset = parts[1].integer;
                 position.recovered = parts.size() >= 3 && parts[2].integer == 1;
                 for (qsizetype i = 3; i < parts.size(); ++i)
                     position.envelopes.append(parts[i].text);
                 done(position);
             });
}

void SharedHistory::tendLease()
{
    const Script &s = leaseScript();
    evaluate(m_client, s,
             {m_leaseKey, m_options.instanceId.toUtf8(), number(m_options.leaseTime.count())}, 1,
             this, [this](const RedisReply &reply) {
                 const bool held = reply.type == RedisReply::Type::Integer && reply.integer == 1;
                 if (held && !m_leaseHeld) {
                     qCInfo(lcShared) << "this hub now stamps the messages every hub hears";
                     m_takeOverTimer->start(kTakeOverGrace);
                 }
                 m_leaseHeld = held;
             });
    dropStalePending(nowMs());
}

void SharedHistory::stampPending()
{
    if (!m_leaseHeld)
        return;
    dropStalePending(nowMs());
    while (!m_pending.empty()) {
        stampIngested(std::move(m_pending.front()));
        m_pending.pop_front();
    }
}

void SharedHistory::releaseLease()
{
    if (!m_leaseHeld || !m_active)
        return;
    m_leaseHeld = false;
    const Script &s = releaseScript();
    evaluate(m_client, s, {m_leaseKey, m_options.instanceId.toUtf8()}, 1, this,
             [](const RedisReply &) {});
}

void SharedHistory::forgetPendingStamped(quint64 tag)
{
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (it->tag == tag) {
            m_pending.erase(it);
            return;
        }
    }
}

void SharedHistory::dropStalePending(qint64 now)
{
    while (!m_pending.empty() && now - m_pending.front().heardAtMs > kPendingTime.count()) {
        m_pending.pop_front();
        ++m_ingestLost;
    }
}

void SharedHistory::received(const QByteArray &pattern, const QByteArray &channel,
                             const QByteArray &payload)
{
    if (pattern != m_pattern || !channel.startsWith(m_prefix))
        return;
    // Queued, as the bus queues what it hears: a hub's publish goes out on ws:<channel> before
    // its stamped copy, and this hub must have ingested the one when it takes in the other.
    QMetaObject::invokeMethod(
        this, [this, channel, payload] { take(channel, payload); }, Qt::QueuedConnection);
}

void SharedHistory::take(const QByteArray &channel, const QByteArray &payload)
{
    // Redis went away since: the hub went on with local streams, and what it published then was
    // delivered here already.
    if (!m_active)
        return;
    const QString name = QString::fromUtf8(channel.mid(m_prefix.size()));
    quint64 tag = 0;
    std::optional<SharedMessage> message = parseStampedMessage(name, payload, &tag);
    if (!message) {
        ++m_malformed;
        qCDebug(lcShared) << "dropped a malformed stamped message on" << channel.left(100);
        return;
    }
    if (tag != 0) {
        for (const std::shared_ptr<OwnPublish> &own : std::as_const(m_ownPublishes)) {
            if (own->tag == tag && !own->seen) {
                own->seen = Stamp{message->offset, message->epoch};
                break;
            }
        }
        if (!m_pending.empty())
            forgetPendingStamped(tag);
    }
    if (m_receiver)
        m_receiver(*message);
}

}  // namespace kucun
