#pragma once

#include "cache/cacheservice.h"
#include "config/hubconfig.h"
#include "core/result.h"
#include "demostampede.h"
#include "enginetelemetry.h"
#include "events/auditlog.h"
#include "events/eventtrace.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace kucun {

// The hub a window shows (SPEC §13): the engine in this process (EngineHost) or a hub running
// elsewhere, reached through its HTTP API and /api/stream (RemoteHub). The panels and models
// read and change the hub only through this, and none of them knows which one it has.
//
// GUI thread. Every answer comes later (never inside the call), in this thread, and only while
// its `context` lives; a null context asks for no answer. The calls that change the hub are
// refused here while the link is read-only (a viewer key, or --read-only), with the reason
// that readOnlyReason() gives; the hub refuses them all the same.
class HubLink : public QObject
{
    Q_OBJECT

public:
    // Reconnecting: a remote hub's link was lost; the panels keep its last data until it is back.
    enum class State { Stopped, Starting, Running, Stopping, Failed, Reconnecting };
    Q_ENUM(State)

    template <typename T> using Answer = std::function<void(const Result<T> &)>;

    using QObject::QObject;

    virtual State state() const = 0;
    // memory, redis or degraded.
    virtual QString mode() const = 0;
    virtual QString failureReason() const = 0;
    virtual int clientCount() const = 0;
    virtual QUrl wsUrl() const = 0;
    virtual int demoRate() const = 0;
    virtual DemoFaults demoFaults() const = 0;
    // Wall clock ms when the hub started (its uptime); 0 while it does not run.
    virtual qint64 startedAtMs() const = 0;
    // Empty for the engine in this process; else the hub's address, for the title and the
    // status bar.
    virtual QString remoteName() const { return {}; }
    // The namespace every key starts with ("kucun"), left out of the key tree.
    virtual QString keyNamespace() const = 0;
    // The hub's Redis URL without its password; empty when it runs on its own memory.
    virtual QString redisDescription() const = 0;
    // Whether the Settings panel's "apply" restarts this hub with new settings: only the engine
    // in this process (an attached hub's settings are its box's). Recorded as an admin action.
    virtual bool canApplySettings() const { return false; }
    void applySettings(const HubConfig &config);

    // Empty while the window may change the hub; else why it may not, in a sentence: the
    // window's own reason (--read-only) first, else the link's (a viewer key).
    QString readOnlyReason() const
    {
        return m_ownReadOnlyReason.isEmpty() ? m_roleReadOnlyReason : m_ownReadOnlyReason;
    }
    bool isReadOnly() const { return !readOnlyReason().isEmpty(); }
    // The window's own choice; empty lifts it (not the link's).
    void setReadOnly(const QString &reason);

    // Reads.
    virtual void keysPage(const QString &pattern, const QByteArray &cursor, int count,
                          QObject *context, Answer<KeyPage> done)
        = 0;
    virtual void keyValue(const QString &key, QObject *context,
                          Answer<std::optional<QByteArray>> done)
        = 0;
    virtual void tags(QObject *context, Answer<QList<TagCount>> done) = 0;
    // What invalidate() would remove: how many keys, and up to `sample` of them.
    virtual void previewInvalidation(const Invalidation &what, int sample, QObject *context,
                                     Answer<PatternMatch> done)
        = 0;
    // The event history (Events panel) and the admin log, newest first.
    virtual void queryAudit(const AuditQuery &query, QObject *context,
                            Answer<QList<AuditRecord>> done)
        = 0;
    virtual void queryAdminLog(qint64 beforeId, int limit, QObject *context,
                               Answer<QList<AdminAction>> done)
        = 0;
    // What the event with this id did (SPEC §14), from the audit log; nothing when the log has
    // no trace of it.
    virtual void eventTrace(const QString &eventId, QObject *context,
                            Answer<std::optional<EventTrace>> done)
        = 0;

