#pragma once

#include "engine/enginetelemetry.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace kucun {

class FlowModel;
class FlowView;
class HubLink;

// The Flow panel (SPEC §14): the live diagram of where events come from and what they do, its
// edges as a table, the latest traces (choosing one draws its path and shows its timeline),
// and the single-flight loads and lock waits in progress. Fed by the hub's telemetry, from this
// process or an attached hub alike. Choosing a node asks for the Events panel filtered by it.
class FlowPanel : public QWidget
{
    Q_OBJECT

public:
    // Traces kept in the list (newest first), and added from one report at most: at 10 000
    // events/s nobody reads a list that turns over in a fifth of a second.
    static constexpr int kMaxListedTraces = 200;
    static constexpr int kMaxListedPerReport = 5;

    FlowPanel(HubLink &hub, QWidget *parent = nullptr);

    FlowModel *model() const { return m_model; }
    FlowView *view() const { return m_view; }
    QTreeWidget *tracesList() const { return m_traces; }
    QTreeWidget *flightsList() const { return m_flights; }
    QString timelineText() const;
    QString statusText() const;
    // The cache's guards at work (SPEC §14), in one line (GuardsText).
    QString guardsLine() const;

    void showTelemetry(const EngineTelemetry &telemetry);

signals:
    // A node was chosen: the Events panel should show what passed it (`filter` is the text to
    // filter by: a channel, a type, a source).
    void eventsFilterChosen(const QString &filter);

private:
    void chooseTrace();
    void showFlights(const QList<FlightInfo> &flights);

    HubLink &m_hub;
    FlowModel *m_model = nullptr;
    FlowView *m_view = nullptr;
    QTreeWidget *m_traces = nullptr;
    QTreeWidget *m_flights = nullptr;
    QPlainTextEdit *m_timeline = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_guards = nullptr;
    QList<EventTrace> m_listed;  // what m_traces shows, newest first
    qint64 m_tracesSeen = 0;
};

}  // namespace kucun
