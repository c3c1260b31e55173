#include "keyaccesssketch.h"

#include <algorithm>

namespace kucun {

KeyAccessSketch::KeyAccessSketch(Options options)
    : m_options(std::move(options))
{
    m_entries.reserve(size_t(std::max(1, m_options.capacity)));
    m_heap.reserve(m_entries.capacity());
    m_byKey.reserve(m_entries.capacity());
}

void KeyAccessSketch::recordRead(std::string_view key, bool hit, qint64 nowMs)
{
    ++m_reads;
    Entry &entry = counted(key, nowMs);
    ++entry.counts.reads;
    ++(hit ? entry.counts.hits : entry.counts.misses);
    if (!hit)
        entry.lastMissMs = nowMs;
    SegmentCounts &counts = segment(key);
    ++(hit ? counts.hits : counts.misses);
}

void KeyAccessSketch::recordWrite(std::string_view key, qint64 ttlMs, qint64 nowMs)
{
    ++m_writes;
    Entry &entry = counted(key, nowMs);
    ++entry.counts.writes;
    if (entry.lastMissMs > 0 && nowMs - entry.lastMissMs <= kLoadWindowMs) {
        ++entry.counts.loads;
        ++m_loads;
    }
    entry.lastMissMs = 0;
    int bucket = 0;
    if (ttlMs > 0) {
        const qint64 seconds = ttlMs / 1000;
        bucket = 1;
        while (bucket <= int(kTtlBoundsSeconds.size()) && seconds >= kTtlBoundsSeconds[bucket - 1])
            ++bucket;
    }
    ++m_ttlHistogram[size_t(bucket)];
}

KeyAccessSketch::Entry &KeyAccessSketch::counted(std::string_view key, qint64 nowMs)
{
    int index = 0;
    if (const auto found = m_byKey.find(key); found != m_byKey.end()) {
        index = found->second;
        ++m_entries[size_t(index)].counts.count;
        siftDown(m_entries[size_t(index)].heapAt);
    } else if (int(m_entries.size()) < std::max(1, m_options.capacity)) {
        index = int(m_entries.size());
        Entry &entry = m_entries.emplace_back();
        entry.key.assign(key);
        entry.counts.key = QByteArray(key.data(), qsizetype(key.size()));
        entry.counts.count = 1;
        entry.heapAt = int(m_heap.size());
        m_heap.push_back(index);
        m_byKey.emplace(std::string_view(entry.key), index);
        siftUp(entry.heapAt);
    } else {
        // The least counted key makes room; the newcomer may have been it, unseen, that often.
        index = m_heap.front();
        Entry &entry = m_entries[size_t(index)];
        m_byKey.erase(std::string_view(entry.key));
        const qint64 floor = entry.counts.count;
        entry.key.assign(key);
        entry.counts = KeyCounts{};
        entry.counts.key = QByteArray(key.data(), qsizetype(key.size()));
        entry.counts.count = floor + 1;
        entry.counts.error = floor;
        entry.lastMissMs = 0;
        m_byKey.emplace(std::string_view(entry.key), index);
        siftDown(0);
    }
    Entry &entry = m_entries[size_t(index)];
    entry.counts.lastAccessMs = nowMs;
    return entry;
}

void KeyAccessSketch::swapHeap(int a, int b)
{
    std::swap(m_heap[size_t(a)], m_heap[size_t(b)]);
    m_entries[size_t(m_heap[size_t(a)])].heapAt = a;
    m_entries[size_t(m_heap[size_t(b)])].heapAt = b;
}

void KeyAccessSketch::siftDown(int at)
{
    const int size = int(m_heap.size());
    const auto countAt
        = [this](int i) { return m_entries[size_t(m_heap[size_t(i)])].counts.count; };
    for (;;) {
        const int left = 2 * at + 1;
        if (left >= size)
            return;
        const int right = left + 1;
        const int smaller = right < size && countAt(right) < countAt(left) ? right : left;
        if (countAt(at) <= countAt(smaller))
            return;
        swapHeap(at, smaller);
        at = smaller;
    }
}

void KeyAccessSketch::siftUp(int at)
{
    while (at > 0) {
        const int parent = (at - 1) / 2;
        if (m_entries[size_t(m_heap[size_t(parent)])].counts.count
            <= m_entries[size_t(m_heap[size_t(at)])].counts.count)
            return;
        swapHeap(at, parent);
        at = parent;
    }
}

std::string_view KeyAccessSketch::segmentOf(std::string_view key) const
{
    const std::string_view prefix(m_options.keyNamespace.constData(),
                                  size_t(m_options.keyNamespace.size()));
    if (!prefix.empty() && key.size() > prefix.size() && key.starts_with(prefix)
        && key[prefix.size()] == ':')
        key.remove_prefix(prefix.size() + 1);
    return key.substr(0, key.find(':'));
}

KeyAccessSketch::SegmentCounts &KeyAccessSketch::segment(std::string_view key)
{
    std::string name(segmentOf(key));
    auto found = m_segments.find(name);
    if (found != m_segments.end())
        return found->second;
    if (int(m_segments.size()) >= std::max(1, m_options.maxSegments) - 1)
        name = kOtherSegments;  // one place is kept for the rest
    found = m_segments.try_emplace(name).first;
    found->second.segment = QString::fromUtf8(name.data(), qsizetype(name.size()));
    return found->second;
}

KeyAccessSketch::Snapshot KeyAccessSketch::snapshot(int topCount) const
{
    Snapshot snapshot;
    std::vector<const Entry *> ranked;
    ranked.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        ranked.push_back(&entry);
    const size_t wanted = std::min(ranked.size(), size_t(std::max(0, topCount)));
    std::partial_sort(ranked.begin(), ranked.begin() + qsizetype(wanted), ranked.end(),
                      [](const Entry *a, const Entry *b) {
                          return a->counts.count != b->counts.count
                                     ? a->counts.count > b->counts.count
                                     : a->key < b->key;
                      });
    for (size_t i = 0; i < wanted; ++i)
        snapshot.top.append(ranked[i]->counts);
    for (const auto &[name, counts] : m_segments)
        snapshot.segments.append(counts);
    std::sort(snapshot.segments.begin(), snapshot.segments.end(),
              [](const SegmentCounts &a, const SegmentCounts &b) {
                  const qint64 usedA = a.hits + a.misses;
                  const qint64 usedB = b.hits + b.misses;
                  return usedA != usedB ? usedA > usedB : a.segment < b.segment;
              });
    snapshot.ttlHistogram = m_ttlHistogram;
    snapshot.reads = m_reads;
    snapshot.writes = m_writes;
    snapshot.loads = m_loads;
    return snapshot;
}

void KeyAccessSketch::clear()
{
    m_entries.clear();
    m_heap.clear();
    m_byKey.clear();
    m_segments.clear();
    m_ttlHistogram = {};
    m_reads = m_writes = m_loads = 0;
}

QString KeyAccessSketch::ttlBucketName(int bucket)
{
    if (bucket <= 0)
        return QStringLiteral("none");
    if (bucket > int(kTtlBoundsSeconds.size()))
        return QStringLiteral(">=%1s").arg(kTtlBoundsSeconds.back());
    return QStringLiteral("<%1s").arg(kTtlBoundsSeconds[size_t(bucket - 1)]);
}

}  // namespace kucun
