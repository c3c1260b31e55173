#pragma once

#include "hublink.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>

#include <functional>

class QNetworkReply;
class QTimer;
class QWebSocket;

namespace kucun {

// A hub running elsewhere, as a window sees it (SPEC §13): its HTTP API (§7) for the reads and
// changes, and its /api/stream for the telemetry the panels live on. Keeps the link up by
// itself: a lost link goes to Reconnecting (the panels keep the last data) and is tried again
// with backoff, 0.5 s doubling to 30 s; each new link says started() again so that the panels
// refill. A refused key or an untrusted certificate ends in Failed, with why.
//
// TLS: https:// is checked against the system's certificate authorities. A certificate that
// fails is refused, and certificateRefused() says why and hands it over, unless the user
// trusted exactly that certificate (its SHA-256 digest in Options::trustedCertificates).
//
// GUI thread.
class RemoteHub : public HubLink
{
    Q_OBJECT

public:
    struct Options
    {
        QUrl url;  // the hub's HTTP address: http[s]://host:port
        QByteArray key;  // HUB_ADMIN_KEY or HUB_VIEWER_KEY; empty: none (a loopback hub)
        // SHA-256 digests of certificates the user trusted for this hub, though they fail the
        // usual checks (a self-signed one).
        QList<QByteArray> trustedCertificates;
    };

    static constexpr int kFirstRetryMs = 500;
    static constexpr int kMaxRetryMs = 30000;
    // A link that has said nothing for this long is taken for lost (reports come every 100 ms).
    static constexpr int kSilenceMs = 5000;
    static constexpr int kMaxPageSize = 1000;  // the API's

    explicit RemoteHub(Options options, QObject *parent = nullptr);
    ~RemoteHub() override;

    // Attaches, and keeps attaching until stop().
    void start();
    void stop();
    const Options &options() const { return m_options; }
    // Trusts one more certificate (its SHA-256 digest) from now on; start() again to use it.
    void trustCertificate(const QByteArray &digest);
    // admin, viewer or local (a loopback hub without keys); empty until attached.
    QString role() const { return m_role; }
    // Why a plain http:// address deserves a warning (not loopback: keys and data go in the
    // clear); empty when it does not.
    static QString plainTextWarning(const QUrl &url);
    // What tells hubs apart: scheme, host and port (one box may run several), e.g.
    // "https://shop.example:3003".
    static QString hubAddress(const QUrl &url);
    // The SHA-256 digest by which a certificate is trusted.
    static QByteArray certificateDigest(const QSslCertificate &certificate);

    State state() const override { return m_state; }
    QString mode() const override { return m_mode; }
    QString failureReason() const override { return m_failureReason; }
    int clientCount() const override { return m_clientCount; }
    QUrl wsUrl() const override { return m_wsUrl; }
    int demoRate() const override { return m_demoRate; }
    DemoFaults demoFaults() const override { return m_demoFaults; }
    qint64 startedAtMs() const override { return m_startedAtMs; }
    QString remoteName() const override;
    QString keyNamespace() const override { return m_keyNamespace; }
    QString redisDescription() const override { return m_redis; }

    void keysPage(const QString &pattern, const QByteArray &cursor, int count, QObject *context,
                  Answer<KeyPage> done) override;
    void keyValue(const QString &key, QObject *context,
                  Answer<std::optional<QByteArray>> done) override;
    void tags(QObject *context, Answer<QList<TagCount>> done) override;
    void previewInvalidation(const Invalidation &what, int sample, QObject *context,
                             Answer<PatternMatch> done) override;
    void queryAudit(const AuditQuery &query, QObject *context,
                    Answer<QList<AuditRecord>> done) override;
    void queryAdminLog(qint64 beforeId, int limit, QObject *context,
                       Answer<QList<AdminAction>> done) override;
    void eventTrace(const QString &eventId, QObject *context,
                    Answer<std::optional<EventTrace>> done) override;

signals:
    // The TLS handshake failed on `certificate` for the reasons in `why`; the link is Failed.
    void certificateRefused(const QSslCertificate &certificate, const QString &why);

protected:
    void doInvalidate(const Invalidation &what, QObject *context, Answer<qint64> removed) override;
    void doDeleteKey(const QString &key, QObject *context, Answer<qint64> removed) override;
    void doSetKeyTtl(const QString &key, qint64 seconds, QObject *context,
                     Answer<bool> done) override;
    void doPublish(const QString &channel, const QByteArray &payload, QObject *context,
                   Answer<bool> done) override;
    void doDisconnectClient(const QString &clientId, QObject *context, Answer<bool> done) override;
    void doSetDemoRate(int operationsPerSecond) override;
    void doSetDemoFaults(const DemoFaults &faults, QObject *context, Answer<bool> done) override;

private:
    // An answer of the API: its status (0: no answer, `error` says why) and body.
    struct Reply
    {
        int status = 0;
        QJsonDocument body;
        QString error;
        // The API's message for a refusal, or the network's error.
        QString message() const;
    };
    using ReplyHandler = std::function<void(const Reply &)>;
    using Query = QList<QPair<QString, QString>>;

    // One call of the API; `handler` runs in this thread while `context` lives.
    void call(const QByteArray &method, const QString &path, const Query &query,
              const QByteArray &body, QObject *context, ReplyHandler handler);
    // A page of a log, newest first (`before`, `limit`), and the rows of its `member`.
    void callForPage(const QString &path, Query query, qint64 beforeId, int limit,
                     const QString &member, QObject *context, Answer<QJsonArray> done);
    QNetworkRequest request(QUrl url) const;
    // Ignores the TLS errors of `certificate` when the user trusted it; else reports them.
    bool trusted(const QList<QSslError> &errors);

    void connectStream();
    void openStream();
    void takeMessage(const QString &text);
    void takeHello(const QJsonObject &hello);
    void takeDemoFaults(const QJsonValue &json);
    void linkLost(const QString &why);
    void dropStream();
    void fail(const QString &why);
    void setState(State state);

    Options m_options;
    QNetworkAccessManager m_network;
    QWebSocket *m_stream = nullptr;  // a child
    QTimer *m_retry = nullptr;
    QTimer *m_silence = nullptr;
    int m_retryMs = kFirstRetryMs;
    quint64 m_attempt = 0;  // connectStream()'s, so that a late answer of an earlier one is known
    bool m_wanted = false;  // start() was called and not stop()
    State m_state = State::Stopped;
    QString m_failureReason;
    QString m_role;
    QString m_mode;
    QUrl m_wsUrl;
    QString m_keyNamespace = QStringLiteral("kucun");
    QString m_redis;
    qint64 m_startedAtMs = 0;
    int m_clientCount = 0;
    int m_demoRate = 0;
    DemoFaults m_demoFaults;
};

}  // namespace kucun
