#include "settingsarray.h"

#include <QSettings>

namespace kucun {

QList<QVariantMap> readSettingsArray(const QString &name, const QStringList &fields)
{
    QList<QVariantMap> rows;
    QSettings settings;
    const int count = settings.beginReadArray(name);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        QVariantMap row;
        for (const QString &field : fields)
            row.insert(field, settings.value(field));
        rows.append(row);
    }
    settings.endArray();
    return rows;
}

void writeSettingsArray(const QString &name, const QList<QVariantMap> &rows)
{
    QSettings settings;
    settings.remove(name);  // a shorter list leaves no rows of the longer one behind
    settings.beginWriteArray(name, int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        settings.setArrayIndex(i);
        for (auto it = rows[i].cbegin(); it != rows[i].cend(); ++it)
            settings.setValue(it.key(), it.value());
    }
    settings.endArray();
}

}  // namespace kucun
