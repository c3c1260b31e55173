#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QFuture>
#include <QList>

#include <chrono>
#include <functional>
#include <optional>

namespace kucun {

using Millis = std::chrono::milliseconds;

// TTL answers follow Redis's PTTL: milliseconds left, or one of these.
inline constexpr qint64 kTtlNoExpiry = -1;
inline constexpr qint64 kTtlMissing = -2;

// What a cache request answers when the engine that held it went away before answering.
inline QString cacheEngineGone()
{
    return QStringLiteral("the cache engine went away");
}

// One page of a key scan. An empty `nextCursor` means the scan is complete.
struct ScanPage
{
    QList<QByteArray> keys;
    QByteArray nextCursor;
};

// What the Keys panel shows of one key.
struct KeyDetails
{
    QByteArray key;
    qint64 ttlMs = kTtlMissing;
    qint64 sizeBytes = 0;
    QList<QByteArray> tagKeys;
    QByteArray type = "string";  // or "set", "hash" (a tag set, or what a site wrote)
};

// The outcome of a pattern invalidation (or its dry run): how many keys, and some of them.
struct PatternMatch
{
    qint64 count = 0;
    QList<QByteArray> sample;
};

// A tag set and how many keys it names.
struct TagSize
{
    QByteArray tagKey;  // `<ns>:tag:<tag>`
    qint64 keys = 0;
};

// Counters an engine keeps itself. -1: the engine does not know.
// The answer of the callback form of an operation.
template <typename T> using StoreReply = std::function<void(const Result<T> &)>;

struct StoreStats
{
    qint64 keys = 0;
    qint64 usedBytes = 0;
    qint64 maxBytes = -1;
    qint64 evictions = 0;
    qint64 expirations = 0;
    qint64 serverHits = -1;  // Redis: keyspace_hits
    qint64 serverMisses = -1;  // Redis: keyspace_misses
};

// The storage under CacheService: the embedded MemoryStore or Redis (SPEC §3, §4). Keys are
// full keys (`<ns>:<key>`, tag sets `<ns>:tag:<tag>`, locks `<ns>:lock:<key>`); the service
// builds them, the store never adds a prefix.
//
// Every operation answers through a QFuture, so an engine whose replies arrive later on an
// event loop (Redis) fits as well as one that answers at once (memory: the future is already
// finished). A caller on any thread may block on `.result()`; a caller on the engine thread
// chains with `.then()` instead. Implementations are safe to call from any thread.
class CacheStore
{
public:
    virtual ~CacheStore() = default;

    // "memory" or "redis".
    virtual QString engineName() const = 0;

    virtual QFuture<Result<std::optional<QByteArray>>> get(const QByteArray &key) = 0;
    // `ttl` of zero: no expiry. `tagKeys`: the tag sets the key joins.
    virtual QFuture<Result<bool>> set(const QByteArray &key, const QByteArray &value, Millis ttl,
                                      const QList<QByteArray> &tagKeys)
        = 0;
    // Returns how many of the keys existed.
    virtual QFuture<Result<qint64>> remove(const QList<QByteArray> &keys) = 0;
    virtual QFuture<Result<qint64>> ttl(const QByteArray &key) = 0;
    // Sets a new TTL (zero: no expiry). False when the key does not exist.
    virtual QFuture<Result<bool>> expire(const QByteArray &key, Millis ttl) = 0;

    // Cursor-based, like SCAN: start with an empty cursor, stop when the page's cursor is empty.
    // A key present for the whole scan is returned at least once.
    virtual QFuture<Result<ScanPage>> scan(const QByteArray &pattern, const QByteArray &cursor,
                                           int count)
        = 0;
    virtual QFuture<Result<QList<KeyDetails>>> describe(const QList<QByteArray> &keys) = 0;

    // Removes every key of the tag set and the set itself; returns how many keys went.
    // Removes the keys the tag set names and the set; answers how many keys were removed and
    // the first `sampleSize` of them (full keys).
    virtual QFuture<Result<PatternMatch>> invalidateTag(const QByteArray &tagKey, int sampleSize)
        = 0;
    virtual QFuture<Result<QList<QByteArray>>> tagMembers(const QByteArray &tagKey) = 0;
    // The tag sets whose keys match `tagPattern` (a glob over `<ns>:tag:*`), at most `limit`.
    virtual QFuture<Result<QList<TagSize>>> tagSizes(const QByteArray &tagPattern, int limit) = 0;
    // Removes (or with `dryRun` only counts) the keys matching a Redis glob pattern, except
    // those starting with `keepPrefix` (when not empty): the locks, which belong to their holders.
    virtual QFuture<Result<PatternMatch>> invalidatePattern(const QByteArray &pattern, bool dryRun,
                                                            int sampleSize,
                                                            const QByteArray &keepPrefix)
        = 0;

    // SET NX PX: true when this caller now holds the lock.
    virtual QFuture<Result<bool>> tryLock(const QByteArray &lockKey, const QByteArray &token,
                                          Millis ttl)
        = 0;
    // Releases the lock only when `token` still holds it; true when it did.
    virtual QFuture<Result<bool>> unlock(const QByteArray &lockKey, const QByteArray &token) = 0;

    virtual QFuture<Result<StoreStats>> stats() = 0;

    // The callback form of the two operations on every read and write path (CacheService's
    // get and getOrSet): `reply` runs once — at once for memory and for input refused before
    // anything is sent, in the store's thread for a Redis reply — with no QFuture in between; on
    // Redis that machinery cost more than the round trip itself. A request the store drops (it went
    // away first) is answered with an error.
    virtual void getThen(const QByteArray &key, StoreReply<std::optional<QByteArray>> reply) = 0;
    virtual void setThen(const QByteArray &key, const QByteArray &value, Millis ttl,
                         const QList<QByteArray> &tagKeys, StoreReply<bool> reply)
        = 0;
};

}  // namespace kucun
