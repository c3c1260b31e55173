#pragma once

#include "cache/cachestore.h"
#include "engine/hublink.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace kucun {

class HubLink;
class TagsModel;

// The Invalidate panel (SPEC §8.1): by tag or by namespace pattern, first a preview (how many
// keys, which), then the invalidation after a confirmation; every result goes to the log below.
// The cache's tags are listed beside it (refreshed on demand); choosing one previews it.
class InvalidatePanel : public QWidget
{
    Q_OBJECT

public:
    enum class Kind { Tag, Namespace };

    explicit InvalidatePanel(HubLink &engine, QWidget *parent = nullptr);

    // For tests: fill the form without the mouse, and skip the confirmation dialog.
    void setTarget(Kind kind, const QString &target);
    void setConfirmation(bool ask) { m_askConfirmation = ask; }
    void preview();
    void invalidate();
    QString previewText() const;
    QStringList logLines() const;
    TagsModel *tags() const { return m_tags; }
    void refreshTags();

signals:
    void activity(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    Kind kind() const;
    // What the panel asks about `target`.
    Invalidation invalidation(const QString &target) const;
    void showPreview(const PatternMatch &match);
    void log(const QString &line);

    HubLink &m_engine;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_target = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPushButton *m_invalidateButton = nullptr;
    QLabel *m_previewSummary = nullptr;
    QPlainTextEdit *m_previewKeys = nullptr;
    QListWidget *m_log = nullptr;
    TagsModel *m_tags = nullptr;
    QTableView *m_tagsView = nullptr;
    qint64 m_previewCount = -1;
    bool m_askConfirmation = true;
};

}  // namespace kucun
