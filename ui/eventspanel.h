#pragma once

#include <QWidget>

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

private:
    void showSelected();
    // Below the event's JSON, its causal trace as a timeline, once the hub has answered.
    void showTraceOf(const QString &eventId, const QString &text);
    void togglePause();
    void loadHistory(bool older);

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
    int m_detailGeneration = 0;  // answers for an earlier selection are dropped
};

}  // namespace kucun
