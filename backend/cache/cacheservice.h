#pragma once

#include "cachestats.h"
#include "cachestore.h"
#include "delayedcalls.h"
#include "invalidationlistener.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QThreadPool>

#include <functional>
#include <mutex>
#include <optional>

namespace kucun {

// What a loader returns: the value, std::nullopt when the data does not exist (cached as the
// null sentinel, SPEC §3), or an error (nothing is cached).
using LoadResult = Result<std::optional<QByteArray>>;
using Loader = std::function<QFuture<LoadResult>()>;
using SyncLoader = std::function<LoadResult()>;

struct GetOrSetOptions
{
    std::optional<Millis> nullTtl;  // for a loader's null; default min(ttl, 60 s)
    double jitter = 0.2;  // stored TTL = ttl × U[1 - jitter, 1 + jitter]; 0: exact
    QStringList tags;
    Millis lockTtl{30000};  // getOrSetWithLock: how long the lock lives and others wait
};

// A tag and how many keys it names (the Invalidate panel's list).
// What an invalidation asked for from outside (the window, the server API) is about: a tag, or
// a namespace pattern.
struct Invalidation
{
    enum class Kind { Tag, Namespace };
    Kind kind = Kind::Tag;
    QString target;
};

struct TagCount
{
    QString tag;
    qint64 keys = 0;
};

// A single-flight load in progress (SPEC §14: the Flow panel lists them live): the key, how
// many callers wait for it (the one that started it included), and where it stands.
struct FlightInfo
{
    enum class Stage { Loading, HoldingLock, WaitingForLock };
    QString key;
    int waiters = 0;
    // Loading: this hub runs the loader; HoldingLock: it does, holding the store lock
    // (getOrSetWithLock); WaitingForLock: another process holds the lock and loads.
    Stage stage = Stage::Loading;
    qint64 ageMs = 0;
    friend bool operator==(const FlightInfo &, const FlightInfo &) = default;
};

// A page of keys for the Keys panel.
// One key as the server API shows it: its value and what the Keys panel shows.
struct KeyInspection
{
    KeyDetails details;
    QByteArray value;
};

struct KeyPage
{
    QList<KeyDetails> keys;
    QByteArray nextCursor;  // empty: no more pages
};

// Cache-aside over a CacheStore, as the seed's lib/cache/cache.ts (SPEC §3): namespaced keys,
// single-flight getOrSet with the null sentinel and TTL jitter, a cross-process lock variant,
// tags and namespace invalidation reported to an InvalidationListener, and statistics.
//
// Thread-safe. Every operation answers through a QFuture: a caller on a worker thread may
// block on `.result()`; the engine thread chains instead.
class CacheService
{
public:
    static inline const QByteArray kNullSentinel = QByteArrayLiteral("__NULL__");
    static constexpr int kMaxConcurrentLoads = 16;
    static constexpr Millis kMaxNullTtl{60000};
    static constexpr Millis kLockPollInterval{50};

    // `listener` may be null (nobody is told of invalidations). Neither is owned; both outlive
    // the service.
    CacheService(CacheStore &store, QString keyNamespace, InvalidationListener *listener = nullptr);
    ~CacheService();

    // Ends the work the service does on threads of its own: lock polls stop (a caller waiting on
    // another process's lock is answered only when the service goes), loads in progress finish
    // and answer their callers. For the moment just before the service and its store go away;
    // the destructor does it too.
    void quiesce();

    QString keyNamespace() const { return m_namespace; }
    QByteArray fullKey(const QString &key) const;
    QByteArray tagKey(const QString &tag) const;
    QByteArray lockKey(const QString &key) const;

    QFuture<LoadResult> get(const QString &key);
    QFuture<Result<bool>> set(const QString &key, const QByteArray &value, Millis ttl,
                              const QStringList &tags = {});
    QFuture<Result<qint64>> del(const QStringList &keys);
    QFuture<Result<qint64>> ttl(const QString &key);
    QFuture<Result<bool>> expire(const QString &key, Millis ttl);

    QFuture<LoadResult> getOrSet(const QString &key, Millis ttl, Loader loader,
                                 const GetOrSetOptions &options = {});
    QFuture<LoadResult> getOrSet(const QString &key, Millis ttl, SyncLoader loader,
                                 const GetOrSetOptions &options = {});
    QFuture<LoadResult> getOrSetWithLock(const QString &key, Millis ttl, Loader loader,
                                         const GetOrSetOptions &options = {});
    QFuture<LoadResult> getOrSetWithLock(const QString &key, Millis ttl, SyncLoader loader,
                                         const GetOrSetOptions &options = {});

