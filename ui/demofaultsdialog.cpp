#include "demofaultsdialog.h"

#include "changeguard.h"
#include "engine/hublink.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace kucun {

namespace {

// Each control's own tooltip, kept apart: while the hub is read-only the tooltip says why.
constexpr auto kTip = "faultTip";
constexpr std::chrono::milliseconds kSendDelay{400};

}  // namespace

DemoFaultsDialog::DemoFaultsDialog(HubLink &hub, QWidget *parent)
    : QDialog(parent)
    , m_hub(hub)
    , m_sendLater(new QTimer(this))
{
    m_sendLater->setSingleShot(true);
    m_sendLater->setInterval(kSendDelay);
    connect(m_sendLater, &QTimer::timeout, this, &DemoFaultsDialog::send);
    setObjectName(QStringLiteral("demoFaultsDialog"));
    setWindowTitle(tr("Demo faults"));
    auto *intro = new QLabel(tr("Make the demo misbehave and watch the cache's guards in the "
                                "Overview and Flow panels: single-flight loads, lock waits, null "
                                "hits, degraded mode."),
                             this);
    intro->setWordWrap(true);

    auto *form = new QFormLayout;
    m_latency
        = addSpinBox(QStringLiteral("slowLoaders"), DemoFaults::kMaxLoaderLatencyMs, tr(" ms"));
    m_latency->setProperty(kTip,
                           tr("Every load of the demo's reads takes this long: loads in progress "
                              "pile up, and the readers of one key wait for its one load."));
    form->addRow(tr("Slow loaders:"), m_latency);
    m_failing = addSpinBox(QStringLiteral("failingLoaders"), 100, tr(" %"));
    m_failing->setProperty(kTip, tr("This share of the demo's loads fails: nothing is cached, the "
                                    "readers get the error, the next read tries again."));
    form->addRow(tr("Failing loaders:"), m_failing);
    m_stampede
        = addSpinBox(QStringLiteral("stampede"), DemoFaults::kMaxStampedeReaders, tr(" readers"));
    m_stampede->setProperty(
        kTip,
        tr("This many readers miss one key at the same moment, while another process holds its "
           "lock and loads it: the guards make one loader call of it. At once, then every %n "
           "seconds.",
           nullptr, DemoFaults::kStampedeIntervalMs / 1000));
    form->addRow(tr("Stampede:"), m_stampede);
    m_burst = addSpinBox(QStringLiteral("burst"), DemoFaults::kMaxBurst, tr(" events/s"));
    m_burst->setProperty(kTip, tr("Stock changes on top of the demo's traffic, each a cascade of "
                                  "invalidations and a WebSocket message."));
    form->addRow(tr("Burst:"), m_burst);
    m_redisCut = new QCheckBox(tr("Cut the hub's link to Redis"), this);
    m_redisCut->setObjectName(QStringLiteral("redisCut"));
    connect(m_redisCut, &QCheckBox::toggled, this, &DemoFaultsDialog::send);
    form->addRow(tr("Redis:"), m_redisCut);

    m_lastStampede = new QLabel(this);
    m_lastStampede->setObjectName(QStringLiteral("lastStampede"));
    m_lastStampede->setWordWrap(true);
    m_lastStampede->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refusal = new QLabel(this);
    m_refusal->setObjectName(QStringLiteral("refusal"));
    m_refusal->setWordWrap(true);
    m_refusal->setStyleSheet(QStringLiteral("color: #c0392b"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_clear = buttons->addButton(tr("Clear all"), QDialogButtonBox::ResetRole);
    m_clear->setObjectName(QStringLiteral("clearFaults"));
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_hub.setDemoFaults({}, this, [this](const Result<bool> &done) {
            m_refusal->setText(done ? QString() : done.error());
        });
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_lastStampede);
    layout->addWidget(m_refusal);
    layout->addWidget(buttons);

    showFaults(m_hub.demoFaults());
    showGuard();
    connect(&m_hub, &HubLink::demoFaultsChanged, this, &DemoFaultsDialog::showFaults);
    connect(&m_hub, &HubLink::demoStampedeFinished, this, &DemoFaultsDialog::showStampede);
    connect(&m_hub, &HubLink::readOnlyChanged, this, &DemoFaultsDialog::showGuard);
    connect(&m_hub, &HubLink::started, this, &DemoFaultsDialog::showGuard);
}

QSpinBox *DemoFaultsDialog::addSpinBox(const QString &name, int maximum, const QString &suffix)
{
    auto *box = new QSpinBox(this);
    box->setObjectName(name);
    box->setRange(0, maximum);
    box->setSpecialValueText(tr("off"));
    box->setSuffix(suffix);
    // One change when the user is done typing "500", not three in the admin log.
    box->setKeyboardTracking(false);
    // An arrow held down or a wheel turned sends one change when it rests, not one per step.
    connect(box, &QSpinBox::valueChanged, m_sendLater, qOverload<>(&QTimer::start));
    return box;
}

DemoFaults DemoFaultsDialog::chosen() const
{
    DemoFaults faults;
    faults.loaderLatencyMs = m_latency->value();
    faults.failingLoadersPercent = m_failing->value();
    faults.stampedeReaders = m_stampede->value();
    faults.burstEventsPerSecond = m_burst->value();
    faults.redisCut = m_redisCut->isChecked();
    return faults;
}

void DemoFaultsDialog::send()
{
    m_hub.setDemoFaults(chosen(), this, [this](const Result<bool> &done) {
        m_refusal->setText(done ? QString() : done.error());
        if (!done)
            showFaults(m_hub.demoFaults());  // back to what the hub runs with
    });
}

void DemoFaultsDialog::showFaults(const DemoFaults &faults)
{
    if (m_sendLater->isActive())
        return;  // a change of the user's is on its way: the hub's answer to it comes next
    const QList<QWidget *> controls{m_latency, m_failing, m_stampede, m_burst, m_redisCut};
    for (QWidget *control : controls)
        control->blockSignals(true);
    m_latency->setValue(faults.loaderLatencyMs);
    m_failing->setValue(faults.failingLoadersPercent);
    m_stampede->setValue(faults.stampedeReaders);
    m_burst->setValue(faults.burstEventsPerSecond);
    m_redisCut->setChecked(faults.redisCut);
    for (QWidget *control : controls)
        control->blockSignals(false);
}

void DemoFaultsDialog::showStampede(const StampedeReport &report)
{
    m_lastStampede->setText(stampedeText(report));
}

QString DemoFaultsDialog::stampedeText(const StampedeReport &report)
{
    const QLocale locale;
    return tr("Last stampede on %1: readers missing at once %2, loader calls %3, answered %4, "
              "failed %5, most sharing one load %6, lock waits %7, %8 s")
        .arg(report.key, locale.toString(report.readers), locale.toString(report.loaderCalls),
             locale.toString(report.answered), locale.toString(report.failed),
             locale.toString(report.sharedBy), locale.toString(report.lockWaits),
             locale.toString(double(report.elapsedMs) / 1000.0, 'f', 1));
}

void DemoFaultsDialog::showGuard()
{
    const QList<QWidget *> controls{m_latency, m_failing, m_stampede, m_burst, m_clear};
    for (QWidget *control : controls)
        ChangeGuard::enable(control, true, m_hub, control->property(kTip).toString());
    const bool redis = !m_hub.redisDescription().isEmpty();
    ChangeGuard::enable(m_redisCut, redis, m_hub,
                        redis ? tr("The hub's command and subscriber connections close and stay "
                                   "closed until this is unticked: it serves from memory "
                                   "(degraded) meanwhile, as in a real outage.")
                              : tr("This hub runs on its embedded engine: it has no Redis link "
                                   "to cut."));
}

}  // namespace kucun
