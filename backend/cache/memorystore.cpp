#include "memorystore.h"

#include "core/bytesview.h"
#include "core/globpattern.h"
#include "epochreclaimer.h"
#include "memorycollections.h"
#include "memoryshard.h"

#include <QFuture>

#include <algorithm>
#include <bit>
#include <ctime>

namespace kucun {

namespace {

constexpr size_t kMinSweepSlots = 256;
constexpr size_t kSweepFraction = 10;  // each tick looks at a tenth of every table
constexpr int kScanSlotsPerKey = 16;  // how far a scan page may look for its `count` keys

QByteArray bytesOf(std::string_view text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

template <typename T> QFuture<Result<T>> ready(Result<T> result)
{
    return QtFuture::makeReadyFuture(std::move(result));
}

int64_t expiryFor(Millis ttl)
{
    return ttl.count() > 0 ? MemoryStore::nowMs() + ttl.count() : 0;
}

}  // namespace

int64_t MemoryStore::nowMs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    return int64_t(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

MemoryStore::MemoryStore(Options options)
    : m_options(options)
    , m_collections(std::make_unique<MemoryCollections>())
{
    const size_t shards = std::bit_ceil(std::max<size_t>(1, options.shardCount));
    const size_t perShard = std::max<size_t>(1, options.maxBytes / shards);
    m_shards.reserve(shards);
    for (size_t i = 0; i < shards; ++i)
        m_shards.push_back(std::make_unique<MemoryShard>(perShard, *m_collections));
    m_sweeper = std::thread(&MemoryStore::sweepLoop, this);
}

MemoryStore::~MemoryStore()
{
    {
        std::lock_guard lock(m_sweepMutex);
        m_stopping = true;
    }
    m_sweepWake.notify_all();
    m_sweeper.join();
    m_shards.clear();  // before the collections: entries leave their tag sets
    EpochReclaimer::instance().collect();
}

MemoryShard &MemoryStore::shardFor(uint64_t hash) const
{
    return *m_shards[(hash >> 32) & (m_shards.size() - 1)];
}

void MemoryStore::sweepLoop()
{
    std::unique_lock lock(m_sweepMutex);
    size_t collectionsHand = 0;
    while (!m_sweepWake.wait_for(lock, m_options.sweepInterval, [this] { return m_stopping; })) {
        lock.unlock();
        const int64_t now = nowMs();
        for (const auto &shard : m_shards)
            shard->sweepExpired(std::max(kMinSweepSlots, shard->slotCount() / kSweepFraction), now);
        for (size_t i = 0; i < MemoryCollections::kShards / kSweepFraction + 1; ++i)
            m_collections->sweepExpired(collectionsHand++, now);
        // Also frees what deletes and invalidations retired, so that memory comes back
        // within a tick even when no writes follow.
        EpochReclaimer::instance().collect();
        lock.lock();
    }
}

size_t MemoryStore::sweepAllExpired()
{
    const int64_t now = nowMs();
    size_t removed = 0;
    for (const auto &shard : m_shards)
        removed += shard->sweepExpired(shard->slotCount(), now);
    for (size_t i = 0; i < MemoryCollections::kShards; ++i)
        removed += m_collections->sweepExpired(i, now);
    return removed;
}

bool MemoryStore::lookup(std::string_view key, QByteArray &out) const
{
    const uint64_t hash = hashKey(key);
    EpochReclaimer::ReadGuard guard;
    const MemoryEntry *entry = shardFor(hash).find(hash, key);
    if (!entry || (entry->expiresAtMs != 0 && entry->hasExpired(nowMs())))
        return false;
    const uint8_t frequency = entry->frequency.load(std::memory_order_relaxed);
    if (frequency < MemoryEntry::kMaxFrequency)  // a plain store, not an increment: a lost bump now
                                                 // and then is fine
        const_cast<MemoryEntry *>(entry)->frequency.store(frequency + 1, std::memory_order_relaxed);
    const std::string_view value = entry->value();
    out.resize(static_cast<qsizetype>(value.size()));
    if (!value.empty())
        std::memcpy(out.data(), value.data(), value.size());
    return true;
}

std::optional<QByteArray> MemoryStore::lookup(std::string_view key) const
{
    QByteArray value;
    if (!lookup(key, value))
        return std::nullopt;
    return value;
}

Result<bool> MemoryStore::store(std::string_view key, std::string_view value, Millis ttl,
                                const std::vector<std::string_view> &tagKeys)
{
    if (key.empty())
        return Error{QStringLiteral("the key is empty")};
    if (tagKeys.size() > UINT16_MAX)
        return Error{QStringLiteral("too many tags (at most 65535)")};
    for (std::string_view tag : tagKeys) {
        if (tag.size() > UINT16_MAX)
            return Error{QStringLiteral("a tag name is longer than 65535 bytes")};
    }
    if (ttl.count() < 0)
        return Error{QStringLiteral("a TTL cannot be negative")};
    const uint64_t hash = hashKey(key);
    MemoryShard &shard = shardFor(hash);
    // A tag whose name holds a string cannot be a set: Redis would refuse the SADD
    // (WRONGTYPE); the key is stored without that tag rather than making a name two types.
    std::vector<std::string_view> tags;
    tags.reserve(tagKeys.size());
    for (std::string_view tag : tagKeys) {
        if (!hasString(tag, nowMs()))
            tags.push_back(tag);
    }
    MemoryEntry *entry = MemoryEntry::create(hash, key, value, expiryFor(ttl), tags);
    const bool stored = shard.insert(entry, tags) == MemoryShard::Insert::Stored;
    // A string replaces a set or hash of that name, as SET does; a refused one leaves it.
    if (stored && m_collections->count() > 0)
        m_collections->erase(key, nowMs());
    EpochReclaimer::instance().collectIfMany();  // the replaced and evicted entries
    if (!stored) {
        return Error{QStringLiteral("an entry of %1 bytes does not fit the memory limit "
                                    "(at most %2 bytes per entry with HUB_CACHE_MAX_MB=%3)")
                         .arg(key.size() + value.size())
                         .arg(shard.budgetBytes() / 2)
                         .arg(m_options.maxBytes >> 20)};
    }
    return true;
}

qint64 MemoryStore::erase(const QList<QByteArray> &keys)
{
    const int64_t now = nowMs();
    qint64 removed = 0;
    for (const QByteArray &key : keys)
        removed += eraseOne(bytesView(key), now) ? 1 : 0;
    EpochReclaimer::instance().collectIfMany();
    return removed;
}

bool MemoryStore::eraseOne(std::string_view key, int64_t nowMs)
{
    const uint64_t hash = hashKey(key);
    // Both, not the first that answers: a name is one type, but a race between the hub's own
    // writes and a site's could leave it two, and a delete must leave neither.
    const bool string = shardFor(hash).remove(hash, key, nowMs);
    const bool collection = m_collections->count() > 0 && m_collections->erase(key, nowMs);
    return string || collection;
}

qint64 MemoryStore::remainingTtl(std::string_view key) const
{
    const uint64_t hash = hashKey(key);
    EpochReclaimer::ReadGuard guard;
    const MemoryEntry *entry = shardFor(hash).find(hash, key);
    const int64_t now = nowMs();
    int64_t expiresAt = 0;
    if (entry && !entry->hasExpired(now)) {
        expiresAt = entry->expiresAtMs;
    } else if (const std::optional<int64_t> expiry = m_collections->expiryOf(key, now)) {
        expiresAt = *expiry;
    } else {
        return kTtlMissing;
    }
    return expiresAt == 0 ? kTtlNoExpiry : expiresAt - now;
}

bool MemoryStore::changeTtl(std::string_view key, Millis ttl)
{
    const uint64_t hash = hashKey(key);
    const int64_t now = nowMs();
    return shardFor(hash).setExpiry(hash, key, expiryFor(ttl), now)
           || m_collections->setExpiry(key, expiryFor(ttl), now);
}

bool MemoryStore::hasString(std::string_view key, int64_t nowMs) const
{
    const uint64_t hash = hashKey(key);
    EpochReclaimer::ReadGuard guard;
    const MemoryEntry *entry = shardFor(hash).find(hash, key);
    return entry && !entry->hasExpired(nowMs);
}

MemoryStore::KeyType MemoryStore::typeOf(std::string_view key) const
{
    const int64_t now = nowMs();
    if (hasString(key, now))
        return KeyType::String;
    const std::optional<MemoryCollections::Kind> kind = m_collections->kindOf(key, now);
    if (!kind)
        return KeyType::None;
    return *kind == MemoryCollections::Kind::Set ? KeyType::Set : KeyType::Hash;
}

bool MemoryStore::makeRoomForCollections()
{
    const size_t collections = m_collections->usedBytes();
    if (collections >= m_options.maxBytes)
        return false;
    const size_t perShard = (m_options.maxBytes - collections) / m_shards.size();
    for (const auto &shard : m_shards) {
        if (shard->usedBytes() > perShard)
            shard->shrinkTo(perShard);
    }
    EpochReclaimer::instance().collectIfMany();
    return true;
}

Result<ScanPage> MemoryStore::scanKeys(std::string_view pattern, const QByteArray &cursor,
                                       int count) const
{
    // The cursor is "<shard>:<slot>", opaque to callers. The string shards come first, then
    // the collections' shards, each of those in one page (`count` is a hint, as in Redis).
    const size_t stringShards = m_shards.size();
    const size_t allShards = stringShards + MemoryCollections::kShards;
    size_t shard = 0;
    size_t slot = 0;
    if (!cursor.isEmpty()) {
        const QList<QByteArray> parts = cursor.split(':');
        bool shardOk = false;
        bool slotOk = false;
        if (parts.size() == 2) {
            shard = parts[0].toULongLong(&shardOk);
            slot = parts[1].toULongLong(&slotOk);
        }
        if (!shardOk || !slotOk || shard >= allShards)
            return Error{QStringLiteral("'%1' is not a scan cursor")
                             .arg(QString::fromLatin1(cursor.left(40)))};
    }
    const size_t wanted = static_cast<size_t>(std::clamp(count, 1, 100000));
    const bool prefixOnly = globIsPrefixPattern(pattern);
    const std::string_view prefix = globLiteralPrefix(pattern);
    const int64_t now = nowMs();

    ScanPage page;
    size_t budget = wanted * kScanSlotsPerKey;
    const auto keyMatches = [&](std::string_view key) {
        return prefixOnly ? key.starts_with(prefix) : globMatches(pattern, key);
    };
    while (shard < stringShards && budget > 0 && size_t(page.keys.size()) < wanted) {
        const size_t chunk = std::min(budget, wanted - size_t(page.keys.size()));
        const size_t next = m_shards[shard]->visit(slot, chunk, now, [&](const MemoryEntry &entry) {
            if (keyMatches(entry.key()))
                page.keys.append(bytesOf(entry.key()));
        });
        budget -= chunk;
        if (next == 0) {
            ++shard;
            slot = 0;
        } else {
            slot = next;
        }
    }
    // Then the collections' shards, each whole, while the page has room.
    while (shard >= stringShards && shard < allShards && size_t(page.keys.size()) < wanted) {
        std::vector<std::string> names;
        m_collections->collectNames(
            shard - stringShards, now,
            [&](std::string_view name, MemoryCollections::Kind) { return keyMatches(name); },
            names);
        for (const std::string &name : names)
            page.keys.append(QByteArray::fromStdString(name));
        ++shard;
        slot = 0;
    }
    if (shard < allShards)
        page.nextCursor
            = QByteArray::number(quint64(shard)) + ':' + QByteArray::number(quint64(slot));
    return page;
}

QList<KeyDetails> MemoryStore::details(const QList<QByteArray> &keys) const
{
    QList<KeyDetails> result;
    result.reserve(keys.size());
    const int64_t now = nowMs();
    EpochReclaimer::ReadGuard guard;
    for (const QByteArray &key : keys) {
        KeyDetails detail;
        detail.key = key;
        const uint64_t hash = hashKey(bytesView(key));
        const MemoryEntry *entry = shardFor(hash).find(hash, bytesView(key));
        if (entry && !entry->hasExpired(now)) {
            detail.ttlMs = entry->expiresAtMs == 0 ? kTtlNoExpiry : entry->expiresAtMs - now;
            detail.sizeBytes = entry->valueSize;
            entry->forEachTag(
                [&detail](std::string_view tag) { detail.tagKeys.append(bytesOf(tag)); });
        } else if (const std::optional<int64_t> expiry
                   = m_collections->expiryOf(bytesView(key), now)) {
            detail.ttlMs = *expiry == 0 ? kTtlNoExpiry : *expiry - now;
            detail.type = m_collections->kindOf(bytesView(key), now) == MemoryCollections::Kind::Set
                              ? "set"
                              : "hash";
        }
        result.append(detail);
    }
    return result;
}

PatternMatch MemoryStore::dropTag(std::string_view tagKey, int sampleSize)
{
    const int64_t now = nowMs();
    const std::vector<std::string> members = m_collections->takeSet(tagKey, now);
    PatternMatch removed;
    for (const std::string &key : members) {
        if (!eraseOne(key, now))  // a member may be a set or hash too, as in Redis
            continue;
        if (removed.count++ < sampleSize)
            removed.sample.append(QByteArray::fromStdString(key));
    }
    EpochReclaimer::instance().collectIfMany();
    return removed;
}

QList<QByteArray> MemoryStore::membersOfTag(std::string_view tagKey) const
{
    QList<QByteArray> result;
    for (const std::string &key : m_collections->setMembers(tagKey, nowMs()))
        result.append(bytesOf(key));
    return result;
}

PatternMatch MemoryStore::dropMatching(std::string_view pattern, bool dryRun, int sampleSize,
                                       std::string_view keepPrefix)
{
    const bool prefixOnly = globIsPrefixPattern(pattern);
    const std::string_view prefix = globLiteralPrefix(pattern);
    PatternMatch match;
    const int64_t now = nowMs();
    const auto matches = [&](const MemoryEntry &entry) {
        const std::string_view key = entry.key();
        if (!(prefixOnly ? key.starts_with(prefix) : globMatches(pattern, key)))
            return false;
        if (!keepPrefix.empty() && key.starts_with(keepPrefix))
            return false;
        if (match.sample.size() < sampleSize)
            match.sample.append(bytesOf(key));
        return true;
    };
    for (const auto &shard : m_shards) {
        if (dryRun) {
            shard->visit(0, SIZE_MAX / 2, now,
                         [&](const MemoryEntry &entry) { match.count += matches(entry) ? 1 : 0; });
        } else {
            match.count += static_cast<qint64>(shard->removeIf(now, matches));
        }
    }
    for (size_t i = 0; i < MemoryCollections::kShards; ++i) {
        std::vector<std::string> names;
        m_collections->collectNames(
            i, now,
            [&](std::string_view name, MemoryCollections::Kind) {
                if (!(prefixOnly ? name.starts_with(prefix) : globMatches(pattern, name)))
                    return false;
                return keepPrefix.empty() || !name.starts_with(keepPrefix);
            },
            names);
        for (const std::string &name : names) {
            if (match.sample.size() < sampleSize)
                match.sample.append(QByteArray::fromStdString(name));
            match.count += dryRun || m_collections->erase(name, now) ? 1 : 0;
        }
    }
    EpochReclaimer::instance().collectIfMany();
    return match;
}

// A lock is a key like any other, as `SET <lock> <token> NX PX <ttl>` makes it in Redis: a lock
// a site takes through the Redis-protocol front and the hub's own are the same lock.
bool MemoryStore::acquireLock(std::string_view lockKey, std::string_view token, Millis ttl)
{
    if (lockKey.empty())
        return false;
    if (m_collections->count() > 0 && m_collections->kindOf(lockKey, nowMs()))
        return false;  // the name is taken, if not by a lock
    const uint64_t hash = hashKey(lockKey);
    MemoryEntry *entry = MemoryEntry::create(hash, lockKey, token,
                                             nowMs() + std::max<int64_t>(1, ttl.count()), {});
    const MemoryShard::Insert outcome
        = shardFor(hash).insert(entry, {}, MemoryShard::Condition::IfAbsent);
    EpochReclaimer::instance().collectIfMany();
    return outcome == MemoryShard::Insert::Stored;
}

bool MemoryStore::releaseLock(std::string_view lockKey, std::string_view token)
{
    const uint64_t hash = hashKey(lockKey);
    const bool released = shardFor(hash).removeIfValue(hash, lockKey, token, nowMs());
    EpochReclaimer::instance().collectIfMany();
    return released;
}

StoreStats MemoryStore::snapshotStats() const
{
    StoreStats stats;
    stats.maxBytes = static_cast<qint64>(m_options.maxBytes);
    for (const auto &shard : m_shards) {
        stats.keys += static_cast<qint64>(shard->keyCount());
        stats.usedBytes += static_cast<qint64>(shard->usedBytes());
        stats.evictions += static_cast<qint64>(shard->evictions());
        stats.expirations += static_cast<qint64>(shard->expirations());
    }
    stats.keys += static_cast<qint64>(m_collections->count());
    stats.usedBytes += static_cast<qint64>(m_collections->usedBytes());
    stats.expirations += static_cast<qint64>(m_collections->expirations());
    return stats;
}

std::vector<std::pair<std::string, size_t>> MemoryStore::allTagSizes() const
{
    return m_collections->setSizes(nowMs());
}

QFuture<Result<QList<TagSize>>> MemoryStore::tagSizes(const QByteArray &tagPattern, int limit)
{
    QList<TagSize> tags;
    for (const auto &[tagKey, size] : m_collections->setSizes(nowMs())) {
        if (tags.size() >= limit)
            break;
        if (size > 0 && globMatches(bytesView(tagPattern), tagKey))
            tags.append({QByteArray::fromStdString(tagKey), qint64(size)});
    }
    return ready(Result<QList<TagSize>>(tags));
}

QString MemoryStore::engineName() const
{
    return QStringLiteral("memory");
}

QFuture<Result<std::optional<QByteArray>>> MemoryStore::get(const QByteArray &key)
{
    return ready(Result<std::optional<QByteArray>>(lookup(bytesView(key))));
}

void MemoryStore::getThen(const QByteArray &key, StoreReply<std::optional<QByteArray>> reply)
{
    reply(Result<std::optional<QByteArray>>(lookup(bytesView(key))));
}

Result<bool> MemoryStore::storeBytes(const QByteArray &key, const QByteArray &value, Millis ttl,
                                     const QList<QByteArray> &tagKeys)
{
    std::vector<std::string_view> tags;
    tags.reserve(size_t(tagKeys.size()));
    for (const QByteArray &tag : tagKeys)
        tags.push_back(bytesView(tag));
    return store(bytesView(key), bytesView(value), ttl, tags);
}

QFuture<Result<bool>> MemoryStore::set(const QByteArray &key, const QByteArray &value, Millis ttl,
                                       const QList<QByteArray> &tagKeys)
{
    return ready(storeBytes(key, value, ttl, tagKeys));
}

void MemoryStore::setThen(const QByteArray &key, const QByteArray &value, Millis ttl,
                          const QList<QByteArray> &tagKeys, StoreReply<bool> reply)
{
    reply(storeBytes(key, value, ttl, tagKeys));
}

QFuture<Result<qint64>> MemoryStore::remove(const QList<QByteArray> &keys)
{
    return ready(Result<qint64>(erase(keys)));
}

QFuture<Result<qint64>> MemoryStore::ttl(const QByteArray &key)
{
    return ready(Result<qint64>(remainingTtl(bytesView(key))));
}

QFuture<Result<bool>> MemoryStore::expire(const QByteArray &key, Millis ttl)
{
    if (ttl.count() < 0)
        return ready(Result<bool>(Error{QStringLiteral("a TTL cannot be negative")}));
    return ready(Result<bool>(changeTtl(bytesView(key), ttl)));
}

QFuture<Result<ScanPage>> MemoryStore::scan(const QByteArray &pattern, const QByteArray &cursor,
                                            int count)
{
    return ready(scanKeys(bytesView(pattern), cursor, count));
}

QFuture<Result<QList<KeyDetails>>> MemoryStore::describe(const QList<QByteArray> &keys)
{
    return ready(Result<QList<KeyDetails>>(details(keys)));
}

QFuture<Result<PatternMatch>> MemoryStore::invalidateTag(const QByteArray &tagKey, int sampleSize)
{
    return ready(Result<PatternMatch>(dropTag(bytesView(tagKey), sampleSize)));
}

QFuture<Result<QList<QByteArray>>> MemoryStore::tagMembers(const QByteArray &tagKey)
{
    return ready(Result<QList<QByteArray>>(membersOfTag(bytesView(tagKey))));
}

QFuture<Result<PatternMatch>> MemoryStore::invalidatePattern(const QByteArray &pattern, bool dryRun,
                                                             int sampleSize,
                                                             const QByteArray &keepPrefix)
{
    return ready(Result<PatternMatch>(
        dropMatching(bytesView(pattern), dryRun, sampleSize, bytesView(keepPrefix))));
}

QFuture<Result<bool>> MemoryStore::tryLock(const QByteArray &lockKey, const QByteArray &token,
                                           Millis ttl)
{
    return ready(Result<bool>(acquireLock(bytesView(lockKey), bytesView(token), ttl)));
}

QFuture<Result<bool>> MemoryStore::unlock(const QByteArray &lockKey, const QByteArray &token)
{
    return ready(Result<bool>(releaseLock(bytesView(lockKey), bytesView(token))));
}

QFuture<Result<StoreStats>> MemoryStore::stats()
{
    return ready(Result<StoreStats>(snapshotStats()));
}

}  // namespace kucun
