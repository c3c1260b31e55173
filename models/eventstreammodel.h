#pragma once

#include "events/eventrouter.h"

#include <QAbstractTableModel>

#include <deque>

namespace kucun {

// The live event stream of the Events panel (SPEC §8.1): a ring of the last `capacity` events,
// oldest first, filled in batches (one insert per telemetry report, not one per event) so
// that 10 000 events/s cost the view a few updates a second. Paused, it holds what arrives
// (within the same capacity) and shows it on resume.
class EventStreamModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, ChannelColumn, TypeColumn, SummaryColumn, StatusColumn, ColumnCount };
    enum Role { PayloadRole = Qt::UserRole + 1, AcceptedRole, ReceivedAtRole };
    static constexpr int kDefaultCapacity = 100'000;

    explicit EventStreamModel(int capacity = kDefaultCapacity, QObject *parent = nullptr);

    void append(const QList<EventRecord> &events);
    void clear();
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    int heldCount() const { return int(m_held.size()); }
    int capacity() const { return m_capacity; }
    const EventRecord &recordAt(int row) const { return m_rows[size_t(row)]; }

    // "SO-1001: paid → shipped", "42: 100 → 95 (销售出库)", …: what the event says, in one line.
    static QString summaryOf(const EventRecord &record);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void show(std::deque<EventRecord> &incoming);

    const int m_capacity;
    std::deque<EventRecord> m_rows;
    std::deque<EventRecord> m_held;  // while paused
    bool m_paused = false;
};

}  // namespace kucun
