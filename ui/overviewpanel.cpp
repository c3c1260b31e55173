#include "overviewpanel.h"

#include "engine/hublink.h"
#include "guardstext.h"
#include "metricshistorymodel.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QVXYModelMapper>
#include <QValueAxis>

namespace kucun {

namespace {

constexpr qint64 kChartWindowMs = 5 * 60 * 1000;

}  // namespace

OverviewPanel::OverviewPanel(HubLink &engine, MetricsHistoryModel &history, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_history(history)
{
    auto *form = new QFormLayout;
    addCounter(form, QStringLiteral("engine"), tr("Engine"));
    addCounter(form, QStringLiteral("redis"), tr("Redis"));
    addCounter(form, QStringLiteral("redisServer"), tr("Redis server"))
        ->setToolTip(tr("The server the hub talks to; through Redis Sentinel, the master the "
                        "sentinels named, and how many of them answered when last asked."));
    addCounter(form, QStringLiteral("websocket"), tr("WebSocket"));
    addCounter(form, QStringLiteral("uptime"), tr("Uptime"));
    auto *counters = new QFormLayout;
    addCounter(counters, QStringLiteral("hitRate"), tr("Hit rate"));
    addCounter(counters, QStringLiteral("lookups"), tr("Hits / misses"));
    addCounter(counters, QStringLiteral("keys"), tr("Keys"));
    addCounter(counters, QStringLiteral("memory"), tr("Memory"));
    auto *traffic = new QFormLayout;
    addCounter(traffic, QStringLiteral("events"), tr("Events"));
    addCounter(traffic, QStringLiteral("subscriberResets"), tr("Redis subscriber cut"))
        ->setToolTip(tr("How often Redis closed the hub's subscriber connection, usually after a "
                        "burst over its client-output-buffer-limit for pubsub. Events published "
                        "on Redis until the hub subscribed again were lost."));
    addCounter(traffic, QStringLiteral("streamLag"), tr("Event stream lag"))
        ->setToolTip(tr("With a reliable event stream (HUB_EVENT_STREAM): entries not yet read "
                        "by this hub, and read but not yet acknowledged."));
    addCounter(traffic, QStringLiteral("invalidations"), tr("Invalidations"));
    addCounter(traffic, QStringLiteral("clients"), tr("WebSocket clients"));
    addCounter(traffic, QStringLiteral("deliveries"), tr("WebSocket messages"));
    // The guards of SPEC §3 at work (the demo's faults show them, SPEC §14).
    auto *guards = new QFormLayout;
    addCounter(guards, QStringLiteral("sharedLoads"), tr("Shared loads"))
        ->setToolTip(tr("Misses that waited for a load of the same key already in progress "
                        "instead of loading again (single-flight), and the loads in progress "
                        "now."));
    addCounter(guards, QStringLiteral("lockWaits"), tr("Lock waits"))
        ->setToolTip(tr("Loads left to another process that held the key's lock "
                        "(getOrSetWithLock): it loaded, this hub read what it stored."));
    addCounter(guards, QStringLiteral("nullHits"), tr("Null hits"))
        ->setToolTip(tr("Reads answered by a cached \"does not exist\" instead of asking the "
                        "database again (the penetration guard)."));
    addCounter(guards, QStringLiteral("loadErrors"), tr("Failed loads"))
        ->setToolTip(tr("Loads that failed: nothing was cached, the next read tries again."));

    auto *top = new QHBoxLayout;
    top->addLayout(form, 2);
    top->addLayout(counters, 1);
    top->addLayout(traffic, 1);
    top->addLayout(guards, 1);

    auto *charts = new QGridLayout;
    charts->addWidget(chart(MetricsHistoryModel::HitRateColumn, tr("Hit rate"), tr("%")), 0, 0);
    charts->addWidget(
        chart(MetricsHistoryModel::CacheOpsColumn, tr("Cache operations/s"), tr("ops/s")), 0, 1);
    charts->addWidget(chart(MetricsHistoryModel::EventsColumn, tr("Events/s"), tr("events/s")), 1,
                      0);
    charts->addWidget(
        chart(MetricsHistoryModel::WsMessagesColumn, tr("WebSocket messages/s"), tr("messages/s")),
        1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(charts, 1);

    showRedis();
    connect(&m_history, &QAbstractItemModel::rowsInserted, this, &OverviewPanel::rescaleAxes);
    connect(&m_engine, &HubLink::started, this, [this] {
        showRedis();  // it may have changed with a restart
    });
}

void OverviewPanel::showRedis()
{
    const QString redis = m_engine.redisDescription();
    m_counters[QStringLiteral("redis")]->setText(
        redis.isEmpty() ? tr("not configured (embedded engine)") : redis);
}

QLabel *OverviewPanel::addCounter(QFormLayout *form, const QString &name, const QString &label)
{
    auto *value = new QLabel(QStringLiteral("–"), this);
    value->setObjectName(name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label + u':', value);
    m_counters.insert(name, value);
    return value;
}

QString OverviewPanel::counterText(const QString &name) const
{
    const QLabel *label = m_counters.value(name);
    return label ? label->text() : QString();
}

QWidget *OverviewPanel::chart(int column, const QString &title, const QString &unit)
{
    auto *series = new QLineSeries(this);
    auto *mapper = new QVXYModelMapper(this);
    mapper->setXColumn(MetricsHistoryModel::TimeColumn);
    mapper->setYColumn(column);
    mapper->setSeries(series);
    mapper->setModel(&m_history);

    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->addSeries(series);
    chart->setTheme(palette().color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                        : QChart::ChartThemeLight);
    auto *xAxis = new QDateTimeAxis(chart);
    xAxis->setFormat(QStringLiteral("HH:mm:ss"));
    xAxis->setTickCount(6);
    auto *yAxis = new QValueAxis(chart);
    yAxis->setLabelFormat(QStringLiteral("%.0f"));
    yAxis->setTitleText(unit);
    yAxis->setRange(0, column == MetricsHistoryModel::HitRateColumn ? 100 : 10);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    m_axes << xAxis << yAxis;

    auto *view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(160);
    view->setObjectName(QStringLiteral("chart%1").arg(column));
    return view;
}

void OverviewPanel::rescaleAxes()
{
    const int rows = m_history.rowCount();
    if (rows == 0)
        return;
    const qint64 newest = qint64(m_history.latest(MetricsHistoryModel::TimeColumn));
    // The last five minutes, or since the first point when the hub is younger than that.
    const qint64 oldest
        = std::max(newest - kChartWindowMs,
                   qint64(m_history.index(0, MetricsHistoryModel::TimeColumn).data().toDouble()));
    for (qsizetype i = 0; i + 1 < m_axes.size(); i += 2) {
        static_cast<QDateTimeAxis *>(m_axes[i])->setRange(
            QDateTime::fromMSecsSinceEpoch(oldest),
            QDateTime::fromMSecsSinceEpoch(std::max(newest, oldest + 1000)));
        const int column = int(i / 2) + 1;  // the charts follow the model's columns
        if (column == MetricsHistoryModel::HitRateColumn)
            continue;
        double top = 10;
        for (int row = 0; row < rows; ++row)
            top = std::max(top, m_history.index(row, column).data().toDouble());
        auto *axis = static_cast<QValueAxis *>(m_axes[i + 1]);
        axis->setRange(0, top * 1.1);
        axis->applyNiceNumbers();
    }
}

void OverviewPanel::showTelemetry(const EngineTelemetry &telemetry)
{
    const QLocale locale;
    const CacheStats &cache = telemetry.cache;
    QLabel *engineLabel = m_counters[QStringLiteral("engine")];
    const bool degraded = telemetry.mode == u"degraded";
    engineLabel->setText(degraded ? GuardsText::degraded(m_engine.demoFaults().redisCut)
                                  : telemetry.mode);
    engineLabel->setStyleSheet(degraded ? QStringLiteral("color: #c0392b; font-weight: bold")
                                        : QString());
    if (telemetry.hasConnections)
        m_loadsInProgress = telemetry.flightsTotal;
    m_counters[QStringLiteral("sharedLoads")]->setText(
        tr("%1 (%2 loading now)")
            .arg(locale.toString(cache.sharedLoads), locale.toString(m_loadsInProgress)));
    m_counters[QStringLiteral("lockWaits")]->setText(locale.toString(cache.lockWaits));
    m_counters[QStringLiteral("nullHits")]->setText(locale.toString(cache.nullHits));
    m_counters[QStringLiteral("loadErrors")]->setText(locale.toString(cache.loadErrors));
    m_counters[QStringLiteral("websocket")]->setText(m_engine.wsUrl().toString());
    const qint64 startedAtMs = m_engine.startedAtMs();
    const qint64 uptimeSeconds
        = startedAtMs > 0 ? (QDateTime::currentMSecsSinceEpoch() - startedAtMs) / 1000 : 0;
    m_counters[QStringLiteral("uptime")]->setText(
        tr("%1:%2:%3")
            .arg(uptimeSeconds / 3600)
            .arg(uptimeSeconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(uptimeSeconds % 60, 2, 10, QLatin1Char('0')));
    m_counters[QStringLiteral("hitRate")]->setText(
        cache.hits + cache.misses == 0 ? QStringLiteral("–")
                                       : locale.toString(cache.hitRate() * 100, 'f', 1) + u'%');
    m_counters[QStringLiteral("lookups")]->setText(
        QStringLiteral("%1 / %2").arg(locale.toString(cache.hits), locale.toString(cache.misses)));
    m_counters[QStringLiteral("keys")]->setText(
        cache.store.keys >= 0 ? locale.toString(cache.store.keys) : QStringLiteral("–"));
    m_counters[QStringLiteral("memory")]->setText(
        cache.store.usedBytes >= 0 ? locale.formattedDataSize(cache.store.usedBytes)
                                   : QStringLiteral("–"));
    m_counters[QStringLiteral("events")]->setText(locale.toString(telemetry.eventsTotal));
    QString server = telemetry.redisServer.isEmpty() ? QStringLiteral("–") : telemetry.redisServer;
    if (telemetry.sentinels > 0) {
        server = tr("master %1, %2 of %3 sentinels answer")
                     .arg(server, locale.toString(telemetry.sentinelsAnswering),
                          locale.toString(telemetry.sentinels));
    }
    m_counters[QStringLiteral("redisServer")]->setText(server);
    m_counters[QStringLiteral("streamLag")]->setText(
        telemetry.eventStreamLag < 0 && telemetry.eventStreamPending < 0
            ? QStringLiteral("–")
            : tr("%1 unread, %2 pending")
                  .arg(locale.toString(std::max<qint64>(telemetry.eventStreamLag, 0)),
                       locale.toString(std::max<qint64>(telemetry.eventStreamPending, 0))));
    const qint64 resets = telemetry.redisSubscriberResets;
    m_counters[QStringLiteral("subscriberResets")]->setText(
        resets < 0    ? QStringLiteral("–")
        : resets == 0 ? locale.toString(resets)
                      : tr("%1 (events were lost)").arg(locale.toString(resets)));
    m_counters[QStringLiteral("invalidations")]->setText(
        tr("%1 (%2 keys)")
            .arg(locale.toString(cache.invalidations), locale.toString(cache.invalidatedKeys)));
    m_counters[QStringLiteral("clients")]->setText(locale.toString(telemetry.wsClientCount));
    m_counters[QStringLiteral("deliveries")]->setText(locale.toString(telemetry.wsDeliveriesTotal));
}

}  // namespace kucun
