#pragma once

#include "result.h"

#include <QFuture>
#include <QPromise>

#include <atomic>

namespace kucun {

// A promise that always answers: if nobody gave it a result by the time it goes away (its
// request was dropped with the part that held it), it answers with the error its maker named,
// e.g. "the cache engine went away" or "the audit log closed". A plain QPromise would leave a
// cancelled future behind, and a caller blocked on `.result()` would read a result that does
// not exist.
template <typename T> class AnsweringPromise
{
public:
    explicit AnsweringPromise(QString whenDropped)
        : m_whenDropped(std::move(whenDropped))
    {
        m_promise.start();
    }
    ~AnsweringPromise() { answer(Error{m_whenDropped}); }
    AnsweringPromise(const AnsweringPromise &) = delete;
    AnsweringPromise &operator=(const AnsweringPromise &) = delete;

    QFuture<Result<T>> future() { return m_promise.future(); }

    // The first answer counts; later ones are ignored.
    void answer(Result<T> result)
    {
        if (m_answered.exchange(true))
            return;
        m_promise.addResult(std::move(result));
        m_promise.finish();
    }

private:
    QPromise<Result<T>> m_promise;
    const QString m_whenDropped;
    std::atomic<bool> m_answered{false};
};

}  // namespace kucun
