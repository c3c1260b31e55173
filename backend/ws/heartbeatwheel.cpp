#include "heartbeatwheel.h"

#include <algorithm>

namespace kucun {

HeartbeatWheel::HeartbeatWheel(qint64 bucketMs)
    : m_bucketMs(std::max<qint64>(bucketMs, 1))
{
}

qint64 HeartbeatWheel::bucketOf(qint64 atMs) const
{
    // Rounded up: a visit never comes before its time.
    return atMs <= 0 ? 0 : (atMs + m_bucketMs - 1) / m_bucketMs;
}

void HeartbeatWheel::schedule(WsConnection *connection, qint64 atMs)
{
    const Visit visit{++m_nextTicket, bucketOf(atMs)};
    m_visits.insert(connection, visit);
    m_buckets[visit.bucket].push_back({connection, visit.ticket});
}

void HeartbeatWheel::scheduleBy(WsConnection *connection, qint64 atMs)
{
    const auto visit = m_visits.constFind(connection);
    if (visit == m_visits.cend() || visit->bucket > bucketOf(atMs))
        schedule(connection, atMs);
}

void HeartbeatWheel::forget(WsConnection *connection)
{
    m_visits.remove(connection);
}

std::vector<WsConnection *> HeartbeatWheel::takeDue(qint64 nowMs)
{
    std::vector<WsConnection *> due;
    const qint64 current = nowMs / m_bucketMs;
    while (!m_buckets.empty() && m_buckets.begin()->first <= current) {
        for (const Entry &entry : m_buckets.begin()->second) {
            const auto visit = m_visits.find(entry.connection);
            if (visit == m_visits.end() || visit->ticket != entry.ticket)
                continue;  // scheduled again since, or forgotten
            m_visits.erase(visit);
            due.push_back(entry.connection);
        }
        m_buckets.erase(m_buckets.begin());
    }
    return due;
}

qint64 HeartbeatWheel::visitAt(WsConnection *connection) const
{
    const auto visit = m_visits.constFind(connection);
    return visit == m_visits.cend() ? -1 : visit->bucket * m_bucketMs;
}

}  // namespace kucun
