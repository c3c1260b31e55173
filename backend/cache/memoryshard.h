#pragma once

#include "memoryentry.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

namespace kucun {

class MemoryCollections;

// One of MemoryStore's independent partitions: an open-addressing table that readers probe
// without a lock, and everything writers need under the shard's mutex: the S3-FIFO queues that
// choose what to evict, the byte budget, and the expiry sweep's hand.
//
// Eviction is S3-FIFO (Yang et al., SOSP 2023): new keys enter a small FIFO (10 % of the bytes);
// a key read while there moves to the main FIFO, one that was not leaves and is remembered in a
// ghost list, so a scan of one-time keys flushes only the small queue instead of the whole
// cache as LRU would. docs/cache.md says more.
class MemoryShard
{
public:
    enum Queue : uint8_t { SmallQueue = 0, MainQueue = 1 };

    MemoryShard(size_t budgetBytes, MemoryCollections &tags);
    ~MemoryShard();
    MemoryShard(const MemoryShard &) = delete;
    MemoryShard &operator=(const MemoryShard &) = delete;

    // Lock-free. The caller holds an EpochReclaimer::ReadGuard for as long as it uses the entry.
    // Expired entries are returned too; the caller decides (TTL answers need them).
    const MemoryEntry *find(uint64_t hash, std::string_view key) const;

    // Publishes `entry` (replacing the key's previous one, or only where the key holds no live
    // entry with IfAbsent) and evicts to stay in budget. `tagKeys` are the tag sets the key
    // joins. Takes ownership: an entry not stored is freed.
    enum class Condition { Always, IfAbsent };
    enum class Insert { Stored, TooBig, Present };
    Insert insert(MemoryEntry *entry, const std::vector<std::string_view> &tagKeys,
                  Condition condition = Condition::Always);
    // Removes the key if its live value is `value` (a lock's release by its holder).
    bool removeIfValue(uint64_t hash, std::string_view key, std::string_view value, int64_t nowMs);
    // Removes the key; true when it existed and had not expired.
    bool remove(uint64_t hash, std::string_view key, int64_t nowMs);
    // Replaces the key's expiry; false when the key is missing or expired.
    bool setExpiry(uint64_t hash, std::string_view key, int64_t expiresAtMs, int64_t nowMs);
    // Evicts until the shard holds at most `bytes` (sets and hashes taking their room).
    void shrinkTo(size_t bytes);
    // Removes expired keys among the next `slotBudget` slots of the table.
    size_t sweepExpired(size_t slotBudget, int64_t nowMs);

    // Calls `visit(const MemoryEntry &)` for live entries in slots [from, from + slotBudget),
    // under the lock. Returns the slot to continue from, or 0 when the table is done.
    template <typename F> size_t visit(size_t from, size_t slotBudget, int64_t nowMs, F &&visit);
    // Removes every live entry for which `matches(const MemoryEntry &)` holds; returns how many.
    template <typename F> size_t removeIf(int64_t nowMs, F &&matches);

    size_t keyCount() const { return m_liveCount.load(std::memory_order_relaxed); }
    size_t usedBytes() const { return m_usedBytes.load(std::memory_order_relaxed); }
    size_t budgetBytes() const { return m_budgetBytes; }
    size_t slotCount() const;
    uint64_t evictions() const { return m_evictions.load(std::memory_order_relaxed); }
    uint64_t expirations() const { return m_expirations.load(std::memory_order_relaxed); }

private:
    struct Table;
    struct Fifo
    {
        MemoryEntry *head = nullptr;
        MemoryEntry *tail = nullptr;
        size_t bytes = 0;
        void pushBack(MemoryEntry *entry);
        void unlink(MemoryEntry *entry);
    };

