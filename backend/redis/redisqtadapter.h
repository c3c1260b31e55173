#pragma once

#include <QObject>

struct redisAsyncContext;
class QSocketNotifier;

namespace kucun {

// Drives one hiredis async context from a Qt 6 event loop: a read and a write QSocketNotifier,
// children of the adapter, switched on and off by hiredis's hooks. Our own rather than the
// Qt 5-era `adapters/qt.h` (string-based connects, notifiers without a parent). hiredis 0.14 has
// no timer hook; RedisConnection keeps its own timers. The adapter lives in the thread of the
// context's owner and is deleted by hiredis's cleanup hook through its owner.
class RedisQtAdapter : public QObject
{
    Q_OBJECT

public:
    // Installs the hooks on `context`. The context must be fresh (no event library attached).
    RedisQtAdapter(redisAsyncContext *context, QObject *parent);
    ~RedisQtAdapter() override;

    // Called from hiredis's cleanup hook: the context is going away, stop using it.
    void detach();

private:
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);

    redisAsyncContext *m_context;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
};

}  // namespace kucun
