#include "cachestats.h"

namespace kucun {

void CacheCounters::recordLookup(const QString &segment, bool hit, bool nullHit)
{
    (hit ? m_hits : m_misses).fetch_add(1, std::memory_order_relaxed);
    if (nullHit)
        m_nullHits.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    SegmentCounters &counters = m_segments[segment];
    ++(hit ? counters.hits : counters.misses);
}

void CacheCounters::recordInvalidation(qint64 keys)
{
    m_invalidations.fetch_add(1, std::memory_order_relaxed);
    m_invalidatedKeys.fetch_add(keys, std::memory_order_relaxed);
}

CacheStats CacheCounters::snapshot() const
{
    CacheStats stats;
    stats.hits = m_hits.load(std::memory_order_relaxed);
    stats.misses = m_misses.load(std::memory_order_relaxed);
    stats.nullHits = m_nullHits.load(std::memory_order_relaxed);
    stats.loads = m_loads.load(std::memory_order_relaxed);
    stats.loadErrors = m_loadErrors.load(std::memory_order_relaxed);
    stats.lockWaits = m_lockWaits.load(std::memory_order_relaxed);
    stats.sharedLoads = m_sharedLoads.load(std::memory_order_relaxed);
    stats.invalidations = m_invalidations.load(std::memory_order_relaxed);
    stats.invalidatedKeys = m_invalidatedKeys.load(std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    stats.segments = m_segments;
    return stats;
}

void CacheCounters::sample(qint64 nowMs, int capacity)
{
    const qint64 hits = m_hits.load(std::memory_order_relaxed);
    const qint64 misses = m_misses.load(std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    if (m_lastSampleMs != 0 && nowMs > m_lastSampleMs) {
        const qint64 newHits = hits - m_lastSampleHits;
        const qint64 newMisses = misses - m_lastSampleMisses;
        const qint64 lookups = newHits + newMisses;
        HitRateSample point;
        point.timestampMs = nowMs;
        point.hitRate = lookups == 0 ? 0.0 : double(newHits) / double(lookups);
        point.operationsPerSecond = double(lookups) * 1000.0 / double(nowMs - m_lastSampleMs);
        m_samples.append(point);
        if (m_samples.size() > capacity)
            m_samples.remove(0, m_samples.size() - capacity);
    }
    m_lastSampleMs = nowMs;
    m_lastSampleHits = hits;
    m_lastSampleMisses = misses;
}

QList<HitRateSample> CacheCounters::samples() const
{
    std::lock_guard lock(m_mutex);
    return m_samples;
}

}  // namespace kucun
