#include "keysmodel.h"

#include "core/globpattern.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

namespace kucun {

struct KeysModel::Node
{
    QString segment;  // what the tree shows: "products:" for a group, "42" for a key
    QString path;  // relative to the namespace: "products:detail:" or "products:detail:42"
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    QHash<QString, Node *> bySegment;
    bool group = false;

    // A key's details as loaded; the TTL counts down from expiresAtMs.
    bool expires = false;
    qint64 expiresAtMs = 0;
    qint64 size = 0;
    QStringList tags;

    // Loading, for the root and groups.
    QByteArray cursor;
    bool complete = false;
    bool fetching = false;
};

namespace {

QString formatTtl(qint64 ms)
{
    if (ms <= 0)
        return KeysModel::tr("expired");
    const qint64 seconds = (ms + 999) / 1000;
    if (seconds < 60)
        return KeysModel::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return KeysModel::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return KeysModel::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

}  // namespace

KeysModel::KeysModel(KeySource &source, QObject *parent)
    : QAbstractItemModel(parent)
    , m_source(source)
    , m_root(std::make_unique<Node>())
{
    m_root->group = true;
}

KeysModel::~KeysModel() = default;

void KeysModel::setFilter(const QString &pattern)
{
    beginResetModel();
    ++m_generation;
    m_filter = pattern.trimmed();
    m_root = std::make_unique<Node>();
    m_root->group = true;
    m_lastError.clear();
    const bool wasLoading = m_fetching > 0;
    m_fetching = 0;
    endResetModel();
    if (wasLoading)
        emit loadingChanged(false);
}

KeysModel::Node *KeysModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex KeysModel::indexOf(Node *node, int column) const
{
    return node == m_root.get() ? QModelIndex() : createIndex(node->row, column, node);
}

QModelIndex KeysModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= node->children.size())
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex KeysModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int KeysModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int KeysModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool KeysModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    return node->group && (!node->children.empty() || !node->complete);
}

bool KeysModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node *node = nodeOf(parent);
    return node->group && !node->complete && !node->fetching;
}

void KeysModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        fetchPage(nodeOf(parent), kMaxEmptyPages);
}

void KeysModel::setFetching(Node *node, bool fetching)
{
    node->fetching = fetching;
    const bool wasLoading = m_fetching > 0;
    m_fetching += fetching ? 1 : -1;
    if (wasLoading != (m_fetching > 0))
        emit loadingChanged(m_fetching > 0);
}

void KeysModel::fetchPage(Node *node, int emptyPagesLeft)
{
    setFetching(node, true);
    const QString pattern = node == m_root.get()
                                ? (m_filter.isEmpty() ? QStringLiteral("*") : m_filter)
                                : node->path + u'*';
    const quint64 generation = m_generation;
    m_source.fetchPage(pattern, node->cursor, kPageSize, this,
                       [this, node, generation, emptyPagesLeft](const Result<KeyPage> &page) {
                           if (generation != m_generation)
                               return;  // the tree was reloaded; `node` is gone
                           setFetching(node, false);
                           if (!page.ok()) {
                               m_lastError = page.error();
                               return;
                           }
                           takePage(node, page.value(), emptyPagesLeft);
                       });
}

