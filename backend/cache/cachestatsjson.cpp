#include "cachestatsjson.h"

namespace kucun {

QJsonObject cacheStatsJson(const CacheStats &stats)
{
    QJsonObject segments;
    for (auto it = stats.segments.cbegin(); it != stats.segments.cend(); ++it) {
        segments.insert(it.key(), QJsonObject{{QStringLiteral("hits"), it->hits},
                                              {QStringLiteral("misses"), it->misses},
                                              {QStringLiteral("hitRate"), it->hitRate()}});
    }
    QJsonObject json{{QStringLiteral("hits"), stats.hits},
                     {QStringLiteral("misses"), stats.misses},
                     {QStringLiteral("hitRate"), stats.hitRate()},
                     {QStringLiteral("nullHits"), stats.nullHits},
                     {QStringLiteral("loads"), stats.loads},
                     {QStringLiteral("loadErrors"), stats.loadErrors},
                     {QStringLiteral("lockWaits"), stats.lockWaits},
                     {QStringLiteral("sharedLoads"), stats.sharedLoads},
                     {QStringLiteral("invalidations"), stats.invalidations},
                     {QStringLiteral("invalidatedKeys"), stats.invalidatedKeys},
                     {QStringLiteral("keys"), stats.store.keys},
                     {QStringLiteral("usedBytes"), stats.store.usedBytes},
                     {QStringLiteral("maxBytes"), stats.store.maxBytes},
                     {QStringLiteral("evictions"), stats.store.evictions},
                     {QStringLiteral("expirations"), stats.store.expirations},
                     {QStringLiteral("segments"), segments}};
    // Only Redis knows its keyspace hits and misses.
    if (stats.store.serverHits >= 0) {
        json.insert(QStringLiteral("serverHits"), stats.store.serverHits);
        json.insert(QStringLiteral("serverMisses"), stats.store.serverMisses);
    }
    return json;
}

CacheStats cacheStatsFromJson(const QJsonObject &json)
{
    const auto number = [&json](const char *name, qint64 fallback = 0) {
        return json.value(QLatin1StringView(name)).toInteger(fallback);
    };
    CacheStats stats;
    stats.hits = number("hits");
    stats.misses = number("misses");
    stats.nullHits = number("nullHits");
    stats.loads = number("loads");
    stats.loadErrors = number("loadErrors");
    stats.lockWaits = number("lockWaits");
    stats.sharedLoads = number("sharedLoads");
    stats.invalidations = number("invalidations");
    stats.invalidatedKeys = number("invalidatedKeys");
    stats.store.keys = number("keys");
    stats.store.usedBytes = number("usedBytes");
    stats.store.maxBytes = number("maxBytes", -1);
    stats.store.evictions = number("evictions");
    stats.store.expirations = number("expirations");
    stats.store.serverHits = number("serverHits", -1);
    stats.store.serverMisses = number("serverMisses", -1);
    const QJsonObject segments = json.value(QStringLiteral("segments")).toObject();
    for (auto it = segments.constBegin(); it != segments.constEnd(); ++it) {
        const QJsonObject segment = it.value().toObject();
        stats.segments.insert(it.key(), {segment.value(QStringLiteral("hits")).toInteger(),
                                         segment.value(QStringLiteral("misses")).toInteger()});
    }
    return stats;
}

}  // namespace kucun
