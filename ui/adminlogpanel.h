#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace kucun {

class AdminLogModel;
class HubLink;

// The Admin log panel (SPEC §13): every change made to the hub by a person, from a window or
// through the API, newest first: when, which role from which address, what on what, and what
// came of it. Read from the hub's audit database a page at a time; the filter narrows the rows
// shown to those that contain its text in any column.
class AdminLogPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kPageSize = 200;

    AdminLogPanel(HubLink &hub, QWidget *parent = nullptr);

    AdminLogModel *model() const { return m_model; }
    int visibleRowCount() const;
    QString statusText() const;
    void setFilter(const QString &text);

public slots:
    // The newest page again.
    void reload();
    void loadOlder();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void load(bool older);

    HubLink &m_hub;
    AdminLogModel *m_model = nullptr;
    QSortFilterProxyModel *m_filtered = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_older = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    int m_generation = 0;  // answers to an earlier reload are dropped
};

}  // namespace kucun
