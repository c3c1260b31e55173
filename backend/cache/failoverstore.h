#pragma once

#include "cachestore.h"

#include <atomic>

namespace kucun {

class MemoryStore;

// The degradation of SPEC §3: every call goes to the primary store (Redis) while it is
// available and to the memory engine while it is not. Whoever watches Redis flips the switch;
// calls already on their way to Redis fail fast with an error there (CacheService treats a
// failed read as a miss). Thread-safe.
class FailoverStore final : public CacheStore
{
public:
    FailoverStore(CacheStore &primary, MemoryStore &fallback);

    void setPrimaryAvailable(bool available);
    bool primaryAvailable() const { return m_primaryAvailable.load(std::memory_order_acquire); }

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

private:
    CacheStore &current();

    CacheStore &m_primary;
    MemoryStore &m_fallback;
    std::atomic<bool> m_primaryAvailable{false};
};

}  // namespace kucun
