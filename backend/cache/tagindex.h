#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace kucun {

// The memory engine's tag sets: for each tag set name (`<ns>:tag:<tag>`) the full keys that
// carry it, as Redis keeps them in SETs (SPEC §3). Sharded by tag name; each shard has its own
// mutex. MemoryShard calls in while holding its own lock, never the other way round.
class TagIndex
{
public:
    void add(std::string_view tagKey, std::string_view key);
    void removeMember(std::string_view tagKey, std::string_view key);
    // Removes the tag set and returns its members.
    std::vector<std::string> take(std::string_view tagKey);
    std::vector<std::string> members(std::string_view tagKey) const;
    // Every tag set name with its size, for the GUI's tag list.
    std::vector<std::pair<std::string, size_t>> sizes() const;

private:
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view text) const
        {
            return std::hash<std::string_view>{}(text);
        }
    };
    using KeySet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
    struct Shard
    {
        mutable std::mutex mutex;
        std::unordered_map<std::string, KeySet, StringHash, std::equal_to<>> sets;
    };
    static constexpr size_t kShards = 16;

    Shard &shardFor(std::string_view tagKey);
    const Shard &shardFor(std::string_view tagKey) const;

    std::array<Shard, kShards> m_shards;
};

}  // namespace kucun
