#include "eventspanel.h"

#include "audithistorymodel.h"
#include "changeguard.h"
#include "engine/hublink.h"
#include "events/eventrecording.h"
#include "eventstreammodel.h"
#include "readablejson.h"
#include "tracetext.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kucun {

EventsPanel::EventsPanel(EventStreamModel &events, HubLink &engine, QWidget *parent)
    : QWidget(parent)
    , m_events(events)
    , m_engine(engine)
    , m_history(new AuditHistoryModel(this))
    , m_historyButton(new QPushButton(tr("&History"), this))
    , m_older(new QPushButton(tr("&Older"), this))
    , m_filtered(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_view(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_record(new QPushButton(tr("&Record…"), this))
    , m_replay(new QPushButton(tr("Re&play…"), this))
    , m_replaySpeed(new QComboBox(this))
    , m_export(new QPushButton(tr("E&xport selection…"), this))
    , m_recordStatus(new QLabel(this))
{
    m_filtered->setSourceModel(&m_events);
    m_filtered->setFilterKeyColumn(-1);  // channel, type, summary, status: any of them
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setObjectName(QStringLiteral("eventsFilter"));
    m_filter->setPlaceholderText(tr("Filter by channel, type or text"));
    m_filter->setClearButtonEnabled(true);
    m_pause->setObjectName(QStringLiteral("pauseEvents"));
    m_pause->setCheckable(true);
    m_view->setObjectName(QStringLiteral("eventsView"));
    m_view->setModel(m_filtered);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(EventStreamModel::SummaryColumn,
                                                     QHeaderView::Stretch);
    m_view->setColumnWidth(EventStreamModel::TimeColumn, 110);
    m_view->setColumnWidth(EventStreamModel::ChannelColumn, 200);
    m_view->setColumnWidth(EventStreamModel::TypeColumn, 130);
    m_detail->setObjectName(QStringLiteral("eventDetail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select an event to see its JSON."));

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_pause);
    top->addWidget(m_historyButton);
    top->addWidget(m_older);
    m_historyButton->setCheckable(true);
    m_historyButton->setToolTip(tr("Show the events stored in the audit log"));
    m_older->setVisible(false);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    m_record->setObjectName(QStringLiteral("recordEvents"));
    m_record->setCheckable(true);
    m_replaySpeed->setObjectName(QStringLiteral("replaySpeed"));
    for (const double speed : {1.0, 10.0, 100.0})
        m_replaySpeed->addItem(tr("%1× pace").arg(speed), speed);
    m_replaySpeed->addItem(tr("as fast as possible"), 0.0);
    m_recordStatus->setObjectName(QStringLiteral("recordStatus"));
    const QString onlyHere = tr("Only the hub of this window records and replays; an attached "
                                "hub does on its own box (kucun-hub --record, --replay).");
    const bool here = m_engine.canRecordAndReplay();
    m_record->setEnabled(here);
    m_record->setToolTip(here ? tr("Write every event the hub handles to a file (JSON lines)")
                              : onlyHere);
    m_export->setToolTip(tr("Write the selected events to a file that Replay takes"));
    const auto guardReplay = [this, here, onlyHere] {
        ChangeGuard::enable(m_replay, here, m_engine,
                            here ? tr("Send a recording into the hub again") : onlyHere);
        m_replaySpeed->setEnabled(m_replay->isEnabled());
    };
    guardReplay();
    connect(&m_engine, &HubLink::readOnlyChanged, this, guardReplay);
    auto *tools = new QHBoxLayout;
    tools->addWidget(m_record);
    tools->addWidget(m_replay);
    tools->addWidget(m_replaySpeed);
    tools->addWidget(m_export);
    tools->addWidget(m_recordStatus, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addLayout(tools);
    connect(m_record, &QPushButton::clicked, this, &EventsPanel::chooseRecordFile);
    connect(m_replay, &QPushButton::clicked, this, &EventsPanel::chooseReplayFile);
    connect(m_export, &QPushButton::clicked, this, &EventsPanel::chooseExportFile);

    connect(m_filter, &QLineEdit::textChanged, this, &EventsPanel::setFilterText);
    connect(m_pause, &QPushButton::toggled, this, &EventsPanel::togglePause);
    connect(m_historyButton, &QPushButton::toggled, this, &EventsPanel::showHistory);
    connect(m_older, &QPushButton::clicked, this, &EventsPanel::loadOlderHistory);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventsPanel::showSelected);
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        if (m_historyButton->isChecked())
            loadHistory(false);
    });
    // Follow the stream while the newest row is in sight; leave the user where they scrolled.
    connect(&m_events, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar *bar = m_view->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 2)
            m_view->scrollToBottom();
    });
}

