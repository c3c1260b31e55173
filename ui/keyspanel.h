#pragma once

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeView;

namespace kucun {

class HubKeySource;
class HubLink;
class KeysModel;

// The Keys panel (SPEC §8.1): the tree of keys with a glob filter, the selected key's value
// (pretty JSON when it is JSON), delete and set TTL. Works on the engine's cache while it runs.
class KeysPanel : public QWidget
{
    Q_OBJECT

public:
    explicit KeysPanel(HubLink &engine, QWidget *parent = nullptr);
    ~KeysPanel() override;

    KeysModel *model() const { return m_model.get(); }
    QTreeView *view() const { return m_view; }
    // Reloads the tree from the engine with the filter as typed.
    void reload();
    // Delete and Set TTL: with a key chosen, on a hub the window may change.
    void updateChangeButtons();

signals:
    // A line for the activity log ("deleted products:detail:42").
    void activity(const QString &text);

private:
    void attach();
    void detach();
    void showSelectedValue();
    void deleteSelected();
    void setTtlOfSelected();
    QString selectedKey() const;
    void refreshVisibleTtls();

    HubLink &m_engine;
    std::unique_ptr<HubKeySource> m_source;
    std::unique_ptr<KeysModel> m_model;
    QLineEdit *m_filter = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_value = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_setTtl = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_ttlTimer = nullptr;
};

}  // namespace kucun
