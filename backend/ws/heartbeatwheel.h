#pragma once

#include <QHash>

#include <map>
#include <vector>

namespace kucun {

class WsConnection;

// When each client of the hub is next to be looked at: its ping is due, its pong or its token
// is late, its token expires. Visits are kept in buckets of one tick, so a tick takes only the
// clients due in it, however many are connected, and no client has a timer of its own.
//
// A client has at most one visit. Scheduling it again replaces the earlier visit; the earlier
// entry stays in its bucket until then and is skipped (a ticket tells the live entry). So does
// the entry of a client forgotten, even where a new connection has the old one's address.
// Engine thread.
class HeartbeatWheel
{
public:
    explicit HeartbeatWheel(qint64 bucketMs);

    // The client's visit, at the first tick at or after `atMs`, instead of any earlier one.
    void schedule(WsConnection *connection, qint64 atMs);
    // Likewise, unless its visit is due by then already.
    void scheduleBy(WsConnection *connection, qint64 atMs);
    void forget(WsConnection *connection);
    // The clients whose visit is due at `nowMs`, bucket by bucket (within one, in the order they
    // were scheduled); they have no
    // visit after this until they are scheduled again.
    std::vector<WsConnection *> takeDue(qint64 nowMs);

    qint64 bucketMs() const { return m_bucketMs; }
    // Clients with a visit.
    int size() const { return int(m_visits.size()); }
    // When the client is visited (the start of its bucket), or -1.
    qint64 visitAt(WsConnection *connection) const;

private:
    struct Visit
    {
        quint64 ticket = 0;
        qint64 bucket = 0;
    };
    struct Entry
    {
        WsConnection *connection = nullptr;
        quint64 ticket = 0;
    };

    qint64 bucketOf(qint64 atMs) const;

    const qint64 m_bucketMs;
    quint64 m_nextTicket = 0;
    QHash<WsConnection *, Visit> m_visits;
    std::map<qint64, std::vector<Entry>> m_buckets;  // by bucket number
};

}  // namespace kucun
