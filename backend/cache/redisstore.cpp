#include "redisstore.h"

#include "core/answeringpromise.h"
#include "redis/redisclient.h"
#include "redis/redisreply.h"

#include <QSet>
#include <QThread>

namespace kucun {

namespace {

// SET the entry and add it to its tag sets. A tag set lives as long as its longest-lived
// member: it gets the entry's TTL when that is longer, and loses its TTL for an entry without.
const QByteArray kSetWithTags = QByteArrayLiteral(R"lua(
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else redis.call('SET', KEYS[1], ARGV[1]) end
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  local current = redis.call('PTTL', KEYS[i])
  if ttl == 0 then redis.call('PERSIST', KEYS[i])
  elseif (current ~= -1 or redis.call('SCARD', KEYS[i]) == 1) and current < ttl then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
return 1
)lua");

// Every member of the tag set and the set itself, in one atomic step; returns how many of the
// members existed. UNLINK in slices: Lua's unpack() takes a bounded number of values.
// {removed, the first ARGV[1] keys removed…}: those one at a time, to know which existed (at
// most four times as many tries: a set full of members that expired long ago is not walked one
// by one), the rest a thousand to a call.
const QByteArray kInvalidateTag = QByteArrayLiteral(R"lua(
local keys = redis.call('SMEMBERS', KEYS[1])
local want = tonumber(ARGV[1])
local out = {0}
local removed = 0
local next = 1
while next <= #keys and #out - 1 < want and next <= 4 * want do
  if redis.call('UNLINK', keys[next]) == 1 then
    removed = removed + 1
    out[#out + 1] = keys[next]
  end
  next = next + 1
end
for i = next, #keys, 1000 do
  removed = removed + redis.call('UNLINK', unpack(keys, i, math.min(i + 999, #keys)))
end
redis.call('UNLINK', KEYS[1])
out[1] = removed
return out
)lua");

const QByteArray kUnlockIfHolder = QByteArrayLiteral(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");

const QByteArray kExpireIfExists = QByteArrayLiteral(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local ttl = tonumber(ARGV[1])
if ttl == 0 then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
)lua");

// TTL and size of each key; the size of a non-string (a tag set) is its member count.
const QByteArray kDescribe = QByteArrayLiteral(R"lua(
local out = {}
for i = 1, #KEYS do
  local kind = redis.call('TYPE', KEYS[i])['ok']
  local size = 0
  if kind == 'string' then size = redis.call('STRLEN', KEYS[i])
  elseif kind == 'set' then size = redis.call('SCARD', KEYS[i]) end
  out[i] = {redis.call('PTTL', KEYS[i]), size}
end
return out
)lua");

Error negativeTtl()
{
    return Error{QStringLiteral("a TTL cannot be negative")};
}

Error redisError(const RedisReply &reply)
{
    return Error{QStringLiteral("Redis: %1").arg(reply.errorText())};
}

QList<QByteArray> eval(const QByteArray &script, const QList<QByteArray> &keys,
                       const QList<QByteArray> &arguments)
{
    return QList<QByteArray>{QByteArrayLiteral("EVAL"), script, QByteArray::number(keys.size())}
           + keys + arguments;
}

// The value of "field:value" in an INFO reply, or -1.
qint64 infoField(const QByteArray &info, const QByteArray &field)
{
    const qsizetype at = info.indexOf("\r\n" + field + ':');
    if (at < 0)
        return -1;
    const qsizetype start = at + 2 + field.size() + 1;
    const qsizetype end = info.indexOf("\r\n", start);
    bool ok = false;
    const qint64 value = info.mid(start, end - start).toLongLong(&ok);
    return ok ? value : -1;
}

}  // namespace

struct PatternWalk
{
    AnsweringPromise<PatternMatch> promise{cacheEngineGone()};
    PatternMatch match;
    QSet<QByteArray> seen;  // SCAN may return a key twice; a dry run must not count it twice
    QByteArray keepPrefix;  // keys under it are left alone (the locks)
};

RedisStore::RedisStore(RedisClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

RedisStore::~RedisStore() = default;

QString RedisStore::engineName() const
{
    return QStringLiteral("redis");
}

template <typename F> void RedisStore::onClientThread(F work)
{
    if (QThread::currentThread() == thread())
        work();
    else
        QMetaObject::invokeMethod(this, std::move(work), Qt::QueuedConnection);
}

template <typename T> class ReplyOnce
{
public:
    explicit ReplyOnce(StoreReply<T> reply)
        : m_reply(std::move(reply))
    {
    }
    ~ReplyOnce()
    {
        if (m_reply)
            m_reply(Result<T>(Error{cacheEngineGone()}));
    }
    ReplyOnce(const ReplyOnce &) = delete;
    ReplyOnce &operator=(const ReplyOnce &) = delete;

    void operator()(const Result<T> &result)
    {
        if (StoreReply<T> reply = std::exchange(m_reply, nullptr))
            reply(result);
    }

private:
    StoreReply<T> m_reply;
};

template <typename T, typename F>
void RedisStore::requestThen(QList<QByteArray> command, F convert, StoreReply<T> reply)
{
    // A request dropped on its way (the store or the connection went first) still answers,
    // with an error, so that CacheService falls back instead of waiting (as AnsweringPromise
    // does for the future form).
    auto once = std::make_shared<ReplyOnce<T>>(std::move(reply));
    auto send = [this, command = std::move(command), convert = std::move(convert), once] {
        m_client.command(command, this, [convert, once](const RedisReply &answer) {
            (*once)(answer.isError() ? Result<T>(redisError(answer)) : Result<T>(convert(answer)));
        });
    };
    onClientThread(std::move(send));
}

template <typename T, typename F>
QFuture<Result<T>> RedisStore::request(QList<QByteArray> command, F convert)
{
    auto promise = std::make_shared<AnsweringPromise<T>>(cacheEngineGone());
    QFuture<Result<T>> future = promise->future();
    requestThen<T>(std::move(command), std::move(convert),
                   [promise](const Result<T> &result) { promise->answer(result); });
    return future;
}

QList<QByteArray> RedisStore::setCommand(const QByteArray &key, const QByteArray &value, Millis ttl,
                                         const QList<QByteArray> &tagKeys)
{
    if (tagKeys.isEmpty()) {
        QList<QByteArray> command{QByteArrayLiteral("SET"), key, value};
        if (ttl.count() > 0)
            command << QByteArrayLiteral("PX") << QByteArray::number(qint64(ttl.count()));
        return command;
    }
    return eval(kSetWithTags, QList<QByteArray>{key} + tagKeys,
                {value, QByteArray::number(qint64(ttl.count()))});
}

QFuture<Result<std::optional<QByteArray>>> RedisStore::get(const QByteArray &key)
{
    auto promise = std::make_shared<AnsweringPromise<std::optional<QByteArray>>>(cacheEngineGone());
    QFuture<Result<std::optional<QByteArray>>> future = promise->future();
    getThen(key, [promise](const auto &result) { promise->answer(result); });
    return future;
}

void RedisStore::getThen(const QByteArray &key, StoreReply<std::optional<QByteArray>> reply)
{
    requestThen<std::optional<QByteArray>>(
        {QByteArrayLiteral("GET"), key},
        [](const RedisReply &answer) {
            return answer.isNil() ? std::optional<QByteArray>() : std::optional(answer.text);
        },
        std::move(reply));
}

QFuture<Result<bool>> RedisStore::set(const QByteArray &key, const QByteArray &value, Millis ttl,
                                      const QList<QByteArray> &tagKeys)
{
    if (ttl.count() < 0)
        return QtFuture::makeReadyFuture(Result<bool>(negativeTtl()));
    return request<bool>(setCommand(key, value, ttl, tagKeys),
                         [](const RedisReply &) { return true; });
}

void RedisStore::setThen(const QByteArray &key, const QByteArray &value, Millis ttl,
                         const QList<QByteArray> &tagKeys, StoreReply<bool> reply)
{
    if (ttl.count() < 0) {
        reply(negativeTtl());
        return;
    }
    requestThen<bool>(
        setCommand(key, value, ttl, tagKeys), [](const RedisReply &) { return true; },
        std::move(reply));
}

QFuture<Result<qint64>> RedisStore::remove(const QList<QByteArray> &keys)
{
    if (keys.isEmpty())
        return QtFuture::makeReadyFuture(Result<qint64>(qint64(0)));
    return request<qint64>(QList<QByteArray>{QByteArrayLiteral("UNLINK")} + keys,
                           [](const RedisReply &reply) { return reply.integer; });
}

QFuture<Result<qint64>> RedisStore::ttl(const QByteArray &key)
{
    return request<qint64>({QByteArrayLiteral("PTTL"), key},
                           [](const RedisReply &reply) { return reply.integer; });
}

QFuture<Result<bool>> RedisStore::expire(const QByteArray &key, Millis ttl)
{
    if (ttl.count() < 0)
        return QtFuture::makeReadyFuture(Result<bool>(negativeTtl()));
    return request<bool>(eval(kExpireIfExists, {key}, {QByteArray::number(qint64(ttl.count()))}),
                         [](const RedisReply &reply) { return reply.integer == 1; });
}

QFuture<Result<ScanPage>> RedisStore::scan(const QByteArray &pattern, const QByteArray &cursor,
                                           int count)
{
    const QByteArray start = cursor.isEmpty() ? QByteArrayLiteral("0") : cursor;
    bool numeric = false;
    start.toULongLong(&numeric);
    if (!numeric) {
        return QtFuture::makeReadyFuture(
            Result<ScanPage>(Error{QStringLiteral("'%1' is not a scan cursor")
                                       .arg(QString::fromLatin1(cursor.left(40)))}));
    }
    return request<ScanPage>({QByteArrayLiteral("SCAN"), start, QByteArrayLiteral("MATCH"), pattern,
                              QByteArrayLiteral("COUNT"), QByteArray::number(std::max(1, count))},
                             [](const RedisReply &reply) {
                                 ScanPage page;
                                 if (reply.elements.size() != 2)
                                     return page;
                                 const QByteArray next = reply.elements[0].text;
                                 page.nextCursor = next == "0" ? QByteArray() : next;
                                 for (const RedisReply &key : reply.elements[1].elements)
                                     page.keys.append(key.text);
                                 return page;
                             });
}

QFuture<Result<QList<KeyDetails>>> RedisStore::describe(const QList<QByteArray> &keys)
{
    if (keys.isEmpty())
        return QtFuture::makeReadyFuture(Result<QList<KeyDetails>>(QList<KeyDetails>()));
    // Tags are not looked up: Redis keeps tag -> keys only, and finding a key's tags would mean
    // reading every tag set.
    return request<QList<KeyDetails>>(eval(kDescribe, keys, {}), [keys](const RedisReply &reply) {
        QList<KeyDetails> details;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            KeyDetails detail;
            detail.key = keys[i];
            if (i < reply.elements.size() && reply.elements[i].elements.size() == 2) {
                detail.ttlMs = reply.elements[i].elements[0].integer;
                detail.sizeBytes = reply.elements[i].elements[1].integer;
            }
            details.append(detail);
        }
        return details;
    });
}

QFuture<Result<PatternMatch>> RedisStore::invalidateTag(const QByteArray &tagKey, int sampleSize)
{
    return request<PatternMatch>(
        eval(kInvalidateTag, {tagKey}, {QByteArray::number(std::max(0, sampleSize))}),
        [](const RedisReply &reply) {
            PatternMatch removed;
            if (!reply.elements.isEmpty())
                removed.count = reply.elements.first().integer;
            for (qsizetype i = 1; i < reply.elements.size(); ++i)
                removed.sample.append(reply.elements[i].text);
            return removed;
        });
}

QFuture<Result<QList<QByteArray>>> RedisStore::tagMembers(const QByteArray &tagKey)
{
    return request<QList<QByteArray>>({QByteArrayLiteral("SMEMBERS"), tagKey},
                                      [](const RedisReply &reply) {
                                          QList<QByteArray> members;
                                          for (const RedisReply &member : reply.elements)
                                              members.append(member.text);
                                          return members;
                                      });
}

struct TagWalk
{
    AnsweringPromise<QList<TagSize>> promise{cacheEngineGone()};
    QByteArray pattern;
    int limit = 0;
    QList<QByteArray> found;
    QSet<QByteArray> seen;  // SCAN may return a key twice
};

QFuture<Result<QList<TagSize>>> RedisStore::tagSizes(const QByteArray &tagPattern, int limit)
{
    auto walk = std::make_shared<TagWalk>();
    walk->pattern = tagPattern;
    walk->limit = std::max(0, limit);
    QFuture<Result<QList<TagSize>>> future = walk->promise.future();
    onClientThread([this, walk] { tagScanStep(QByteArrayLiteral("0"), walk); });
    return future;
}

void RedisStore::tagScanStep(const QByteArray &cursor, std::shared_ptr<TagWalk> walk)
{
    m_client.command(
        {QByteArrayLiteral("SCAN"), cursor, QByteArrayLiteral("MATCH"), walk->pattern,
         QByteArrayLiteral("COUNT"), QByteArray::number(kScanBatch)},
        this, [this, walk](const RedisReply &reply) {
            if (reply.isError() || reply.elements.size() != 2) {
                walk->promise.answer(redisError(
                    reply.isError() ? reply : RedisReply::error(QStringLiteral("bad SCAN reply"))));
                return;
            }
            for (const RedisReply &key : reply.elements[1].elements) {
                if (walk->found.size() < walk->limit && !walk->seen.contains(key.text)) {
                    walk->seen.insert(key.text);
                    walk->found.append(key.text);
                }
            }
            const QByteArray next = reply.elements[0].text;
            if (next != "0" && walk->found.size() < walk->limit) {
                tagScanStep(next, walk);
                return;
            }
            // The member counts, in one round trip: describe's size of a set is its SCARD.
            describe(walk->found)
                .then(QtFuture::Launch::Sync, [walk](const Result<QList<KeyDetails>> &details) {
                    if (!details.ok()) {
                        walk->promise.answer(Error{details.error()});
                        return;
                    }
                    QList<TagSize> tags;
                    for (const KeyDetails &detail : details.value()) {
                        if (detail.ttlMs != kTtlMissing)
                            tags.append({detail.key, detail.sizeBytes});
                    }
                    walk->promise.answer(tags);
                });
        });
}

QFuture<Result<PatternMatch>> RedisStore::invalidatePattern(const QByteArray &pattern, bool dryRun,
                                                            int sampleSize,
                                                            const QByteArray &keepPrefix)
{
    auto walk = std::make_shared<PatternWalk>();
    walk->keepPrefix = keepPrefix;
    QFuture<Result<PatternMatch>> future = walk->promise.future();
    onClientThread([this, pattern, dryRun, sampleSize, walk] {
        scanStep(pattern, QByteArrayLiteral("0"), dryRun, sampleSize, walk);
    });
    return future;
}

void RedisStore::scanStep(const QByteArray &pattern, const QByteArray &cursor, bool dryRun,
                          int sampleSize, std::shared_ptr<PatternWalk> walk)
{
    const auto fail = [walk](const RedisReply &reply) { walk->promise.answer(redisError(reply)); };
    m_client.command(
        {QByteArrayLiteral("SCAN"), cursor, QByteArrayLiteral("MATCH"), pattern,
         QByteArrayLiteral("COUNT"), QByteArray::number(kScanBatch)},
        this, [=, this](const RedisReply &reply) {
            if (reply.isError() || reply.elements.size() != 2) {
                fail(reply.isError() ? reply : RedisReply::error(QStringLiteral("bad SCAN reply")));
                return;
            }
            const QByteArray next = reply.elements[0].text;
            QList<QByteArray> batch;
            for (const RedisReply &key : reply.elements[1].elements) {
                if (!walk->keepPrefix.isEmpty() && key.text.startsWith(walk->keepPrefix))
                    continue;
                if (dryRun && walk->seen.contains(key.text))
                    continue;
                if (dryRun)
                    walk->seen.insert(key.text);
                batch.append(key.text);
                if (walk->match.sample.size() < sampleSize)
                    walk->match.sample.append(key.text);
            }
            const auto continueOrFinish = [=, this] {
                if (next == "0") {
                    walk->promise.answer(walk->match);
                } else {
                    scanStep(pattern, next, dryRun, sampleSize, walk);
                }
            };
            if (dryRun || batch.isEmpty()) {
                walk->match.count += dryRun ? batch.size() : 0;
                continueOrFinish();
                return;
            }
            m_client.command(QList<QByteArray>{QByteArrayLiteral("UNLINK")} + batch, this,
                             [=](const RedisReply &unlinked) {
                                 if (unlinked.isError()) {
                                     fail(unlinked);
                                     return;
                                 }
                                 walk->match.count += unlinked.integer;  // what really went
                                 continueOrFinish();
                             });
        });
}

QFuture<Result<bool>> RedisStore::tryLock(const QByteArray &lockKey, const QByteArray &token,
                                          Millis ttl)
{
    return request<bool>({QByteArrayLiteral("SET"), lockKey, token, QByteArrayLiteral("NX"),
                          QByteArrayLiteral("PX"),
                          QByteArray::number(std::max<qint64>(1, ttl.count()))},
                         [](const RedisReply &reply) { return !reply.isNil(); });
}

QFuture<Result<bool>> RedisStore::unlock(const QByteArray &lockKey, const QByteArray &token)
{
    return request<bool>(eval(kUnlockIfHolder, {lockKey}, {token}),
                         [](const RedisReply &reply) { return reply.integer == 1; });
}

QFuture<Result<StoreStats>> RedisStore::stats()
{
    auto promise = std::make_shared<AnsweringPromise<StoreStats>>(cacheEngineGone());
    QFuture<Result<StoreStats>> future = promise->future();
    onClientThread([this, promise] {
        m_client.command(
            {QByteArrayLiteral("INFO")}, this, [this, promise](const RedisReply &info) {
                if (info.isError()) {
                    promise->answer(redisError(info));
                    return;
                }
                m_client.command({QByteArrayLiteral("DBSIZE")}, this,
                                 [promise, text = info.text](const RedisReply &size) {
                                     StoreStats stats;
                                     stats.keys = size.isError() ? -1 : size.integer;
                                     stats.usedBytes = infoField(text, "used_memory");
                                     const qint64 limit = infoField(text, "maxmemory");
                                     stats.maxBytes = limit > 0 ? limit : -1;
                                     stats.evictions = infoField(text, "evicted_keys");
                                     stats.expirations = infoField(text, "expired_keys");
                                     stats.serverHits = infoField(text, "keyspace_hits");
                                     stats.serverMisses = infoField(text, "keyspace_misses");
                                     promise->answer(stats);
                                 });
            });
    });
    return future;
}

}  // namespace kucun
