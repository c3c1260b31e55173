#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace kucun {

// Lists the window keeps in the user's settings (saved hubs, trusted certificates) as INI arrays
// of plain strings, which a person can read and mend in the file, unlike a serialised QVariant.
// Each row holds `fields`; a missing field reads as empty.
QList<QVariantMap> readSettingsArray(const QString &name, const QStringList &fields);
void writeSettingsArray(const QString &name, const QList<QVariantMap> &rows);

}  // namespace kucun
