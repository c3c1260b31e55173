#pragma once

#include "cachestats.h"

#include <QJsonObject>

namespace kucun {

// CacheStats as JSON: the `cache` member of GET /api/stats and of /api/stream's telemetry,
// written and read in this one place. Reading takes what a remote hub sent: a missing or
// mistyped member reads as 0 (the store's "unknown" figures as -1).
QJsonObject cacheStatsJson(const CacheStats &stats);
CacheStats cacheStatsFromJson(const QJsonObject &json);

}  // namespace kucun
