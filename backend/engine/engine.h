#pragma once

#include "config/hubconfig.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>

class QThread;

namespace kucun {

class WsHub;

// The backend of one hub: the cache, the event bus and the WebSocket hub as they arrive. Built
// in the GUI (main) thread, moved into its own thread by EngineHost; everything it owns is
// created in start() and destroyed in the engine thread before the engine returns to its home
// thread, so no QObject ever outlives the thread it lives in.
class Engine : public QObject
{
    Q_OBJECT

public:
    // How long clients get to answer the close handshake when the hub stops.
    static constexpr std::chrono::milliseconds kCloseGrace{2000};

    explicit Engine(const HubConfig &config, QObject *parent = nullptr);
    ~Engine() override;

    // "memory", "redis" or "degraded", as in the ready line (SPEC §1).
    QString mode() const;

public slots:
    // Engine thread. Emits started() or startFailed().
    void start();
    // Engine thread. Closes clients with 1001, tears the parts down and emits stopped().
    void stop();
    // Engine thread. As stop() without waiting for clients; used when the host must go now.
    void stopNow();

signals:
    void started(const QUrl &wsUrl, const QString &mode);
    void startFailed(const QString &reason);
    void clientCountChanged(int clients);
    void stopped();

private:
    void tearDown();

    const HubConfig m_config;
    QThread *const m_homeThread;
    WsHub *m_hub = nullptr;
    bool m_stopping = false;
};

}  // namespace kucun
