#pragma once

#include "cache/cacheservice.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>

#include <atomic>
#include <memory>

class QTimer;

namespace kucun {

// What one stampede did (SPEC §14): how many readers missed the key at once, how often the
// loader ran for all of them, and how they were answered.
struct StampedeReport
{
    QString key;
    int readers = 0;
    int loaderCalls = 0;  // 1: the guards held
    int answered = 0;  // readers that got the value
    int failed = 0;  // readers answered with an error
    // This hub's waits on the other process's lock (only the stampede takes locks in the demo).
    qint64 lockWaits = 0;
    // The most readers seen waiting on this hub's one load of the key (single-flight).
    int sharedBy = 0;
    qint64 elapsedMs = 0;
};

// The demo's stampede: N readers of this hub miss one key at the same moment, while another
// process (a second cache client on the same store, standing for a second hub on the same
// Redis) is loading it under the key's lock. The guards turn that into one loader call: this
// hub's readers share one wait (single-flight), which waits on the other's lock (the breakdown
// guard of getOrSetWithLock) and reads what it stored. Lives in the engine thread.
class DemoStampede : public QObject
{
    Q_OBJECT

public:
    // The key everyone reads at once: a product page no other demo traffic touches, so that
    // every reader misses.
    static inline const QString kKey = QStringLiteral("products:detail:0");
    static inline const QString kTag = QStringLiteral("products:0");
    // The loader takes at least this long, so that the readers surely arrive while it runs.
    static constexpr int kMinLoaderMs = 500;

    // `gone` is set when the demo goes: a loader still sleeping then returns at once.
    DemoStampede(CacheService &cache, CacheStore &store,
                 std::shared_ptr<const std::atomic<bool>> gone, QObject *parent = nullptr);
    ~DemoStampede() override;

    // Starts one unless one is running (then returns false).
    bool start(int readers, int loaderLatencyMs);
    // Waits for the other process's load to end (with `gone` set, at once). Before the store
    // stops answering: what that load asks of Redis is answered while its cache client exists.
    void quiesce();

signals:
    void finished(const kucun::StampedeReport &report);

private:
    struct Run;
    void step();

    CacheService &m_cache;
    CacheStore &m_store;
    std::unique_ptr<CacheService> m_otherProcess;  // made at the first stampede
    QTimer *m_poll = nullptr;
    std::shared_ptr<Run> m_run;  // shared with the loader and the readers' answers
    const std::shared_ptr<const std::atomic<bool>> m_gone;
};

// Sleeps `ms` in short slices, returning early once `gone` is set.
void sleepUnless(int ms, const std::atomic<bool> &gone);

}  // namespace kucun

Q_DECLARE_METATYPE(kucun::StampedeReport)
