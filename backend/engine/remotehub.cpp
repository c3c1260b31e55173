// The link to a remote hub: attaching, the telemetry stream, losing and regaining the link.
// The API calls the panels make are in remotehubcalls.cpp.
#include "remotehub.h"

#include "telemetrycodec.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <utility>

namespace kucun {

namespace {

// What one message of the stream may hold: a report with 100 000 clients fits.
constexpr qint64 kMaxStreamMessageBytes = 64 * 1024 * 1024;

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

}  // namespace

RemoteHub::RemoteHub(Options options, QObject *parent)
    : HubLink(parent)
    , m_options(std::move(options))
    , m_retry(new QTimer(this))
    , m_silence(new QTimer(this))
{
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &RemoteHub::connectStream);
    m_silence->setSingleShot(true);
    m_silence->setInterval(kSilenceMs);
    connect(m_silence, &QTimer::timeout, this,
            [this] { linkLost(tr("the hub has said nothing for %1 s").arg(kSilenceMs / 1000)); });
    // The API's answers are live state; nothing is to be kept between calls.
    m_network.setCookieJar(nullptr);
}

RemoteHub::~RemoteHub()
{
    m_wanted = false;
    dropStream();  // its end must not reach a hub half gone
}

QString RemoteHub::remoteName() const
{
    return m_options.url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

QString RemoteHub::plainTextWarning(const QUrl &url)
{
    if (url.scheme() != u"http" || isLoopbackHost(url.host()))
        return {};
    return tr("%1 is plain http:// on another machine: the key and everything the hub shows "
              "cross the network unencrypted. Give the hub HUB_TLS_CERT and HUB_TLS_KEY and "
              "attach with https://.")
        .arg(url.toString(QUrl::RemoveUserInfo));
}

QString RemoteHub::hubAddress(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                  | QUrl::RemoveUserInfo)
        .toString();
}

QByteArray RemoteHub::certificateDigest(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256).toHex();
}

void RemoteHub::trustCertificate(const QByteArray &digest)
{
    if (!m_options.trustedCertificates.contains(digest))
        m_options.trustedCertificates.append(digest);
}

void RemoteHub::start()
{
    if (m_wanted)
        return;
    m_wanted = true;
    m_retry->stop();
    m_retryMs = kFirstRetryMs;
    m_failureReason.clear();
    setState(State::Starting);
    connectStream();
}

void RemoteHub::stop()
{
    m_wanted = false;
    ++m_attempt;
    m_retry->stop();
    m_silence->stop();
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->close();  // a close frame: the hub drops this window at once
        m_stream->deleteLater();
        m_stream = nullptr;
    }
    setState(State::Stopped);
}

QNetworkRequest RemoteHub::request(QUrl url) const
{
    QNetworkRequest request(url);
    if (!m_options.key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_options.key);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(30000);
    return request;
}

bool RemoteHub::trusted(const QList<QSslError> &errors)
{
    QStringList why;
    QSslCertificate refused;
    for (const QSslError &error : errors) {
        if (!error.certificate().isNull()
            && m_options.trustedCertificates.contains(certificateDigest(error.certificate())))
            continue;
        why << error.errorString();
        if (refused.isNull())
            refused = error.certificate();
    }
    if (why.isEmpty())
        return true;
    if (m_state == State::Failed)
        return false;  // said once already, by an earlier call
    why.removeDuplicates();
    const QString reasons = why.join(QStringLiteral("; "));
    fail(tr("the certificate of %1 is not trusted: %2").arg(m_options.url.host(), reasons));
    emit certificateRefused(refused, reasons);
    return false;
}

void RemoteHub::connectStream()
{
    if (!m_wanted)
        return;
    // One attempt at a time: whatever an earlier one left (a socket, a call on its way) is
    // dropped, and its answers are known by their number and ignored.
    m_retry->stop();
    dropStream();
    const quint64 attempt = ++m_attempt;
    // The key and the certificate are checked by a plain call first: a refusal there has a
    // status and a message, where a refused WebSocket handshake has neither.
    call("GET", QStringLiteral("/api/stats"), {}, {}, this, [this, attempt](const Reply &reply) {
        if (attempt != m_attempt || !m_wanted)
            return;
        if (reply.status == 401 || reply.status == 403) {
            fail(tr("the hub refused the key: %1").arg(reply.message()));
            return;
        }
        if (reply.status != 200) {
            linkLost(reply.message());
            return;
        }
        openStream();
    });
}

void RemoteHub::openStream()
{
    QUrl streamUrl = m_options.url;
    streamUrl.setScheme(m_options.url.scheme() == u"https" ? QStringLiteral("wss")
                                                           : QStringLiteral("ws"));
    streamUrl.setPath(QStringLiteral("/api/stream"));
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_stream = socket;
    socket->setMaxAllowedIncomingMessageSize(kMaxStreamMessageBytes);
    // dropStream() disconnects a socket it drops: these hear only the current one.
    connect(socket, &QWebSocket::textMessageReceived, this, &RemoteHub::takeMessage);
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        const QString reason = socket->closeReason();
        // Inside the socket's own signal: it is let go, not aborted again.
        socket->disconnect(this);
        socket->deleteLater();
        m_stream = nullptr;
        linkLost(reason.isEmpty() ? tr("the hub closed the link") : reason);
    });
    connect(socket, &QWebSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        if (trusted(errors))
            socket->ignoreSslErrors();
    });
    socket->open(request(streamUrl));
    m_silence->start();
}

