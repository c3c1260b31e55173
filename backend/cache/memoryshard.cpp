#include "memoryshard.h"

#include "epochreclaimer.h"
#include "memorycollections.h"
#include "memorystore.h"

#include <QtGlobal>

#include <algorithm>
#include <bit>
#include <new>

namespace kucun {

namespace {

constexpr size_t kInitialCapacity = 64;
constexpr size_t kSmallQueuePercent = 10;  // S3-FIFO's small queue: 10 % of the bytes
constexpr size_t kMinGhostSlots = 1024;

bool tooFull(size_t usedSlots, size_t capacity)
{
    return usedSlots * 4 >= capacity * 3;  // load factor 0.75, tombstones included
}

}  // namespace

MemoryShard::Table *MemoryShard::Table::create(size_t capacity)
{
    auto *table = new Table{capacity - 1, new std::atomic<uint64_t>[capacity]};
    for (size_t i = 0; i < capacity; ++i)
        table->cells[i].store(kEmpty, std::memory_order_relaxed);
    return table;
}

void MemoryShard::Table::destroy(void *table)
{
    auto *self = static_cast<Table *>(table);
    delete[] self->cells;
    delete self;
}

void MemoryShard::Fifo::pushBack(MemoryEntry *entry)
{
    entry->prev = tail;
    entry->next = nullptr;
    (tail ? tail->next : head) = entry;
    tail = entry;
    bytes += entry->chargedBytes();
}

void MemoryShard::Fifo::unlink(MemoryEntry *entry)
{
    (entry->prev ? entry->prev->next : head) = entry->next;
    (entry->next ? entry->next->prev : tail) = entry->prev;
    entry->prev = entry->next = nullptr;
    bytes -= entry->chargedBytes();
}

MemoryShard::MemoryShard(size_t budgetBytes, MemoryCollections &tags)
    : m_table(Table::create(kInitialCapacity))
    , m_tags(tags)
    , m_budgetBytes(budgetBytes)
{
}

MemoryShard::~MemoryShard()
{
    // No reader can be left when a store goes away, so everything is freed at once.
    Table *table = m_table.load(std::memory_order_relaxed);
    for (size_t i = 0; i <= table->mask; ++i) {
        const uint64_t slot = table->cells[i].load(std::memory_order_relaxed);
        if (slot > Table::kTombstone)
            MemoryEntry::destroy(Table::entryOf(slot));
    }
    Table::destroy(table);
}

const MemoryEntry *MemoryShard::find(uint64_t hash, std::string_view key) const
{
    const Table *table = m_table.load(std::memory_order_acquire);
    for (size_t i = hash & table->mask;; i = (i + 1) & table->mask) {
        const uint64_t slot = table->cells[i].load(std::memory_order_acquire);
        if (slot == Table::kEmpty)
            return nullptr;
        if (slot == Table::kTombstone || !Table::tagMatches(slot, hash))
            continue;
        const MemoryEntry *entry = Table::entryOf(slot);
        if (entry->hash == uint32_t(hash) && entry->key() == key)
            return entry;
    }
}

size_t MemoryShard::findSlot(const Table &table, uint64_t hash, std::string_view key) const
{
    for (size_t i = hash & table.mask;; i = (i + 1) & table.mask) {
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot == Table::kEmpty)
            return SIZE_MAX;
        if (slot == Table::kTombstone || !Table::tagMatches(slot, hash))
            continue;
        const MemoryEntry *entry = Table::entryOf(slot);
        if (entry->hash == uint32_t(hash) && entry->key() == key)
            return i;
    }
}

size_t MemoryShard::slotOf(const Table &table, const MemoryEntry *entry) const
{
    for (size_t i = entry->hash & table.mask;; i = (i + 1) & table.mask) {
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot > Table::kTombstone && Table::entryOf(slot) == entry)
            return i;
        Q_ASSERT(slot != Table::kEmpty);
    }
}

void MemoryShard::placeInNewSlot(MemoryEntry *entry)
{
    Table &table = *m_table.load(std::memory_order_relaxed);
    for (size_t i = entry->hash & table.mask;; i = (i + 1) & table.mask) {
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot <= Table::kTombstone) {
            if (slot == Table::kEmpty)
                ++m_usedSlots;
            // Release: a reader that sees the pointer sees the entry's bytes.
            table.cells[i].store(Table::pack(entry), std::memory_order_release);
            return;
        }
    }
}

void MemoryShard::growIfNeeded()
{
    const Table &table = *m_table.load(std::memory_order_relaxed);
    if (!tooFull(m_usedSlots + 1, table.mask + 1))
        return;
    // Size for twice the live keys: grows when full of keys, cleans up when full of tombstones.
    const size_t live = m_liveCount.load(std::memory_order_relaxed) + 1;
    rebuild(std::max(kInitialCapacity, std::bit_ceil(live * 2)));
}

