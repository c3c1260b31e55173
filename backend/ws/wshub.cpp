#include "wshub.h"

#include "core/jsonvalue.h"
#include "events/eventbus.h"
#include "wsframe.h"
#include "wstransport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

namespace kucun {

Q_LOGGING_CATEGORY(lcWs, "kucun.ws")

namespace {

// Wall-clock time: message timestamps, token expiry, what the GUI shows.
qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray encode(const QJsonObject &message)
{
    return textFrame(QJsonDocument(message).toJson(QJsonDocument::Compact));
}

WsTransport::Options transportOptions(const HubConfig &config, const WsHub::Limits &limits)
{
    WsTransport::Options options;
    options.host = config.wsHost;
    options.port = config.wsPort;
    options.allowedOrigins = config.allowedOrigins;
    options.anyOrigin = config.allowsAnyOrigin();
    options.maxMessageBytes = WsHub::kMaxMessageBytes;
    options.handshakeTimeout = limits.handshakeTimeout;
    options.maxHandshakes = limits.maxHandshakes;
    options.maxHandshakesPerAddress = limits.maxHandshakesPerAddress;
    options.queueLimit
        = config.jwtSecret.isEmpty() ? limits.maxQueuedBytes : limits.maxQueuedBytesUnauthenticated;
    // Pings are requests too (SPEC §6): the same rate answers them.
    options.pingsPerSecond = limits.requestsPerSecond;
    options.pingBurst = limits.burst;
    options.closeGrace = limits.closeGrace;
    options.qtSockets = config.wsQtSockets;
    if (config.tls.enabled())
        options.tls = config.tls.serverConfiguration();
    return options;
}

}  // namespace

WsHub::Limits WsHub::limitsFor(const HubConfig &config)
{
    Limits limits;
    limits.maxClients = config.wsMaxClients;
    limits.maxQueuedBytes = qint64(config.wsMaxQueueMb) * 1024 * 1024;
    limits.maxQueuedBytesUnauthenticated = qint64(config.wsUnauthQueueKb) * 1024;
    limits.handshakeTimeout = std::chrono::milliseconds(config.wsHandshakeTimeoutMs);
    limits.maxHandshakes = config.wsMaxHandshakes;
    limits.maxHandshakesPerAddress = config.wsMaxHandshakesPerAddress;
    limits.history.totalBytes = qint64(config.wsHistoryMaxMb) * 1024 * 1024;
    limits.history.maxChannels = config.wsMaxChannels;
    return limits;
}

WsHub::WsHub(const HubConfig &config, const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_limits(limits)
    , m_verifier(config.jwtSecret)
    , m_transport(new WsTransport(transportOptions(config, limits), this))
    , m_wheel(tickFor(limits).count())
    , m_ticker(new QTimer(this))
{
    connect(m_transport, &WsTransport::connected, this, &WsHub::connectionOpened);
    connect(m_transport, &WsTransport::disconnected, this, &WsHub::forgetClient);
    connect(m_transport, &WsTransport::messageReceived, this, &WsHub::handleRequest);
    connect(m_transport, &WsTransport::queueOverflow, this, &WsHub::cutSlowConsumer);
    connect(m_transport, &WsTransport::pongReceived, this, [this](WsConnection *connection) {
        if (const auto it = m_clients.find(connection); it != m_clients.end()) {
            it->pingSentAtMs = 0;
            // Its visit was at the pong's deadline; the next ping may be due before that.
            m_wheel.scheduleBy(connection, nextVisit(*it, m_clock.elapsed(), wallMs()));
        }
    });
    connect(m_transport, &WsTransport::flushed, this, &WsHub::observeWriteLatency);
    connect(m_ticker, &QTimer::timeout, this, &WsHub::tick);
    m_clock.start();
    m_channels.setHistoryLimits(limits.history);
    m_ticker->start(int(m_wheel.bucketMs()));
}

WsHub::~WsHub()
{
    // The transport is a child and goes after us: no report of it may reach a half-destroyed hub.
    m_transport->disconnect(this);
    // Nor a stamped message: the shared history may outlive the hub.
    if (m_shared)
        m_shared->setReceiver({});
}

std::optional<QString> WsHub::listen()
{
    return m_transport->listen();
}

QUrl WsHub::serverUrl() const
{
    return m_transport->serverUrl();
}

void WsHub::connectionOpened(WsConnection *connection)
{
    if (m_draining) {
        m_transport->close(connection, QWebSocketProtocol::CloseCodeGoingAway,
                           QStringLiteral("hub stopping"));
    } else if (m_clients.size() >= m_limits.maxClients) {
        qCWarning(lcWs) << "refused a client: the hub has" << m_clients.size() << "clients";
        m_transport->close(
            connection, kCloseHubFull,
            QStringLiteral("the hub has its maximum of %1 clients").arg(m_limits.maxClients));
    } else {
        accept(connection);
    }
}

void WsHub::accept(WsConnection *connection)
{
    const qint64 now = m_clock.elapsed();
    WsClient client;
    client.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    client.address = connection->peerAddress().toString();
    client.origin = connection->origin();
    client.connectedAtMs = now;
    client.connectedSinceMs = wallMs();
    client.tokens = m_limits.burst;
    client.refilledAtMs = now;
    // The first ping comes between half an interval and an interval from now, so clients that
    // connect together (a reconnect burst) are not pinged together ever after.
    const qint64 interval = m_limits.heartbeatInterval.count();
    client.nextPingAtMs
        = now + interval
          - qint64(QRandomGenerator::global()->bounded(double(std::max<qint64>(interval / 2, 1))));
    const QString clientId = client.id;
    WsClient &entry = *m_clients.insert(connection, client);
    m_wheel.schedule(connection, nextVisit(entry, now, wallMs()));
    m_connectionsById.insert(clientId, connection);
    qCDebug(lcWs) << "client" << clientId << "connected from" << entry.address;
    emit clientConnected(clientId);

    // A token in the URL is checked before anything else is said: a bad one closes at once.
    const QString token
        = QUrlQuery(connection->requestUrl()).queryItemValue(QStringLiteral("token"));
    if (authRequired() && !token.isEmpty()) {
        auto verified = m_verifier.verify(token.toUtf8(), wallMs());
        if (const QString *why = std::get_if<QString>(&verified)) {
            cut(connection, kCloseUnauthorized, *why);
            return;
        }
        grant(connection, entry, std::get<ClientGrant>(std::move(verified)));
    }
    const qint64 heartbeatSeconds = (m_limits.heartbeatInterval.count() + 999) / 1000;
    send(connection, entry,
         encode({{QStringLiteral("type"), QStringLiteral("welcome")},
                 {QStringLiteral("clientId"), clientId},
                 {QStringLiteral("protocol"), kProtocolVersion},
                 {QStringLiteral("heartbeat"), heartbeatSeconds}}));
}

void WsHub::grant(WsConnection *connection, WsClient &client, ClientGrant checked)
{
    client.grant = std::move(checked);
    // Its expiry may come before the visit it has.
    const qint64 now = m_clock.elapsed();
    m_wheel.scheduleBy(connection, nextVisit(client, now, wallMs()));
    // A client with a token may fall as far behind as any (WS_MAX_QUEUE_MB).
    m_transport->setQueueLimit(connection, m_limits.maxQueuedBytes);
}

void WsHub::forgetClient(WsConnection *connection)
{
    m_channels.forget(connection);
    m_wheel.forget(connection);
    m_held.remove(connection);
    const QString clientId = m_clients.take(connection).id;  // empty for one refused at the door
    m_connectionsById.remove(clientId);
    if (!clientId.isEmpty()) {
        qCDebug(lcWs) << "client" << clientId << "disconnected";
        emit clientDisconnected(clientId);
    }
    finishDrainIfEmpty();
}

void WsHub::cut(WsConnection *connection, QWebSocketProtocol::CloseCode code, const QString &reason)
{
    const auto client = m_clients.find(connection);
    if (client == m_clients.end() || client->closing)
        return;
    client->closing = true;
    m_channels.forget(connection);
    qCInfo(lcWs).noquote() << "closing client" << client->id << "with" << int(code) << reason;
    m_transport->close(connection, code, reason);  // after what was queued
}

void WsHub::cutSlowConsumer(WsConnection *connection)
{
    const auto client = m_clients.find(connection);
    if (client == m_clients.end())
        return;
    const qint64 limit = authRequired() && !client->grant ? m_limits.maxQueuedBytesUnauthenticated
                                                          : m_limits.maxQueuedBytes;
    cut(connection, QWebSocketProtocol::CloseCodePolicyViolated,
        QStringLiteral("slow consumer: more than %1 bytes queued").arg(limit));
}

bool WsHub::disconnectClient(const QString &clientId)
{
    WsConnection *connection = m_connectionsById.value(clientId);
    // A client being closed already is as good as gone: it is not cut twice.
    const auto client = m_clients.constFind(connection);
    if (!connection || client == m_clients.constEnd() || client->closing)
        return false;
    cut(connection, kCloseByAdministrator, QStringLiteral("disconnected by the administrator"));
    return true;
}

std::chrono::milliseconds WsHub::tickFor(const Limits &limits)
{
    // A tick visits only the clients due (heartbeatwheel.h), so it may be short: a missed pong,
    // an expired token or a late auth is seen within an eighth of the shortest of those
    // intervals, and within 250 ms with the defaults, which also spreads a burst's pings finely.
    const auto shortest = std::min({limits.heartbeatInterval, limits.pongTimeout,
                                    limits.authTimeout, std::chrono::milliseconds(2000)});
    return std::max(shortest / 8, std::chrono::milliseconds(5));
}

void WsHub::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 wallNow = wallMs();
    for (WsConnection *connection : m_wheel.takeDue(now)) {
        // A client cut since its visit was scheduled has gone, or is going, by itself.
        if (const auto client = m_clients.find(connection);
            client != m_clients.end() && !client->closing)
            visit(connection, *client, now, wallNow);
    }
    if (now - m_prunedAtMs >= 1000) {
        m_prunedAtMs = now;
        m_channels.prune(wallNow);
    }
}

void WsHub::visit(WsConnection *connection, WsClient &client, qint64 now, qint64 wallNow)
{
    if (client.pingSentAtMs != 0 && now - client.pingSentAtMs >= m_limits.pongTimeout.count()) {
        // A peer that does not answer pings would not answer a close either.
        qCInfo(lcWs) << "client" << client.id << "did not answer a ping: dropped";
        client.closing = true;
        m_channels.forget(connection);
        m_transport->abort(connection);
        return;
    }
    if (authRequired() && !client.grant
        && now - client.connectedAtMs >= m_limits.authTimeout.count()) {
        cut(connection, kCloseUnauthorized,
            QStringLiteral("no token within %1 ms").arg(m_limits.authTimeout.count()));
        return;
    }
    if (client.grant && wallNow >= client.grant->expiresAtMs) {
        cut(connection, kCloseUnauthorized, QStringLiteral("the token has expired"));
        return;
    }
    if (client.pingSentAtMs == 0 && now >= client.nextPingAtMs) {
        client.pingSentAtMs = now;
        client.nextPingAtMs = now + m_limits.heartbeatInterval.count();
        m_transport->ping(connection);
    }
    m_wheel.schedule(connection, nextVisit(client, now, wallNow));
}

qint64 WsHub::nextVisit(const WsClient &client, qint64 now, qint64 wallNow) const
{
    // A pong is awaited, or the next ping is due; every client is visited at least that often,
    // which also notices an expiry that a step of the wall clock brought nearer.
    qint64 at = client.pingSentAtMs != 0 ? client.pingSentAtMs + m_limits.pongTimeout.count()
                                         : client.nextPingAtMs;
    if (authRequired() && !client.grant)
        at = std::min(at, client.connectedAtMs + m_limits.authTimeout.count());
    if (client.grant)
        at = std::min(at, now + std::max<qint64>(client.grant->expiresAtMs - wallNow, 0));
    return at;
}

void WsHub::setSharedHistory(SharedHistory *shared)
{
    m_shared = shared;
    if (!shared)
        return;
    shared->setReceiver([this](const SharedMessage &message) { deliverShared(message); });
    connect(shared, &SharedHistory::activeChanged, this, [this](bool active) {
        if (!active)
            leaveSharedStreams();
    });
}

bool WsHub::sharesHistory() const
{
    return m_shared && m_shared->active();
}

void WsHub::deliverToChannel(const QString &channel, const QJsonValue &data)
{
    deliverTraced(channel, data, {}, {});
}

void WsHub::deliverKeyed(const QString &channel, const QJsonValue &data, const QString &key)
{
    deliverTraced(channel, data, key, {});
}

void WsHub::deliverTraced(const QString &channel, const QJsonValue &data, const QString &key,
                          DeliveryReport report)
{
    if (sharesHistory()) {
        // Every hub routes the same events and hears the same ws:<channel> messages: on a
        // shared stream one of them stamps it, and each delivers what Redis then publishes. An
        // event every hub handles, some of them perhaps much later (each reads the reliable
        // stream at its own pace), is stamped by the first, and the rest find its key taken.
        if (key.isEmpty())
            m_shared->ingest(channel, jsonValueText(data), wallMs());
        else
            m_shared->stampOnce(channel, jsonValueText(data), wallMs(), key);
        if (report) {
            ChannelDelivery shared;
            shared.known = true;
            shared.shared = true;
            report(shared);
        }
        return;
    }
    if (!report) {
        deliver(channel, jsonValueText(data));
        return;
    }
    ChannelDelivery delivery = deliverNoting(channel, jsonValueText(data));
    if (delivery.written == 0)
        report(delivery);  // nothing to wait for
    else
        m_pendingReports.emplace_back(std::move(report), std::move(delivery));
}

ChannelDelivery WsHub::deliverNoting(const QString &channel, const QByteArray &dataText)
{
    const ChannelRegistry::Message message = m_channels.stamp(channel, dataText, wallMs());
    ChannelDelivery delivery;
    delivery.known = true;
    delivery.offset = message.offset;
    const auto skip = [&delivery](const WsClient &client, const QString &why) {
        if (delivery.skipped.size() < ChannelDelivery::kMaxNamed)
            delivery.skipped.append({client.id, why});
        ++delivery.skippedCount;
    };
    qint64 subscribed = 0;
    for (WsConnection *connection : message.subscribers) {
        const auto client = m_clients.find(connection);
        if (client == m_clients.end())
            continue;
        ++subscribed;
        if (!send(connection, *client, message.frame)) {
            skip(*client, QStringLiteral("closing"));
        } else if (client->closing) {
            // This message took its queue over the limit: it goes before the close frame, to
            // a client that is not reading.
            skip(*client, QStringLiteral("cut as a slow consumer"));
        } else {
            if (delivery.writtenTo.size() < ChannelDelivery::kMaxNamed)
                delivery.writtenTo.append(client->id);
            ++delivery.written;
        }
    }
    delivery.notSubscribed = std::max<qint64>(0, qint64(m_clients.size()) - subscribed);
    if (!message.subscribers.isEmpty())
        timeDelivery();
    return delivery;
}

qint64 WsHub::deliver(const QString &channel, const QByteArray &dataText)
{
    const ChannelRegistry::Message message = m_channels.stamp(channel, dataText, wallMs());
    sendToEach(message.subscribers, message.frame);
    if (!message.subscribers.isEmpty())
        timeDelivery();
    return message.offset;
}

void WsHub::deliverShared(const SharedMessage &message)
{
    const ChannelRegistry::SharedDelivery delivery = m_channels.deliverShared(message);
    sendToEach(delivery.noticed, delivery.notice);  // before the message itself
    sendToEach(delivery.subscribers, delivery.frame);
    if (!delivery.subscribers.isEmpty())
        timeDelivery();
}

void WsHub::leaveSharedStreams()
{
    const QList<ChannelRegistry::Notice> notices = m_channels.leaveShared();
    if (!notices.isEmpty()) {
        qCInfo(lcWs) << "Redis is away:" << notices.size()
                     << "subscribed channel(s) go on with a local epoch";
    }
    for (const ChannelRegistry::Notice &notice : notices)
        sendToEach(notice.subscribers, notice.frame);
}

void WsHub::timeDelivery()
{
    // Timed from here to the write that hands it to the sockets, at the end of this turn.
    if (m_latencyStarts.size() < kMaxTimedPerTurn)
        m_latencyStarts.append(m_clock.nsecsElapsed());
}

void WsHub::observeWriteLatency()
{
    const qint64 now = m_clock.nsecsElapsed();
    for (const qint64 start : std::as_const(m_latencyStarts))
        m_writeLatency.observe(double(now - start) / 1e9);
    m_latencyStarts.clear();
    if (m_pendingReports.empty())
        return;
    const auto writtenAt = std::chrono::steady_clock::now();
    std::vector<std::pair<DeliveryReport, ChannelDelivery>> reports;
    reports.swap(m_pendingReports);  // a report may lead to more deliveries
    for (auto &[report, delivery] : reports) {
        delivery.lastWriteAt = writtenAt;
        report(delivery);
    }
}

const QHash<quint16, qint64> &WsHub::closesByCode() const
{
    return m_transport->closesByCode();
}

void WsHub::allowOrigins(const QStringList &origins)
{
    m_transport->allowOrigins(origins);
}

bool WsHub::send(WsConnection *connection, WsClient &client, const QByteArray &frame)
{
    if (client.closing || !m_transport->queue(connection, frame))
        return false;  // nothing may follow the close frame; the peer may be gone already
    ++client.messagesOut;
    ++m_deliveriesTotal;
    return true;
}

void WsHub::reply(WsConnection *connection, WsClient &client, QJsonObject message,
                  const QJsonValue &requestId)
{
    if (!requestId.isUndefined())
        message.insert(QStringLiteral("id"), requestId);  // a reply echoes the request's id
    send(connection, client, encode(message));
}

void WsHub::replyError(WsConnection *connection, WsClient &client, const QString &code,
                       const QString &message, const QJsonValue &requestId)
{
    reply(connection, client,
          {{QStringLiteral("type"), QStringLiteral("error")},
           {QStringLiteral("code"), code},
           {QStringLiteral("message"), message}},
          requestId);
}

void WsHub::closeAll(std::chrono::milliseconds grace)
{
    if (m_draining)
        return;
    m_draining = true;
    m_transport->stopListening();
    m_drainDeadline = new QTimer(this);
    m_drainDeadline->setSingleShot(true);
    connect(m_drainDeadline, &QTimer::timeout, this, [this] {
        qCWarning(lcWs) << m_clients.size() << "client(s) did not close in time";
        for (WsConnection *connection : m_clients.keys())
            m_transport->abort(connection);
        m_clients.clear();
        m_connectionsById.clear();
        emit drained();
    });
    m_drainDeadline->start(grace);

    m_transport->flushAll();  // what was queued goes before the close frames
    for (auto it = m_clients.begin(); it != m_clients.end(); ++it) {
        it->closing = true;
        m_channels.forget(it.key());
    }
    const QList<WsConnection *> connections = m_clients.keys();
    for (WsConnection *connection : connections) {
        m_transport->close(connection, QWebSocketProtocol::CloseCodeGoingAway,
                           QStringLiteral("hub stopping"));
    }
    finishDrainIfEmpty();
}

void WsHub::finishDrainIfEmpty()
{
    if (!m_draining || !m_clients.isEmpty() || !m_drainDeadline->isActive())
        return;
    m_drainDeadline->stop();
    emit drained();
}

QList<WsClientInfo> WsHub::clientInfos() const
{
    QList<WsClientInfo> infos;
    infos.reserve(m_clients.size());
    for (auto it = m_clients.constBegin(); it != m_clients.constEnd(); ++it) {
        QStringList subscriptions = m_channels.channelsOf(it.key());
        subscriptions.sort();
        WsClientInfo info;
        info.id = it->id;
        info.address = it->address;
        info.origin = it->origin;
        info.subject = it->grant ? it->grant->subject : QString();
        info.subscriptions = subscriptions;
        info.messagesIn = it->messagesIn;
        info.messagesOut = it->messagesOut;
        info.queuedBytes = m_transport->queuedBytes(it.key());
        info.connectedSinceMs = it->connectedSinceMs;
        infos.append(info);
    }
    return infos;
}

QList<ChannelRegistry::ChannelInfo> WsHub::channelInfos() const
{
    return m_channels.snapshot(wallMs());
}

}  // namespace kucun
