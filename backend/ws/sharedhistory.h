#pragma once

#include "core/result.h"
#include "sharedmessage.h"
#include "wsrequest.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace kucun {

class RedisClient;
struct RedisReply;

// Channel history kept in Redis and shared by every hub on it (SPEC §6): per channel an offset,
// an epoch and a Stream of the last messages under `<ns>:ws:<channel>:offset|epoch|history`.
// One Lua script takes a message's offset, appends it and publishes it, stamped, on
// `<ns>:ws:<channel>`; every hub (the one that asked included) delivers what arrives there, so
// every hub delivers every message with the same offset, in the same order. docs/scaling.md
// tells the whole story; engine thread only.
//
// Two kinds of message reach a hub:
// - its own clients' and API publishes, which only this hub heard: publish() stamps them;
// - raw `ws:<channel>` messages from the site and routed events, which every hub hears:
//   ingest() stamps them on the one hub holding the ingest lease, so each gets one offset
//   however many hubs listen. The others keep what they heard until its stamped copy comes by;
//   a hub that takes the lease over from one that died stamps what the dead one left unstamped.
class SharedHistory : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString keyNamespace = QStringLiteral("kucun");
        QString instanceId;
        int maxMessages = 1000;  // per channel, as the local history
        std::chrono::milliseconds maxAge{5 * 60 * 1000};
        std::chrono::milliseconds leaseTime{5000};
        // How long the keys of a channel live after its last message (its offset and epoch
        // outlive the history: a client may come back after the history aged out, and is told
        // so rather than given a new epoch); a channel only subscribed to keeps its keys for
        // maxAge, so made-up names do not pile up in Redis.
        std::chrono::milliseconds keyTime{24 * 60 * 60 * 1000};
    };

    SharedHistory(RedisClient &client, Options options, QObject *parent = nullptr);
    ~SharedHistory() override;

    // Redis is up: messages go through it. While not, the hub keeps local history.
    bool active() const;

    struct Stamp
    {
        qint64 offset = 0;
        QString epoch;
    };
    using StampDone = std::function<void(const Result<Stamp> &)>;
    // Stamps a message only this hub heard; `done` gets its offset, or why it was not stamped
    // (Redis went away: the caller delivers it locally). Never calls `done` inside publish().
    void publish(const QString &channel, const QByteArray &dataText, qint64 timestampMs,
                 QObject *context, StampDone done);
    // A message every hub hears (a raw ws:<channel> message, a routed event).
    void ingest(const QString &channel, const QByteArray &dataText, qint64 timestampMs);
    // A message every hub handles, known by `key` on all of them (an event's id, a reliable
    // stream's entry id): whichever hub comes first stamps it, within kOnceWindow; no lease.
    void stampOnce(const QString &channel, const QByteArray &dataText, qint64 timestampMs,
                   const QString &key);
    static constexpr std::chrono::milliseconds kOnceWindow{10 * 60 * 1000};

    // Where a channel's shared stream is, and with `since` the messages after it.
    struct Position
    {
        QString epoch;
        qint64 offset = 0;
        bool recovered = false;  // with `since`: every missed message is in `envelopes`
        QList<QByteArray> envelopes;  // oldest first
    };
    using PositionDone = std::function<void(const Result<Position> &)>;
    void position(const QString &channel, const std::optional<StreamPosition> &since,
                  QObject *context, PositionDone done);

    // Called for every stamped message that arrives (this hub's own included), in the order
    // Redis published them.
    void setReceiver(std::function<void(const SharedMessage &)> receiver)
    {
        m_receiver = std::move(receiver);
    }

    bool holdsIngestLease() const { return m_leaseHeld; }
    // Messages heard from every hub and not yet seen stamped.
    int ingestPending() const { return int(m_pending.size()); }
    // Stamped messages that arrived malformed (someone else publishing on our channels).
    qint64 malformedDropped() const { return m_malformed; }
    // Ingested messages no hub stamped in time (no lease holder for longer than kPendingTime).
    qint64 ingestLost() const { return m_ingestLost; }

    // Lets go of the ingest lease at once, so that another hub takes over without waiting for
    // it to expire (an orderly shutdown).
    void releaseLease();

    // Unstamped messages older than this are given up (a hub takes over a dead holder's lease
    // well within it).
    static constexpr std::chrono::milliseconds kPendingTime{15000};
    // A hub that just took the lease waits this long before stamping what it kept: stamped
    // copies from the holder before it may still be on their way.
    static constexpr std::chrono::milliseconds kTakeOverGrace{200};

signals:
    void activeChanged(bool active);

private:
    struct Pending
    {
        QString channel;
        QByteArray dataText;
        qint64 timestampMs;
        quint64 tag;
        qint64 heardAtMs;
    };

    // A publish of this hub's waiting for Redis's answer, and its stamped copy if that came
    // first.
    struct OwnPublish
    {
        quint64 tag;
        std::optional<Stamp> seen;
    };

    void redisStateChanged();
    void received(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void take(const QByteArray &channel, const QByteArray &payload);
    void tendLease();
    void stampPending();
    void stampIngested(Pending item);
    // Publish: only this hub heard it (it also goes out on ws:<channel>); Ingest: as the
    // lease holder; Once: if no hub stamped a message of `onceKey` within kOnceWindow.
    enum class StampKind { Publish, Ingest, Once };
    void runStamp(StampKind kind, const QString &channel, const QByteArray &dataText,
                  qint64 timestampMs, const QByteArray &tag, QObject *context,
                  std::function<void(const RedisReply &)> done, const QByteArray &onceKey = {});
    QByteArray key(const QString &channel, const char *suffix) const;
    // The epoch a stream gets if the script must start one.
    QByteArray epochCandidate();
    void forgetPendingStamped(quint64 tag);
    void dropStalePending(qint64 nowMs);

    RedisClient &m_client;
    const Options m_options;
    const QByteArray m_prefix;  // "<ns>:ws:"
    const QByteArray m_pattern;  // "<ns>:ws:*"
    const QByteArray m_leaseKey;
    const QByteArray m_echoPrefix;  // "<ns>:ws-echo:", then a publish's tag
    const QByteArray m_oncePrefix;  // "<ns>:ws-once:", then a message's key
    const QByteArray m_epochPrefix;  // this hub's, random
    quint64 m_epochsOffered = 0;
    QTimer *m_leaseTimer = nullptr;
    QTimer *m_takeOverTimer = nullptr;
    bool m_active = false;
    int m_round = 0;  // Redis state changes: an answer of an earlier one changes nothing
    QByteArray m_replicationId;  // master_replid of the dataset the streams are stamped in
    bool m_leaseHeld = false;
    std::deque<Pending> m_pending;
    QList<std::shared_ptr<OwnPublish>> m_ownPublishes;
    std::function<void(const SharedMessage &)> m_receiver;
    qint64 m_malformed = 0;
    qint64 m_ingestLost = 0;
};

// The tag an ingested message is known by on every hub: FNV-1a over its channel and data,
// the same on every machine (qHash is seeded per process).
quint64 ingestTag(const QString &channel, const QByteArray &dataText);

// Reads a stamped message as published on `<ns>:ws:<channel>`: "<epoch> <offset> <ts> <tag>\n"
// then the envelope; nullopt when it is not one (its envelope must be that channel's, with that
// offset and time, around JSON data).
std::optional<SharedMessage> parseStampedMessage(const QString &channel, const QByteArray &payload,
                                                 quint64 *tag = nullptr);

}  // namespace kucun