void MemoryShard::rebuild(size_t capacity)
{
    Table *old = m_table.load(std::memory_order_relaxed);
    Table *fresh = Table::create(capacity);
    for (size_t i = 0; i <= old->mask; ++i) {
        const uint64_t slot = old->cells[i].load(std::memory_order_relaxed);
        if (slot <= Table::kTombstone)
            continue;
        for (size_t j = Table::entryOf(slot)->hash & fresh->mask;; j = (j + 1) & fresh->mask) {
            if (fresh->cells[j].load(std::memory_order_relaxed) == Table::kEmpty) {
                fresh->cells[j].store(slot, std::memory_order_relaxed);
                break;
            }
        }
    }
    m_usedSlots = m_liveCount.load(std::memory_order_relaxed);
    m_table.store(fresh, std::memory_order_release);
    EpochReclaimer::instance().retire(old, &Table::destroy);
}

MemoryShard::Insert MemoryShard::insert(MemoryEntry *entry,
                                        const std::vector<std::string_view> &tagKeys,
                                        Condition condition)
{
    if (entry->chargedBytes() > m_budgetBytes / 2) {
        MemoryEntry::destroy(entry);
        return Insert::TooBig;
    }
    std::lock_guard lock(m_mutex);
    const Table &table = *m_table.load(std::memory_order_relaxed);
    const size_t existing = findSlot(table, entry->hash, entry->key());
    if (condition == Condition::IfAbsent && existing != SIZE_MAX
        && !Table::entryOf(table.cells[existing].load(std::memory_order_relaxed))
                ->hasExpired(MemoryStore::nowMs())) {
        MemoryEntry::destroy(entry);
        return Insert::Present;
    }
    if (existing != SIZE_MAX) {
        // Replace in place: a reader sees the old entry or the new one, never a gap.
        MemoryEntry *old = Table::entryOf(table.cells[existing].load(std::memory_order_relaxed));
        entry->frequency.store(old->frequency.load(std::memory_order_relaxed),
                               std::memory_order_relaxed);
        entry->queue = old->queue;
        (entry->queue == MainQueue ? m_main : m_small).pushBack(entry);
        table.cells[existing].store(Table::pack(entry), std::memory_order_release);
        m_liveCount.fetch_add(1, std::memory_order_relaxed);  // unlinkEntry() takes one away
        m_usedBytes.fetch_add(entry->chargedBytes(), std::memory_order_relaxed);
        unlinkEntry(SIZE_MAX, old);
    } else {
        growIfNeeded();
        entry->queue = ghostContains(entry->hash) ? MainQueue : SmallQueue;
        (entry->queue == MainQueue ? m_main : m_small).pushBack(entry);
        placeInNewSlot(entry);
        m_liveCount.fetch_add(1, std::memory_order_relaxed);
        m_usedBytes.fetch_add(entry->chargedBytes(), std::memory_order_relaxed);
    }
    for (std::string_view tagKey : tagKeys)
        m_tags.addTagMember(tagKey, entry->key());
    evictUntilWithinBudget();
    return Insert::Stored;
}

MemoryEntry *MemoryShard::entryFor(uint64_t hash, std::string_view key, size_t &slot) const
{
    const Table &table = *m_table.load(std::memory_order_relaxed);
    slot = findSlot(table, hash, key);
    return slot == SIZE_MAX ? nullptr
                            : Table::entryOf(table.cells[slot].load(std::memory_order_relaxed));
}

bool MemoryShard::removeIfValue(uint64_t hash, std::string_view key, std::string_view value,
                                int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    size_t slot = 0;
    MemoryEntry *entry = entryFor(hash, key, slot);
    if (!entry || entry->hasExpired(nowMs) || entry->value() != value)
        return false;
    unlinkEntry(slot, entry);
    return true;
}

bool MemoryShard::remove(uint64_t hash, std::string_view key, int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    size_t slot = 0;
    MemoryEntry *entry = entryFor(hash, key, slot);
    if (!entry)
        return false;
    const bool wasLive = !entry->hasExpired(nowMs);
    unlinkEntry(slot, entry);
    return wasLive;
}

bool MemoryShard::setExpiry(uint64_t hash, std::string_view key, int64_t expiresAtMs, int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    size_t slot = 0;
    MemoryEntry *old = entryFor(hash, key, slot);
    if (!old || old->hasExpired(nowMs))
        return false;
    const Table &table = *m_table.load(std::memory_order_relaxed);
    // Readers may be looking at `old`: publish a copy, retire the original.
    MemoryEntry *copy = old->withExpiry(expiresAtMs);
    Fifo &fifo = old->queue == MainQueue ? m_main : m_small;
    // Same size, so the FIFO's byte count stays right; take the old entry's place in it.
    copy->prev = old->prev;
    copy->next = old->next;
    (old->prev ? old->prev->next : fifo.head) = copy;
    (old->next ? old->next->prev : fifo.tail) = copy;
    table.cells[slot].store(Table::pack(copy), std::memory_order_release);
    EpochReclaimer::instance().retire(old, &MemoryEntry::destroy);
    return true;
}

