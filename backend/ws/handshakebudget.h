#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace kucun {

class WsConnection;

// The connections whose WebSocket handshake has not finished, oldest first, bounded in total.
//
// Each peer address is sure of a share of the total. Beyond its share an address may borrow
// whatever room is free: that is how a reconnect burst of a thousand browsers behind one reverse
// proxy gets in at once. A newcomer still within its own share takes a borrowed place back, and
// the borrower's oldest handshake is displaced (the transport refuses it with 503). So one
// address never keeps the others out, however many connections it opens or how often it
// reopens them, and a burst is refused only where the total is really in use.
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

    WsConnection *oldest() const { return m_held.isEmpty() ? nullptr : m_held.front().connection; }
    int size() const { return int(m_held.size()); }
    bool isEmpty() const { return m_held.isEmpty(); }
    int heldBy(const QString &address) const { return m_byAddress.value(address); }

private:
    struct Held
    {
        WsConnection *connection = nullptr;
        QString address;
    };

    void hold(WsConnection *connection, const QString &address);
    void removeAt(qsizetype index);
    // The address furthest beyond its share; empty when none is beyond it.
    QString biggestBorrower() const;

    const int m_total;
    const int m_perAddress;
    QList<Held> m_held;  // oldest first
    QHash<QString, int> m_byAddress;
};

}  // namespace kucun
