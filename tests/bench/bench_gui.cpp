// scripts/bench gui: the GUI rows of SPEC §9, through the real window.
// - gui_ingest feeds 10 000 events/s for 60 s (EngineTelemetry reports every 50 ms, as the
//   engine sends them, into MainWindow's models and the visible Events panel) and measures the
//   longest stall of the GUI thread and the memory before, when the 100 000-row ring has
//   filled, and at the end. The baseline, in the same run (after it): the obvious
//   QStandardItemModel fed one appendRow() per event, for a few seconds.
// - gui_keys_1m starts the real engine with 1 000 000 keys in the memory engine, then in the
//   window filters the Keys panel by `*` and previews the namespace `*` in the Invalidate panel,
//   and measures the longest GUI-thread stall until both have answered. The baseline, in the
//   same run: the same preview called on the GUI thread, as the panels did before they asked the
//   engine thread.
// - gui_flow feeds the Flow panel (shown) 10 000 traced events/s for 30 s as the engine reports
//   them: every 50 ms the flow counts of 500 events over a shop's mix of sources, rules, tag
//   shapes and channels, and the 50 sampled traces, and measures the longest GUI-thread stall.
//   The baseline, in the same run: a QGraphicsScene drawing every event as an item of its own
//   for 800 ms, the diagram without aggregation, for a few seconds.
// `--quick` runs them with tiny sizes (CTest's `bench` label: every benchmark runs, none rots);
// `--only ingest|keys|flow` runs one.

#include "benchjson.h"
#include "cache/cacheservice.h"
#include "engine/enginehost.h"
#include "engine/telemetrycollector.h"
#include "events/eventflow.h"
#include "eventstreammodel.h"
#include "flowmodel.h"
#include "flowpanel.h"
#include "flowview.h"
#include "invalidatepanel.h"
#include "keysmodel.h"
#include "keyspanel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <unistd.h>

using namespace kucun;
using namespace kucun::bench;

namespace {

constexpr int kEventsPerSecond = 10'000;
constexpr int kReportIntervalMs = 50;
constexpr int kEventsPerReport = kEventsPerSecond * kReportIntervalMs / 1000;

// Sizes of one run; --quick shrinks them.
struct Sizes
{
    int seconds = 60;
    int baselineSeconds = 5;
    int keys = 1'000'000;
    int flowSeconds = 30;
};

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

QList<EventRecord> makeEvents(qint64 &sequence)
{
    QList<EventRecord> events;
    events.reserve(kEventsPerReport);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < kEventsPerReport; ++i, ++sequence) {
        EventRecord record;
        record.receivedAtMs = now;
        record.channel = QStringLiteral("channel:inventory:change");
        record.type = QStringLiteral("inventory:change");
        record.payload = QByteArrayLiteral(R"({"type":"inventory:change","productId":")")
                         + QByteArray::number(sequence % 500)
                         + QByteArrayLiteral(R"(","oldQuantity":100,"newQuantity":95})");
        record.accepted = true;
        record.routedTo = QStringLiteral("inventory");
        events.append(record);
    }
    return events;
}

// Measures the longest gap between ticks of a 5 ms timer beyond its interval: how long the GUI
// thread was busy with something else at a stretch.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            m_longestMs = std::max(m_longestMs, m_sinceLast.restart() - 5);
        });
        m_sinceLast.start();
        m_timer.start(5);
    }
    qint64 longestMs() const { return m_longestMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_longestMs = 0;
};

// Runs `feed` every 50 ms for `seconds` with the event loop turning; calls `atSecond` each second.
template <typename Feed, typename AtSecond> void drive(int seconds, Feed feed, AtSecond atSecond)
{
    QEventLoop loop;
    QTimer reports;
    int sent = 0;
    QObject::connect(&reports, &QTimer::timeout, &loop, [&] {
        feed();
        if (++sent % (1000 / kReportIntervalMs) == 0)
            atSecond(sent / (1000 / kReportIntervalMs));
        if (sent == seconds * 1000 / kReportIntervalMs)
            loop.quit();
    });
    reports.start(kReportIntervalMs);
    loop.exec();
}