void MemoryShard::unlinkEntry(size_t slot, MemoryEntry *entry)
{
    Table &table = *m_table.load(std::memory_order_relaxed);
    if (slot != SIZE_MAX)  // SIZE_MAX: its cell holds the replacement already
        table.cells[slot].store(Table::kTombstone, std::memory_order_release);
    (entry->queue == MainQueue ? m_main : m_small).unlink(entry);
    m_liveCount.fetch_sub(1, std::memory_order_relaxed);
    m_usedBytes.fetch_sub(entry->chargedBytes(), std::memory_order_relaxed);
    entry->forEachTag(
        [this, entry](std::string_view tagKey) { m_tags.removeTagMember(tagKey, entry->key()); });
    EpochReclaimer::instance().retire(entry, &MemoryEntry::destroy);
}

size_t MemoryShard::sweepExpired(size_t slotBudget, int64_t nowMs)
{
    std::lock_guard lock(m_mutex);
    const Table &table = *m_table.load(std::memory_order_relaxed);
    const size_t capacity = table.mask + 1;
    size_t removed = 0;
    for (size_t n = 0; n < std::min(slotBudget, capacity); ++n) {
        const size_t i = m_sweepHand++ & table.mask;
        const uint64_t slot = table.cells[i].load(std::memory_order_relaxed);
        if (slot <= Table::kTombstone)
            continue;
        MemoryEntry *entry = Table::entryOf(slot);
        if (entry->hasExpired(nowMs)) {
            unlinkEntry(i, entry);
            ++removed;
        }
    }
    m_expirations.fetch_add(removed, std::memory_order_relaxed);
    return removed;
}

void MemoryShard::evictUntilWithinBudget()
{
    evictDownTo(m_budgetBytes);
}

void MemoryShard::evictDownTo(size_t bytes)
{
    while (m_usedBytes.load(std::memory_order_relaxed) > bytes && (m_small.head || m_main.head))
        evictOne();
}

void MemoryShard::shrinkTo(size_t bytes)
{
    std::lock_guard lock(m_mutex);
    evictDownTo(bytes);
}

void MemoryShard::evictOne()
{
    const bool fromSmall
        = m_small.head
          && (m_small.bytes * 100 >= m_budgetBytes * kSmallQueuePercent || !m_main.head);
    if (fromSmall) {
        while (MemoryEntry *entry = m_small.head) {
            if (entry->frequency.load(std::memory_order_relaxed) > 0) {
                // Read while on probation: it earns a place in the main queue.
                m_small.unlink(entry);
                entry->frequency.store(0, std::memory_order_relaxed);
                entry->queue = MainQueue;
                m_main.pushBack(entry);
                continue;
            }
            rememberInGhost(entry->hash);
            evict(entry);
            return;
        }
    }
    while (MemoryEntry *entry = m_main.head) {
        const uint8_t frequency = entry->frequency.load(std::memory_order_relaxed);
        if (frequency > 0) {
            // A second chance per recent read: to the back of the queue, one read forgotten.
            entry->frequency.store(frequency - 1, std::memory_order_relaxed);
            m_main.unlink(entry);
            m_main.pushBack(entry);
            continue;
        }
        evict(entry);
        return;
    }
}

void MemoryShard::evict(MemoryEntry *entry)
{
    unlinkEntry(slotOf(*m_table.load(std::memory_order_relaxed), entry), entry);
    m_evictions.fetch_add(1, std::memory_order_relaxed);
}

bool MemoryShard::ghostContains(uint64_t hash)
{
    if (m_ghost.empty())
        return false;
    uint64_t &slot = m_ghost[hash & (m_ghost.size() - 1)];
    if (slot != hash)
        return false;
    slot = 0;
    return true;
}

void MemoryShard::rememberInGhost(uint64_t hash)
{
    // As many ghost slots as the shard holds keys: the ghost remembers about one cache-full of
    // recently evicted keys, at 8 bytes each.
    const size_t wanted
        = std::max(kMinGhostSlots, std::bit_ceil(m_liveCount.load(std::memory_order_relaxed)));
    if (m_ghost.size() < wanted)
        m_ghost.assign(wanted, 0);
    m_ghost[hash & (m_ghost.size() - 1)] = hash;
}

}  // namespace kucun
