#pragma once

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

}  // namespace kucun