    // All of these run under m_mutex.
    size_t findSlot(const Table &table, uint64_t hash, std::string_view key) const;
    // The key's entry (expired or not) and its slot; null when the table has none.
    MemoryEntry *entryFor(uint64_t hash, std::string_view key, size_t &slot) const;
    size_t slotOf(const Table &table, const MemoryEntry *entry) const;
    void placeInNewSlot(MemoryEntry *entry);
    void growIfNeeded();
    void rebuild(size_t capacity);
    // Table cell (unless `slot` is SIZE_MAX), FIFO, tags, accounting; retires the entry.
    void unlinkEntry(size_t slot, MemoryEntry *entry);
    void evictUntilWithinBudget();
    void evictDownTo(size_t bytes);
    void evictOne();
    void evict(MemoryEntry *entry);
    bool ghostContains(uint64_t hash);
    void rememberInGhost(uint64_t hash);

    mutable std::mutex m_mutex;
    std::atomic<Table *> m_table;
    MemoryCollections &m_tags;
    const size_t m_budgetBytes;
    size_t m_usedSlots = 0;  // live + tombstones
    std::atomic<size_t> m_liveCount{0};
    std::atomic<size_t> m_usedBytes{0};
    std::atomic<uint64_t> m_evictions{0};
    std::atomic<uint64_t> m_expirations{0};
    Fifo m_small;
    Fifo m_main;
    std::vector<uint64_t> m_ghost;  // direct-mapped: hashes of keys evicted from the small FIFO
    size_t m_sweepHand = 0;
};

// The table a reader probes: `capacity` slots, each 0 (empty), 1 (tombstone) or an entry
// pointer whose unused top 16 bits carry bits 16-31 of the key's hash, so most probes that do
// not match never touch the entry. The slot comes from the low bits.
struct MemoryShard::Table
{
    size_t mask;
    std::atomic<uint64_t> *cells;

    static constexpr uint64_t kEmpty = 0;
    static constexpr uint64_t kTombstone = 1;
    static constexpr int kTagShift = 48;
    static constexpr uint64_t kPointerMask = (uint64_t(1) << kTagShift) - 1;

    static uint64_t tagOf(uint64_t hash) { return uint64_t(uint16_t(hash >> 16)) << kTagShift; }
    static uint64_t pack(const MemoryEntry *entry)
    {
        return tagOf(entry->hash) | reinterpret_cast<uintptr_t>(entry);
    }
    static MemoryEntry *entryOf(uint64_t slot)
    {
        return reinterpret_cast<MemoryEntry *>(static_cast<uintptr_t>(slot & kPointerMask));
    }
    static bool tagMatches(uint64_t slot, uint64_t hash)
    {
        return (slot & ~kPointerMask) == tagOf(hash);
    }
    static Table *create(size_t capacity);
    static void destroy(void *table);
};

inline size_t MemoryShard::slotCount() const
{
    std::lock_guard lock(m_mutex);  // the table may be replaced and freed otherwise
    return m_table.load(std::memory_order_relaxed)->mask + 1;
}

template <typename F>
size_t MemoryShard::visit(size_t from, size_t slotBudget, int64_t nowMs, F &&visitEntry)
{
    std::lock_guard lock(m_mutex);
    const Table &table = *m_table.load(std::memory_order_relaxed);
    const size_t end = std::min(table.mask + 1, from + slotBudget);
    for (size_t i = from; i < end; ++i) {
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot <= Table::kTombstone)
            continue;
        const MemoryEntry *entry = Table::entryOf(slot);
        if (!entry->hasExpired(nowMs))
            visitEntry(*entry);
    }
    return end > table.mask ? 0 : end;
}

template <typename F> size_t MemoryShard::removeIf(int64_t nowMs, F &&matches)
{
    std::lock_guard lock(m_mutex);
    const Table &table = *m_table.load(std::memory_order_relaxed);
    size_t removed = 0;
    for (size_t i = 0; i <= table.mask; ++i) {
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot <= Table::kTombstone)
            continue;
        MemoryEntry *entry = Table::entryOf(slot);
        if (entry->hasExpired(nowMs) || !matches(static_cast<const MemoryEntry &>(*entry)))
            continue;
        unlinkEntry(i, entry);
        ++removed;
    }
    return removed;
}

}  // namespace kucun
