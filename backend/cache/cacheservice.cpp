#include "cacheservice.h"

#include "core/answeringpromise.h"
#include "core/globpattern.h"
#include "core/jsonvalue.h"
#include "core/whenready.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>
#include <atomic>
#include <chrono>

namespace kucun {

Q_LOGGING_CATEGORY(lcCache, "kucun.cache")

namespace {

template <typename T> QFuture<Result<T>> failed(const QString &message)
{
    return QtFuture::makeReadyFuture(Result<T>(Error{message}));
}

QByteArray randomToken()
{
    quint64 words[2];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
}

}  // namespace

struct CacheService::Flight
{
    QString key;
    QByteArray fullKey;
    Millis ttl;
    Loader loader;
    GetOrSetOptions options;
    bool withLock = false;
    std::vector<std::shared_ptr<AnsweringPromise<std::optional<QByteArray>>>>
        waiters;  // under m_flightsMutex
    QByteArray lockToken;  // set while this flight holds the store lock
    std::chrono::steady_clock::time_point lockDeadline;
    const std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
    // For flights(), which reads it from another thread.
    std::atomic<FlightInfo::Stage> stage{FlightInfo::Stage::Loading};

    // Under m_flightsMutex.
    FlightInfo info(std::chrono::steady_clock::time_point now) const;
};

CacheService::CacheService(CacheStore &store, QString keyNamespace, InvalidationListener *listener)
    : m_store(store)
    , m_listener(listener)
    , m_namespace(std::move(keyNamespace))
    , m_delayed(std::make_unique<DelayedCalls>())
{
    m_loaderPool.setMaxThreadCount(kMaxConcurrentLoads);
}

CacheService::~CacheService()
{
    // No lock poll may fire into a half-destroyed service; loads in progress finish (and
    // answer their waiters) while everything is still here.
    quiesce();
}

void CacheService::quiesce()
{
    m_delayed->stop();
    m_loaderPool.waitForDone();
}

QByteArray CacheService::fullKey(const QString &key) const
{
    return (m_namespace + u':' + key).toUtf8();
}

QByteArray CacheService::tagKey(const QString &tag) const
{
    return (m_namespace + QStringLiteral(":tag:") + tag).toUtf8();
}

QByteArray CacheService::lockKey(const QString &key) const
{
    return (m_namespace + QStringLiteral(":lock:") + key).toUtf8();
}

QString CacheService::segmentOf(const QString &key)
{
    return key.section(u':', 0, 0);
}

Millis CacheService::jittered(Millis ttl, double jitter)
{
    if (ttl.count() <= 0 || jitter <= 0)
        return ttl;
    const double spread = std::min(jitter, 0.99);
    const double factor
        = 1.0 - spread + 2.0 * spread * QRandomGenerator::global()->generateDouble();
    return Millis(std::max<qint64>(1, qRound64(double(ttl.count()) * factor)));
}

QFuture<LoadResult> CacheService::get(const QString &key)
{
    auto answer = std::make_shared<AnsweringPromise<std::optional<QByteArray>>>(cacheEngineGone());
    QFuture<LoadResult> future = answer->future();
    m_store.getThen(fullKey(key),
                    [this, answer, segment = segmentOf(key)](const LoadResult &cached) {
                        if (!cached.ok()) {
                            answer->answer(cached);
                            return;
                        }
                        const bool hit = cached.value().has_value();
                        const bool isNull = hit && *cached.value() == kNullSentinel;
                        m_counters.recordLookup(segment, hit, isNull);
                        answer->answer(isNull ? LoadResult(std::optional<QByteArray>()) : cached);
                    });
    return future;
}

QFuture<Result<bool>> CacheService::set(const QString &key, const QByteArray &value, Millis ttl,
                                        const QStringList &tags)
{
    if (key.isEmpty())
        return failed<bool>(QStringLiteral("the key is empty"));
    QList<QByteArray> tagKeys;
    for (const QString &tag : tags)
        tagKeys.append(tagKey(tag));
    return m_store.set(fullKey(key), value, ttl, tagKeys);
}

QFuture<Result<qint64>> CacheService::del(const QStringList &keys)
{
    QList<QByteArray> fullKeys;
    for (const QString &key : keys)
        fullKeys.append(fullKey(key));
    return m_store.remove(fullKeys);
}

QFuture<Result<qint64>> CacheService::ttl(const QString &key)
{
    return m_store.ttl(fullKey(key));
}

QFuture<Result<bool>> CacheService::expire(const QString &key, Millis ttl)
{
    return m_store.expire(fullKey(key), ttl);
}

Loader CacheService::toAsync(SyncLoader loader)
{
    // A synchronous loader blocks (a database query): it runs on the loader pool, so that the
    // thread answering store requests keeps answering meanwhile.
    return [this, loader = std::move(loader)] {
        auto promise
            = std::make_shared<AnsweringPromise<std::optional<QByteArray>>>(cacheEngineGone());
        QFuture<LoadResult> future = promise->future();
        m_loaderPool.start([loader, promise] {
            LoadResult result = Error{QStringLiteral("the loader threw an exception")};
            try {
                result = loader();
            } catch (...) {
                // Loaders are caller code; an exception must not leave the waiters hanging.
            }
            promise->answer(result);
        });
        return future;
    };
}

QFuture<LoadResult> CacheService::getOrSet(const QString &key, Millis ttl, Loader loader,
                                           const GetOrSetOptions &options)
{
    return getOrSetImpl(key, ttl, std::move(loader), options, false);
}

QFuture<LoadResult> CacheService::getOrSet(const QString &key, Millis ttl, SyncLoader loader,
                                           const GetOrSetOptions &options)
{
    return getOrSetImpl(key, ttl, toAsync(std::move(loader)), options, false);
}

QFuture<LoadResult> CacheService::getOrSetWithLock(const QString &key, Millis ttl, Loader loader,
                                                   const GetOrSetOptions &options)
{
    return getOrSetImpl(key, ttl, std::move(loader), options, true);
}

QFuture<LoadResult> CacheService::getOrSetWithLock(const QString &key, Millis ttl,
                                                   SyncLoader loader,
                                                   const GetOrSetOptions &options)
{
    return getOrSetImpl(key, ttl, toAsync(std::move(loader)), options, true);
}

QFuture<LoadResult> CacheService::getOrSetImpl(const QString &key, Millis ttl, Loader loader,
                                               const GetOrSetOptions &options, bool withLock)
{
    if (key.isEmpty())
        return failed<std::optional<QByteArray>>(QStringLiteral("the key is empty"));
    if (!loader)
        return failed<std::optional<QByteArray>>(QStringLiteral("no loader was given"));

    auto answer = std::make_shared<AnsweringPromise<std::optional<QByteArray>>>(cacheEngineGone());
    QFuture<LoadResult> future = answer->future();
    const QByteArray full = fullKey(key);
    m_store.getThen(full, [=, this](const LoadResult &cached) {
        if (cached.ok() && cached.value()) {
            const bool isNull = *cached.value() == kNullSentinel;
            m_counters.recordLookup(segmentOf(key), true, isNull);
            answer->answer(isNull ? LoadResult(std::optional<QByteArray>()) : cached);
            return;
        }
        // A store error counts as a miss: the loader still answers, the caller is not failed
        // for the cache's sake.
        m_counters.recordLookup(segmentOf(key), false, false);

        std::shared_ptr<Flight> flight;
        {
            std::lock_guard lock(m_flightsMutex);
            if (const auto running = m_flights.constFind(full); running != m_flights.constEnd()) {
                (*running)->waiters.push_back(answer);
                m_counters.recordSharedLoad();
                return;
            }
            flight = std::make_shared<Flight>();
            flight->key = key;
            flight->fullKey = full;
            flight->ttl = ttl;
            flight->loader = loader;
            flight->options = options;
            flight->withLock = withLock;
            flight->waiters.push_back(answer);
            m_flights.insert(full, flight);
        }
        lead(flight);
    });
    return future;
}

void CacheService::lead(const std::shared_ptr<Flight> &flight)
{
    // Look again: a load may have stored the value between our miss and taking the lead.
    m_store.getThen(flight->fullKey, [this, flight](const LoadResult &cached) {
        if (cached.ok() && cached.value()) {
            const bool isNull = *cached.value() == kNullSentinel;
            finish(flight, isNull ? LoadResult(std::optional<QByteArray>()) : cached);
            return;
        }
        if (!flight->withLock) {
            loadAndStore(flight);
            return;
        }
        const QByteArray token = randomToken();
        flight->lockDeadline = std::chrono::steady_clock::now() + flight->options.lockTtl;
        whenReady(m_store.tryLock(lockKey(flight->key), token, flight->options.lockTtl),
                  [this, flight, token](const Result<bool> &locked) {
                      if (locked.ok() && locked.value()) {
                          flight->lockToken = token;
                          flight->stage = FlightInfo::Stage::HoldingLock;
                      }
                      if (!locked.ok() || locked.value()) {
                          loadAndStore(flight);  // no lock to be had: load all the same
                          return;
                      }
                      m_counters.recordLockWait();
                      flight->stage = FlightInfo::Stage::WaitingForLock;
                      waitForLockHolder(flight);
                  });
    });
}

LoadResult CacheService::storedValue(const QByteArray &stored)
{
    if (stored == kNullSentinel)
        return std::optional<QByteArray>();  // "does not exist", as the holder found
    return std::optional<QByteArray>(stored);
}

void CacheService::waitForLockHolder(const std::shared_ptr<Flight> &flight)
{
    m_delayed->after(kLockPollInterval, [this, flight] {
        m_store.getThen(flight->fullKey, [this, flight](const LoadResult &cached) {
            if (cached.ok() && cached.value()) {
                finish(flight, storedValue(*cached.value()));
                return;
            }
            if (std::chrono::steady_clock::now() >= flight->lockDeadline) {
                qCWarning(lcCache).noquote()
                    << "lock on" << flight->key << "outlived its TTL; loading without it";
                loadAndStore(flight);
                return;
            }
            // The holder may have given up without storing: try to take over.
            const QByteArray token = randomToken();
            whenReady(m_store.tryLock(lockKey(flight->key), token, flight->options.lockTtl),
                      [this, flight, token](const Result<bool> &locked) {
                          if (!locked.ok() || !locked.value()) {
                              waitForLockHolder(flight);
                              return;
                          }
                          flight->lockToken = token;
                          flight->stage = FlightInfo::Stage::HoldingLock;
                          // The holder may have stored and released between our read and our
                          // lock: read once more before loading again.
                          m_store.getThen(flight->fullKey, [this, flight](const LoadResult &now) {
                              if (now.ok() && now.value()) {
                                  finish(flight, storedValue(*now.value()));
                                  return;
                              }
                              loadAndStore(flight);
                          });
                      });
        });
    });
}

void CacheService::loadAndStore(const std::shared_ptr<Flight> &flight)
{
    // A lock that outlived its TTL: this hub loads now, without it.
    if (flight->stage == FlightInfo::Stage::WaitingForLock)
        flight->stage = FlightInfo::Stage::Loading;
    QFuture<LoadResult> loading;
    try {
        loading = flight->loader();
    } catch (...) {
        // Loaders are caller code; an exception must not leave the waiters hanging.
        loading
            = failed<std::optional<QByteArray>>(QStringLiteral("the loader threw an exception"));
    }
    whenReady(loading, [this, flight](const LoadResult &loaded) {
        m_counters.recordLoad(loaded.ok());
        if (!loaded.ok()) {
            finish(flight, loaded);
            return;
        }
        const bool isNull = !loaded.value().has_value();
        const Millis nullTtl = flight->options.nullTtl.value_or(
            std::min(flight->ttl.count() > 0 ? flight->ttl : kMaxNullTtl, kMaxNullTtl));
        const Millis storedTtl = isNull ? nullTtl : jittered(flight->ttl, flight->options.jitter);
        QList<QByteArray> tagKeys;
        for (const QString &tag : std::as_const(flight->options.tags))
            tagKeys.append(tagKey(tag));
        m_store.setThen(flight->fullKey, isNull ? kNullSentinel : *loaded.value(), storedTtl,
                        tagKeys, [this, flight, loaded](const Result<bool> &stored) {
                            if (!stored.ok()) {
                                qCWarning(lcCache).noquote()
                                    << "could not cache" << flight->key << ":" << stored.error();
                            }
                            finish(flight, loaded);
                        });
    });
}

void CacheService::finish(const std::shared_ptr<Flight> &flight, const LoadResult &result)
{
    if (!flight->lockToken.isEmpty())
        m_store.unlock(lockKey(flight->key), flight->lockToken);
    std::vector<std::shared_ptr<AnsweringPromise<std::optional<QByteArray>>>> waiters;
    {
        // Gone from the table before the waiters wake: a caller that misses from now on finds
        // the stored value, or starts a new load.
        std::lock_guard lock(m_flightsMutex);
        m_flights.remove(flight->fullKey);
        waiters.swap(flight->waiters);
    }
    for (const auto &waiter : waiters)
        waiter->answer(result);
}

FlightInfo CacheService::Flight::info(std::chrono::steady_clock::time_point now) const
{
    const qint64 ageMs
        = std::chrono::duration_cast<std::chrono::milliseconds>(now - startedAt).count();
    return {key, int(waiters.size()), stage.load(), ageMs};
}

QList<FlightInfo> CacheService::flights(int limit) const
{
    const auto now = std::chrono::steady_clock::now();
    QList<FlightInfo> infos;
    {
        std::lock_guard lock(m_flightsMutex);
        for (const std::shared_ptr<Flight> &flight : m_flights)
            infos.append(flight->info(now));
    }
    // Beyond the limit the loads most waited for stay: a stampede's one load among hundreds of
    // slow ones is what the list is for.
    if (infos.size() > limit) {
        std::sort(infos.begin(), infos.end(), [](const FlightInfo &a, const FlightInfo &b) {
            return a.waiters != b.waiters ? a.waiters > b.waiters : a.ageMs > b.ageMs;
        });
        infos.resize(std::max(0, limit));
    }
    std::sort(infos.begin(), infos.end(),
              [](const FlightInfo &a, const FlightInfo &b) { return a.ageMs > b.ageMs; });
    return infos;
}

int CacheService::flightCount() const
{
    std::lock_guard lock(m_flightsMutex);
    return int(m_flights.size());
}

std::optional<FlightInfo> CacheService::flight(const QString &key) const
{
    const QByteArray full = fullKey(key);
    std::lock_guard lock(m_flightsMutex);
    const auto found = m_flights.constFind(full);
    if (found == m_flights.constEnd())
        return std::nullopt;
    return (*found)->info(std::chrono::steady_clock::now());
}

QFuture<Result<QList<TagCount>>> CacheService::tags(const QString &pattern, int limit)
{
    const QByteArray full = tagKey(QString()) + globOrPrefix(pattern);
    const qsizetype prefix = tagKey(QString()).size();
    return m_store.tagSizes(full, std::max(0, limit))
        .then(QtFuture::Launch::Sync, [prefix](const Result<QList<TagSize>> &sizes) {
            if (!sizes.ok())
                return Result<QList<TagCount>>(Error{sizes.error()});
            QList<TagCount> tags;
            for (const TagSize &size : sizes.value())
                tags.append({QString::fromUtf8(size.tagKey.mid(prefix)), size.keys});
            std::sort(tags.begin(), tags.end(),
                      [](const TagCount &a, const TagCount &b) { return a.tag < b.tag; });
            return Result<QList<TagCount>>(tags);
        });
}

QFuture<Result<PatternMatch>> CacheService::tagPreview(const QString &tag, int sampleSize)
{
    if (tag.isEmpty())
        return failed<PatternMatch>(QStringLiteral("the tag is empty"));
    const qsizetype prefix = m_namespace.size() + 1;
    return m_store.tagMembers(tagKey(tag))
        .then(QtFuture::Launch::Sync,
              [prefix, sampleSize](const Result<QList<QByteArray>> &members) {
                  if (!members.ok())
                      return Result<PatternMatch>(Error{members.error()});
                  PatternMatch match;
                  match.count = members.value().size();
                  for (const QByteArray &key : members.value().first(
                           std::min<qsizetype>(std::max(0, sampleSize), members.value().size())))
                      match.sample.append(key.mid(prefix));
                  return Result<PatternMatch>(match);
              });
}

QFuture<Result<qint64>> CacheService::invalidateTag(const QString &tag, InvalidationCause cause)
{
    return invalidateTagSampled(tag, 0, cause)
        .then(QtFuture::Launch::Sync, [](const Result<PatternMatch> &removed) {
            return removed.ok() ? Result<qint64>(removed.value().count)
                                : Result<qint64>(Error{removed.error()});
        });
}

QFuture<Result<PatternMatch>> CacheService::invalidateTagSampled(const QString &tag, int sampleSize,
                                                                 InvalidationCause cause)
{
    if (tag.isEmpty())
        return failed<PatternMatch>(QStringLiteral("the tag is empty"));
    const qsizetype prefix = m_namespace.size() + 1;
    return m_store.invalidateTag(tagKey(tag), std::max(0, sampleSize))
        .then(QtFuture::Launch::Sync,
              [this, tag, cause, prefix](const Result<PatternMatch> &removed) {
                  if (!removed.ok())
                      return removed;
                  m_counters.recordInvalidation(removed.value().count);
                  if (m_listener)
                      m_listener->tagInvalidated(tag, removed.value().count, cause);
                  PatternMatch relative{removed.value().count, {}};
                  for (const QByteArray &key : removed.value().sample)
                      relative.sample.append(key.mid(prefix));
                  return Result<PatternMatch>(relative);
              });
}

QFuture<Result<PatternMatch>> CacheService::invalidateNamespace(const QString &pattern, bool dryRun,
                                                                int sampleSize,
                                                                InvalidationCause cause)
{
    if (pattern.isEmpty()) {
        return failed<PatternMatch>(
            QStringLiteral("the pattern is empty (use * to mean every key of the namespace)"));
    }
    const QByteArray full = fullKey(QString()) + globOrPrefix(pattern);
    // Locks belong to their holders and expire by themselves (SPEC §3): never invalidated.
    return m_store.invalidatePattern(full, dryRun, std::max(0, sampleSize), lockKey(QString()))
        .then(QtFuture::Launch::Sync,
              [this, pattern, dryRun, cause](const Result<PatternMatch> &match) {
                  if (match.ok() && !dryRun) {
                      m_counters.recordInvalidation(match.value().count);
                      if (m_listener)
                          m_listener->namespaceInvalidated(pattern, match.value().count, cause);
                  }
                  return match;
              });
}

QFuture<Result<CacheStats>> CacheService::stats()
{
    return m_store.stats().then(QtFuture::Launch::Sync, [this](const Result<StoreStats> &store) {
        CacheStats stats = m_counters.snapshot();
        if (store.ok())
            stats.store = store.value();
        return Result<CacheStats>(stats);
    });
}

void CacheService::sampleHitRate(qint64 nowMs, int capacity)
{
    m_counters.sample(nowMs, capacity);
}

QFuture<Result<KeyPage>> CacheService::keysPage(const QString &pattern, const QByteArray &cursor,
                                                int count)
{
    const QByteArray full = fullKey(QString()) + globOrPrefix(pattern);
    auto answer = std::make_shared<AnsweringPromise<KeyPage>>(cacheEngineGone());
    QFuture<Result<KeyPage>> future = answer->future();
    whenReady(m_store.scan(full, cursor, count), [this, answer](const Result<ScanPage> &page) {
        if (!page.ok()) {
            answer->answer(Error{page.error()});
            return;
        }
        const QByteArray next = page.value().nextCursor;
        whenReady(m_store.describe(page.value().keys),
                  [answer, next](const Result<QList<KeyDetails>> &details) {
                      if (!details.ok())
                          answer->answer(Error{details.error()});
                      else
                          answer->answer(KeyPage{details.value(), next});
                  });
    });
    return future;
}

QFuture<Result<std::optional<KeyInspection>>> CacheService::inspect(const QString &key)
{
    const QByteArray full = fullKey(key);
    auto answer
        = std::make_shared<AnsweringPromise<std::optional<KeyInspection>>>(cacheEngineGone());
    QFuture<Result<std::optional<KeyInspection>>> future = answer->future();
    whenReady(m_store.get(full),
              [this, answer, full](const Result<std::optional<QByteArray>> &got) {
                  if (!got.ok()) {
                      answer->answer(Error{got.error()});
                      return;
                  }
                  if (!got.value()) {
                      answer->answer(std::optional<KeyInspection>());
                      return;
                  }
                  const QByteArray value = *got.value();
                  whenReady(m_store.describe({full}),
                            [answer, value](const Result<QList<KeyDetails>> &details) {
                                if (!details.ok()) {
                                    answer->answer(Error{details.error()});
                                    return;
                                }
                                KeyInspection inspection;
                                inspection.value = value;
                                if (!details.value().isEmpty())
                                    inspection.details = details.value().front();
                                answer->answer(std::optional<KeyInspection>(inspection));
                            });
              });
    return future;
}

QFuture<Result<bool>> CacheService::setJson(const QString &key, const QJsonValue &value, Millis ttl,
                                            const QStringList &tags)
{
    return set(key, jsonValueText(value), ttl, tags);
}

namespace {

Result<std::optional<QJsonValue>> decodeJson(const QString &key, const LoadResult &result)
{
    if (!result.ok())
        return Error{result.error()};
    if (!result.value())
        return std::optional<QJsonValue>();
    const auto parsed = parseJsonValue(*result.value());
    if (!parsed)
        return Error{QStringLiteral("the cached value of '%1' is not JSON").arg(key)};
    return std::optional<QJsonValue>(*parsed);
}

}  // namespace

QFuture<Result<std::optional<QJsonValue>>> CacheService::getJson(const QString &key)
{
    return get(key).then(QtFuture::Launch::Sync,
                         [key](const LoadResult &result) { return decodeJson(key, result); });
}

SyncLoader CacheService::fromJsonLoader(std::function<Result<std::optional<QJsonValue>>()> loader)
{
    return [loader = std::move(loader)]() -> LoadResult {
        const Result<std::optional<QJsonValue>> loaded = loader();
        if (!loaded.ok())
            return Error{loaded.error()};
        if (!loaded.value())
            return std::optional<QByteArray>();
        return std::optional<QByteArray>(jsonValueText(*loaded.value()));
    };
}

QFuture<Result<std::optional<QJsonValue>>>
CacheService::getOrSetJson(const QString &key, Millis ttl,
                           std::function<Result<std::optional<QJsonValue>>()> loader,
                           const GetOrSetOptions &options)
{
    return getOrSet(key, ttl, fromJsonLoader(std::move(loader)), options)
        .then(QtFuture::Launch::Sync,
              [key](const LoadResult &result) { return decodeJson(key, result); });
}

}  // namespace kucun
