#include "tagindex.h"

namespace kucun {

TagIndex::Shard &TagIndex::shardFor(std::string_view tagKey)
{
    return m_shards[StringHash{}(tagKey) % kShards];
}

const TagIndex::Shard &TagIndex::shardFor(std::string_view tagKey) const
{
    return m_shards[StringHash{}(tagKey) % kShards];
}

void TagIndex::add(std::string_view tagKey, std::string_view key)
{
    Shard &shard = shardFor(tagKey);
    std::lock_guard lock(shard.mutex);
    auto it = shard.sets.find(tagKey);
    if (it == shard.sets.end())
        it = shard.sets.emplace(std::string(tagKey), KeySet{}).first;
    it->second.emplace(key);
}

void TagIndex::removeMember(std::string_view tagKey, std::string_view key)
{
    Shard &shard = shardFor(tagKey);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.sets.find(tagKey);
    if (it == shard.sets.end())
        return;  // the set was invalidated already
    if (const auto member = it->second.find(key); member != it->second.end())
        it->second.erase(member);
    if (it->second.empty())
        shard.sets.erase(it);  // Redis drops an empty set too
}

std::vector<std::string> TagIndex::take(std::string_view tagKey)
{
    KeySet members;
    {
        Shard &shard = shardFor(tagKey);
        std::lock_guard lock(shard.mutex);
        const auto it = shard.sets.find(tagKey);
        if (it == shard.sets.end())
            return {};
        members = std::move(it->second);
        shard.sets.erase(it);
    }
    std::vector<std::string> keys;
    keys.reserve(members.size());
    while (!members.empty())
        keys.push_back(std::move(members.extract(members.begin()).value()));
    return keys;
}

std::vector<std::string> TagIndex::members(std::string_view tagKey) const
{
    const Shard &shard = shardFor(tagKey);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.sets.find(tagKey);
    if (it == shard.sets.end())
        return {};
    return {it->second.begin(), it->second.end()};
}

std::vector<std::pair<std::string, size_t>> TagIndex::sizes() const
{
    std::vector<std::pair<std::string, size_t>> result;
    for (const Shard &shard : m_shards) {
        std::lock_guard lock(shard.mutex);
        for (const auto &[tagKey, keys] : shard.sets)
            result.emplace_back(tagKey, keys.size());
    }
    return result;
}

}  // namespace kucun
