#pragma once

#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>

class QTimer;

namespace kucun {

class EventRouter;
class RedisClient;
class RedisConnection;
struct RedisReply;

// The reliable event stream (SPEC §5, HUB_EVENT_STREAM): what a site XADDs to the stream
// (field `event` = the event's JSON) reaches the router like a Pub/Sub event, but is not lost
// while the hub is down or Redis away. Each hub instance reads through a consumer group of its
// own (its id kept in the data folder, so a restarted hub resumes where it left off): on start
// and after every outage it first handles what it missed, in order, and then what comes. An
// entry is acknowledged (XACK) once handled, its cascade done; one that is not an event is
// audited as rejected and acknowledged all the same. Entries a previous run of this instance
// read and never acknowledged (it was killed) are claimed (XAUTOCLAIM) and handled first.
// Engine thread. docs/scaling.md tells the whole story.
class EventStreamConsumer : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QByteArray stream;
        QString group;  // the hub instance's persistent id
        QString consumer;  // this run's name in the group
        int batch = 100;
        std::chrono::milliseconds block{1000};
    };

    EventStreamConsumer(RedisClient &client, EventRouter &router, Options options,
                        QObject *parent = nullptr);
    ~EventStreamConsumer() override;

    qint64 handled() const { return m_handled; }
    qint64 rejected() const { return m_rejected; }
    qint64 claimed() const { return m_claimed; }
    // Entries of the stream not yet read by this instance's group, and read but not yet
    // acknowledged, when last asked (every second); -1 before the first answer.
    qint64 lag() const { return m_lag; }
    qint64 pending() const { return m_pending; }

private:
    void redisStateChanged();
    void readerReady();
    void createGroup();
    void claimDead(const QByteArray &cursor);
    // `from` is "0" (this consumer's own unacknowledged entries) or ">" (new ones).
    void read(const QByteArray &from);
    // Handles a reply's entries in order; true when there were any.
    bool handleEntries(const RedisReply &reply);
    void handleEntry(const QByteArray &id, const RedisReply &fields);
    void acknowledge(const QByteArray &id);
    void measureLag();

    RedisClient &m_client;
    EventRouter &m_router;
    const Options m_options;
    RedisConnection *m_reader = nullptr;  // a connection of its own: XREADGROUP BLOCK holds it
    QTimer *m_lagTimer = nullptr;
    int m_generation = 0;  // tells a reply of an earlier connection from the current one
    qint64 m_handled = 0;
    qint64 m_rejected = 0;
    qint64 m_claimed = 0;
    qint64 m_lag = -1;
    qint64 m_pending = -1;
    QSet<QByteArray> m_inFlight;  // handed to the router, not yet acknowledged
};

}  // namespace kucun
