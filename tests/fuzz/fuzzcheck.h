#pragma once

#include <cstdlib>

namespace kucun::fuzz {

// An invariant of a fuzz target: when it does not hold, libFuzzer sees the crash and keeps the
// input that broke it.
inline void check(bool ok)
{
    if (!ok)
        std::abort();
}

}  // namespace kucun::fuzz
