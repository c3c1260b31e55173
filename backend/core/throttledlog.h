#pragma once

#include <QtGlobal>

#include <utility>

namespace kucun {

// For what an outsider can repeat at will (refused connections, rejected events): log it the
// first time, then at most once per interval with how many there were, so that an attack does
// not fill the log as well.
//
//     if (m_refusals.note(nowMs))
//         qCInfo(lc) << "refused" << m_refusals.take() << "…; the last:" << why;
class ThrottledLog
{
public:
    explicit ThrottledLog(qint64 intervalMs = 60'000)
        : m_intervalMs(intervalMs)
    {
    }

    // Counts `n` more; true when a line is due (take() then says how many it covers).
    bool note(qint64 nowMs, qint64 n = 1)
    {
        m_count += n;
        if (m_loggedAtMs >= 0 && nowMs - m_loggedAtMs < m_intervalMs)
            return false;
        m_loggedAtMs = nowMs;
        return true;
    }
    qint64 take() { return std::exchange(m_count, 0); }

private:
    qint64 m_intervalMs;
    qint64 m_count = 0;
    qint64 m_loggedAtMs = -1;
};

}  // namespace kucun
