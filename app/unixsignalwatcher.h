#pragma once

#include <QObject>

#include <initializer_list>
#include <vector>

class QSocketNotifier;

namespace kucun {

// Turns SIGINT/SIGTERM into a Qt signal in the thread that created the watcher. A signal handler
// may only do async-signal-safe work, so it writes the signal number into a socket pair and the
// event loop reads it from there (the self-pipe trick). One watcher per process.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

signals:
    void signalReceived(int signalNumber);

private:
    void readPendingSignals();

    std::vector<int> m_signalNumbers;
    QSocketNotifier *m_notifier = nullptr;
};

}  // namespace kucun
