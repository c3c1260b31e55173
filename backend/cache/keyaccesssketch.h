#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kucun {

// The keys a site uses most, in bounded memory whatever the number of keys (SPEC §12, Hot keys):
// the Space-Saving algorithm (Metwally et al., 2005) keeps `capacity` counters; a key that is not
// counted takes the place of the least counted one and inherits its count as its possible
// overcount (`error`), so any key read or written more than 1/capacity of the time is always
// in the table. For each counted key: reads, hits, misses, writes, loads (a miss followed by a
// write within a second: a cache fill) and the last access. Beside it, hits and misses per first
// key segment (at most `maxSegments`, the rest together) and a histogram of the TTLs written.
// Times are MemoryStore::nowMs() (monotonic). Engine thread only, like the Redis-protocol front
// that feeds it.
class KeyAccessSketch
{
public:
    struct Options
    {
        int capacity = 256;
        int maxSegments = 64;
        QByteArray keyNamespace
            = "kucun";  // stripped before the segment: kucun:products:1 → products
    };

    // TTL buckets of the histogram: none, then upper bounds in seconds, then a day or more.
    static constexpr std::array<qint64, 5> kTtlBoundsSeconds{60, 300, 1800, 7200, 86400};
    static constexpr int kTtlBuckets = int(kTtlBoundsSeconds.size()) + 2;
    static constexpr qint64 kLoadWindowMs = 1000;
    static constexpr char kOtherSegments[] = "(other)";

    struct KeyCounts
    {
        QByteArray key;
        qint64 count = 0;  // accesses, as the sketch ranks them (an upper bound)
        qint64 error = 0;  // how much of `count` may belong to keys it replaced
        qint64 reads = 0;
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 writes = 0;
        qint64 loads = 0;
        qint64 lastAccessMs = 0;
    };
    struct SegmentCounts
    {
        QString segment;
        qint64 hits = 0;
        qint64 misses = 0;
    };
    struct Snapshot
    {
        QList<KeyCounts> top;  // most accessed first
        QList<SegmentCounts> segments;  // most used first
        std::array<qint64, kTtlBuckets> ttlHistogram{};  // none, < 1 min, … , ≥ 1 day
        qint64 reads = 0;
        qint64 writes = 0;
        qint64 loads = 0;
    };

    explicit KeyAccessSketch(Options options);

    void recordRead(std::string_view key, bool hit, qint64 nowMs);
    // `ttlMs` 0: no TTL.
    void recordWrite(std::string_view key, qint64 ttlMs, qint64 nowMs);
    Snapshot snapshot(int topCount) const;
    void clear();
    // Label of a TTL bucket, for tables and metrics: "none", "<60s", …, ">=86400s".
    static QString ttlBucketName(int bucket);

private:
    struct Entry
    {
        std::string key;
        KeyCounts counts;
        qint64 lastMissMs = 0;
        int heapAt = 0;
    };

    Entry &counted(std::string_view key, qint64 nowMs);
    void siftDown(int at);
    void siftUp(int at);
    void swapHeap(int a, int b);
    std::string_view segmentOf(std::string_view key) const;
    SegmentCounts &segment(std::string_view key);

    const Options m_options;
    std::vector<Entry> m_entries;
    std::vector<int> m_heap;  // entry indices, least count on top
    std::unordered_map<std::string_view, int> m_byKey;  // views of the entries' keys
    std::unordered_map<std::string, SegmentCounts> m_segments;
    std::array<qint64, kTtlBuckets> m_ttlHistogram{};
    qint64 m_reads = 0;
    qint64 m_writes = 0;
    qint64 m_loads = 0;
};

}  // namespace kucun
