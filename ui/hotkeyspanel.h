#pragma once

#include "cache/keyaccesssketch.h"

#include <QWidget>

class QBarSet;
class QLabel;
class QTableView;

namespace kucun {

class HotKeysModel;
class KeySegmentsModel;

// The Hot keys panel (SPEC §12): what the site's Redis clients do with their keys on the
// Redis-protocol front — the keys used most (reads, hit rate, misses, writes, loads, idle time),
// the hit rate per first key segment, and how long the TTLs written are.
class HotKeysPanel : public QWidget
{
    Q_OBJECT

public:
    explicit HotKeysPanel(QWidget *parent = nullptr);

    // A fresh snapshot, or null when the front is off.
    void showSnapshot(const KeyAccessSketch::Snapshot *snapshot);

    QTableView *keysView() const { return m_keysView; }
    QTableView *segmentsView() const { return m_segmentsView; }
    QString summaryText() const;
    // Writes per TTL bucket as the chart shows them (none, < 1 min, …).
    QList<qreal> ttlBars() const;

private:
    HotKeysModel *m_keys = nullptr;
    KeySegmentsModel *m_segments = nullptr;
    QTableView *m_keysView = nullptr;
    QTableView *m_segmentsView = nullptr;
    QLabel *m_summary = nullptr;
    QBarSet *m_ttls = nullptr;
};

}  // namespace kucun
