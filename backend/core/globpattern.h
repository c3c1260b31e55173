#pragma once

#include <QByteArray>
#include <QString>

#include <string_view>

namespace kucun {

// Redis's glob dialect (KEYS, SCAN MATCH, PSUBSCRIBE): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\`
// to escape. Byte-wise, like Redis.
bool globMatches(std::string_view pattern, std::string_view text);

// The part of `pattern` before its first special character: every match starts with it, so a
// scan can skip keys that do not.
std::string_view globLiteralPrefix(std::string_view pattern);

// True when the pattern is a literal prefix followed by a single trailing `*`.
bool globIsPrefixPattern(std::string_view pattern);

// A filter as people type it (Keys panel, namespace invalidation, tag list): a glob when it has
// a special character, else a prefix, so "products:list:" means everything under it and an
// empty filter means everything. As the glob SCAN MATCH takes: "products:list:*", or "*".
QByteArray globOrPrefix(const QString &filter);
// Whether `text` passes the filter read that way.
bool matchesGlobOrPrefix(const QString &filter, const QString &text);

}  // namespace kucun
