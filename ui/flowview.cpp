#include "flowview.h"

#include "events/eventflow.h"
#include "flowmodel.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimer>

#include <cmath>

namespace kucun {

namespace {

constexpr int kColumns = 5;
constexpr qreal kMargin = 12;
constexpr qreal kMaxNodeHeight = 30;

int columnOf(EventFlow::NodeKind kind)
{
    switch (kind) {
    case EventFlow::NodeKind::Source:
        return 0;
    case EventFlow::NodeKind::Bus:
        return 1;
    case EventFlow::NodeKind::Rule:
    case EventFlow::NodeKind::Refused:
        return 2;
    case EventFlow::NodeKind::Cache:
    case EventFlow::NodeKind::Channel:
        return 3;
    case EventFlow::NodeKind::Clients:
        return 4;
    }
    return 0;
}

QColor colourOf(EventFlow::NodeKind kind, const QPalette &palette)
{
    switch (kind) {
    case EventFlow::NodeKind::Source:
        return QColor(0x3b, 0x82, 0xc4);
    case EventFlow::NodeKind::Bus:
        return palette.color(QPalette::Mid);
    case EventFlow::NodeKind::Rule:
        return QColor(0x8a, 0x63, 0xc9);
    case EventFlow::NodeKind::Refused:
        return QColor(0xc9, 0x4a, 0x3f);
    case EventFlow::NodeKind::Cache:
        return QColor(0xd0, 0x8c, 0x2a);
    case EventFlow::NodeKind::Channel:
        return QColor(0x2f, 0x9e, 0x6a);
    case EventFlow::NodeKind::Clients:
        return QColor(0x2f, 0x9e, 0x6a).darker(130);
    }
    return palette.color(QPalette::Mid);
}

// An edge is a cubic Bézier from the right of one node to the left of the next.
struct EdgeCurve
{
    QPointF p0, p1, p2, p3;

    EdgeCurve(const QRectF &from, const QRectF &to)
        : p0(from.right(), from.center().y())
        , p3(to.left(), to.center().y())
    {
        const qreal bend = (p3.x() - p0.x()) / 2;
        p1 = p0 + QPointF(bend, 0);
        p2 = p3 - QPointF(bend, 0);
    }
    QPainterPath path() const
    {
        QPainterPath path(p0);
        path.cubicTo(p1, p2, p3);
        return path;
    }
    // At parameter t: cheap, unlike QPainterPath::pointAtPercent, which measures the length.
    QPointF at(double t) const
    {
        const double u = 1 - t;
        return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
    }
};

QString rateText(double perSecond)
{
    return perSecond >= 100 ? QLocale().toString(qRound64(perSecond))
                            : QLocale().toString(perSecond, 'f', 1);
}

}  // namespace

FlowView::FlowView(FlowModel &model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_animation(new QTimer(this))
{
    setMinimumSize(480, 220);
    setMouseTracking(false);
    m_clock.start();
    connect(m_animation, &QTimer::timeout, this, &FlowView::advance);
    connect(&m_model, &QAbstractItemModel::rowsInserted, this, &FlowView::relayout);
    connect(&m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_pulses.clear();
        m_highlighted.clear();
        relayout();
    });
    // Rates change with every report; the next frame (or this repaint) shows them.
    connect(&m_model, &QAbstractItemModel::dataChanged, this, &FlowView::markStale);
}

QList<QList<std::pair<QString, QString>>> FlowView::stagesOf(const EventTrace &trace)
{
    QList<QList<std::pair<QString, QString>>> stages(4);
    for (const FlowEdgeCount &edge : EventFlow::edgesOf(trace)) {
        const int stage = columnOf(EventFlow::kindOf(edge.from));
        if (stage < stages.size())
            stages[stage].append({edge.from, edge.to});
    }
    while (!stages.isEmpty() && stages.last().isEmpty())
        stages.removeLast();
    return stages;
}

void FlowView::addPulses(const QList<EventTrace> &traces)
{
    int started = 0;
    for (const EventTrace &trace : traces) {
        if (started >= kMaxNewPulsesPerReport || int(m_pulses.size()) >= kMaxPulses) {
            ++m_aggregated;
            continue;
        }
        m_pulses.push_back({stagesOf(trace), m_clock.elapsed()});
        ++started;
        ++m_started;
    }
    if (!m_pulses.empty() && !m_animation->isActive() && isVisible())
        m_animation->start(kFrameMs);
}

void FlowView::highlight(const EventTrace &trace)
{
    m_highlighted.clear();
    for (const FlowEdgeCount &edge : EventFlow::edgesOf(trace))
        m_highlighted.insert({edge.from, edge.to});
    m_diagramPaintedAtMs = -kRedrawMs;  // at once, not with the next rates
    markStale();
}

void FlowView::clearHighlight()
{
    m_highlighted.clear();
    m_diagramPaintedAtMs = -kRedrawMs;
    markStale();
}

void FlowView::markStale()
{
    m_diagramStale = true;
    update();
}

QString FlowView::nodeAt(const QPointF &point) const
{
    for (auto it = m_nodeRects.constBegin(); it != m_nodeRects.constEnd(); ++it) {
        if (it.value().contains(point))
            return it.key();
    }
    return {};
}

void FlowView::relayout()
{
    m_nodeRects.clear();
    QList<QStringList> columns(kColumns);
    for (const FlowModel::Node &node : m_model.nodes())
        columns[columnOf(node.kind)].append(node.id);
    const qreal columnWidth = (width() - 2 * kMargin) / kColumns;
    const qreal nodeWidth = columnWidth * 0.72;
    for (int column = 0; column < kColumns; ++column) {
        const QStringList &ids = columns[column];
        if (ids.isEmpty())
            continue;
        const qreal slot = (height() - 2 * kMargin) / qreal(ids.size());
        const qreal nodeHeight = std::min(kMaxNodeHeight, slot * 0.8);
        for (int i = 0; i < ids.size(); ++i) {
            const qreal x = kMargin + column * columnWidth + (columnWidth - nodeWidth) / 2;
            const qreal y = kMargin + i * slot + (slot - nodeHeight) / 2;
            m_nodeRects.insert(ids[i], QRectF(x, y, nodeWidth, nodeHeight));
        }
    }
    m_diagramPaintedAtMs = -kRedrawMs;  // a new shape is drawn at once
    markStale();
}

void FlowView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void FlowView::advance()
{
    const qint64 now = m_clock.elapsed();
    while (!m_pulses.empty() && now - m_pulses.front().startMs >= kPulseMs)
        m_pulses.pop_front();
    if (m_pulses.empty() || !isVisible())
        m_animation->stop();
    update();
}

QPointF FlowView::pointOn(const QString &from, const QString &to, double t) const
{
    return EdgeCurve(m_nodeRects.value(from), m_nodeRects.value(to)).at(t);
}

void FlowView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const qint64 now = m_clock.elapsed();
    // Rates are read a few times a second; redrawing them at every frame would cost the GUI
    // thread the most of all it does here.
    if (m_diagramStale && now - m_diagramPaintedAtMs >= kRedrawMs) {
        paintDiagram();
        m_diagramStale = false;
        m_diagramPaintedAtMs = now;
    } else if (m_diagramStale && !m_animation->isActive()) {
        QTimer::singleShot(kRedrawMs, this, qOverload<>(&QWidget::update));
    }
    painter.drawPixmap(0, 0, m_diagram);
    // Pulses: one dot per edge of the stage the event is at.
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::Highlight));
    for (const Pulse &pulse : m_pulses) {
        if (pulse.stages.isEmpty())
            continue;
        const double progress = double(now - pulse.startMs) / kPulseMs * pulse.stages.size();
        const int stage = std::min(int(progress), int(pulse.stages.size()) - 1);
        const double t = std::clamp(progress - stage, 0.0, 1.0);
        for (const auto &[from, to] : pulse.stages[stage]) {
            if (m_nodeRects.contains(from) && m_nodeRects.contains(to))
                painter.drawEllipse(pointOn(from, to, t), 3.5, 3.5);
        }
    }
}

