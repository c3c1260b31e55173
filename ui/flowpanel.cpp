#include "flowpanel.h"

#include "engine/hublink.h"
#include "flowmodel.h"
#include "flowview.h"
#include "guardstext.h"
#include "tableview.h"
#include "tracetext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kucun {

namespace {

QString outcomeOf(const EventTrace &trace)
{
    if (!trace.accepted)
        return FlowPanel::tr("refused");
    if (trace.wsChannel.isEmpty())
        return FlowPanel::tr("cache only");
    return FlowPanel::tr("→ %1 (%n client(s))", nullptr, int(trace.delivery.written))
        .arg(trace.wsChannel);
}

QString stageText(FlightInfo::Stage stage)
{
    switch (stage) {
    case FlightInfo::Stage::Loading:
        return FlowPanel::tr("loading here");
    case FlightInfo::Stage::HoldingLock:
        return FlowPanel::tr("loading here, holding the lock");
    case FlightInfo::Stage::WaitingForLock:
        return FlowPanel::tr("waiting: another process holds the lock");
    }
    return {};
}

}  // namespace

FlowPanel::FlowPanel(HubLink &hub, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_model(new FlowModel(this))
    , m_traces(new QTreeWidget(this))
    , m_flights(new QTreeWidget(this))
    , m_timeline(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_guards(new QLabel(this))
{
    m_view = new FlowView(*m_model, this);
    m_view->setObjectName(QStringLiteral("flowView"));

    m_traces->setObjectName(QStringLiteral("flowTraces"));
    m_traces->setRootIsDecorated(false);
    m_traces->setUniformRowHeights(true);
    m_traces->setHeaderLabels({tr("Time"), tr("Event"), tr("Type"), tr("From"), tr("Outcome")});
    m_traces->setColumnWidth(0, 100);
    m_traces->setColumnWidth(1, 170);
    m_flights->setObjectName(QStringLiteral("flowFlights"));
    m_flights->setRootIsDecorated(false);
    m_flights->setUniformRowHeights(true);
    m_flights->setHeaderLabels(
        {tr("Key"), tr("Waiting callers"), tr("Where it stands"), tr("Age")});
    m_flights->setColumnWidth(0, 220);
    m_timeline->setObjectName(QStringLiteral("flowTimeline"));
    m_timeline->setReadOnly(true);
    m_timeline->setPlaceholderText(tr("Choose an event to see what it did."));
    m_timeline->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_status->setObjectName(QStringLiteral("flowStatus"));
    m_guards->setObjectName(QStringLiteral("flowGuards"));
    m_guards->setWordWrap(true);
    m_guards->setToolTip(tr("The cache's guards since the hub started: misses that waited for a "
                            "load of the same key instead of loading again (single-flight), "
                            "loads left to another process holding the key's lock, reads "
                            "answered by a cached \"does not exist\", and loads that failed."));

    auto *edges = makeTableView(m_model, QStringLiteral("flowEdges"), this);
    edges->setColumnWidth(FlowModel::FromColumn, 200);
    edges->setColumnWidth(FlowModel::ToColumn, 200);
    auto *tables = new QTabWidget(this);
    tables->addTab(m_flights, tr("Loads in progress"));
    tables->addTab(edges, tr("Edges"));
    auto *guarded = new QWidget(this);
    auto *guardedLayout = new QVBoxLayout(guarded);
    guardedLayout->setContentsMargins(0, 0, 0, 0);
    guardedLayout->addWidget(tables, 1);
    guardedLayout->addWidget(m_guards);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_traces);
    bottom->addWidget(m_timeline);
    bottom->addWidget(guarded);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("flowSplit"));
    split->addWidget(m_view);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);

    connect(&hub, &HubLink::telemetry, this,
            [this](const EngineTelemetryPtr &telemetry) { showTelemetry(*telemetry); });
    // Another run of the hub: its rates start from nothing.
    connect(&hub, &HubLink::started, this, [this] {
        m_model->clear();
        m_traces->clear();
        m_listed.clear();
        m_timeline->clear();
    });
    connect(m_traces, &QTreeWidget::currentItemChanged, this, &FlowPanel::chooseTrace);
    connect(m_view, &FlowView::nodeChosen, this, [this](const QString &node) {
        // What the Events panel's filter finds for the node: its name (a channel, a tag
        // shape's stem, a source's payload word) or the rule's type.
        QString filter = EventFlow::nameOf(node);
        if (EventFlow::kindOf(node) == EventFlow::NodeKind::Rule)
            filter = filter.section(u' ', 1, 1);
        else if (EventFlow::kindOf(node) == EventFlow::NodeKind::Cache)
            filter = filter.section(u':', 0, 0);
        else if (EventFlow::kindOf(node) == EventFlow::NodeKind::Bus
                 || EventFlow::kindOf(node) == EventFlow::NodeKind::Clients)
            filter.clear();
        else if (EventFlow::kindOf(node) == EventFlow::NodeKind::Refused)
            filter = QCoreApplication::translate("kucun::EventStreamModel", "rejected");
        emit eventsFilterChosen(filter);
    });
}

