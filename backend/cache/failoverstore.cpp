#include "failoverstore.h"

#include "memorystore.h"

namespace kucun {

FailoverStore::FailoverStore(CacheStore &primary, MemoryStore &fallback)
    : m_primary(primary)
    , m_fallback(fallback)
{
}

void FailoverStore::setPrimaryAvailable(bool available)
{
    const bool was = m_primaryAvailable.exchange(available, std::memory_order_acq_rel);
    if (was && !available) {
        // What the memory engine held from an earlier outage may have been invalidated on other
        // hubs since: start the fallback empty.
        m_fallback.dropMatching("*", false, 0);
    }
}

CacheStore &FailoverStore::current()
{
    return primaryAvailable() ? m_primary : static_cast<CacheStore &>(m_fallback);
}

QString FailoverStore::engineName() const
{
    return primaryAvailable() ? m_primary.engineName() : m_fallback.engineName();
}

QFuture<Result<std::optional<QByteArray>>> FailoverStore::get(const QByteArray &key)
{
    return current().get(key);
}

QFuture<Result<bool>> FailoverStore::set(const QByteArray &key, const QByteArray &value, Millis ttl,
                                         const QList<QByteArray> &tagKeys)
{
    return current().set(key, value, ttl, tagKeys);
}

void FailoverStore::getThen(const QByteArray &key, StoreReply<std::optional<QByteArray>> reply)
{
    current().getThen(key, std::move(reply));
}

void FailoverStore::setThen(const QByteArray &key, const QByteArray &value, Millis ttl,
                            const QList<QByteArray> &tagKeys, StoreReply<bool> reply)
{
    current().setThen(key, value, ttl, tagKeys, std::move(reply));
}

QFuture<Result<qint64>> FailoverStore::remove(const QList<QByteArray> &keys)
{
    return current().remove(keys);
}

QFuture<Result<qint64>> FailoverStore::ttl(const QByteArray &key)
{
    return current().ttl(key);
}

QFuture<Result<bool>> FailoverStore::expire(const QByteArray &key, Millis ttl)
{
    return current().expire(key, ttl);
}

QFuture<Result<ScanPage>> FailoverStore::scan(const QByteArray &pattern, const QByteArray &cursor,
                                              int count)
{
    return current().scan(pattern, cursor, count);
}

QFuture<Result<QList<TagSize>>> FailoverStore::tagSizes(const QByteArray &tagPattern, int limit)
{
    return current().tagSizes(tagPattern, limit);
}

QFuture<Result<QList<KeyDetails>>> FailoverStore::describe(const QList<QByteArray> &keys)
{
    return current().describe(keys);
}

QFuture<Result<PatternMatch>> FailoverStore::invalidateTag(const QByteArray &tagKey, int sampleSize)
{
    return current().invalidateTag(tagKey, sampleSize);
}

QFuture<Result<QList<QByteArray>>> FailoverStore::tagMembers(const QByteArray &tagKey)
{
    return current().tagMembers(tagKey);
}

QFuture<Result<PatternMatch>> FailoverStore::invalidatePattern(const QByteArray &pattern,
                                                               bool dryRun, int sampleSize,
                                                               const QByteArray &keepPrefix)
{
    return current().invalidatePattern(pattern, dryRun, sampleSize, keepPrefix);
}

QFuture<Result<bool>> FailoverStore::tryLock(const QByteArray &lockKey, const QByteArray &token,
                                             Millis ttl)
{
    return current().tryLock(lockKey, token, ttl);
}

QFuture<Result<bool>> FailoverStore::unlock(const QByteArray &lockKey, const QByteArray &token)
{
    return current().unlock(lockKey, token);
}

QFuture<Result<StoreStats>> FailoverStore::stats()
{
    return current().stats();
}

}  // namespace kucun
