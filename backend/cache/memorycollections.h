#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace kucun {

struct TransparentStringHash
{
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// A set's members. Counts the bytes it holds as it changes, for the engine's memory budget.
class MemorySet
{
public:
    bool add(std::string_view member);
    bool remove(std::string_view member);
    bool contains(std::string_view member) const { return m_members.contains(member); }
    size_t size() const { return m_members.size(); }
    size_t bytes() const { return m_bytes; }
    const auto &members() const { return m_members; }
    std::vector<std::string> takeAll();

private:
    std::unordered_set<std::string, TransparentStringHash, std::equal_to<>> m_members;
    size_t m_bytes = 0;
};

// A hash's fields in the order they were first set, as Redis 7.0 answers for the small hashes
// sites keep (listpack encoding): HGETALL then replies as Redis does, byte for byte.
class MemoryHash
{
public:
    using Field = std::pair<std::string, std::string>;

    // True when the field is new.
    bool set(std::string_view field, std::string_view value);
    bool remove(std::string_view field);
    const std::string *find(std::string_view field) const;
    size_t size() const { return m_fields.size(); }
    size_t bytes() const { return m_bytes; }
    const std::list<Field> &fields() const { return m_fields; }

private:
    std::list<Field> m_fields;
    std::unordered_map<std::string_view, std::list<Field>::iterator, TransparentStringHash,
                       std::equal_to<>>
        m_index;  // views of the field names in m_fields
    size_t m_bytes = 0;
};

struct MemoryCollection
{
    int64_t expiresAtMs = 0;  // on MemoryStore's clock; 0 = never
    std::variant<MemorySet, MemoryHash> data;

    bool isSet() const { return data.index() == 0; }
    size_t size() const;
    size_t bytes() const;
    bool hasExpired(int64_t nowMs) const { return expiresAtMs != 0 && expiresAtMs <= nowMs; }
};

// The memory engine's sets and hashes, beside MemoryShard's strings (SPEC §3, §12). A tag is
// the set `<ns>:tag:<tag>` of the full keys carrying it, whether the hub tagged a key or a site
// wrote the set with SADD; MemoryShard keeps those sets current as keys come and go. Sharded by
// name, each shard with its own mutex: MemoryShard calls in while holding its own lock, never
// the other way round. An emptied set or hash is removed, as in Redis.
class MemoryCollections
{
public:
    enum class Kind : uint8_t { Set, Hash };
    static constexpr size_t kShards = 16;

    // --- tags (MemoryShard, under its lock) -------------------------------------------------
    void addTagMember(std::string_view tagKey, std::string_view key);
    void removeTagMember(std::string_view tagKey, std::string_view key);
    // Removes a set and returns its members (a hash of that name stays).
    std::vector<std::string> takeSet(std::string_view name, int64_t nowMs);
    std::vector<std::string> setMembers(std::string_view name, int64_t nowMs) const;
    // Every set with its size, for the GUI's tag list.
    std::vector<std::pair<std::string, size_t>> setSizes(int64_t nowMs) const;

    // --- the keyspace ------------------------------------------------------------------------
    std::optional<Kind> kindOf(std::string_view name, int64_t nowMs) const;
    // Expiry on MemoryStore's clock (0 = none); nullopt when there is no such collection.
    std::optional<int64_t> expiryOf(std::string_view name, int64_t nowMs) const;
    bool setExpiry(std::string_view name, int64_t expiresAtMs, int64_t nowMs);
    bool erase(std::string_view name, int64_t nowMs);
    // Moves a collection to another name, replacing what that name held; false when `from`
    // holds none.
    bool rename(std::string_view from, std::string_view to, int64_t nowMs);
    void clear();
    // Names of live collections in shard `shard` (0..kShards-1) for which `keep(name)` holds.
    void collectNames(size_t shard, int64_t nowMs,
                      const std::function<bool(std::string_view, Kind)> &keep,
                      std::vector<std::string> &out) const;
    size_t sweepExpired(size_t shard, int64_t nowMs);
    size_t count() const { return m_count.load(std::memory_order_relaxed); }
    size_t usedBytes() const { return m_bytes.load(std::memory_order_relaxed); }
    uint64_t expirations() const { return m_expirations.load(std::memory_order_relaxed); }

    // Run `use` on the name's set or hash (T: MemorySet or MemoryHash) under its shard's lock
    // and answer what it returns, or nullopt without calling it when the name holds the other
    // kind (WRONGTYPE). They keep the byte count, and remove a collection `use` emptied.
    // withExisting: `use(T *)`, nullptr when the name holds no live collection.
    template <typename T, typename F>
    auto withExisting(std::string_view name, int64_t nowMs, F &&use)
        -> std::optional<std::invoke_result_t<F, T *>>;
    // withCreated: `use(T &)`, on a new empty one when the name holds none.
    template <typename T, typename F>
    auto withCreated(std::string_view name, int64_t nowMs, F &&use)
        -> std::optional<std::invoke_result_t<F, T &>>;

private:
    using Map
        = std::unordered_map<std::string, MemoryCollection, TransparentStringHash, std::equal_to<>>;
    struct Shard
    {
        mutable std::mutex mutex;
        Map collections;
    };

    Shard &shardFor(std::string_view name);
    const Shard &shardFor(std::string_view name) const;
    // Under the shard's lock: the live collection of that name, dropping an expired one.
    MemoryCollection *liveIn(Shard &shard, std::string_view name, int64_t nowMs);
    const MemoryCollection *liveIn(const Shard &shard, std::string_view name, int64_t nowMs) const;
    void eraseIn(Shard &shard, Map::iterator it);
    void added(std::string_view name);
    void changed(size_t bytesBefore, size_t bytesAfter);
    template <typename F>
    auto changeIn(Shard &shard, std::string_view name, MemoryCollection &collection, F &&change);

    std::array<Shard, kShards> m_shards;
    std::atomic<size_t> m_count{0};
    std::atomic<size_t> m_bytes{0};
    std::atomic<uint64_t> m_expirations{0};
};

template <typename T, typename F>
auto MemoryCollections::withExisting(std::string_view name, int64_t nowMs, F &&use)
    -> std::optional<std::invoke_result_t<F, T *>>
{
    Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (!collection)
        return use(static_cast<T *>(nullptr));
    if (!std::holds_alternative<T>(collection->data))
        return std::nullopt;
    return changeIn(shard, name, *collection, [&] { return use(&std::get<T>(collection->data)); });
}

template <typename T, typename F>
auto MemoryCollections::withCreated(std::string_view name, int64_t nowMs, F &&use)
    -> std::optional<std::invoke_result_t<F, T &>>
{
    Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (collection && !std::holds_alternative<T>(collection->data))
        return std::nullopt;
    if (!collection) {
        collection
            = &shard.collections.emplace(std::string(name), MemoryCollection{0, T{}}).first->second;
        added(name);
    }
    return changeIn(shard, name, *collection, [&] { return use(std::get<T>(collection->data)); });
}

template <typename F>
auto MemoryCollections::changeIn(Shard &shard, std::string_view name, MemoryCollection &collection,
                                 F &&change)
{
    const size_t before = collection.bytes();
    auto result = change();
    changed(before, collection.bytes());
    if (collection.size() == 0)
        eraseIn(shard, shard.collections.find(name));
    return result;
}

}  // namespace kucun
