#pragma once

#include "cachestore.h"

#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <mutex>

namespace kucun {

// Hits and misses of one first key segment (`products`, `inventory`, …).
struct SegmentCounters
{
    qint64 hits = 0;
    qint64 misses = 0;
    double hitRate() const
    {
        return hits + misses == 0 ? 0.0 : double(hits) / double(hits + misses);
    }
};

// CacheService's counters at one moment (SPEC §3 "Stats").
struct CacheStats
{
    qint64 hits = 0;
    qint64 misses = 0;
    qint64 nullHits = 0;  // hits on a cached "does not exist" (counted in hits too)
    qint64 loads = 0;
    qint64 loadErrors = 0;
    qint64 lockWaits = 0;
    // Callers that missed while another caller's load of the same key was in progress and
    // waited for it instead of loading again (single-flight).
    qint64 sharedLoads = 0;
    qint64 invalidations = 0;
    qint64 invalidatedKeys = 0;
    QHash<QString, SegmentCounters> segments;
    StoreStats store;  // evictions, expirations, keys, memory: the engine's own figures

    double hitRate() const
    {
        return hits + misses == 0 ? 0.0 : double(hits) / double(hits + misses);
    }
};

// One point of the hit-rate chart.
struct HitRateSample
{
    qint64 timestampMs = 0;
    double hitRate = 0;  // over the interval since the previous sample
    double operationsPerSecond = 0;
};

// Thread-safe counters behind CacheStats.
class CacheCounters
{
public:
    void recordLookup(const QString &segment, bool hit, bool nullHit);
    void recordLoad(bool ok)
    {
        (ok ? m_loads : m_loadErrors).fetch_add(1, std::memory_order_relaxed);
    }
    void recordLockWait() { m_lockWaits.fetch_add(1, std::memory_order_relaxed); }
    void recordSharedLoad() { m_sharedLoads.fetch_add(1, std::memory_order_relaxed); }
    void recordInvalidation(qint64 keys);
    CacheStats snapshot() const;

    // Appends a sample covering the time since the previous call; keeps the last `capacity`.
    void sample(qint64 nowMs, int capacity);
    QList<HitRateSample> samples() const;

private:
    std::atomic<qint64> m_hits{0};
    std::atomic<qint64> m_misses{0};
    std::atomic<qint64> m_nullHits{0};
    std::atomic<qint64> m_loads{0};
    std::atomic<qint64> m_loadErrors{0};
    std::atomic<qint64> m_lockWaits{0};
    std::atomic<qint64> m_sharedLoads{0};
    std::atomic<qint64> m_invalidations{0};
    std::atomic<qint64> m_invalidatedKeys{0};

    mutable std::mutex m_mutex;  // segments and samples
    QHash<QString, SegmentCounters> m_segments;
    QList<HitRateSample> m_samples;
    qint64 m_lastSampleMs = 0;
    qint64 m_lastSampleHits = 0;
    qint64 m_lastSampleMisses = 0;
};

}  // namespace kucun