    // Changes: each is an admin action, recorded in the hub's admin log.
    void invalidate(const Invalidation &what, QObject *context, Answer<qint64> removed);
    void deleteKey(const QString &key, QObject *context, Answer<qint64> removed);
    // `seconds` 0: no expiry. False: the key no longer exists.
    void setKeyTtl(const QString &key, qint64 seconds, QObject *context, Answer<bool> done);
    // Publishes on the event bus as a site would: a §5 event on its channel, or a raw
    // `ws:<channel>` message.
    void publish(const QString &channel, const QByteArray &payload, QObject *context = nullptr,
                 Answer<bool> done = {});
    void disconnectClient(const QString &clientId, QObject *context = nullptr,
                          Answer<bool> done = {});
    // Demo traffic in operations per second; 0 stops it.
    void setDemoRate(int operationsPerSecond);
    // The demo's faults (SPEC §14), in place of the ones set; refused with why (the Redis link
    // cut on a hub without Redis).
    void setDemoFaults(const DemoFaults &faults, QObject *context = nullptr,
                       Answer<bool> done = {});
    // Sends a recording (SPEC §14, a file of this machine) into the hub again, at `speed` × its
    // pace (0: as fast as it goes); answers how many messages it holds. Only the hub in this
    // process takes one; an attached hub's are replayed on its box (kucun-hub --replay).
    void replay(const QString &path, double speed, QObject *context, Answer<qint64> done);
    // Records what the hub's router handles from now on into `path` (empty: stops). Not a
    // change to the hub: a read-only window may record. Only the hub in this process.
    virtual void recordTo(const QString &path, QObject *context, Answer<bool> done);
    virtual bool canRecordAndReplay() const { return false; }

signals:
    void stateChanged(kucun::HubLink::State state);
    void started(const QUrl &wsUrl, const QString &mode);
    void clientCountChanged(int clients);
    // The hub switched between "redis" and "degraded".
    void modeChanged(const QString &mode);
    // At most every 50 ms (the engine here) or 100 ms (a remote hub) while running.
    void telemetry(const kucun::EngineTelemetryPtr &telemetry);
    void demoRateChanged(int operationsPerSecond);
    void demoFaultsChanged(const kucun::DemoFaults &faults);
    // A demo stampede ended (the hub in this process only: an attached hub's is in its log).
    void demoStampedeFinished(const kucun::StampedeReport &report);
    void readOnlyChanged(const QString &reason);

protected:
    virtual void doInvalidate(const Invalidation &what, QObject *context, Answer<qint64> removed)
        = 0;
    virtual void doDeleteKey(const QString &key, QObject *context, Answer<qint64> removed) = 0;
    virtual void doSetKeyTtl(const QString &key, qint64 seconds, QObject *context,
                             Answer<bool> done)
        = 0;
    virtual void doPublish(const QString &channel, const QByteArray &payload, QObject *context,
                           Answer<bool> done)
        = 0;
    virtual void doDisconnectClient(const QString &clientId, QObject *context, Answer<bool> done)
        = 0;
    virtual void doSetDemoRate(int operationsPerSecond) = 0;
    virtual void doSetDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done) = 0;
    virtual void doApplySettings(const HubConfig &) { }
    virtual void doReplay(const QString &path, double speed, QObject *context, Answer<qint64> done);

    // What the hub said of the link's role (a viewer key: read-only); empty lifts only this.
    void setRoleReadOnly(const QString &reason);

    // Answers `done` later, in this thread, while `context` lives: for answers known at once.
    template <typename T>
    void answerLater(QObject *context, Answer<T> done, const Result<T> &result) const;

private:
    // A change refused because the link is read-only; answered later.
    template <typename T> bool refusedReadOnly(QObject *context, const Answer<T> &done) const;

    void setReadOnlyReasons(const QString &own, const QString &role);

    QString m_ownReadOnlyReason;
    QString m_roleReadOnlyReason;
};

template <typename T>
void HubLink::answerLater(QObject *context, Answer<T> done, const Result<T> &result) const
{
    if (!context || !done)
        return;
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

template <typename T> bool HubLink::refusedReadOnly(QObject *context, const Answer<T> &done) const
{
    if (!isReadOnly())
        return false;
    answerLater<T>(context, done, Error{readOnlyReason()});
    return true;
}

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::HubLink::State)
