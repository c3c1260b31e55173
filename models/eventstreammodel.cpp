#include "eventstreammodel.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace kucun {

EventStreamModel::EventStreamModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

void EventStreamModel::append(const QList<EventRecord> &events)
{
    if (events.isEmpty())
        return;
    std::deque<EventRecord> incoming(events.begin(), events.end());
    if (m_paused) {
        for (EventRecord &record : incoming)
            m_held.push_back(std::move(record));
        while (m_held.size() > size_t(m_capacity))
            m_held.pop_front();
        return;
    }
    show(incoming);
}

void EventStreamModel::show(std::deque<EventRecord> &incoming)
{
    // More than fits: only the newest `capacity` matter.
    while (incoming.size() > size_t(m_capacity))
        incoming.pop_front();
    const size_t overflow = m_rows.size() + incoming.size() > size_t(m_capacity)
                                ? m_rows.size() + incoming.size() - size_t(m_capacity)
                                : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(overflow));
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(incoming.size()) - 1);
    for (EventRecord &record : incoming)
        m_rows.push_back(std::move(record));
    endInsertRows();
}

void EventStreamModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_held.clear();
    endResetModel();
}

void EventStreamModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && !m_held.empty()) {
        std::deque<EventRecord> held;
        held.swap(m_held);
        show(held);
    }
}

int EventStreamModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventStreamModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventStreamModel::summaryOf(const EventRecord &record)
{
    if (!record.accepted)
        return record.reason;
    const QJsonObject event = QJsonDocument::fromJson(record.payload).object();
    const auto field = [&event](const char *name) {
        const QJsonValue value = event.value(QLatin1StringView(name));
        return value.isDouble() ? QString::number(value.toDouble()) : value.toString();
    };
    if (record.type == u"inventory:change") {
        QString text = QStringLiteral("%1: %2 → %3")
                           .arg(field("productId"), field("oldQuantity"), field("newQuantity"));
        if (const QString reason = field("reason"); !reason.isEmpty())
            text += QStringLiteral(" (%1)").arg(reason);
        return text;
    }
    if (record.type == u"order:status") {
        const QString previous = field("previousStatus");
        return previous.isEmpty()
                   ? QStringLiteral("%1: %2").arg(field("orderId"), field("status"))
                   : QStringLiteral("%1: %2 → %3").arg(field("orderId"), previous, field("status"));
    }
    if (record.type == u"data:update" || record.type == u"finance:change") {
        const QString entity = record.type == u"data:update" ? field("resource") : field("entity");
        return QStringLiteral("%1 %2 %3").arg(field("action"), entity, field("id"));
    }
    if (record.type == u"cache:invalidate") {
        return event.contains(QStringLiteral("tag"))
                   ? QStringLiteral("tag %1").arg(field("tag"))
                   : QStringLiteral("namespace %1").arg(field("namespace"));
    }
    // ws:<channel> messages and anything else: the payload itself, cut short.
    return QString::fromUtf8(record.payload.left(120)).simplified();
}

QVariant EventStreamModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventRecord &record = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(record.receivedAtMs)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case ChannelColumn:
            return record.channel;
        case TypeColumn:
            return record.type;
        case SummaryColumn:
            return summaryOf(record);
        case StatusColumn:
            return record.accepted ? tr("accepted") : tr("rejected");
        default:
            return {};
        }
    case PayloadRole:
        return record.payload;
    case AcceptedRole:
        return record.accepted;
    case ReceivedAtRole:
        return record.receivedAtMs;
    default:
        return {};
    }
}

QVariant EventStreamModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ChannelColumn:
        return tr("Channel");
    case TypeColumn:
        return tr("Type");
    case SummaryColumn:
        return tr("Summary");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

}  // namespace kucun
