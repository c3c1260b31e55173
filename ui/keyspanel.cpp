#include "keyspanel.h"

#include "changeguard.h"
#include "engine/hublink.h"
#include "keysmodel.h"
#include "readablejson.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace kucun {

KeysPanel::KeysPanel(HubLink &engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_value(new QPlainTextEdit(this))
    , m_delete(new QPushButton(tr("&Delete"), this))
    , m_setTtl(new QPushButton(tr("Set &TTL…"), this))
    , m_status(new QLabel(this))
    , m_ttlTimer(new QTimer(this))
{
    m_filter->setObjectName(QStringLiteral("keysFilter"));
    m_filter->setPlaceholderText(tr("Filter: a glob such as products:* (empty: every key)"));
    m_filter->setClearButtonEnabled(true);
    auto *reloadButton = new QPushButton(tr("&Reload"), this);
    m_view->setObjectName(QStringLiteral("keysView"));
    m_view->setUniformRowHeights(true);  // a million rows scroll smoothly only with this
    m_view->setAlternatingRowColors(true);
    m_value->setObjectName(QStringLiteral("keyValue"));
    m_delete->setObjectName(QStringLiteral("deleteKey"));
    m_setTtl->setObjectName(QStringLiteral("setKeyTtl"));
    m_value->setReadOnly(true);
    m_value->setPlaceholderText(tr("Select a key to see its value."));
    m_delete->setEnabled(false);
    m_setTtl->setEnabled(false);

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(reloadButton);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_delete);
    buttons->addWidget(m_setTtl);
    buttons->addStretch(1);
    buttons->addWidget(m_status);
    auto *valueSide = new QWidget(this);
    auto *valueLayout = new QVBoxLayout(valueSide);
    valueLayout->setContentsMargins(0, 0, 0, 0);
    valueLayout->addWidget(m_value, 1);
    valueLayout->addLayout(buttons);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_view);
    splitter->addWidget(valueSide);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filterRow);
    layout->addWidget(splitter, 1);

    connect(m_filter, &QLineEdit::returnPressed, this, &KeysPanel::reload);
    connect(reloadButton, &QPushButton::clicked, this, &KeysPanel::reload);
    connect(m_delete, &QPushButton::clicked, this, &KeysPanel::deleteSelected);
    connect(m_setTtl, &QPushButton::clicked, this, &KeysPanel::setTtlOfSelected);
    connect(m_ttlTimer, &QTimer::timeout, this, &KeysPanel::refreshVisibleTtls);
    connect(&m_engine, &HubLink::started, this, &KeysPanel::attach);
    connect(&m_engine, &HubLink::stateChanged, this, [this](HubLink::State state) {
        // A lost link keeps the tree on screen (greyed) until the hub is back: started() then
        // loads it afresh.
        if (state != HubLink::State::Running && state != HubLink::State::Reconnecting)
            detach();
    });
    connect(&m_engine, &HubLink::readOnlyChanged, this, &KeysPanel::updateChangeButtons);
    if (m_engine.state() == HubLink::State::Running)
        attach();
}

void KeysPanel::updateChangeButtons()
{
    const bool selected = !selectedKey().isEmpty();
    ChangeGuard::enable(m_delete, selected, m_engine);
    ChangeGuard::enable(m_setTtl, selected, m_engine);
}

KeysPanel::~KeysPanel()
{
    m_view->setModel(nullptr);
}

void KeysPanel::attach()
{
    if (m_engine.state() != HubLink::State::Running)
        return;
    m_view->setModel(nullptr);
    m_model.reset();
    m_source = std::make_unique<HubKeySource>(m_engine);
    m_model = std::make_unique<KeysModel>(*m_source);
    m_view->setModel(m_model.get());
    m_view->header()->setSectionResizeMode(KeysModel::KeyColumn, QHeaderView::Interactive);
    m_view->setColumnWidth(KeysModel::KeyColumn, 260);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &KeysPanel::showSelectedValue);
    connect(m_model.get(), &KeysModel::loadingChanged, this, [this](bool loading) {
        m_status->setText(loading ? tr("Loading…") : m_model->lastError());
    });
    m_model->setFilter(m_filter->text());
    m_ttlTimer->start(1000);
}

void KeysPanel::detach()
{
    m_ttlTimer->stop();
    m_view->setModel(nullptr);
    m_model.reset();
    m_source.reset();
    m_value->clear();
    updateChangeButtons();
}

void KeysPanel::reload()
{
    if (m_model)
        m_model->setFilter(m_filter->text());
    m_value->clear();
}

QString KeysPanel::selectedKey() const
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.data(KeysModel::IsGroupRole).toBool())
        return {};
    return current.data(KeysModel::KeyPathRole).toString();
}

void KeysPanel::showSelectedValue()
{
    const QString key = selectedKey();
    updateChangeButtons();
    m_value->clear();
    if (key.isEmpty())
        return;
    m_engine.keyValue(key, this, [this, key](const LoadResult &value) {
        if (selectedKey() != key)
            return;  // the user moved on
        if (!value.ok()) {
            m_value->setPlainText(tr("Could not read %1: %2").arg(key, value.error()));
            return;
        }
        if (!value.value()) {
            m_value->setPlainText(tr("(no value: the key is gone or caches a \"does not exist\")"));
            return;
        }
        m_value->setPlainText(readableJson(*value.value()));
    });
}

void KeysPanel::deleteSelected()
{
    const QString key = selectedKey();
    if (key.isEmpty())
        return;
    m_engine.deleteKey(key, this, [this, key](const Result<qint64> &removed) {
        if (!removed.ok()) {
            QMessageBox::warning(this, tr("Delete"),
                                 tr("Could not delete %1: %2").arg(key, removed.error()));
            return;
        }
        if (m_model)
            m_model->removeKey(key);
        m_value->clear();
        emit activity(tr("Deleted key %1").arg(key));
    });
}

void KeysPanel::setTtlOfSelected()
{
    const QString key = selectedKey();
    if (key.isEmpty())
        return;
    bool ok = false;
    const int seconds = QInputDialog::getInt(
        this, tr("Set TTL"), tr("New TTL of %1 in seconds (0: no expiry):").arg(key), 60, 0,
        365 * 24 * 3600, 1, &ok);
    if (!ok)
        return;
    m_engine.setKeyTtl(key, seconds, this, [this, key, seconds](const Result<bool> &done) {
        if (!done.ok() || !done.value()) {
            QMessageBox::warning(
                this, tr("Set TTL"),
                done.ok() ? tr("%1 no longer exists.").arg(key)
                          : tr("Could not set the TTL of %1: %2").arg(key, done.error()));
            return;
        }
        emit activity(tr("Set the TTL of %1 to %2 s").arg(key).arg(seconds));
        reload();
    });
}

void KeysPanel::refreshVisibleTtls()
{
    if (!m_model || !isVisible())
        return;
    // Only the rows on screen: a million keys must not cost a million updates a second.
    QModelIndexList rows;
    QModelIndex row = m_view->indexAt(QPoint(1, 1));
    const int bottom = m_view->viewport()->height();
    while (row.isValid() && m_view->visualRect(row).top() < bottom && rows.size() < 500) {
        rows.append(row);
        row = m_view->indexBelow(row);
    }
    m_model->refreshTtl(rows);
}

}  // namespace kucun
