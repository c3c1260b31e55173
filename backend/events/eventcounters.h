#pragma once

#include <QHash>
#include <QString>

#include <mutex>

namespace kucun {

// Per channel and type: what the router did with the events it saw.
struct EventCounts
{
    qint64 accepted = 0;
    qint64 rejected = 0;
    qint64 routed = 0;  // delivered to a WebSocket channel
    qint64 invalidatedKeys = 0;  // removed by the cascade
};

// Thread-safe table of EventCounts keyed by "<channel>|<type>".
class EventCounters
{
public:
    struct Key
    {
        QString channel;
        QString type;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.channel, key.type);
        }
    };

    void addAccepted(const Key &key)
    {
        update(key, [](EventCounts &c) { ++c.accepted; });
    }
    void addRejected(const Key &key)
    {
        update(key, [](EventCounts &c) { ++c.rejected; });
    }
    void addRouted(const Key &key)
    {
        update(key, [](EventCounts &c) { ++c.routed; });
    }
    void addInvalidatedKeys(const Key &key, qint64 keys)
    {
        update(key, [keys](EventCounts &c) { c.invalidatedKeys += keys; });
    }

    QHash<Key, EventCounts> snapshot() const
    {
        std::lock_guard lock(m_mutex);
        return m_counts;
    }
    EventCounts total() const
    {
        std::lock_guard lock(m_mutex);
        EventCounts sum;
        for (const EventCounts &c : m_counts) {
            sum.accepted += c.accepted;
            sum.rejected += c.rejected;
            sum.routed += c.routed;
            sum.invalidatedKeys += c.invalidatedKeys;
        }
        return sum;
    }

private:
    template <typename F> void update(const Key &key, F change)
    {
        std::lock_guard lock(m_mutex);
        change(m_counts[key]);
    }

    mutable std::mutex m_mutex;
    QHash<Key, EventCounts> m_counts;
};

}  // namespace kucun
