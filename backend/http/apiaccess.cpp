#include "apiaccess.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

#include <algorithm>

namespace kucun {

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace {

constexpr qint64 kFailureLogIntervalMs = 60'000;
constexpr qsizetype kMaxRememberedPeers = 4096;

QByteArray digestOf(const QByteArray &key)
{
    return key.isEmpty() ? QByteArray() : QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

// Both are SHA-256 digests, so their lengths say nothing about the keys; every byte is looked
// at whatever the first difference.
bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

}  // namespace

ApiAccess::ApiAccess(QByteArray adminKey, QByteArray viewerKey, int writesPerSecond)
    : m_adminDigest(digestOf(adminKey))
    , m_viewerDigest(digestOf(viewerKey))
    , m_writesPerSecond(writesPerSecond)
{
}

QString ApiAccess::roleName(Role role)
{
    return role == Role::Admin ? QStringLiteral("admin") : QStringLiteral("viewer");
}

ApiAccess::Decision ApiAccess::authorize(const HttpRequest &request, const QHostAddress &peer,
                                         bool write, qint64 nowMs)
{
    Decision decision;
    QByteArray credential;
    if (m_adminDigest.isEmpty()) {
        if (!peer.isLoopback()) {
            decision.status = 403;
            decision.code = QStringLiteral("forbidden");
            decision.message
                = QStringLiteral("no HUB_ADMIN_KEY is set: the API answers loopback clients only");
            return decision;
        }
        decision.role = Role::Admin;
        credential = QByteArrayLiteral("loopback");
    } else {
        const QByteArray authorization = request.header("authorization");
        const QByteArray scheme = authorization.left(7);
        const QByteArray presented = scheme.compare("Bearer ", Qt::CaseInsensitive) == 0
                                         ? authorization.mid(7).trimmed()
                                         : QByteArray();
        const QByteArray digest = digestOf(presented);
        if (sameDigest(digest, m_adminDigest)) {
            decision.role = Role::Admin;
        } else if (sameDigest(digest, m_viewerDigest)) {
            decision.role = Role::Viewer;
        } else {
            noteFailure(peer, nowMs);
            decision.status = 401;
            decision.code = QStringLiteral("unauthorized");
            decision.message = presented.isEmpty()
                                   ? QStringLiteral("this call needs Authorization: Bearer <key>")
                                   : QStringLiteral("the key is not valid");
            return decision;
        }
        credential = roleName(*decision.role).toLatin1();
    }
    if (write && decision.role == Role::Viewer) {
        decision.role.reset();
        decision.status = 403;
        decision.code = QStringLiteral("forbidden");
        decision.message = QStringLiteral("the viewer key may only read");
        return decision;
    }
    if (write && !takeWriteToken(credential, nowMs)) {
        decision.role.reset();
        decision.status = 429;
        decision.code = QStringLiteral("rate_limited");
        decision.message
            = QStringLiteral("more than %1 writes per second with this key (HTTP_RATE_LIMIT)")
                  .arg(m_writesPerSecond);
        return decision;
    }
    return decision;
}

bool ApiAccess::takeWriteToken(const QByteArray &credential, qint64 nowMs)
{
    if (m_writesPerSecond <= 0)
        return true;
    // A second's worth at once; refilled continuously.
    const double burst = m_writesPerSecond;
    Bucket &bucket = m_buckets[credential];
    if (bucket.refilledAtMs < 0)
        bucket.tokens = burst;
    else
        bucket.tokens = std::min(
            burst,
            bucket.tokens + double(nowMs - bucket.refilledAtMs) * m_writesPerSecond / 1000.0);
    bucket.refilledAtMs = nowMs;
    if (bucket.tokens < 1)
        return false;
    bucket.tokens -= 1;
    return true;
}

void ApiAccess::noteFailure(const QHostAddress &peer, qint64 nowMs)
{
    ++m_authFailures;
    const QString address = peer.toString();
    const auto last = m_failureLoggedAt.constFind(address);
    if (last != m_failureLoggedAt.constEnd() && nowMs - *last < kFailureLogIntervalMs)
        return;
    if (m_failureLoggedAt.size() >= kMaxRememberedPeers) {
        m_failureLoggedAt.removeIf(
            [nowMs](const auto &entry) { return nowMs - entry.value() >= kFailureLogIntervalMs; });
    }
    if (m_failureLoggedAt.size() >= kMaxRememberedPeers)
        return;  // thousands of peers guessing within a minute: the counter says it
    m_failureLoggedAt.insert(address, nowMs);
    qCWarning(lcHttp).noquote() << "refused an API call from" << address
                                << "with a missing or wrong key (logged once a minute per peer;"
                                << m_authFailures << "so far)";
}

}  // namespace kucun
