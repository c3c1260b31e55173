#include "adminlogpanel.h"

#include "adminlogmodel.h"
#include "engine/hublink.h"
#include "tableview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace kucun {

AdminLogPanel::AdminLogPanel(HubLink &hub, QWidget *parent)
    : QWidget(parent)
    , m_hub(hub)
    , m_model(new AdminLogModel(this))
    , m_filtered(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_older(new QPushButton(tr("&Older"), this))
    , m_status(new QLabel(this))
{
    m_filtered->setSourceModel(m_model);
    m_filtered->setFilterKeyColumn(-1);
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view = makeTableView(m_filtered, QStringLiteral("adminLogView"), this);
    m_view->horizontalHeader()->setSectionResizeMode(AdminLogModel::TimeColumn,
                                                     QHeaderView::Interactive);
    // The result takes what is left.
    m_view->setColumnWidth(AdminLogModel::TimeColumn, 180);
    m_view->setColumnWidth(AdminLogModel::PeerColumn, 150);
    m_view->setColumnWidth(AdminLogModel::ActionColumn, 160);
    m_view->setColumnWidth(AdminLogModel::TargetColumn, 240);
    m_filter->setObjectName(QStringLiteral("adminLogFilter"));
    m_filter->setPlaceholderText(tr("Filter by role, address, action, target or result"));
    m_filter->setClearButtonEnabled(true);
    m_status->setObjectName(QStringLiteral("adminLogStatus"));
    m_older->setEnabled(false);
    auto *reloadButton = new QPushButton(tr("&Reload"), this);

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(reloadButton);
    top->addWidget(m_older);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_filter, &QLineEdit::textChanged, m_filtered,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(reloadButton, &QPushButton::clicked, this, &AdminLogPanel::reload);
    connect(m_older, &QPushButton::clicked, this, &AdminLogPanel::loadOlder);
    // A hub that starts again, or a link that comes back, may have more to show.
    connect(&m_hub, &HubLink::started, this, [this] {
        if (isVisible())
            reload();
    });
}

void AdminLogPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();  // actions are taken all the time, from anywhere: show the latest
}

void AdminLogPanel::reload()
{
    load(false);
}

void AdminLogPanel::loadOlder()
{
    load(true);
}

void AdminLogPanel::load(bool older)
{
    if (!older) {
        ++m_generation;
        m_model->clear();
    }
    const qint64 before = older ? m_model->oldestId() : 0;
    m_status->setText(tr("Loading…"));
    m_older->setEnabled(false);
    m_hub.queryAdminLog(
        before, kPageSize, this,
        [this, generation = m_generation](const Result<QList<AdminAction>> &rows) {
            if (generation != m_generation)
                return;
            if (!rows.ok()) {
                m_status->setText(tr("The admin log could not be read: %1").arg(rows.error()));
                return;
            }
            m_model->appendPage(rows.value());
            m_older->setEnabled(rows.value().size() == kPageSize);
            m_status->setText(tr("%n action(s) shown", nullptr, m_model->rowCount()));
        });
}

int AdminLogPanel::visibleRowCount() const
{
    return m_filtered->rowCount();
}

QString AdminLogPanel::statusText() const
{
    return m_status->text();
}

void AdminLogPanel::setFilter(const QString &text)
{
    m_filter->setText(text);
}

}  // namespace kucun
