#pragma once

#include "cachestore.h"

#include <QObject>

namespace kucun {

class RedisClient;
struct RedisReply;

// CacheStore on Redis, in the SPEC §3/§4 layout: entries `<ns>:<key>` (SET … PX), tag sets
// `<ns>:tag:<tag>` (SADD), locks `<ns>:lock:<key>` (SET NX PX with a random token, released by
// a compare-and-delete script). Tag invalidation is one Lua script, so it is atomic; namespace
// invalidation walks SCAN MATCH and UNLINKs in batches (never KEYS).
//
// Safe to call from any thread: work is handed to the client's thread (the engine thread) and
// answered through the future. When Redis is not up every call fails at once with an error.
class RedisStore final : public QObject, public CacheStore
{
    Q_OBJECT

public:
    static constexpr int kScanBatch = 1000;

    explicit RedisStore(RedisClient &client, QObject *parent = nullptr);
    ~RedisStore() override;

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
    // Sends `command` from the client's thread and answers with `convert(reply)` or the error.
    template <typename T, typename F>
    void requestThen(QList<QByteArray> command, F convert, StoreReply<T> reply);
    template <typename T, typename F>
    QFuture<Result<T>> request(QList<QByteArray> command, F convert);
    // Runs `work` now when called from the client's thread, else queues it there.
    template <typename F> void onClientThread(F work);
    static QList<QByteArray> setCommand(const QByteArray &key, const QByteArray &value, Millis ttl,
                                        const QList<QByteArray> &tagKeys);
    void tagScanStep(const QByteArray &cursor, std::shared_ptr<struct TagWalk> walk);
    void scanStep(const QByteArray &pattern, const QByteArray &cursor, bool dryRun, int sampleSize,
                  std::shared_ptr<struct PatternWalk> walk);

    RedisClient &m_client;
};

}  // namespace kucun
