#pragma once

// Shared by the tests of the hub a window shows (HubLink): an answer waited for, and a free
// loopback port for a hub that must come back on the same address.

#include "core/result.h"

#include <QObject>
#include <QTcpServer>
#include <QTest>

#include <optional>

namespace kucun::test {

// Asks through `ask(context, done)` and waits up to 10 s for the answer.
template <typename T, typename Ask> Result<T> answerOf(Ask ask)
{
    std::optional<Result<T>> answer;
    QObject context;
    ask(&context, [&answer](const Result<T> &result) { answer = result; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000))
        return Error{QStringLiteral("no answer within 10 s")};
    return *answer;
}

// A loopback port nothing listens on now.
inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

}  // namespace kucun::test
