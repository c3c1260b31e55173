#pragma once

#include "cache/cacheservice.h"
#include "engine/enginehost.h"

#include <QObject>
#include <QTest>

#include <optional>

namespace kucun::test {

// Asks the host's engine for `work` on its cache, as a panel does (the work runs in the engine
// thread), and waits up to 5 s for the answer in this thread.
template <typename T>
Result<T> askCache(EngineHost &host, std::function<QFuture<Result<T>>(CacheService &)> work)
{
    std::optional<Result<T>> answer;
    QObject context;
    host.askCache<T>(&context, std::move(work), [&answer](const Result<T> &got) { answer = got; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000))
        return Error{QStringLiteral("no answer from the engine within 5 s")};
    return *answer;
}

// The running engine's key namespace, read in the engine thread; an error when none runs.
inline Result<QString> cacheNamespace(EngineHost &host)
{
    return askCache<QString>(host, [](CacheService &cache) {
        return QtFuture::makeReadyFuture(Result<QString>(cache.keyNamespace()));
    });
}

}  // namespace kucun::test
