#include "memorycollections.h"

#include "memorystore.h"

namespace kucun {

namespace {

// What an element costs beyond its bytes: the node, the allocator's header, the bucket, and
// the heap block of a string too long for std::string's inline buffer.
constexpr size_t kSetMemberOverhead = 72;
constexpr size_t kHashFieldOverhead = 160;
constexpr size_t kCollectionOverhead = 112;  // the map node, its name and the variant
constexpr size_t kInlineString = 15;

size_t heapBytes(std::string_view text)
{
    return text.size() > kInlineString ? text.size() + 1 : 0;
}

size_t nameBytes(std::string_view name)
{
    return kCollectionOverhead + heapBytes(name);
}

}  // namespace

// --- MemorySet --------------------------------------------------------------------------------

bool MemorySet::add(std::string_view member)
{
    if (!m_members.emplace(member).second)
        return false;
    m_bytes += kSetMemberOverhead + heapBytes(member);
    return true;
}

bool MemorySet::remove(std::string_view member)
{
    const auto it = m_members.find(member);
    if (it == m_members.end())
        return false;
    m_bytes -= kSetMemberOverhead + heapBytes(member);
    m_members.erase(it);
    return true;
}

std::vector<std::string> MemorySet::takeAll()
{
    std::vector<std::string> members;
    members.reserve(m_members.size());
    while (!m_members.empty())
        members.push_back(std::move(m_members.extract(m_members.begin()).value()));
    m_bytes = 0;
    return members;
}

// --- MemoryHash -------------------------------------------------------------------------------

bool MemoryHash::set(std::string_view field, std::string_view value)
{
    if (const auto it = m_index.find(field); it != m_index.end()) {
        std::string &current = it->second->second;
        m_bytes = m_bytes - heapBytes(current) + heapBytes(value);
        current.assign(value);
        return false;
    }
    m_fields.emplace_back(std::string(field), std::string(value));
    const auto node = std::prev(m_fields.end());
    m_index.emplace(std::string_view(node->first), node);
    m_bytes += kHashFieldOverhead + heapBytes(field) + heapBytes(value);
    return true;
}

bool MemoryHash::remove(std::string_view field)
{
    const auto it = m_index.find(field);
    if (it == m_index.end())
        return false;
    const auto node = it->second;
    m_bytes -= kHashFieldOverhead + heapBytes(node->first) + heapBytes(node->second);
    m_index.erase(it);
    m_fields.erase(node);
    return true;
}

const std::string *MemoryHash::find(std::string_view field) const
{
    const auto it = m_index.find(field);
    return it == m_index.end() ? nullptr : &it->second->second;
}

// --- MemoryCollection -------------------------------------------------------------------------

size_t MemoryCollection::size() const
{
    return std::visit([](const auto &items) { return items.size(); }, data);
}

size_t MemoryCollection::bytes() const
{
    return std::visit([](const auto &items) { return items.bytes(); }, data);
}

// --- MemoryCollections ------------------------------------------------------------------------

MemoryCollections::Shard &MemoryCollections::shardFor(std::string_view name)
{
    return m_shards[TransparentStringHash{}(name) % kShards];
}

const MemoryCollections::Shard &MemoryCollections::shardFor(std::string_view name) const
{
    return m_shards[TransparentStringHash{}(name) % kShards];
}

MemoryCollection *MemoryCollections::liveIn(Shard &shard, std::string_view name, int64_t nowMs)
{
    const auto it = shard.collections.find(name);
    if (it == shard.collections.end())
        return nullptr;
    if (it->second.hasExpired(nowMs)) {
        eraseIn(shard, it);
        m_expirations.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    return &it->second;
}

const MemoryCollection *MemoryCollections::liveIn(const Shard &shard, std::string_view name,
                                                  int64_t nowMs) const
{
    const auto it = shard.collections.find(name);
    if (it == shard.collections.end() || it->second.hasExpired(nowMs))
        return nullptr;
    return &it->second;
}

void MemoryCollections::added(std::string_view name)
{
    m_bytes.fetch_add(nameBytes(name), std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
}

void MemoryCollections::eraseIn(Shard &shard, Map::iterator it)
{
    m_bytes.fetch_sub(it->second.bytes() + nameBytes(it->first), std::memory_order_relaxed);
    m_count.fetch_sub(1, std::memory_order_relaxed);
    shard.collections.erase(it);
}

void MemoryCollections::changed(size_t bytesBefore, size_t bytesAfter)
{
    if (bytesAfter >= bytesBefore)
        m_bytes.fetch_add(bytesAfter - bytesBefore, std::memory_order_relaxed);
    else
        m_bytes.fetch_sub(bytesBefore - bytesAfter, std::memory_order_relaxed);
}

void MemoryCollections::addTagMember(std::string_view tagKey, std::string_view key)
{
    // An expired tag set (a site may EXPIRE one) is dropped first, as Redis would have dropped
    // it before the SADD.
    withCreated<MemorySet>(tagKey, MemoryStore::nowMs(),
                           [&](MemorySet &set) { return set.add(key); });
}

void MemoryCollections::removeTagMember(std::string_view tagKey, std::string_view key)
{
    withExisting<MemorySet>(tagKey, MemoryStore::nowMs(),
                            [&](MemorySet *set) { return set ? set->remove(key) : false; });
}

std::vector<std::string> MemoryCollections::takeSet(std::string_view name, int64_t nowMs)
{
    std::vector<std::string> members;
    withExisting<MemorySet>(name, nowMs, [&](MemorySet *set) {
        if (set)
            members = set->takeAll();  // the emptied set is removed on the way out
        return true;
    });
    return members;
}

std::vector<std::string> MemoryCollections::setMembers(std::string_view name, int64_t nowMs) const
{
    const Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    const MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (!collection || !collection->isSet())
        return {};
    const auto &members = std::get<MemorySet>(collection->data).members();
    return {members.begin(), members.end()};
}

std::vector<std::pair<std::string, size_t>> MemoryCollections::setSizes(int64_t nowMs) const
{
    std::vector<std::pair<std::string, size_t>> result;
    for (const Shard &shard : m_shards) {
        std::lock_guard lock(shard.mutex);
        for (const auto &[name, collection] : shard.collections) {
            if (collection.isSet() && !collection.hasExpired(nowMs))
                result.emplace_back(name, collection.size());
        }
    }
    return result;
}

std::optional<MemoryCollections::Kind> MemoryCollections::kindOf(std::string_view name,
                                                                 int64_t nowMs) const
{
    const Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    const MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (!collection)
        return std::nullopt;
    return collection->isSet() ? Kind::Set : Kind::Hash;
}

std::optional<int64_t> MemoryCollections::expiryOf(std::string_view name, int64_t nowMs) const
{
    const Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    const MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (!collection)
        return std::nullopt;
    return collection->expiresAtMs;
}

bool MemoryCollections::setExpiry(std::string_view name, int64_t expiresAtMs, int64_t nowMs)
{
    Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    MemoryCollection *collection = liveIn(shard, name, nowMs);
    if (!collection)
        return false;
    collection->expiresAtMs = expiresAtMs;
    return true;
}

bool MemoryCollections::erase(std::string_view name, int64_t nowMs)
{
    Shard &shard = shardFor(name);
    std::lock_guard lock(shard.mutex);
    if (!liveIn(shard, name, nowMs))
        return false;
    eraseIn(shard, shard.collections.find(name));
    return true;
}

bool MemoryCollections::rename(std::string_view from, std::string_view to, int64_t nowMs)
{
    MemoryCollection moved;
    {
        Shard &shard = shardFor(from);
        std::lock_guard lock(shard.mutex);
        if (!liveIn(shard, from, nowMs))
            return false;
        auto node = shard.collections.extract(shard.collections.find(from));
        m_bytes.fetch_sub(node.mapped().bytes() + nameBytes(node.key()), std::memory_order_relaxed);
        m_count.fetch_sub(1, std::memory_order_relaxed);
        moved = std::move(node.mapped());
    }
    Shard &shard = shardFor(to);
    std::lock_guard lock(shard.mutex);
    if (const auto it = shard.collections.find(to); it != shard.collections.end())
        eraseIn(shard, it);
    const auto it = shard.collections.emplace(std::string(to), std::move(moved)).first;
    m_bytes.fetch_add(it->second.bytes() + nameBytes(it->first), std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void MemoryCollections::clear()
{
    for (Shard &shard : m_shards) {
        std::lock_guard lock(shard.mutex);
        while (!shard.collections.empty())
            eraseIn(shard, shard.collections.begin());
    }
}

void MemoryCollections::collectNames(size_t shardIndex, int64_t nowMs,
                                     const std::function<bool(std::string_view, Kind)> &keep,
                                     std::vector<std::string> &out) const
{
    const Shard &shard = m_shards[shardIndex % kShards];
    std::lock_guard lock(shard.mutex);
    for (const auto &[name, collection] : shard.collections) {
        if (!collection.hasExpired(nowMs)
            && keep(name, collection.isSet() ? Kind::Set : Kind::Hash))
            out.push_back(name);
    }
}

size_t MemoryCollections::sweepExpired(size_t shardIndex, int64_t nowMs)
{
    Shard &shard = m_shards[shardIndex % kShards];
    std::lock_guard lock(shard.mutex);
    size_t removed = 0;
    for (auto it = shard.collections.begin(); it != shard.collections.end();) {
        const auto next = std::next(it);
        if (it->second.hasExpired(nowMs)) {
            eraseIn(shard, it);
            ++removed;
        }
        it = next;
    }
    m_expirations.fetch_add(removed, std::memory_order_relaxed);
    return removed;
}

}  // namespace kucun