void EventsPanel::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_filtered->setFilterFixedString(text);
}

void EventsPanel::showHistory(bool history)
{
    if (m_historyButton->isChecked() != history)
        m_historyButton->setChecked(history);  // comes back here through toggled()
    if (history == (m_filtered->sourceModel() == m_history))
        return;
    m_filtered->setSourceModel(history ? static_cast<QAbstractItemModel *>(m_history)
                                       : static_cast<QAbstractItemModel *>(&m_events));
    m_pause->setEnabled(!history);
    m_older->setVisible(history);
    m_detail->clear();
    if (history) {
        m_filtered->setFilterFixedString(QString());  // the log's own search does the filtering
        loadHistory(false);
    } else {
        m_filtered->setFilterFixedString(m_filter->text());
    }
}

void EventsPanel::loadOlderHistory()
{
    loadHistory(true);
}

void EventsPanel::loadHistory(bool older)
{
    AuditQuery query;
    query.text = m_filter->text().trimmed();
    query.beforeId = older ? m_history->oldestId() : 0;
    if (!older)
        m_history->clear();
    m_engine.queryAudit(query, this, [this](const Result<QList<AuditRecord>> &rows) {
        if (!rows.ok()) {
            m_detail->setPlainText(tr("The audit log could not be read: %1").arg(rows.error()));
            return;
        }
        m_history->appendPage(rows.value());
        m_older->setEnabled(rows.value().size() == AuditQuery().limit);
    });
}

int EventsPanel::visibleRowCount() const
{
    return m_filtered->rowCount();
}

void EventsPanel::togglePause()
{
    const bool paused = m_pause->isChecked();
    m_events.setPaused(paused);
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
}

void EventsPanel::showSelected()
{
    const QModelIndex current = m_filtered->mapToSource(m_view->currentIndex());
    if (!current.isValid()) {
        ++m_detailGeneration;
        m_detail->clear();
        return;
    }
    if (m_filtered->sourceModel() == m_history) {
        const AuditRecord &row = m_history->recordAt(current.row());
        QString text = tr("%1\n\n").arg(row.status);
        const QByteArray payload = row.payload.toUtf8();
        // A cut payload is seldom valid JSON any more: it is then shown as the text it is.
        if (row.payloadCut()) {
            text += tr("Stored cut: the first %1 of %2 bytes\n\n")
                        .arg(QLocale().toString(payload.size()),
                             QLocale().toString(row.payloadBytes));
        }
        text += readableJson(payload);
        m_detail->setPlainText(text);
        showTraceOf(row.eventId, text);
        return;
    }
    const EventRecord &record = m_events.recordAt(current.row());
    QString text = readableJson(record.payload);
    if (!record.accepted)
        text.prepend(tr("Rejected: %1\n\n").arg(record.reason));
    else if (!record.routedTo.isEmpty())
        text.prepend(tr("Sent to WebSocket channel %1\n\n").arg(record.routedTo));
    m_detail->setPlainText(text);
    showTraceOf(record.eventId, text);
}

QString EventsPanel::recordingsFilter()
{
    return tr("Recordings (*.jsonl);;All files (*)");
}

