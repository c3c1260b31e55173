#include "hotkeyspanel.h"

#include "hotkeysmodel.h"
#include "tableview.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

namespace kucun {

namespace {

// The chart's names of KeyAccessSketch's TTL buckets, in its order.
QStringList ttlBucketLabels()
{
    return {HotKeysPanel::tr("none"),     HotKeysPanel::tr("< 1 min"), HotKeysPanel::tr("< 5 min"),
            HotKeysPanel::tr("< 30 min"), HotKeysPanel::tr("< 2 h"),   HotKeysPanel::tr("< 1 day"),
            HotKeysPanel::tr("≥ 1 day")};
}

}  // namespace

HotKeysPanel::HotKeysPanel(QWidget *parent)
    : QWidget(parent)
    , m_keys(new HotKeysModel(this))
    , m_segments(new KeySegmentsModel(this))
    , m_keysView(makeTableView(m_keys, QStringLiteral("hotKeysView"), this))
    , m_segmentsView(makeTableView(m_segments, QStringLiteral("keySegmentsView"), this))
    , m_summary(new QLabel(this))
    , m_ttls(new QBarSet(tr("Writes")))
{
    static_assert(KeyAccessSketch::kTtlBuckets == 7, "one label per TTL bucket");
    m_summary->setObjectName(QStringLiteral("hotKeysSummary"));
    m_summary->setWordWrap(true);
    m_keysView->setColumnWidth(HotKeysModel::KeyColumn, 320);

    const QStringList labels = ttlBucketLabels();
    for (int i = 0; i < labels.size(); ++i)
        m_ttls->append(0);
    auto *series = new QBarSeries;
    series->append(m_ttls);
    auto *chart = new QChart;
    chart->addSeries(series);
    chart->setTitle(tr("TTLs written"));
    chart->legend()->hide();
    auto *categories = new QBarCategoryAxis;
    categories->append(labels);
    chart->addAxis(categories, Qt::AlignBottom);
    series->attachAxis(categories);
    auto *counts = new QValueAxis;
    counts->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(counts);
    auto *chartView = new QChartView(chart, this);
    chartView->setObjectName(QStringLiteral("ttlChart"));
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(180);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_segmentsView);
    bottom->addWidget(chartView);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_keysView);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    showSnapshot(nullptr);
}

void HotKeysPanel::showSnapshot(const KeyAccessSketch::Snapshot *snapshot)
{
    setEnabled(snapshot != nullptr);
    if (!snapshot) {
        m_summary->setText(tr("The Redis-protocol front is off (RESP_PORT=off, or REDIS_URL is "
                              "set): the keys of a site's own Redis are not seen here."));
        m_keys->setRows({});
        m_segments->setRows({});
        return;
    }
    const QLocale locale;
    m_summary->setText(tr("Keys the site's Redis clients read and write through the hub: %1 "
                          "reads, %2 writes, %3 loads (a miss filled within a second). The list "
                          "keeps the most used keys in bounded memory.")
                           .arg(locale.toString(snapshot->reads), locale.toString(snapshot->writes),
                                locale.toString(snapshot->loads)));
    m_keys->setRows(snapshot->top);
    m_segments->setRows(snapshot->segments);
    qreal highest = 0;
    for (int i = 0; i < KeyAccessSketch::kTtlBuckets; ++i) {
        m_ttls->replace(i, qreal(snapshot->ttlHistogram[size_t(i)]));
        highest = std::max(highest, qreal(snapshot->ttlHistogram[size_t(i)]));
    }
    if (auto *chartView = findChild<QChartView *>(QStringLiteral("ttlChart"))) {
        const QList<QAbstractAxis *> axes = chartView->chart()->axes(Qt::Vertical);
        if (!axes.isEmpty())
            axes.front()->setRange(0, std::max<qreal>(1, highest));
    }
}

QString HotKeysPanel::summaryText() const
{
    return m_summary->text();
}

QList<qreal> HotKeysPanel::ttlBars() const
{
    QList<qreal> bars;
    for (int i = 0; i < m_ttls->count(); ++i)
        bars.append(m_ttls->at(i));
    return bars;
}

}  // namespace kucun
