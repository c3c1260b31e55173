#pragma once

// A WebSocket client of a hub, as a browser page is one: it subscribes to channels and keeps
// every message it gets, so that a test can say what a user saw and how many times.

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

namespace kucun::test {

struct WsSubscriber
{
    QWebSocket socket;
    QSignalSpy received{&socket, &QWebSocket::textMessageReceived};

    // Waits up to 5 s for the hub's welcome.
    bool open(const QUrl &url)
    {
        socket.open(url);
        return received.wait(5000);
    }
    // Waits up to 5 s for the hub's answer (the `subscribed` reply).
    bool subscribe(const QString &channel)
    {
        const qsizetype before = received.size();
        const QJsonObject request{{QStringLiteral("type"), QStringLiteral("subscribe")},
                                  {QStringLiteral("channel"), channel}};
        socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
        return QTest::qWaitFor([&] { return received.size() > before; }, 5000);
    }
    // The messages delivered on `channel` (`{"channel","data","ts","offset"}`), in order.
    QList<QJsonObject> messagesOn(const QString &channel) const
    {
        QList<QJsonObject> out;
        for (const QList<QVariant> &signal : received) {
            const QJsonObject message
                = QJsonDocument::fromJson(signal.at(0).toString().toUtf8()).object();
            if (message.value(QStringLiteral("channel")).toString() == channel
                && message.contains(QStringLiteral("data")))
                out.append(message);
        }
        return out;
    }
};

}  // namespace kucun::test
