#include "invalidatepanel.h"

#include "cache/cacheservice.h"
#include "changeguard.h"
#include "engine/hublink.h"
#include "tagsmodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kucun {

namespace {

constexpr int kPreviewSample = 50;

}  // namespace

InvalidatePanel::InvalidatePanel(HubLink &engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_kind(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_previewButton(new QPushButton(tr("&Preview"), this))
    , m_invalidateButton(new QPushButton(tr("&Invalidate…"), this))
    , m_previewSummary(new QLabel(this))
    , m_previewKeys(new QPlainTextEdit(this))
    , m_log(new QListWidget(this))
    , m_tags(new TagsModel(this))
    , m_tagsView(new QTableView(this))
{
    m_tagsView->setObjectName(QStringLiteral("tagsView"));
    m_tagsView->setModel(m_tags);
    m_tagsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tagsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tagsView->verticalHeader()->hide();
    m_tagsView->setWordWrap(false);
    m_tagsView->verticalHeader()->setDefaultSectionSize(m_tagsView->fontMetrics().height() + 6);
    m_tagsView->horizontalHeader()->setSectionResizeMode(TagsModel::TagColumn,
                                                         QHeaderView::Stretch);
    auto *refreshTagsButton = new QPushButton(tr("Refresh &tags"), this);
    m_kind->addItem(tr("Tag"));
    m_kind->addItem(tr("Namespace pattern"));
    m_target->setObjectName(QStringLiteral("invalidateTarget"));
    m_invalidateButton->setObjectName(QStringLiteral("invalidateButton"));
    m_target->setPlaceholderText(tr("products:42, or products:list: / inventory:*"));
    m_previewSummary->setObjectName(QStringLiteral("previewSummary"));
    m_previewKeys->setReadOnly(true);
    m_invalidateButton->setEnabled(false);
    m_log->setObjectName(QStringLiteral("invalidationLog"));

    auto *form = new QFormLayout;
    form->addRow(tr("Invalidate by:"), m_kind);
    form->addRow(tr("Tag or pattern:"), m_target);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_previewButton);
    buttons->addWidget(m_invalidateButton);
    buttons->addStretch(1);
    auto *tagsSide = new QWidget(this);
    auto *tagsLayout = new QVBoxLayout(tagsSide);
    tagsLayout->setContentsMargins(0, 0, 0, 0);
    tagsLayout->addWidget(m_tagsView, 1);
    tagsLayout->addWidget(refreshTagsButton);
    auto *main = new QWidget(this);
    auto *layout = new QVBoxLayout(main);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_previewSummary);
    layout->addWidget(m_previewKeys, 2);
    layout->addWidget(new QLabel(tr("Results:"), this));
    layout->addWidget(m_log, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(tagsSide);
    splitter->addWidget(main);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({340, 900});
    auto *outer = new QVBoxLayout(this);
    outer->addWidget(splitter);

    connect(refreshTagsButton, &QPushButton::clicked, this, &InvalidatePanel::refreshTags);
    connect(m_tagsView, &QTableView::activated, this, [this](const QModelIndex &index) {
        setTarget(Kind::Tag, m_tags->tagAt(index.row()));
        preview();
    });
    connect(&m_engine, &HubLink::started, this, &InvalidatePanel::refreshTags);

    connect(m_previewButton, &QPushButton::clicked, this, &InvalidatePanel::preview);
    connect(m_target, &QLineEdit::returnPressed, this, &InvalidatePanel::preview);
    connect(m_invalidateButton, &QPushButton::clicked, this, &InvalidatePanel::invalidate);
    // A preview is for what it was asked about: any change asks for a new one.
    const auto stale = [this] {
        m_invalidateButton->setEnabled(false);
        m_previewCount = -1;
    };
    connect(m_target, &QLineEdit::textChanged, this, stale);
    connect(&m_engine, &HubLink::readOnlyChanged, this,
            [this] { ChangeGuard::enable(m_invalidateButton, m_previewCount > 0, m_engine); });
    connect(m_kind, &QComboBox::currentIndexChanged, this, stale);
}

InvalidatePanel::Kind InvalidatePanel::kind() const
{
    return m_kind->currentIndex() == 0 ? Kind::Tag : Kind::Namespace;
}

Invalidation InvalidatePanel::invalidation(const QString &target) const
{
    return {kind() == Kind::Tag ? Invalidation::Kind::Tag : Invalidation::Kind::Namespace, target};
}

void InvalidatePanel::setTarget(Kind kind, const QString &target)
{
    m_kind->setCurrentIndex(kind == Kind::Tag ? 0 : 1);
    m_target->setText(target);
}

void InvalidatePanel::preview()
{
    const bool running = m_engine.state() == HubLink::State::Running;
    const QString target = m_target->text().trimmed();
    if (!running || target.isEmpty()) {
        m_previewSummary->setText(running ? tr("Enter a tag or a pattern.")
                                          : tr("The engine is not running."));
        return;
    }
    const auto answer = [this, target, kind = kind()](const Result<PatternMatch> &match) {
        if (m_target->text().trimmed() != target || this->kind() != kind)
            return;  // asked about something else meanwhile
        if (!match.ok()) {
            m_previewSummary->setText(tr("Preview failed: %1").arg(match.error()));
            return;
        }
        showPreview(match.value());
    };
    m_previewSummary->setText(tr("Counting…"));
    m_engine.previewInvalidation(invalidation(target), kPreviewSample, this, answer);
}

void InvalidatePanel::showPreview(const PatternMatch &match)
{
    m_previewCount = match.count;
    m_previewSummary->setText(tr("%n key(s) would be invalidated.", nullptr, int(match.count)));
    QStringList keys;
    for (const QByteArray &key : match.sample)
        keys << QString::fromUtf8(key);
    if (match.count > match.sample.size())
        keys << tr("… and %n more", nullptr, int(match.count - match.sample.size()));
    m_previewKeys->setPlainText(keys.join(u'\n'));
    ChangeGuard::enable(m_invalidateButton, match.count > 0, m_engine);
}

void InvalidatePanel::invalidate()
{
    const QString target = m_target->text().trimmed();
    if (target.isEmpty() || m_previewCount <= 0)
        return;
    const bool byTag = kind() == Kind::Tag;
    if (m_askConfirmation
        && QMessageBox::question(
               this, tr("Invalidate"),
               byTag
                   ? tr("Invalidate tag %1 (%n key(s))?", nullptr, int(m_previewCount)).arg(target)
                   : tr("Invalidate pattern %1 (%n key(s))?", nullptr, int(m_previewCount))
                         .arg(target))
               != QMessageBox::Yes)
        return;
    m_invalidateButton->setEnabled(false);
    const auto done = [this, target, byTag](qint64 removed, const QString &error) {
        const QString what = byTag ? tr("tag %1").arg(target) : tr("pattern %1").arg(target);
        log(error.isEmpty()
                ? tr("Invalidated %1: %n key(s) removed", nullptr, int(removed)).arg(what)
                : tr("Invalidating %1 failed: %2").arg(what, error));
        m_previewCount = -1;
        refreshTags();
    };
    m_engine.invalidate(invalidation(target), this, [done](const Result<qint64> &removed) {
        done(removed.ok() ? removed.value() : 0, removed.ok() ? QString() : removed.error());
    });
}

void InvalidatePanel::log(const QString &line)
{
    const QString stamped
        = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss ")) + line;
    m_log->insertItem(0, stamped);
    emit activity(line);
}

void InvalidatePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refreshTags();  // tags come and go with every write: show the current ones
}

void InvalidatePanel::refreshTags()
{
    if (m_engine.state() != HubLink::State::Running)
        return;
    m_engine.tags(this, [this](const Result<QList<TagCount>> &tags) {
        if (tags.ok())
            m_tags->setTags(tags.value());
        else
            m_previewSummary->setText(tr("The tags could not be listed: %1").arg(tags.error()));
    });
}

QString InvalidatePanel::previewText() const
{
    return m_previewSummary->text();
}

QStringList InvalidatePanel::logLines() const
{
    QStringList lines;
    for (int i = 0; i < m_log->count(); ++i)
        lines << m_log->item(i)->text();
    return lines;
}

}  // namespace kucun
