#pragma once

#include <QWidget>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace kucun {

class EventStreamModel;

// The Events panel (SPEC §8.1): the live stream, a filter over channel, type and summary,
// pause and resume, and the selected event's JSON.
class EventsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPanel(EventStreamModel &events, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    void setFilterText(const QString &text);
    int visibleRowCount() const;

private:
    void showSelected();
    void togglePause();

    EventStreamModel &m_events;
    QSortFilterProxyModel *m_filtered = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_pause = nullptr;
    QTableView *m_view = nullptr;
    QPlainTextEdit *m_detail = nullptr;
};

}  // namespace kucun