// Runs `work` on the engine's cache in the engine thread and waits for it (the event loop turns).
template <typename T>
Result<T> askAndWait(EngineHost &engine, std::function<QFuture<Result<T>>(CacheService &)> work)
{
    std::optional<Result<T>> answer;
    QObject context;
    engine.askCache<T>(&context, std::move(work),
                       [&answer](const Result<T> &got) { answer = got; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 600'000))
        qFatal("the engine did not answer within 10 minutes");
    return *answer;
}

void benchIngest(MainWindow &window, EngineHost &engine, const Sizes &sizes)
{
    window.showPanel(MainWindow::Panel::Events);
    const qint64 before = residentBytes();
    qint64 whenFull = -1;
    qint64 sequence = 0;
    qint64 totals = 0;
    StallMeter meter;
    drive(
        sizes.seconds,
        [&] {
            auto report = std::make_shared<EngineTelemetry>();
            report->atMs = QDateTime::currentMSecsSinceEpoch();
            report->mode = QStringLiteral("memory");
            report->events = makeEvents(sequence);
            totals += report->events.size();
            report->eventsTotal = totals;
            emit engine.telemetry(report);
        },
        [&](int second) {
            // The ring holds 100 000 events: full after ten seconds; from then on flat.
            if (second == std::min(15, sizes.seconds))
                whenFull = residentBytes();
        });
    const qint64 after = residentBytes();

    // Baseline: one appendRow per event into a QStandardItemModel shown in a QTableView.
    // Measured after the real window, so that its memory figures start from a clean heap.
    qint64 baselineStall = 0;
    {
        QStandardItemModel model;
        QTableView view;
        view.setModel(&model);
        view.resize(1000, 700);
        view.show();
        StallMeter baselineMeter;
        qint64 baselineSequence = 0;
        drive(
            sizes.baselineSeconds,
            [&] {
                for (const EventRecord &record : makeEvents(baselineSequence)) {
                    model.appendRow({new QStandardItem(record.channel),
                                     new QStandardItem(record.type),
                                     new QStandardItem(QString::fromUtf8(record.payload))});
                }
                view.scrollToBottom();
            },
            [](int) {});
        baselineStall = baselineMeter.longestMs();
    }

    printRow({{"scenario", "gui_ingest"},
              {"value", meter.longestMs()},
              {"unit", "ms (longest GUI-thread stall)"},
              {"baseline", baselineStall},
              {"baseline_kind", QStringLiteral("QStandardItemModel, appendRow per event, %1 s")
                                    .arg(sizes.baselineSeconds)},
              {"events_per_s", kEventsPerSecond},
              {"seconds", sizes.seconds},
              {"rows_shown", window.eventStream()->rowCount()},
              {"rss_before_mb", double(before) / 1048576.0},
              {"rss_ring_full_mb", double(whenFull) / 1048576.0},
              {"rss_after_mb", double(after) / 1048576.0},
              {"rss_growth_after_full_mb", double(after - whenFull) / 1048576.0},
              {"target_stall_ms", 50}});
}

// One event of a shop's mix, as its trace: sources, rules, tag shapes and channels vary.
EventTrace mixedTrace(qint64 sequence)
{
    static const EventSource sources[]
        = {EventSource::Redis, EventSource::Stream, EventSource::Http, EventSource::Demo};
    static const char *const rules[][3] = {
        {"#2 inventory:change", "inventory:change", "inventory"},
        {"#3 data:update resource=products", "data:update", "products"},
        {"#6 order:status", "order:status", "orders"},
        {"#7 finance:change", "finance:change", "finance"},
    };
    const auto &rule = rules[sequence % 4];
    EventTrace trace;
    trace.eventId = QStringLiteral("ev-bench-%1").arg(sequence);
    trace.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    trace.source = sources[sequence % 4];
    trace.type = QString::fromLatin1(rule[1]);
    trace.channel = QStringLiteral("channel:") + trace.type;
    trace.accepted = sequence % 97 != 0;
    trace.rule = QString::fromLatin1(rule[0]);
    for (const QString &tag : {QStringLiteral("products:%1").arg(sequence % 500),
                               QStringLiteral("inventory:summary:%1").arg(sequence % 500),
                               QStringLiteral("dashboard:overview")}) {
        EventTrace::Invalidation invalidation;
        invalidation.target = tag;
        invalidation.removed = sequence % 3;
        trace.invalidations.append(invalidation);
    }
    trace.wsChannel = QString::fromLatin1(rule[2]);
    trace.delivery.known = true;
    trace.delivery.written = 20;
    return trace;
}

void benchFlow(MainWindow &window, EngineHost &engine, const Sizes &sizes)
{
    window.showPanel(MainWindow::Panel::Flow);
    // What the engine's collector makes of 50 ms (the counts of all 500 events, 50 traces),
    // made beforehand: in the hub that is the engine thread's work, not the window's.
    std::vector<EngineTelemetry> reports(40);
    qint64 sequence = 0;
    for (EngineTelemetry &report : reports) {
        report.mode = QStringLiteral("memory");
        report.tracing = true;
        FlowTally tally;
        for (int i = 0; i < kEventsPerReport; ++i, ++sequence) {
            const EventTrace trace = mixedTrace(sequence);
            tally.add(trace);
            if (report.traces.size() < TelemetryCollector::kMaxTracesPerReport)
                report.traces.append(trace);
            else
                ++report.tracesNotShown;
        }
        report.flow = tally.take();
    }
    qint64 sent = 0;
    qint64 sampled = 0;  // traces that came with the reports (the rest only counted)
    std::optional<StallMeter> meter(std::in_place);
    drive(
        sizes.flowSeconds,
        [&] {
            auto report
                = std::make_shared<EngineTelemetry>(reports[size_t(sent++) % reports.size()]);
            report->atMs = QDateTime::currentMSecsSinceEpoch();
            sampled += report->traces.size();
            emit engine.telemetry(report);
        },
        [](int) {});
    sequence = sent * kEventsPerReport;
    const qint64 stall = meter->longestMs();
    meter.reset();  // the baseline's stalls are its own
    FlowPanel *flow = window.flowPanel();

    // Baseline: every event drawn as an item of its own on a QGraphicsScene for 800 ms.
    qint64 baselineStall = 0;
    {
        QGraphicsScene scene(0, 0, 900, 360);
        QGraphicsView view(&scene);
        view.resize(1000, 420);
        view.show();
        std::deque<std::pair<qint64, QGraphicsEllipseItem *>> alive;
        QElapsedTimer clock;
        clock.start();
        StallMeter baselineMeter;
        qint64 baselineSequence = 0;
        drive(
            std::min(5, sizes.flowSeconds),
            [&] {
                const qint64 now = clock.elapsed();
                while (!alive.empty() && now - alive.front().first > FlowView::kPulseMs) {
                    delete alive.front().second;
                    alive.pop_front();
                }
                for (int i = 0; i < kEventsPerReport; ++i, ++baselineSequence) {
                    auto *dot = scene.addEllipse(double(baselineSequence % 900),
                                                 double((baselineSequence * 7) % 360), 7, 7);
                    alive.emplace_back(now, dot);
                }
            },
            [](int) {});
        baselineStall = baselineMeter.longestMs();
        for (auto &[at, dot] : alive)
            delete dot;
    }

    printRow({{"scenario", "gui_flow"},
              {"value", stall},
              {"unit", "ms (longest GUI-thread stall)"},
              {"baseline", baselineStall},
              {"baseline_kind", QStringLiteral("QGraphicsScene, one item per event for %1 ms, %2 s")
                                    .arg(FlowView::kPulseMs)
                                    .arg(std::min(5, sizes.flowSeconds))},
              {"events_per_s", kEventsPerSecond},
              {"seconds", sizes.flowSeconds},
              {"edges", flow->model()->rowCount()},
              {"events", sequence},
              {"traces_sampled", sampled},
              {"pulses_drawn", flow->view()->pulsesStarted()},
              {"target_stall_ms", 50}});
}

void benchKeys(MainWindow &window, EngineHost &engine, const Sizes &sizes)
{
    QSignalSpy started(&engine, &EngineHost::started);
    engine.start();
    if (!QTest::qWaitFor([&started] { return started.size() == 1; }, 30'000))
        qFatal("the engine did not start");
    // The keys are written in the engine thread, a tenth of them tagged, as the demo's are.
    const int keys = sizes.keys;
    const Result<bool> filled = askAndWait<bool>(engine, [keys](CacheService &cache) {
        for (int i = 0; i < keys; ++i) {
            const QString key = QStringLiteral("products:detail:%1").arg(i);
            const QStringList tags
                = i % 10 == 0 ? QStringList{QStringLiteral("products:%1").arg(i)} : QStringList{};
            cache.set(key, QByteArrayLiteral(R"({"name":"Product","price":9.9})"),
                      std::chrono::hours(1), tags);
        }
        return QtFuture::makeReadyFuture(Result<bool>(true));
    });
    if (!filled)
        qFatal("filling the cache failed: %s", qPrintable(filled.error()));

    // The real panels, as a user drives them: filter the Keys panel by `*`, then preview `*`.
    StallMeter meter;
    window.showPanel(MainWindow::Panel::Flow);
    auto *filter = window.keysPanel()->findChild<QLineEdit *>(QStringLiteral("keysFilter"));
    auto *view = window.keysPanel()->findChild<QTreeView *>(QStringLiteral("keysView"));
    filter->setText(QStringLiteral("*"));
    window.keysPanel()->reload();
    if (!QTest::qWaitFor([view] { return view->model() && view->model()->rowCount() > 0; },
                         600'000))
        qFatal("the Keys panel showed nothing");
    window.showPanel(MainWindow::Panel::Invalidate);
    InvalidatePanel *invalidate = window.invalidatePanel();
    invalidate->setTarget(InvalidatePanel::Kind::Namespace, QStringLiteral("*"));
    invalidate->preview();
    if (!QTest::qWaitFor([invalidate] { return invalidate->previewText().contains(u"would"); },
                         600'000))
        qFatal("the preview did not answer: %s", qPrintable(invalidate->previewText()));
    const qint64 stall = meter.longestMs();
    const QString preview = invalidate->previewText();

    // Baseline: the same preview on the GUI thread, as the panel called the service before.
    CacheService *direct = nullptr;
    askAndWait<bool>(engine, [&direct](CacheService &cache) {
        direct = &cache;  // handed to the GUI thread for the baseline only
        return QtFuture::makeReadyFuture(Result<bool>(true));
    });
    StallMeter baselineMeter;
    QElapsedTimer baselineTime;
    baselineTime.start();
    const auto baselinePreview
        = direct->invalidateNamespace(QStringLiteral("*"), true, 50).result();
    const qint64 baselineMs = baselineTime.elapsed();
    QTest::qWait(20);  // let the meter see the gap

    printRow({{"scenario", "gui_keys_1m"},
              {"value", stall},
              {"unit", "ms (longest GUI-thread stall)"},
              {"baseline", std::max(baselineMs, baselineMeter.longestMs())},
              {"baseline_kind", "the same preview of * called on the GUI thread"},
              {"keys", keys},
              {"keys_counted", baselinePreview.ok() ? baselinePreview.value().count : -1},
              {"preview_text", preview},
              {"keys_rows_shown", view->model() ? view->model()->rowCount() : 0},
              {"target_stall_ms", 50}});
    QSignalSpy finished(&engine, &EngineHost::finished);
    engine.stop();
    if (!QTest::qWaitFor([&finished] { return finished.size() == 1; }, 30'000))
        qFatal("the engine did not stop");
}

}  // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // the window's state goes to a throwaway file
    Sizes sizes;
    if (app.arguments().contains(QStringLiteral("--quick")))
        sizes = {2, 1, 20'000, 2};

    HubConfig config;
    config.wsPort = 0;
    EngineHost engine(config);  // started for gui_keys_1m; until then reports stand in for it
    MainWindow window(engine, config);
    window.resize(1200, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        qFatal("the window did not show");

    // `--only ingest|keys` runs one scenario (for exploring; reports run both).
    const qsizetype only = app.arguments().indexOf(QStringLiteral("--only"));
    const QString chosen = only > 0 ? app.arguments().value(only + 1) : QString();
    if (chosen.isEmpty() || chosen == u"ingest")
        benchIngest(window, engine, sizes);
    if (chosen.isEmpty() || chosen == u"flow")
        benchFlow(window, engine, sizes);
    if (chosen.isEmpty() || chosen == u"keys")
        benchKeys(window, engine, sizes);
    return 0;
}
