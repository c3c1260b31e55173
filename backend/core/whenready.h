#pragma once

#include "result.h"

#include <QFuture>
#include <QString>

#include <memory>

namespace kucun {

// Calls `callback(Result<T>)` once `future` has its result: at once when it already has
// (the memory engine), else in the thread that fulfils it. A future the engine cancels (it went
// away) still gets an answer: an error.
template <typename T, typename F> void whenReady(QFuture<Result<T>> future, F callback)
{
    if (future.isFinished() && future.resultCount() > 0) {
        callback(future.result());
        return;
    }
    auto shared = std::make_shared<F>(std::move(callback));
    future.then(QtFuture::Launch::Sync, [shared](const Result<T> &result) { (*shared)(result); })
        .onCanceled([shared] {
            (*shared)(Result<T>(Error{QStringLiteral("the cache engine dropped the request")}));
        });
}

}  // namespace kucun