void KeysModel::takePage(Node *node, const KeyPage &page, int emptyPagesLeft)
{
    const QString prefix = m_source.keyPrefix();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<std::unique_ptr<Node>> added;
    QHash<QString, Node *> addedBySegment;
    for (const KeyDetails &details : page.keys) {
        if (details.ttlMs == kTtlMissing)
            continue;  // gone between the scan and the look at it
        QString key = QString::fromUtf8(details.key);
        if (key.startsWith(prefix))
            key.remove(0, prefix.size());
        if (!key.startsWith(node->path) || !matchesGlobOrPrefix(m_filter, key))
            continue;
        const QString rest = key.mid(node->path.size());
        const qsizetype colon = rest.indexOf(u':');
        const bool group = colon >= 0;
        const QString segment = group ? rest.left(colon + 1) : rest;
        Node *child = node->bySegment.value(segment, addedBySegment.value(segment));
        if (!child) {
            auto fresh = std::make_unique<Node>();
            fresh->segment = segment;
            fresh->path = node->path + segment;
            fresh->parent = node;
            fresh->group = group;
            child = fresh.get();
            addedBySegment.insert(segment, child);
            added.push_back(std::move(fresh));
        }
        if (!group) {
            child->expires = details.ttlMs >= 0;
            child->expiresAtMs = now + std::max<qint64>(0, details.ttlMs);
            child->size = details.sizeBytes;
            child->tags.clear();
            for (const QByteArray &tag : details.tagKeys)
                child->tags.append(QString::fromUtf8(tag).mid(prefix.size() + 4));  // "tag:"
            if (child->row < int(node->children.size())
                && node->children[size_t(child->row)].get() == child)
                emit dataChanged(indexOf(child, 0), indexOf(child, ColumnCount - 1));
        }
    }
    if (!added.empty()) {
        const int first = int(node->children.size());
        beginInsertRows(indexOf(node), first, first + int(added.size()) - 1);
        for (auto &child : added) {
            child->row = int(node->children.size());
            node->bySegment.insert(child->segment, child.get());
            node->children.push_back(std::move(child));
        }
        endInsertRows();
    }
    node->cursor = page.nextCursor;
    node->complete = page.nextCursor.isEmpty();
    // A page with nothing new (a sparse match) would leave the view with nothing to ask more
    // for: go on by ourselves, within bounds.
    if (added.empty() && !node->complete && emptyPagesLeft > 0)
        fetchPage(node, emptyPagesLeft - 1);
}

void KeysModel::removeKey(const QString &key)
{
    Node *node = m_root.get();
    QString rest = key;
    while (node) {
        const qsizetype colon = rest.indexOf(u':');
        const QString segment = colon >= 0 ? rest.left(colon + 1) : rest;
        Node *child = node->bySegment.value(segment);
        if (!child)
            return;
        if (colon < 0) {
            beginRemoveRows(indexOf(node), child->row, child->row);
            node->bySegment.remove(segment);
            node->children.erase(node->children.begin() + child->row);
            for (size_t i = 0; i < node->children.size(); ++i)
                node->children[i]->row = int(i);
            endRemoveRows();
            return;
        }
        node = child;
        rest = rest.mid(colon + 1);
    }
}

void KeysModel::refreshTtl(const QModelIndexList &rows)
{
    for (const QModelIndex &row : rows) {
        if (row.isValid() && row.model() == this && !nodeOf(row)->group) {
            const QModelIndex ttl = row.siblingAtColumn(TtlColumn);
            emit dataChanged(ttl, ttl, {Qt::DisplayRole, TtlMsRole});
        }
    }
}

QVariant KeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    const qint64 remaining = node->expiresAtMs - QDateTime::currentMSecsSinceEpoch();
    switch (role) {
    case KeyPathRole:
        return node->path;
    case IsGroupRole:
        return node->group;
    case TtlMsRole:
        return node->group || !node->expires ? kTtlNoExpiry : std::max<qint64>(0, remaining);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case KeyColumn:
        return node->segment;
    case TypeColumn:
        if (node->group)
            return tr("group");
        if (node->path.startsWith(QStringLiteral("tag:")))
            return tr("tag set");
        if (node->path.startsWith(QStringLiteral("lock:")))
            return tr("lock");
        return tr("value");
    case TtlColumn:
        if (node->group)
            return {};
        return node->expires ? formatTtl(remaining) : tr("no expiry");
    case SizeColumn:
        if (node->group)
            return {};
        return node->path.startsWith(QStringLiteral("tag:"))
                   ? tr("%n key(s)", nullptr, int(node->size))
                   : QLocale().formattedDataSize(node->size);
    case TagsColumn:
        return node->tags.join(QStringLiteral(", "));
    default:
        return {};
    }
}

QVariant KeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case TypeColumn:
        return tr("Type");
    case TtlColumn:
        return tr("TTL");
    case SizeColumn:
        return tr("Size");
    case TagsColumn:
        return tr("Tags");
    default:
        return {};
    }
}

}  // namespace kucun