void FlowView::paintDiagram()
{
    const qreal ratio = devicePixelRatioF();
    if (m_diagram.size() != size() * ratio) {
        m_diagram = QPixmap(size() * ratio);
        m_diagram.setDevicePixelRatio(ratio);
    }
    m_diagram.fill(Qt::transparent);
    QPainter painter(&m_diagram);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &colours = palette();
    if (m_model.edges().isEmpty()) {
        painter.setPen(colours.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No events yet. Publish one, start the demo, or wait for the site."));
        return;
    }
    // Edges under the nodes, as wide as their rate (a log scale: 1/s and 10 000/s both show).
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.8));
    painter.setFont(small);
    for (const FlowModel::Edge &edge : m_model.edges()) {
        const QRectF from = m_nodeRects.value(edge.from);
        const QRectF to = m_nodeRects.value(edge.to);
        if (from.isNull() || to.isNull())
            continue;
        const bool chosen = m_highlighted.contains({edge.from, edge.to});
        QColor colour = colourOf(EventFlow::kindOf(edge.to), colours);
        colour.setAlpha(edge.perSecond > 0 || chosen ? 200 : 70);
        const qreal width = 1.0 + 1.6 * std::log10(1.0 + edge.perSecond);
        painter.setPen(QPen(chosen ? colours.color(QPalette::Highlight) : colour,
                            chosen ? width + 2 : width, Qt::SolidLine, Qt::RoundCap));
        const EdgeCurve curve(from, to);
        painter.drawPath(curve.path());
        if (edge.perSecond > 0) {
            painter.setPen(colours.color(QPalette::WindowText));
            painter.drawText(curve.at(0.5) + QPointF(-12, -3),
                             tr("%1/s").arg(rateText(edge.perSecond)));
        }
    }
    // Nodes, each with its name and its rate.
    painter.setFont(font());
    for (const FlowModel::Node &node : m_model.nodes()) {
        const QRectF box = m_nodeRects.value(node.id);
        if (box.isNull())
            continue;
        const QColor colour = colourOf(node.kind, colours);
        painter.setPen(QPen(colour.darker(130), 1));
        painter.setBrush(colour.lighter(170));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(Qt::black);
        const QString name = node.kind == EventFlow::NodeKind::Bus       ? tr("bus")
                             : node.kind == EventFlow::NodeKind::Refused ? tr("refused")
                             : node.kind == EventFlow::NodeKind::Clients ? tr("clients")
                             : node.id == EventFlow::kPassThrough        ? tr("ws: pass-through")
                                                                  : EventFlow::nameOf(node.id);
        const QString label
            = name + QStringLiteral("  ") + tr("%1/s").arg(rateText(node.perSecond));
        painter.drawText(
            box.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
            painter.fontMetrics().elidedText(label, Qt::ElideMiddle, int(box.width()) - 8));
    }
}

void FlowView::mousePressEvent(QMouseEvent *event)
{
    const QString node = nodeAt(event->position());
    if (!node.isEmpty())
        emit nodeChosen(node);
    QWidget::mousePressEvent(event);
}

}  // namespace kucun
