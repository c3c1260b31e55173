#pragma once

#include <QHash>
#include <QString>

#include <map>
#include <set>
#include <utility>

namespace kucun {

class WsConnection;

// The connections whose WebSocket handshake has not finished, oldest first, bounded in total.
//
// Each peer address has a share of the total. Beyond its share an address may borrow whatever
// room is free: that is how a reconnect burst of a thousand browsers behind one reverse proxy
// gets in at once. When the room is all in use, a newcomer still within its own share takes a
// borrowed place back: the oldest handshake of the address furthest beyond its share is
// displaced (the transport refuses it with 503). So an address that borrows, however many
// connections it opens or how often it reopens them, never keeps an address within its share
// out. Newcomers are refused only when every place is held within shares: total / perAddress
// addresses are sure of their whole share.
//
// Every operation is logarithmic in what is held, so a large total costs nothing per connection.
class HandshakeBudget
{
public:
    HandshakeBudget(int total, int perAddress);

    struct Admission
    {
        bool admitted = false;
        // Admitted in its place: a borrower's oldest handshake, no longer held.
        WsConnection *displaced = nullptr;
    };
    // `address` is what the share is counted by (an IPv4 address, an IPv6 /64).
    Admission admit(WsConnection *connection, const QString &address);
    // False when it was not held.
    bool release(WsConnection *connection);

    WsConnection *oldest() const;
    int size() const { return int(m_held.size()); }
    bool isEmpty() const { return m_held.empty(); }
    int heldBy(const QString &address) const;

private:
    struct Held
    {
        WsConnection *connection = nullptr;
        QString address;
    };

    void hold(WsConnection *connection, const QString &address);
    void remove(quint64 order);
    // The count of `address` changes by `delta`, in m_byCount too.
    void recount(const QString &address, int delta);

    const int m_total;
    const int m_perAddress;
    quint64 m_nextOrder = 0;
    std::map<quint64, Held> m_held;  // by order of admission: the first is the oldest
    QHash<WsConnection *, quint64> m_orderOf;
    QHash<QString, std::set<quint64>> m_byAddress;  // what each address holds, oldest first
    std::set<std::pair<int, QString>>
        m_byCount;  // each address by what it holds: the last holds most
};

}  // namespace kucun
