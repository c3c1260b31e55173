#include "handshakebudget.h"

namespace kucun {

HandshakeBudget::HandshakeBudget(int total, int perAddress)
    : m_total(total)
    , m_perAddress(perAddress)
{
}

HandshakeBudget::Admission HandshakeBudget::admit(WsConnection *connection, const QString &address)
{
    if (m_held.size() < m_total) {
        hold(connection, address);
        return {true};
    }
    if (heldBy(address) >= m_perAddress)
        return {};  // the room is in use and this address has had its share
    const QString borrower = biggestBorrower();
    if (borrower.isEmpty())
        return {};  // every place is someone's share
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (m_held.at(i).address != borrower)
            continue;
        WsConnection *displaced = m_held.at(i).connection;
        removeAt(i);
        hold(connection, address);
        return {true, displaced};
    }
    Q_UNREACHABLE();  // a borrower holds more than its share, so at least one place
    return {};
}

bool HandshakeBudget::release(WsConnection *connection)
{
    for (qsizetype i = 0; i < m_held.size(); ++i) {
        if (m_held.at(i).connection == connection) {
            removeAt(i);
            return true;
        }
    }
    return false;
}

void HandshakeBudget::hold(WsConnection *connection, const QString &address)
{
    m_held.append({connection, address});
    ++m_byAddress[address];
}

void HandshakeBudget::removeAt(qsizetype index)
{
    const auto count = m_byAddress.find(m_held.at(index).address);
    if (count != m_byAddress.end() && --*count <= 0)
        m_byAddress.erase(count);
    m_held.remove(index);
}

QString HandshakeBudget::biggestBorrower() const
{
    QString borrower;
    int mostBeyond = 0;
    for (auto it = m_byAddress.cbegin(); it != m_byAddress.cend(); ++it) {
        if (it.value() - m_perAddress > mostBeyond) {
            mostBeyond = it.value() - m_perAddress;
            borrower = it.key();
        }
    }
    return borrower;
}

}  // namespace kucun
