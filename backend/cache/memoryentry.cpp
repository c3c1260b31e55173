#include "memoryentry.h"

#include <limits>
#include <new>

namespace kucun {

namespace {

__extension__ using Wide = unsigned __int128;

inline uint64_t multiplyFold(uint64_t a, uint64_t b)
{
    const Wide product = static_cast<Wide>(a) * b;
    return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

constexpr uint64_t kSeed = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMixA = 0xBF58476D1CE4E5B9ull;
constexpr uint64_t kMixB = 0x94D049BB133111EBull;

}  // namespace

uint64_t hashKey(std::string_view key)
{
    // Eight bytes per multiply; good enough spread for table slots, not meant to be secure.
    uint64_t h = kSeed ^ key.size();
    const char *p = key.data();
    size_t left = key.size();
    while (left >= 8) {
        uint64_t word = 0;
        std::memcpy(&word, p, 8);
        h = multiplyFold(h ^ word, kMixA);
        p += 8;
        left -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, left);
    h = multiplyFold(h ^ tail, kMixB);
    return multiplyFold(h, kSeed);
}

MemoryEntry *MemoryEntry::create(uint64_t hash, std::string_view key, std::string_view value,
                                 int64_t expiresAtMs, const std::vector<std::string_view> &tags)
{
    size_t tagBytes = 0;
    for (std::string_view tag : tags)
        tagBytes += sizeof(uint16_t) + tag.size();
    void *memory = ::operator new(sizeof(MemoryEntry) + key.size() + value.size() + tagBytes);
    auto *entry = new (memory) MemoryEntry{static_cast<uint32_t>(hash),
                                           static_cast<uint32_t>(key.size()),
                                           static_cast<uint32_t>(value.size()),
                                           {0},
                                           0,
                                           static_cast<uint16_t>(tags.size()),
                                           expiresAtMs,
                                           nullptr,
                                           nullptr};
    char *p = entry->data();
    std::memcpy(p, key.data(), key.size());
    p += key.size();
    if (!value.empty())
        std::memcpy(p, value.data(), value.size());
    p += value.size();
    for (std::string_view tag : tags) {
        const auto length = static_cast<uint16_t>(tag.size());
        std::memcpy(p, &length, sizeof length);
        std::memcpy(p + sizeof length, tag.data(), tag.size());
        p += sizeof length + tag.size();
    }
    return entry;
}

void MemoryEntry::destroy(void *entry)
{
    static_cast<MemoryEntry *>(entry)->~MemoryEntry();
    ::operator delete(entry);
}

MemoryEntry *MemoryEntry::withExpiry(int64_t newExpiresAtMs) const
{
    const size_t tags = tagBytes();
    void *memory = ::operator new(sizeof(MemoryEntry) + keySize + valueSize + tags);
    auto *copy = new (memory) MemoryEntry{hash,     keySize,        valueSize, {0},    queue,
                                          tagCount, newExpiresAtMs, nullptr,   nullptr};
    std::memcpy(copy->data(), data(), keySize + valueSize + tags);
    copy->frequency.store(frequency.load(std::memory_order_relaxed), std::memory_order_relaxed);
    return copy;
}

}  // namespace kucun