void EventsPanel::chooseRecordFile(bool record)
{
    if (!record) {
        stopRecording();
        return;
    }
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Record events to"), QString(), recordingsFilter());
    if (path.isEmpty()) {
        m_record->setChecked(false);
        return;
    }
    startRecording(path);
}

void EventsPanel::startRecording(const QString &path)
{
    m_record->setChecked(true);
    m_engine.recordTo(path, this, [this, path](const Result<bool> &started) {
        if (!started.ok()) {
            m_record->setChecked(false);
            showRecordStatus(tr("Not recording: %1").arg(started.error()));
            return;
        }
        showRecordStatus(tr("Recording to %1").arg(QDir::toNativeSeparators(path)));
    });
}

void EventsPanel::stopRecording()
{
    m_record->setChecked(false);
    m_engine.recordTo({}, this, [this](const Result<bool> &stopped) {
        showRecordStatus(stopped.ok() ? tr("Recording stopped")
                                      : tr("Recording: %1").arg(stopped.error()));
    });
}

bool EventsPanel::isRecording() const
{
    return m_record->isChecked();
}

void EventsPanel::setReplaySpeed(double speed)
{
    const int index = m_replaySpeed->findData(speed);
    if (index >= 0)
        m_replaySpeed->setCurrentIndex(index);
}

void EventsPanel::chooseReplayFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Replay a recording"), QString(),
                                                      recordingsFilter());
    if (!path.isEmpty())
        replayRecording(path);
}

void EventsPanel::replayRecording(const QString &path)
{
    const double speed = m_replaySpeed->currentData().toDouble();
    m_engine.replay(path, speed, this, [this](const Result<qint64> &messages) {
        showRecordStatus(messages.ok()
                             ? tr("Replaying %n message(s)", nullptr, int(messages.value()))
                             : tr("Not replayed: %1").arg(messages.error()));
    });
}

void EventsPanel::chooseExportFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the selected events"),
                                                      QString(), recordingsFilter());
    if (path.isEmpty())
        return;
    const Result<qint64> written = exportSelection(path);
    showRecordStatus(written.ok() ? tr("Exported %n event(s)", nullptr, int(written.value()))
                                  : tr("Not exported: %1").arg(written.error()));
}

Result<qint64> EventsPanel::exportSelection(const QString &path) const
{
    QList<RecordedMessage> messages;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const int row = m_filtered->mapToSource(index).row();
        if (m_filtered->sourceModel() == m_history) {
            const AuditRecord &record = m_history->recordAt(row);
            if (!record.payloadCut())  // a cut payload would replay as a different message
                messages.append({record.ts, record.channel, record.payload.toUtf8()});
        } else {
            const EventRecord &record = m_events.recordAt(row);
            messages.append({record.receivedAtMs, record.channel, record.payload});
        }
    }
    if (messages.isEmpty())
        return Error{tr("no events are selected")};
    std::stable_sort(
        messages.begin(), messages.end(),
        [](const RecordedMessage &a, const RecordedMessage &b) { return a.atMs < b.atMs; });
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{file.errorString()};
    const qint64 first = messages.first().atMs;
    for (RecordedMessage &message : messages) {
        message.atMs -= first;
        file.write(EventRecording::line(message));
    }
    if (!file.commit())
        return Error{file.errorString()};
    return qint64(messages.size());
}

void EventsPanel::showRecordStatus(const QString &text)
{
    m_recordStatus->setText(text);
}

QString EventsPanel::recordStatusText() const
{
    return m_recordStatus->text();
}

void EventsPanel::showTraceOf(const QString &eventId, const QString &text)
{
    const int generation = ++m_detailGeneration;
    if (eventId.isEmpty())
        return;
    m_engine.eventTrace(eventId, this,
                        [this, generation, text](const Result<std::optional<EventTrace>> &trace) {
                            if (generation != m_detailGeneration || !trace.ok() || !trace.value())
                                return;
                            m_detail->setPlainText(text + QStringLiteral("\n\n")
                                                   + TraceTimeline::of(*trace.value()));
                        });
}

}  // namespace kucun
