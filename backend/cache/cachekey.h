#pragma once

#include <QJsonObject>
#include <QString>

namespace kucun {

// `prefix + ":" +` the first 16 hex digits of SHA-1 over `params` as compact JSON with keys
// sorted at every depth (SPEC §3), e.g. buildCacheKey("products:list", {{"page",1}}). Equal
// params in any order give the same key, so list queries share cache entries.
QString buildCacheKey(const QString &prefix, const QJsonObject &params);

}  // namespace kucun
