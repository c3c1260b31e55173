#include "globpattern.h"

#include <cstddef>

namespace kucun {

namespace {

bool isSpecial(char c)
{
    return c == '*' || c == '?' || c == '[' || c == '\\';
}

// Matches a `[...]` class at pattern[p] (just after '[') against `c`. Moves `p` to the closing
// ']' (or the end of the pattern when unterminated, as Redis does).
bool matchClass(std::string_view pattern, size_t &p, char c)
{
    bool negate = false;
    if (p < pattern.size() && pattern[p] == '^') {
        negate = true;
        ++p;
    }
    bool matched = false;
    while (p < pattern.size() && pattern[p] != ']') {
        if (pattern[p] == '\\' && p + 1 < pattern.size()) {
            ++p;
            matched |= pattern[p] == c;
        } else if (p + 2 < pattern.size() && pattern[p + 1] == '-' && pattern[p + 2] != ']') {
            char low = pattern[p];
            char high = pattern[p + 2];
            if (low > high)
                std::swap(low, high);
            matched |= c >= low && c <= high;
            p += 2;
        } else {
            matched |= pattern[p] == c;
        }
        ++p;
    }
    return negate ? !matched : matched;
}

}  // namespace

bool globMatches(std::string_view pattern, std::string_view text)
{
    // Iterative with one backtrack point for the last '*': linear for the patterns people write,
    // and no recursion a hostile pattern could exhaust.
    size_t p = 0;
    size_t t = 0;
    size_t starP = std::string_view::npos;
    size_t starT = 0;
    while (t < text.size()) {
        if (p < pattern.size()) {
            const char pc = pattern[p];
            if (pc == '*') {
                while (p < pattern.size() && pattern[p] == '*')
                    ++p;
                if (p == pattern.size())
                    return true;
                starP = p;
                starT = t;
                continue;
            }
            bool matched = false;
            size_t next = p + 1;
            if (pc == '?') {
                matched = true;
            } else if (pc == '[') {
                size_t q = p + 1;
                matched = matchClass(pattern, q, text[t]);
                next = q < pattern.size() ? q + 1 : q;
            } else if (pc == '\\' && p + 1 < pattern.size()) {
                matched = pattern[p + 1] == text[t];
                next = p + 2;
            } else {
                matched = pc == text[t];
            }
            if (matched) {
                p = next;
                ++t;
                continue;
            }
        }
        if (starP == std::string_view::npos)
            return false;
        p = starP;
        t = ++starT;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::string_view globLiteralPrefix(std::string_view pattern)
{
    size_t i = 0;
    while (i < pattern.size() && !isSpecial(pattern[i]))
        ++i;
    return pattern.substr(0, i);
}

bool globIsPrefixPattern(std::string_view pattern)
{
    const std::string_view prefix = globLiteralPrefix(pattern);
    return prefix.size() + 1 == pattern.size() && pattern.back() == '*';
}

QByteArray globOrPrefix(const QString &filter)
{
    QByteArray glob = filter.toUtf8();
    const std::string_view view(glob.constData(), size_t(glob.size()));
    if (globLiteralPrefix(view).size() == view.size())  // no special character: a prefix
        glob += '*';
    return glob;
}

bool matchesGlobOrPrefix(const QString &filter, const QString &text)
{
    const QByteArray glob = globOrPrefix(filter);
    const QByteArray bytes = text.toUtf8();
    return globMatches(std::string_view(glob.constData(), size_t(glob.size())),
                       std::string_view(bytes.constData(), size_t(bytes.size())));
}

}  // namespace kucun
