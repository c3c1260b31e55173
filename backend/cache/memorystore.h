#pragma once

#include "cachestore.h"

#include <QByteArray>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kucun {

class MemoryShard;
class MemoryCollections;

// The embedded cache engine (SPEC §3): safe to call from any thread; reads take no lock (see
// EpochReclaimer), writes lock one of a few shards. Bounded by a byte budget that counts keys,
// values and per-entry overhead, with S3-FIFO eviction; expired keys are removed by a
// background sweep within about a second even when nobody reads them.
//
// Two faces: the synchronous methods below for in-process callers and benchmarks, and the
// CacheStore interface (answers as already-finished futures) for CacheService.
class MemoryStore final : public CacheStore
{
public:
    struct Options
    {
        size_t maxBytes = size_t(256) << 20;
        size_t shardCount = 16;  // a power of two
        Millis sweepInterval{100};  // a full pass over the keys takes about ten of these
    };

    explicit MemoryStore(Options options);
    ~MemoryStore() override;
    MemoryStore(const MemoryStore &) = delete;
    MemoryStore &operator=(const MemoryStore &) = delete;

    // --- synchronous API -------------------------------------------------------------------
    // The hot path: copies the value into `out` (reusing its buffer) and returns true on a hit.
    bool lookup(std::string_view key, QByteArray &out) const;
    std::optional<QByteArray> lookup(std::string_view key) const;
    // `ttl` zero: no expiry. Fails when the entry can never fit in the budget.
    Result<bool> store(std::string_view key, std::string_view value, Millis ttl,
                       const std::vector<std::string_view> &tagKeys = {});
    qint64 erase(const QList<QByteArray> &keys);
    qint64 remainingTtl(std::string_view key) const;
    bool changeTtl(std::string_view key, Millis ttl);
    Result<ScanPage> scanKeys(std::string_view pattern, const QByteArray &cursor, int count) const;
    QList<KeyDetails> details(const QList<QByteArray> &keys) const;
    PatternMatch dropTag(std::string_view tagKey, int sampleSize);
    QList<QByteArray> membersOfTag(std::string_view tagKey) const;
    PatternMatch dropMatching(std::string_view pattern, bool dryRun, int sampleSize,
                              std::string_view keepPrefix = {});
    // What a key holds: strings here and in MemoryShard, sets and hashes in collections().
    enum class KeyType { None, String, Set, Hash };
    KeyType typeOf(std::string_view key) const;
    bool holdsString(std::string_view key) const { return hasString(key, nowMs()); }
    MemoryCollections &collections() { return *m_collections; }
    // Before a set or hash write: strings are evicted so that they and the sets and hashes
    // together stay within the budget. False when the sets and hashes alone fill it: what such a
    // write answers is the caller's (the Redis-protocol front says -OOM, as Redis would).
    bool makeRoomForCollections();
    bool acquireLock(std::string_view lockKey, std::string_view token, Millis ttl);
    bool releaseLock(std::string_view lockKey, std::string_view token);
    StoreStats snapshotStats() const;
    std::vector<std::pair<std::string, size_t>> allTagSizes() const;
    // Runs one full expiry pass now (tests; the background sweep does this by itself).
    size_t sweepAllExpired();

    // --- CacheStore --------------------------------------------------------------------------
    QString engineName() const override;
    QFuture<Result<std::optional<QByteArray>>> get(const QByteArray &key) override;
    QFuture<Result<bool>> set(const QByteArray &key, const QByteArray &value, Millis ttl,
                              const QList<QByteArray> &tagKeys) override;
    QFuture<Result<qint64>> remove(const QList<QByteArray> &keys) override;
    QFuture<Result<qint64>> ttl(const QByteArray &key) override;
    QFuture<Result<bool>> expire(const QByteArray &key, Millis ttl) override;
    QFuture<Result<ScanPage>> scan(const QByteArray &pattern, const QByteArray &cursor,
                                   int count) override;
    QFuture<Result<QList<KeyDetails>>> describe(const QList<QByteArray> &keys) override;
    QFuture<Result<PatternMatch>> invalidateTag(const QByteArray &tagKey, int sampleSize) override;
    QFuture<Result<QList<QByteArray>>> tagMembers(const QByteArray &tagKey) override;
    QFuture<Result<QList<TagSize>>> tagSizes(const QByteArray &tagPattern, int limit) override;
    QFuture<Result<PatternMatch>> invalidatePattern(const QByteArray &pattern, bool dryRun,
                                                    int sampleSize,
                                                    const QByteArray &keepPrefix) override;
    QFuture<Result<bool>> tryLock(const QByteArray &lockKey, const QByteArray &token,
                                  Millis ttl) override;
    QFuture<Result<bool>> unlock(const QByteArray &lockKey, const QByteArray &token) override;
    QFuture<Result<StoreStats>> stats() override;
    void getThen(const QByteArray &key, StoreReply<std::optional<QByteArray>> reply) override;
    void setThen(const QByteArray &key, const QByteArray &value, Millis ttl,
                 const QList<QByteArray> &tagKeys, StoreReply<bool> reply) override;

    // Milliseconds on the clock expiry times are kept in (a coarse monotonic clock).
    static int64_t nowMs();

private:
    MemoryShard &shardFor(uint64_t hash) const;
    // Removes a key of any type; true when it was there.
    bool eraseOne(std::string_view key, int64_t nowMs);
    bool hasString(std::string_view key, int64_t nowMs) const;
    Result<bool> storeBytes(const QByteArray &key, const QByteArray &value, Millis ttl,
                            const QList<QByteArray> &tagKeys);
    void sweepLoop();

    const Options m_options;
    std::unique_ptr<MemoryCollections> m_collections;
    std::vector<std::unique_ptr<MemoryShard>> m_shards;

    std::mutex m_sweepMutex;
    std::condition_variable m_sweepWake;
    bool m_stopping = false;
    std::thread m_sweeper;  // last: starts once everything above exists
};

}  // namespace kucun
