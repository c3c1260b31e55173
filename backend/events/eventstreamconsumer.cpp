#include "eventstreamconsumer.h"

#include "eventrouter.h"
#include "hubevent.h"
#include "redis/redisclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcEvents)

namespace {

constexpr std::chrono::seconds kLagInterval{1};

// The value of `name` in a flat [name, value, name, value…] reply.
const RedisReply *fieldOf(const RedisReply &fields, const QByteArray &name)
{
    for (qsizetype i = 0; i + 1 < fields.elements.size(); i += 2) {
        if (fields.elements[i].text == name)
            return &fields.elements[i + 1];
    }
    return nullptr;
}

}  // namespace

EventStreamConsumer::EventStreamConsumer(RedisClient &client, EventRouter &router, Options options,
                                         QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_router(router)
    , m_options(std::move(options))
    , m_lagTimer(new QTimer(this))
{
    connect(&m_client, &RedisClient::stateChanged, this, &EventStreamConsumer::redisStateChanged);
    connect(m_lagTimer, &QTimer::timeout, this, &EventStreamConsumer::measureLag);
    m_lagTimer->start(kLagInterval);
    redisStateChanged();
}

EventStreamConsumer::~EventStreamConsumer() = default;

void EventStreamConsumer::redisStateChanged()
{
    ++m_generation;
    delete m_reader;
    m_reader = nullptr;
    if (m_client.state() != RedisClient::State::Up)
        return;
    // What was missed while the hub or Redis was away comes first, in order.
    m_reader = new RedisConnection(m_client.serverUrl(), this);
    connect(m_reader, &RedisConnection::ready, this, &EventStreamConsumer::readerReady);
    // A reader that fails alone (Redis closed it) comes back with the next state change; the
    // pool's connections fail with it when Redis goes.
    connect(m_reader, &RedisConnection::failed, this, [this](const QString &reason) {
        qCWarning(lcEvents).noquote() << "the event stream's reader failed:" << reason;
        QTimer::singleShot(1000, this, [this, generation = m_generation] {
            if (generation == m_generation && m_reader)
                m_reader->open();
        });
    });
    m_reader->open();
}

void EventStreamConsumer::readerReady()
{
    createGroup();
}

void EventStreamConsumer::createGroup()
{
    // A new group starts at the stream's end: a hub that never read it does not act on old
    // events (a cascade of yesterday's, a WebSocket message nobody waits for).
    m_reader->command(
        {"XGROUP", "CREATE", m_options.stream, m_options.group.toUtf8(), "$", "MKSTREAM"}, this,
        [this, generation = m_generation](const RedisReply &reply) {
            if (generation != m_generation)
                return;
            if (reply.isError() && !reply.text.startsWith("BUSYGROUP")) {
                if (reply.connectionError)
                    return;  // the reader comes back by itself
                qCWarning(lcEvents).noquote() << "cannot read the event stream" << m_options.stream
                                              << ":" << reply.errorText();
                // Read-only during a failover, out of memory: asked again.
                QTimer::singleShot(1000, this, [this, generation] {
                    if (generation == m_generation)
                        createGroup();
                });
                return;
            }
            claimDead("0-0");
        });
}

void EventStreamConsumer::claimDead(const QByteArray &cursor)
{
    // Entries an earlier run of this instance read and never acknowledged: it was killed. They
    // become this run's, and the read of its own pending entries below handles them in order.
    m_reader->command(
        {"XAUTOCLAIM", m_options.stream, m_options.group.toUtf8(), m_options.consumer.toUtf8(), "0",
         cursor, "COUNT", QByteArray::number(m_options.batch), "JUSTID"},
        this, [this, generation = m_generation](const RedisReply &reply) {
            if (generation != m_generation)
                return;
            if (reply.type != RedisReply::Type::Array || reply.elements.size() < 2) {
                qCWarning(lcEvents).noquote()
                    << "cannot claim the event stream's pending entries:" << reply.errorText();
                read("0");
                return;
            }
            m_claimed += reply.elements[1].elements.size();
            const QByteArray next = reply.elements[0].text;
            if (next == "0-0" || next.isEmpty())
                read("0");
            else
                claimDead(next);
        });
}

void EventStreamConsumer::read(const QByteArray &from)
{
    const bool fresh = from == ">";
    QList<QByteArray> command{"XREADGROUP",
                              "GROUP",
                              m_options.group.toUtf8(),
                              m_options.consumer.toUtf8(),
                              "COUNT",
                              QByteArray::number(m_options.batch)};
    if (fresh)
        command << "BLOCK" << QByteArray::number(m_options.block.count());
    command << "STREAMS" << m_options.stream << from;
    m_reader->command(command, this,
                      [this, fresh, generation = m_generation](const RedisReply &reply) {
                          if (generation != m_generation)
                              return;
                          if (reply.isError()) {
                              if (!reply.connectionError) {
                                  qCWarning(lcEvents).noquote()
                                      << "cannot read the event stream:" << reply.errorText();
                                  // The group was destroyed, the key replaced: start over.
                                  QTimer::singleShot(1000, this, [this, generation] {
                                      if (generation == m_generation)
                                          createGroup();
                                  });
                              }
                              return;
                          }
                          QByteArray last;
                          const bool any = handleEntries(reply);
                          if (!fresh && any) {
                              // Own pending entries go on after the last one handled.
                              const RedisReply &entries = reply.elements[0].elements[1];
                              last = entries.elements.back().elements[0].text;
                              read(last);
                              return;
                          }
                          read(">");
                      });
}

bool EventStreamConsumer::handleEntries(const RedisReply &reply)
{
    // [[stream, [[id, [field, value…]], …]]], or nil when nothing came within BLOCK.
    if (reply.type != RedisReply::Type::Array || reply.elements.isEmpty())
        return false;
    const RedisReply &stream = reply.elements[0];
    if (stream.elements.size() < 2)
        return false;
    const RedisReply &entries = stream.elements[1];
    for (const RedisReply &entry : entries.elements) {
        if (entry.elements.size() < 2)
            continue;
        handleEntry(entry.elements[0].text, entry.elements[1]);
    }
    return !entries.elements.isEmpty();
}

void EventStreamConsumer::handleEntry(const QByteArray &id, const RedisReply &fields)
{
    // Read again after the reader reconnected while its cascade is still on its way: once is
    // enough.
    if (m_inFlight.contains(id))
        return;
    const QString streamChannel = QStringLiteral("stream:") + QString::fromUtf8(m_options.stream);
    const RedisReply *event = fields.isNil() ? nullptr : fieldOf(fields, "event");
    if (!event || event->type != RedisReply::Type::String) {
        // Deleted since it was read (XDEL), or not ours to read: audited, and let go.
        ++m_rejected;
        m_router.refuse(streamChannel, fields.isNil() ? QByteArray() : QByteArray("{}"),
                        EventSource::Stream,
                        fields.isNil() ? QStringLiteral("the entry was deleted")
                                       : QStringLiteral("the entry has no field 'event'"));
        acknowledge(id);
        return;
    }
    m_inFlight.insert(id);
    const QByteArray &payload = event->text;
    const QString type
        = QJsonDocument::fromJson(payload).object().value(QStringLiteral("type")).toString();
    const std::optional<EventType> known = EventCodec::typeFromName(type);
    if (!known) {
        ++m_rejected;
        m_router.refuse(streamChannel, payload, EventSource::Stream,
                        type.isEmpty() ? QStringLiteral("not an event (no type)")
                                       : QStringLiteral("unknown type '%1'").arg(type.left(64)));
        acknowledge(id);
        return;
    }
    // The path a Pub/Sub event takes (validation, cascade, routing, audit), acknowledged once
    // its cascade is done: an entry is never let go before the cache is clean.
    const EventRecord record = m_router.handle(
        EventCodec::channelFor(*known), payload, EventSource::Stream,
        [this, self = QPointer<EventStreamConsumer>(this), id] {
            if (self)
                acknowledge(id);
        },
        // Every hub reads the entry, each at its own pace: its id names it.
        QStringLiteral("stream:%1:%2")
            .arg(QString::fromUtf8(m_options.stream), QString::fromLatin1(id)));
    if (record.accepted)
        ++m_handled;
    else
        ++m_rejected;
}

void EventStreamConsumer::acknowledge(const QByteArray &id)
{
    m_inFlight.remove(id);
    m_client.command({"XACK", m_options.stream, m_options.group.toUtf8(), id}, this,
                     [](const RedisReply &) {});
}

void EventStreamConsumer::measureLag()
{
    if (m_client.state() != RedisClient::State::Up)
        return;
    m_client.command({"XINFO", "GROUPS", m_options.stream}, this, [this](const RedisReply &reply) {
        for (const RedisReply &group : reply.elements) {
            const RedisReply *name = fieldOf(group, "name");
            if (!name || name->text != m_options.group.toUtf8())
                continue;
            const RedisReply *pending = fieldOf(group, "pending");
            const RedisReply *lag = fieldOf(group, "lag");
            m_pending = pending ? pending->integer : -1;
            // Redis answers nil when it cannot tell (entries deleted in between).
            m_lag = lag && lag->type == RedisReply::Type::Integer ? lag->integer : -1;
        }
    });
}

}  // namespace kucun
