#pragma once

#include "redisurl.h"

#include <QList>
#include <QObject>

#include <chrono>

class QTimer;

namespace kucun {

class RedisConnection;

// Which server is a Redis Sentinel group's master, and when it changes (SPEC §4). discover()
// asks every sentinel at once (`SENTINEL get-master-addr-by-name`) and reports the first that
// names one; watch() keeps a subscription to `+switch-master` on a sentinel that answers and
// reports each switch of our master. Sentinels are asked without credentials (the URL's are the
// master's). Engine thread.
class SentinelWatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kAskTimeout{1000};
    // A lost subscription is taken up on the next sentinel after this long.
    static constexpr std::chrono::milliseconds kWatchRetry{1000};

    SentinelWatcher(QList<RedisUrl::Endpoint> sentinels, QString masterName,
                    QObject *parent = nullptr);
    ~SentinelWatcher() override;

    // Emits masterFound() with the first answer naming a master, or discoveryFailed() once every
    // sentinel has answered without one or failed.
    void discover();
    // Answers of the round under way are ignored (the client already follows another master).
    void cancelDiscovery();
    void watch();
    void stop();

    int sentinelCount() const { return int(m_sentinels.size()); }
    // Sentinels that answered the last discover() (so far).
    int answering() const { return m_answering; }

signals:
    void masterFound(const QString &host, quint16 port);
    void discoveryFailed(const QString &reason);
    void switched(const QString &host, quint16 port);

private:
    void answered(int round, int index, const QString &host, quint16 port, const QString &error);
    void watchNext();

    const QList<RedisUrl::Endpoint> m_sentinels;
    const QString m_masterName;
    QList<RedisConnection *> m_askers;  // one per sentinel
    RedisConnection *m_watch = nullptr;
    QTimer *m_watchRetry = nullptr;
    int m_round = 0;
    int m_pending = 0;  // sentinels of this round that have not answered yet
    int m_answering = 0;
    bool m_found = false;
    QString m_lastError;
    int m_watchIndex = 0;  // the sentinel watched, or to watch next
    bool m_watching = false;
};

}  // namespace kucun
