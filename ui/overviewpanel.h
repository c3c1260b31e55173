#pragma once

#include "engine/enginetelemetry.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QFormLayout;

namespace kucun {

class HubLink;
class MetricsHistoryModel;

// The Overview panel (SPEC §8.1): what the engine is (memory, Redis, degraded), where it
// listens, how long it has run, its counters, and charts of the hit rate, cache operations,
// events and WebSocket messages per second over the last minutes.
class OverviewPanel : public QWidget
{
    Q_OBJECT

public:
    OverviewPanel(HubLink &engine, MetricsHistoryModel &history, QWidget *parent = nullptr);

    void showTelemetry(const EngineTelemetry &telemetry);
    // The value shown for a counter ("hitRate", "keys", …), for tests.
    QString counterText(const QString &name) const;

private:
    QWidget *chart(int column, const QString &title, const QString &unit);
    QLabel *addCounter(QFormLayout *form, const QString &name, const QString &label);
    void rescaleAxes();
    void showRedis();

    HubLink &m_engine;
    MetricsHistoryModel &m_history;
    QHash<QString, QLabel *> m_counters;
    QList<QObject *> m_axes;  // per chart: x axis, y axis
    int m_loadsInProgress = 0;  // from the latest report that listed them
};

}  // namespace kucun
