#include "cachekey.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace kucun {

QString buildCacheKey(const QString &prefix, const QJsonObject &params)
{
    // QJsonObject keeps its keys sorted, at every depth, so its compact form is already the
    // canonical one the key needs.
    const QByteArray canonical = QJsonDocument(params).toJson(QJsonDocument::Compact);
    const QByteArray digest = QCryptographicHash::hash(canonical, QCryptographicHash::Sha1);
    return prefix + u':' + QString::fromLatin1(digest.toHex().left(16));
}

}  // namespace kucun
