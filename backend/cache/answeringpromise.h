#pragma once

#include "cacheresult.h"

#include <QFuture>
#include <QPromise>

#include <atomic>

namespace kucun {

// A promise that always answers: if nobody gave it a result by the time it goes away (its
// request was dropped with the engine that held it), it answers with an error. A plain QPromise
// would leave a cancelled future behind, and a caller blocked on `.result()` would read a
// result that does not exist.
template <typename T> class AnsweringPromise
{
public:
    AnsweringPromise() { m_promise.start(); }
    ~AnsweringPromise() { answer(CacheError{QStringLiteral("the cache engine went away")}); }
    AnsweringPromise(const AnsweringPromise &) = delete;
    AnsweringPromise &operator=(const AnsweringPromise &) = delete;

    QFuture<CacheResult<T>> future() { return m_promise.future(); }

    // The first answer counts; later ones are ignored.
    void answer(CacheResult<T> result)
    {
        if (m_answered.exchange(true))
            return;
        m_promise.addResult(std::move(result));
        m_promise.finish();
    }

private:
    QPromise<CacheResult<T>> m_promise;
    std::atomic<bool> m_answered{false};
};

}  // namespace kucun