    // Removes every key tagged `tag` and the tag set; the listener hears of it with `cause`.
    QFuture<Result<qint64>> invalidateTag(const QString &tag,
                                          InvalidationCause cause = InvalidationCause::Request);
    // The same, answering also the first `sampleSize` keys removed (relative to the namespace,
    // as tagPreview()): what an event's trace names.
    QFuture<Result<PatternMatch>> invalidateTagSampled(const QString &tag, int sampleSize,
                                                       InvalidationCause cause);
    // The tags whose name matches `pattern` (a glob, or a prefix; empty: all), at most `limit`,
    // with their key counts, sorted by name.
    QFuture<Result<QList<TagCount>>> tags(const QString &pattern = {}, int limit = 1000);
    // What invalidateTag(tag) would remove: how many keys the tag set names, and some of them
    // (relative to the namespace). Changes nothing.
    QFuture<Result<PatternMatch>> tagPreview(const QString &tag, int sampleSize = 20);
    // "products:list:" (a prefix) or "inventory:*" (a glob), under the namespace. A dry run only
    // counts and samples, and tells the listener nothing.
    QFuture<Result<PatternMatch>>
    invalidateNamespace(const QString &pattern, bool dryRun = false, int sampleSize = 20,
                        InvalidationCause cause = InvalidationCause::Request);

    QFuture<Result<CacheStats>> stats();
    // The service's own counters now, without asking the store (cheap; any thread).
    CacheStats counters() const { return m_counters.snapshot(); }
    // The loads in progress, oldest first; beyond `limit`, the ones most callers wait for
    // (any thread).
    QList<FlightInfo> flights(int limit = 100) const;
    int flightCount() const;
    // The load of `key` in progress, if there is one.
    std::optional<FlightInfo> flight(const QString &key) const;
    // Hit-rate chart: call about once a second; keeps the last `capacity` points.
    void sampleHitRate(qint64 nowMs, int capacity = 600);
    QList<HitRateSample> hitRateSamples() const { return m_counters.samples(); }
    // A key's value, TTL, size and tags, without counting a lookup (the administrator's look
    // must not move the hit rate); nullopt when the key does not exist.
    QFuture<Result<std::optional<KeyInspection>>> inspect(const QString &key);
    QFuture<Result<KeyPage>> keysPage(const QString &pattern, const QByteArray &cursor, int count);

    // Typed helpers: values are JSON text, as in the seed.
    QFuture<Result<bool>> setJson(const QString &key, const QJsonValue &value, Millis ttl,
                                  const QStringList &tags = {});
    QFuture<Result<std::optional<QJsonValue>>> getJson(const QString &key);
    QFuture<Result<std::optional<QJsonValue>>>
    getOrSetJson(const QString &key, Millis ttl,
                 std::function<Result<std::optional<QJsonValue>>()> loader,
                 const GetOrSetOptions &options = {});

    static SyncLoader fromJsonLoader(std::function<Result<std::optional<QJsonValue>>()> loader);

private:
    using Promise = std::shared_ptr<QPromise<LoadResult>>;
    struct Flight;

    static QString segmentOf(const QString &key);
    static Millis jittered(Millis ttl, double jitter);
    // What a stored value means to a caller: the null sentinel reads as "does not exist".
    static LoadResult storedValue(const QByteArray &stored);
    Loader toAsync(SyncLoader loader);
    QFuture<LoadResult> getOrSetImpl(const QString &key, Millis ttl, Loader loader,
                                     const GetOrSetOptions &options, bool withLock);
    void lead(const std::shared_ptr<Flight> &flight);
    void loadAndStore(const std::shared_ptr<Flight> &flight);
    void waitForLockHolder(const std::shared_ptr<Flight> &flight);
    void finish(const std::shared_ptr<Flight> &flight, const LoadResult &result);

    CacheStore &m_store;
    InvalidationListener *const m_listener;
    const QString m_namespace;
    CacheCounters m_counters;
    std::unique_ptr<DelayedCalls> m_delayed;  // stopped first when the service goes
    // Synchronous loaders run here: never on the engine thread, where Redis replies arrive.
    QThreadPool m_loaderPool;

    // Loads in progress by full key. A QFuture takes only one continuation, so the callers
    // sharing a load wait on promises of their own, kept in the flight.
    mutable std::mutex m_flightsMutex;
    QHash<QByteArray, std::shared_ptr<Flight>> m_flights;
};

}  // namespace kucun
