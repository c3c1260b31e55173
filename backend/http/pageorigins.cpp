#include "pageorigins.h"

namespace kucun {

namespace {

QString originAt(QUrl url, const QString &host)
{
    url.setHost(host);
    return url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

}  // namespace

QStringList pageOrigins(const QUrl &serverUrl, const QList<QHostAddress> &localAddresses,
                        const QString &hostName)
{
    const QHostAddress bound(serverUrl.host());
    QStringList origins{originAt(serverUrl, serverUrl.host())};
    const bool everyAddress = bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6
                              || bound == QHostAddress::Any;
    if (bound.isLoopback() || everyAddress)
        origins.append(originAt(serverUrl, QStringLiteral("localhost")));
    if (everyAddress) {
        origins.removeFirst();  // no browser is ever at 0.0.0.0
        for (const QHostAddress &address : localAddresses) {
            // A link-local IPv6 address needs its zone, which an origin cannot carry.
            if (address.scopeId().isEmpty() && !address.isNull())
                origins.append(originAt(serverUrl, address.toString()));
        }
        if (!hostName.isEmpty())
            origins.append(originAt(serverUrl, hostName.toLower()));
    }
    origins.removeDuplicates();
    return origins;
}

}  // namespace kucun
