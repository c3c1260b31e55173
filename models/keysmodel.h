#pragma once

#include "keysource.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace kucun {

// The Keys panel's tree (SPEC §8.1): keys split at `:` into groups, loaded lazily with SCAN
// pages, so a million keys never load at once: the top level comes from a scan of everything
// that matches the filter, and a group's children from a scan of its own prefix when the view
// first asks for them (expanding it). The TTL column counts down from the TTL each key had when
// it was loaded; the panel calls refreshTtl() for the rows it shows.
class KeysModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { KeyColumn, TypeColumn, TtlColumn, SizeColumn, TagsColumn, ColumnCount };
    enum Role { KeyPathRole = Qt::UserRole + 1, IsGroupRole, TtlMsRole };
    static constexpr int kPageSize = 500;
    // Pages fetched in a row for one fetchMore() when they bring no new rows (a sparse match).
    static constexpr int kMaxEmptyPages = 50;

    explicit KeysModel(KeySource &source, QObject *parent = nullptr);
    ~KeysModel() override;

    // A glob relative to the namespace ("products:*"); empty: every key. Reloads the tree.
    void setFilter(const QString &pattern);
    QString filter() const { return m_filter; }
    // Whether any fetch is on its way (tests, the panel's busy indicator).
    bool isLoading() const { return m_fetching > 0; }
    QString lastError() const { return m_lastError; }
    // Takes a deleted key out of the tree at once.
    void removeKey(const QString &key);
    // dataChanged() on the TTL column of these rows only.
    void refreshTtl(const QModelIndexList &rows);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    void loadingChanged(bool loading);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node, int column = 0) const;
    void fetchPage(Node *node, int emptyPagesLeft);
    void takePage(Node *node, const KeyPage &page, int emptyPagesLeft);
    void setFetching(Node *node, bool fetching);

    KeySource &m_source;
    QString m_filter;
    std::unique_ptr<Node> m_root;
    int m_fetching = 0;
    quint64 m_generation = 0;  // answers for an older tree are dropped
    QString m_lastError;
};

}  // namespace kucun
