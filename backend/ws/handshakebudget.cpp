#include "handshakebudget.h"

namespace kucun {

HandshakeBudget::HandshakeBudget(int total, int perAddress)
    : m_total(total)
    , m_perAddress(perAddress)
{
}

HandshakeBudget::Admission HandshakeBudget::admit(WsConnection *connection, const QString &address)
{
    if (int(m_held.size()) < m_total) {
        hold(connection, address);
        return {true};
    }
    if (heldBy(address) >= m_perAddress)
        return {};  // the room is in use and this address has had its share
    if (m_byCount.empty() || m_byCount.rbegin()->first <= m_perAddress)
        return {};  // every place is held within a share
    const QString borrower = m_byCount.rbegin()->second;
    const quint64 borrowersOldest = *m_byAddress.constFind(borrower)->begin();
    WsConnection *displaced = m_held.at(borrowersOldest).connection;
    remove(borrowersOldest);
    hold(connection, address);
    return {true, displaced};
}

bool HandshakeBudget::release(WsConnection *connection)
{
    const auto order = m_orderOf.constFind(connection);
    if (order == m_orderOf.cend())
        return false;
    remove(*order);
    return true;
}

WsConnection *HandshakeBudget::oldest() const
{
    return m_held.empty() ? nullptr : m_held.begin()->second.connection;
}

int HandshakeBudget::heldBy(const QString &address) const
{
    const auto held = m_byAddress.constFind(address);
    return held == m_byAddress.cend() ? 0 : int(held->size());
}

void HandshakeBudget::hold(WsConnection *connection, const QString &address)
{
    const quint64 order = m_nextOrder++;
    m_held.emplace(order, Held{connection, address});
    m_orderOf.insert(connection, order);
    recount(address, +1);
    m_byAddress[address].insert(order);
}

void HandshakeBudget::remove(quint64 order)
{
    const auto held = m_held.find(order);
    const QString address = held->second.address;
    m_orderOf.remove(held->second.connection);
    m_held.erase(held);
    recount(address, -1);
    const auto fromAddress = m_byAddress.find(address);
    fromAddress->erase(order);
    if (fromAddress->empty())
        m_byAddress.erase(fromAddress);
}

void HandshakeBudget::recount(const QString &address, int delta)
{
    const int before = heldBy(address);
    if (before > 0)
        m_byCount.erase({before, address});
    if (before + delta > 0)
        m_byCount.insert({before + delta, address});
}

}  // namespace kucun
