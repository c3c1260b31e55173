#pragma once

#include "core/throttledlog.h"
#include "httprequestparser.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QString>

#include <optional>

namespace kucun {

// Who may call the server API (SPEC §7, §13). With HUB_ADMIN_KEY set every /api/ call needs
// `Authorization: Bearer <key>`: the admin key for everything, the viewer key for reads. With
// no key set, loopback peers may do everything and nobody else anything. Keys are compared in
// constant time; a wrong key is counted and logged at most once per peer and minute, never
// shown. Writes are limited per credential (a token bucket). Engine thread.
class ApiAccess
{
public:
    enum class Role { Viewer, Admin };

    struct Decision
    {
        std::optional<Role> role;  // empty: refused with status/code/message
        int status = 0;
        QString code;
        QString message;
    };

    // `writesPerSecond` 0: no limit.
    ApiAccess(QByteArray adminKey, QByteArray viewerKey, int writesPerSecond);

    Decision authorize(const HttpRequest &request, const QHostAddress &peer, bool write,
                       qint64 nowMs);
    // False: no keys, loopback callers may do everything.
    bool keysConfigured() const { return !m_adminDigest.isEmpty(); }
    // Wrong or missing keys since the start.
    qint64 authFailures() const { return m_authFailures; }
    static QString roleName(Role role);

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 refilledAtMs = -1;
    };
    bool takeWriteToken(const QByteArray &credential, qint64 nowMs);
    void noteFailure(const QHostAddress &peer, qint64 nowMs);

    const QByteArray m_adminDigest;  // SHA-256 of the key, empty when none is set
    const QByteArray m_viewerDigest;
    const int m_writesPerSecond;
    QHash<QByteArray, Bucket> m_buckets;  // by credential: admin, viewer, loopback
    QHash<QString, qint64> m_failureLoggedAt;  // per peer address, pruned as it grows
    qint64 m_authFailures = 0;
};

}  // namespace kucun
