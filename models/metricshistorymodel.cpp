#include "metricshistorymodel.h"

namespace kucun {

namespace {

constexpr qint64 kPointIntervalMs = 1000;

}  // namespace

MetricsHistoryModel::MetricsHistoryModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

void MetricsHistoryModel::addReport(const EngineTelemetry &report)
{
    const Totals now{report.atMs, report.cache.hits, report.cache.misses, report.eventsTotal,
                     report.wsDeliveriesTotal};
    // A total that went down is a hub that started again (a restart, or an attached window's
    // new hub): the next point counts from its totals, not as a negative rate.
    if (!m_last || now.hits < m_last->hits || now.misses < m_last->misses
        || now.events < m_last->events || now.deliveries < m_last->deliveries) {
        m_last = now;
        return;
    }
    const qint64 elapsedMs = now.atMs - m_last->atMs;
    if (elapsedMs < kPointIntervalMs)
        return;
    const double seconds = double(elapsedMs) / 1000.0;
    const qint64 hits = now.hits - m_last->hits;
    const qint64 lookups = hits + now.misses - m_last->misses;
    Point point{};
    point[TimeColumn] = double(now.atMs);
    // No reads in that second: the rate stays where it was rather than dropping to zero.
    point[HitRateColumn]
        = lookups > 0 ? 100.0 * double(hits) / double(lookups) : latest(HitRateColumn);
    point[CacheOpsColumn] = double(lookups) / seconds;
    point[EventsColumn] = double(now.events - m_last->events) / seconds;
    point[WsMessagesColumn] = double(now.deliveries - m_last->deliveries) / seconds;
    m_last = now;

    if (m_points.size() == size_t(m_capacity)) {
        beginRemoveRows({}, 0, 0);
        m_points.pop_front();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_points.size()), int(m_points.size()));
    m_points.push_back(point);
    endInsertRows();
}

double MetricsHistoryModel::latest(Column column) const
{
    return m_points.empty() ? 0.0 : m_points.back()[column];
}

int MetricsHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int MetricsHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    return m_points[size_t(index.row())][size_t(index.column())];
}

QVariant MetricsHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case HitRateColumn:
        return tr("Hit rate (%)");
    case CacheOpsColumn:
        return tr("Cache operations/s");
    case EventsColumn:
        return tr("Events/s");
    case WsMessagesColumn:
        return tr("WebSocket messages/s");
    default:
        return {};
    }
}

}  // namespace kucun