void FlowPanel::showTelemetry(const EngineTelemetry &telemetry)
{
    m_model->addCounts(telemetry.atMs, telemetry.flow);
    if (isVisible())
        m_view->addPulses(telemetry.traces);
    m_tracesSeen += telemetry.traces.size() + telemetry.tracesNotShown;
    if (!telemetry.traces.isEmpty()) {
        // Newest first, one insert per report, the list bounded.
        QList<QTreeWidgetItem *> items;
        QList<EventTrace> fresh;
        const auto newest = telemetry.traces.crbegin();
        const auto last
            = newest + std::min<qsizetype>(kMaxListedPerReport, telemetry.traces.size());
        for (auto it = newest; it != last; ++it) {
            items.append(new QTreeWidgetItem(
                {QDateTime::fromMSecsSinceEpoch(it->receivedAtMs).toString(u"HH:mm:ss.zzz"),
                 it->eventId, it->type.isEmpty() ? it->channel : it->type,
                 EventSources::name(it->source), outcomeOf(*it)}));
            fresh.append(*it);
        }
        // Both newest first, as the items go in at the top.
        m_listed = (fresh + m_listed).mid(0, kMaxListedTraces);
        m_traces->setUpdatesEnabled(false);
        m_traces->insertTopLevelItems(0, items);
        while (m_traces->topLevelItemCount() > kMaxListedTraces)
            delete m_traces->takeTopLevelItem(m_traces->topLevelItemCount() - 1);
        m_traces->setUpdatesEnabled(true);
    }
    if (telemetry.hasConnections)
        showFlights(telemetry.flights);
    m_guards->setText(GuardsText::line(telemetry, m_hub.demoFaults().redisCut));
    m_status->setText(
        telemetry.tracing
            ? tr("%1 traced events; %2 drawn one by one, the rest in the rates")
                  .arg(QLocale().toString(m_tracesSeen),
                       QLocale().toString(m_view->pulsesStarted()))
            : tr("Traces are off on this hub (HUB_EVENT_TRACE=off): the diagram has nothing to "
                 "draw."));
}

void FlowPanel::showFlights(const QList<FlightInfo> &flights)
{
    m_flights->clear();
    QList<QTreeWidgetItem *> items;
    for (const FlightInfo &flight : flights) {
        items.append(new QTreeWidgetItem({flight.key, QLocale().toString(flight.waiters),
                                          stageText(flight.stage),
                                          tr("%1 ms").arg(QLocale().toString(flight.ageMs))}));
    }
    m_flights->addTopLevelItems(items);
}

void FlowPanel::chooseTrace()
{
    const int row = m_traces->indexOfTopLevelItem(m_traces->currentItem());
    if (row < 0 || row >= m_listed.size()) {
        m_view->clearHighlight();
        m_timeline->clear();
        return;
    }
    m_view->highlight(m_listed[row]);
    m_timeline->setPlainText(TraceTimeline::of(m_listed[row]));
}

QString FlowPanel::timelineText() const
{
    return m_timeline->toPlainText();
}

QString FlowPanel::statusText() const
{
    return m_status->text();
}

QString FlowPanel::guardsLine() const
{
    return m_guards->text();
}

}  // namespace kucun
