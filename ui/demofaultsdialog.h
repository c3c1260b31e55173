#pragma once

#include "config/demofaults.h"
#include "engine/demostampede.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

namespace kucun {

class HubLink;

// The demo's faults (SPEC §14), for a developer to watch the cache's guards at work in the
// Overview and Flow panels: slow and failing loaders, a stampede, a burst, and the hub's Redis
// link cut. Each change is sent to the hub at once; the controls then show what the hub runs
// with. Not modal: it stays open beside the panels it is about.
class DemoFaultsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DemoFaultsDialog(HubLink &hub, QWidget *parent = nullptr);

    // What a stampede did, in a sentence (here and in the window's status bar).
    static QString stampedeText(const StampedeReport &report);

private:
    QSpinBox *addSpinBox(const QString &name, int maximum, const QString &suffix);
    DemoFaults chosen() const;
    void send();
    void showFaults(const DemoFaults &faults);
    void showStampede(const StampedeReport &report);
    void showGuard();

    HubLink &m_hub;
    QTimer *m_sendLater = nullptr;
    QSpinBox *m_latency = nullptr;
    QSpinBox *m_failing = nullptr;
    QSpinBox *m_stampede = nullptr;
    QSpinBox *m_burst = nullptr;
    QCheckBox *m_redisCut = nullptr;
    QPushButton *m_clear = nullptr;
    QLabel *m_lastStampede = nullptr;
    QLabel *m_refusal = nullptr;
};

}  // namespace kucun
