#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace kucun {

// One cached key in the memory engine: header, key, value and the key's tag set names in a
// single allocation. Immutable once published, except `frequency` (bumped by readers) and the
// FIFO links and queue mark (touched only under the shard's lock). Replacing a value publishes
// a new entry and retires the old one through EpochReclaimer.
struct MemoryEntry
{
    // The low half of the key's hashKey(): the table's slot and tag come from it (the shard
    // from the high half, which the entry need not keep).
    uint32_t hash;
    uint32_t keySize;
    uint32_t valueSize;
    std::atomic<uint8_t> frequency;  // S3-FIFO's access counter, 0..kMaxFrequency
    uint8_t queue;  // which FIFO the entry is in (MemoryShard::Queue)
    uint16_t tagCount;
    int64_t expiresAtMs;  // on the steady clock; 0 = never
    MemoryEntry *prev;  // FIFO links
    MemoryEntry *next;

    std::string_view key() const { return {data(), keySize}; }
    std::string_view value() const { return {data() + keySize, valueSize}; }
    bool hasExpired(int64_t nowMs) const { return expiresAtMs != 0 && expiresAtMs <= nowMs; }

    // The tag set names, each stored as a 2-byte length and its bytes.
    template <typename F> void forEachTag(F &&visit) const
    {
        const char *p = data() + keySize + valueSize;
        for (uint16_t i = 0; i < tagCount; ++i) {
            uint16_t length = 0;
            std::memcpy(&length, p, sizeof length);
            visit(std::string_view(p + sizeof length, length));
            p += sizeof length + length;
        }
    }

    // Size of the tag block after the value (the tags' lengths and names).
    size_t tagBytes() const
    {
        size_t bytes = 0;
        forEachTag([&bytes](std::string_view tag) { bytes += sizeof(uint16_t) + tag.size(); });
        return bytes;
    }

    // Bytes charged against the memory limit: the allocation plus what the allocator and the
    // table slot cost on top of it.
    size_t chargedBytes() const
    {
        return sizeof(MemoryEntry) + keySize + valueSize + tagBytes() + kHiddenOverhead;
    }
    static constexpr size_t kHiddenOverhead = 32;  // malloc header and rounding, table slot
    static constexpr uint8_t kMaxFrequency = 3;

    static MemoryEntry *create(uint64_t hash, std::string_view key, std::string_view value,
                               int64_t expiresAtMs, const std::vector<std::string_view> &tags);
    static void destroy(void *entry);
    // A copy with another expiry (EXPIRE on an entry readers may be looking at).
    MemoryEntry *withExpiry(int64_t expiresAtMs) const;

private:
    const char *data() const { return reinterpret_cast<const char *>(this + 1); }
    char *data() { return reinterpret_cast<char *>(this + 1); }
};

static_assert(sizeof(MemoryEntry) == 40, "keep the per-entry header small (SPEC §9: <= 96 B)");

// 64-bit hash of a key; different bits pick the shard, the slot and the slot's tag.
uint64_t hashKey(std::string_view key);

}  // namespace kucun
