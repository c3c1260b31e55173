#pragma once

#include "events/eventtrace.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPixmap>
#include <QRectF>
#include <QSet>
#include <QWidget>

#include <deque>

class QTimer;

namespace kucun {

class FlowModel;

// The live diagram of the Flow panel (SPEC §14), painted: sources → bus → routing rules →
// cache and WebSocket channels → clients, in five columns, each edge as wide as its rate and
// labelled with it, each event a pulse along its path. Drawing is rate-limited: at most
// kMaxPulses move at once and kMaxNewPulsesPerReport start per report; the rest are counted and
// show only in the edges' rates, so 10 000 events/s cost the GUI thread what 40 do. The
// diagram itself (edges, labels, nodes) is painted into a pixmap at most every kRedrawMs, or
// when it changes shape; the frames between only draw that and the pulses over it.
class FlowView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMaxPulses = 40;
    static constexpr int kMaxNewPulsesPerReport = 10;
    static constexpr int kPulseMs = 800;
    static constexpr int kFrameMs = 33;
    static constexpr int kRedrawMs = 250;

    explicit FlowView(FlowModel &model, QWidget *parent = nullptr);

    void addPulses(const QList<EventTrace> &traces);
    int activePulses() const { return int(m_pulses.size()); }
    // Traces that got a pulse of their own, and those that did not, since the diagram started.
    qint64 pulsesStarted() const { return m_started; }
    qint64 pulsesAggregated() const { return m_aggregated; }
    // The chosen event's path stays drawn until another is chosen or it is cleared.
    void highlight(const EventTrace &trace);
    void clearHighlight();
    // The node under `point`, or empty; and where a node is drawn (for tests).
    QString nodeAt(const QPointF &point) const;
    QRectF nodeRect(const QString &node) const { return m_nodeRects.value(node); }

    QSize sizeHint() const override { return {900, 360}; }

signals:
    void nodeChosen(const QString &node);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Pulse
    {
        // Per stage, the edges a dot travels at once: source→bus, bus→rule, rule→each target,
        // channel→clients.
        QList<QList<std::pair<QString, QString>>> stages;
        qint64 startMs = 0;
    };
    static QList<QList<std::pair<QString, QString>>> stagesOf(const EventTrace &trace);
    void relayout();
    void advance();
    // The diagram without pulses, into m_diagram.
    void paintDiagram();
    void markStale();
    QPointF pointOn(const QString &from, const QString &to, double t) const;

    FlowModel &m_model;
    QHash<QString, QRectF> m_nodeRects;
    std::deque<Pulse> m_pulses;
    qint64 m_aggregated = 0;
    qint64 m_started = 0;
    QSet<std::pair<QString, QString>> m_highlighted;
    QTimer *m_animation = nullptr;
    QElapsedTimer m_clock;
    QPixmap m_diagram;
    bool m_diagramStale = true;
    qint64 m_diagramPaintedAtMs = -kRedrawMs;
};

}  // namespace kucun