void RemoteHub::takeMessage(const QString &text)
{
    m_silence->start();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    const QJsonObject message = document.object();
    const QString type = message.value(QStringLiteral("type")).toString();
    if (type == u"hello") {
        takeHello(message);
        return;
    }
    if (type != u"telemetry" || m_state != State::Running)
        return;  // a later version's message, or a garbled one: nothing to show
    const auto report = std::make_shared<const EngineTelemetry>(TelemetryCodec::decode(message));
    if (report->mode != m_mode && !report->mode.isEmpty()) {
        m_mode = report->mode;
        emit modeChanged(m_mode);
    }
    if (report->wsClientCount != m_clientCount) {
        m_clientCount = report->wsClientCount;
        emit clientCountChanged(m_clientCount);
    }
    const int demoRate = int(message.value(QStringLiteral("demoRate")).toInteger(m_demoRate));
    if (demoRate != m_demoRate) {
        m_demoRate = demoRate;
        emit demoRateChanged(demoRate);
    }
    takeDemoFaults(message.value(QStringLiteral("demoFaults")));
    emit telemetry(report);
}

void RemoteHub::takeDemoFaults(const QJsonValue &json)
{
    // A hub of an older version says nothing of faults: none. One of a newer version may name
    // faults this window does not know: it shows the ones it does.
    QJsonObject known = json.toObject();
    const QJsonObject names = DemoFaults().toJson();
    for (const QString &name : known.keys()) {
        if (!names.contains(name))
            known.remove(name);
    }
    const Result<DemoFaults> faults = DemoFaults::fromJson(known);
    if (!faults || faults.value() == m_demoFaults)
        return;
    m_demoFaults = faults.value();
    emit demoFaultsChanged(m_demoFaults);
}

void RemoteHub::takeHello(const QJsonObject &hello)
{
    m_role = hello.value(QStringLiteral("role")).toString();
    m_mode = hello.value(QStringLiteral("mode")).toString();
    m_keyNamespace = hello.value(QStringLiteral("namespace")).toString(QStringLiteral("kucun"));
    m_redis = hello.value(QStringLiteral("redis")).toString();
    m_startedAtMs = hello.value(QStringLiteral("startedAtMs")).toInteger();
    m_demoRate = int(hello.value(QStringLiteral("demoRate")).toInteger());
    takeDemoFaults(hello.value(QStringLiteral("demoFaults")));
    // A hub bound to every address names 0.0.0.0: its clients reach it where this window does.
    m_wsUrl = QUrl(hello.value(QStringLiteral("webSocketUrl")).toString());
    const QHostAddress wsHost(m_wsUrl.host());
    if (!wsHost.isNull() && (wsHost == QHostAddress::AnyIPv4 || wsHost == QHostAddress::AnyIPv6))
        m_wsUrl.setHost(m_options.url.host());
    // The viewer key makes the link read-only; another role lifts only that, never the
    // window's own --read-only.
    setRoleReadOnly(m_role == u"viewer"
                        ? tr("attached with the viewer key, which may look but not change anything")
                        : QString());
    m_retry->stop();
    m_retryMs = kFirstRetryMs;
    m_failureReason.clear();
    setState(State::Running);
    emit started(m_wsUrl, m_mode);
    emit demoRateChanged(m_demoRate);
}

void RemoteHub::linkLost(const QString &why)
{
    ++m_attempt;
    m_silence->stop();
    dropStream();
    if (!m_wanted || m_state == State::Failed)
        return;
    m_failureReason = why;
    const bool changed = m_state != State::Reconnecting;
    // ±20 % so that windows cut at once by a restarting hub do not come back in step.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    m_retry->start(int(m_retryMs * jitter));
    m_retryMs = std::min(m_retryMs * 2, kMaxRetryMs);
    if (changed)
        setState(State::Reconnecting);
    else
        emit stateChanged(m_state);  // the reason changed
}

void RemoteHub::fail(const QString &why)
{
    m_wanted = false;
    ++m_attempt;
    m_retry->stop();
    m_silence->stop();
    dropStream();
    m_failureReason = why;
    setState(State::Failed);
}

void RemoteHub::dropStream()
{
    if (!m_stream)
        return;
    // Unparented: the socket goes by its deleteLater() alone, never in the middle of one of its
    // own signals when this hub is deleted from it.
    QWebSocket *socket = std::exchange(m_stream, nullptr);
    socket->disconnect(this);
    socket->setParent(nullptr);
    socket->abort();
    socket->deleteLater();
}

void RemoteHub::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

}  // namespace kucun
