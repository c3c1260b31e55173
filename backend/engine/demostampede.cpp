#include "demostampede.h"

#include "core/whenready.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <chrono>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace {

constexpr std::chrono::milliseconds kPollInterval{10};
constexpr std::chrono::milliseconds kTtl{60000};

}  // namespace

void sleepUnless(int ms, const std::atomic<bool> &gone)
{
    constexpr int kSlice = 20;
    for (int slept = 0; slept < ms && !gone.load(std::memory_order_relaxed); slept += kSlice)
        QThread::msleep(std::min(kSlice, ms - slept));
}

struct DemoStampede::Run
{
    enum class Stage { Removing, OtherLoading, Reading };
    Stage stage = Stage::Removing;
    int readers = 0;
    int loaderLatencyMs = 0;
    QFuture<Result<qint64>> removed;
    QFuture<LoadResult> otherLoad;
    std::atomic<int> loaderCalls{0};
    std::atomic<bool> loaderStarted{false};
    std::atomic<int> answered{0};
    std::atomic<int> failed{0};
    int sharedBy = 0;
    CacheStats before;  // this hub's counters as the readers started
    QElapsedTimer clock;
};

DemoStampede::DemoStampede(CacheService &cache, CacheStore &store,
                           std::shared_ptr<const std::atomic<bool>> gone, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
    , m_store(store)
    , m_poll(new QTimer(this))
    , m_gone(std::move(gone))
{
    qRegisterMetaType<StampedeReport>();
    m_poll->setInterval(kPollInterval);
    connect(m_poll, &QTimer::timeout, this, &DemoStampede::step);
}

DemoStampede::~DemoStampede()
{
    quiesce();
}

void DemoStampede::quiesce()
{
    m_poll->stop();
    if (m_otherProcess)
        m_otherProcess->quiesce();
}

bool DemoStampede::start(int readers, int loaderLatencyMs)
{
    if (m_run || readers <= 0)
        return false;
    m_run = std::make_shared<Run>();
    m_run->readers = readers;
    m_run->loaderLatencyMs = std::max(loaderLatencyMs, kMinLoaderMs);
    m_run->clock.start();
    // Every reader must miss: the key goes first.
    m_run->removed = m_cache.del({kKey});
    m_poll->start();
    return true;
}

// The stampede's stages, each waited for by polling in the engine thread: the loader and the
// readers' answers run on loader threads, and the state they touch is atomic.
void DemoStampede::step()
{
    Run &run = *m_run;
    switch (run.stage) {
    case Run::Stage::Removing: {
        if (!run.removed.isFinished())
            return;
        if (!m_otherProcess)
            m_otherProcess = std::make_unique<CacheService>(m_store, m_cache.keyNamespace());
        GetOrSetOptions options;
        options.tags = {kTag};
        run.otherLoad = m_otherProcess->getOrSetWithLock(
            kKey, kTtl,
            CacheService::fromJsonLoader(
                [run = m_run, gone = m_gone]() -> Result<std::optional<QJsonValue>> {
                    run->loaderCalls.fetch_add(1);
                    run->loaderStarted.store(true);
                    sleepUnless(run->loaderLatencyMs, *gone);
                    return std::optional<QJsonValue>(
                        QJsonObject{{QStringLiteral("id"), QStringLiteral("0")},
                                    {QStringLiteral("sku"), QStringLiteral("SKU-000000")},
                                    {QStringLiteral("name"), QStringLiteral("Flash sale")},
                                    {QStringLiteral("price"), 1.0}});
                }),
            options);
        run.stage = Run::Stage::OtherLoading;
        return;
    }
    case Run::Stage::OtherLoading: {
        // The other's load done without its loader (the key could not be removed: a Redis gone
        // at that moment) still lets the readers go: the report then says what they found.
        if (!run.loaderStarted.load() && !run.otherLoad.isFinished())
            return;
        // The other process holds the lock and loads: now everyone here misses at once.
        run.before = m_cache.counters();
        GetOrSetOptions options;
        options.tags = {kTag};
        const SyncLoader loader = [run = m_run]() -> LoadResult {
            run->loaderCalls.fetch_add(1);  // the guards failed if this ever runs
            return std::optional<QByteArray>(QByteArrayLiteral("{}"));
        };
        for (int i = 0; i < run.readers; ++i) {
            whenReady(
                m_cache.getOrSetWithLock(kKey, kTtl, loader, options),
                [run = m_run](const LoadResult &result) {
                    (result.ok() && result.value() ? run->answered : run->failed).fetch_add(1);
                });
        }
        run.stage = Run::Stage::Reading;
        return;
    }
    case Run::Stage::Reading: {
        if (const std::optional<FlightInfo> flight = m_cache.flight(kKey))
            run.sharedBy = std::max(run.sharedBy, flight->waiters);
        if (run.answered.load() + run.failed.load() < run.readers)
            return;
        m_poll->stop();
        const CacheStats after = m_cache.counters();
        StampedeReport report;
        report.key = kKey;
        report.readers = run.readers;
        report.loaderCalls = run.loaderCalls.load();
        report.answered = run.answered.load();
        report.failed = run.failed.load();
        report.lockWaits = after.lockWaits - run.before.lockWaits;
        report.sharedBy = run.sharedBy;
        report.elapsedMs = run.clock.elapsed();
        m_run.reset();
        qCInfo(lcEngine).noquote()
            << QStringLiteral("demo stampede on %1: %2 readers, %3 loader call(s), %4 answered, "
                              "%5 failed, %6 lock wait(s), up to %7 sharing one load, %8 ms")
                   .arg(report.key)
                   .arg(report.readers)
                   .arg(report.loaderCalls)
                   .arg(report.answered)
                   .arg(report.failed)
                   .arg(report.lockWaits)
                   .arg(report.sharedBy)
                   .arg(report.elapsedMs);
        emit finished(report);
        return;
    }
    }
}

}  // namespace kucun
