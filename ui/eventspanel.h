#pragma once

#include "core/result.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace kucun {

class AuditHistoryModel;
class HubLink;
class EventStreamModel;

// The Events panel (SPEC §8.1): the live stream, a filter over channel, type and summary,
// pause and resume, the selected event's JSON, and the history from the audit log (the filter
// text then searches the stored payloads; "Older" pages back).
class EventsPanel : public QWidget
{
    Q_OBJECT

public:
    EventsPanel(EventStreamModel &events, HubLink &engine, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    void setFilterText(const QString &text);
    int visibleRowCount() const;
    // Switches to the audit log's history (and loads its newest page) or back to the stream.
    void showHistory(bool history);
    AuditHistoryModel *history() const { return m_history; }
    void loadOlderHistory();

    // Record and replay (SPEC §14). The buttons ask for a file and call these.
    // Every message the hub handles from now on, into `path` on this machine (the hub in this
    // process only); the status line says how it went.
    void startRecording(const QString &path);
    void stopRecording();
    bool isRecording() const;
    // The recording at `path` sent into the hub again, at the pace chosen beside the button.
    void replayRecording(const QString &path);
    // The selected rows (the live stream's or the history's) as a recording, oldest first, their
    // times relative to the first; rows stored cut are left out. Answers how many were written.
    Result<qint64> exportSelection(const QString &path) const;
    // The replay speeds offered: 1×, 10×, 100× and as fast as possible (0).
    void setReplaySpeed(double speed);
    QString recordStatusText() const;

private:
    void showSelected();
    // Below the event's JSON, its causal trace as a timeline, once the hub has answered.
    void showTraceOf(const QString &eventId, const QString &text);
    void togglePause();
    void loadHistory(bool older);
    // The file dialogs' filter for recordings (JSON lines).
    static QString recordingsFilter();
    void chooseRecordFile(bool record);
    void chooseReplayFile();
    void chooseExportFile();
    void showRecordStatus(const QString &text);

    EventStreamModel &m_events;
    HubLink &m_engine;
    AuditHistoryModel *m_history = nullptr;
    QPushButton *m_historyButton = nullptr;
    QPushButton *m_older = nullptr;
    QSortFilterProxyModel *m_filtered = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_pause = nullptr;
    QTableView *m_view = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QPushButton *m_record = nullptr;
    QPushButton *m_replay = nullptr;
    QComboBox *m_replaySpeed = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_recordStatus = nullptr;
    int m_detailGeneration = 0;  // answers for an earlier selection are dropped
};

}  // namespace kucun
