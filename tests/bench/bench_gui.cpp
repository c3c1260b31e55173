// scripts/bench gui: gui_ingest of SPEC §9. Feeds 10 000 events/s for 60 s through the real
// window (EngineTelemetry reports every 50 ms, as the engine sends them, into MainWindow's
// models and the visible Events panel) and measures the longest stall of the GUI thread and
// the memory before, when the 100 000-row ring has filled, and at the end. The baseline, in the
// same run (after it): the obvious QStandardItemModel fed one appendRow() per event, for a few
// seconds.

#include "benchjson.h"
#include "engine/enginehost.h"
#include "eventstreammodel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <unistd.h>

using namespace kucun;
using namespace kucun::bench;

namespace {

constexpr int kEventsPerSecond = 10'000;
constexpr int kReportIntervalMs = 50;
constexpr int kEventsPerReport = kEventsPerSecond * kReportIntervalMs / 1000;
constexpr int kSeconds = 60;
constexpr int kBaselineSeconds = 5;

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

}  // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // the window's state goes to a throwaway file

    HubConfig config;
    config.wsPort = 0;
    EngineHost engine(config);  // not started: the reports below stand in for its telemetry
    MainWindow window(engine, config);
    window.resize(1200, 800);
    window.show();
    window.showPanel(MainWindow::Panel::Events);
    if (!QTest::qWaitForWindowExposed(&window))
        qFatal("the window did not show");

    const qint64 before = residentBytes();
    qint64 whenFull = -1;
    qint64 sequence = 0;
    qint64 totals = 0;
    StallMeter meter;
    drive(
        kSeconds,
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
            if (second == 15)
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
            kBaselineSeconds,
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
              {"baseline_kind", "QStandardItemModel, appendRow per event, 5 s"},
              {"events_per_s", kEventsPerSecond},
              {"seconds", kSeconds},
              {"rows_shown", window.eventStream()->rowCount()},
              {"rss_before_mb", double(before) / 1048576.0},
              {"rss_ring_full_mb", double(whenFull) / 1048576.0},
              {"rss_after_mb", double(after) / 1048576.0},
              {"rss_growth_after_full_mb", double(after - whenFull) / 1048576.0},
              {"target_stall_ms", 50}});
    return 0;
}
