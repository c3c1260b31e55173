#include "redisqtadapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace kucun {

RedisQtAdapter::RedisQtAdapter(redisAsyncContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_read(new QSocketNotifier(context->c.fd, QSocketNotifier::Read, this))
    , m_write(new QSocketNotifier(context->c.fd, QSocketNotifier::Write, this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleRead(m_context);
    });
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleWrite(m_context);
    });
    context->ev.data = this;
    context->ev.addRead = &RedisQtAdapter::addRead;
    context->ev.delRead = &RedisQtAdapter::delRead;
    context->ev.addWrite = &RedisQtAdapter::addWrite;
    context->ev.delWrite = &RedisQtAdapter::delWrite;
    context->ev.cleanup = &RedisQtAdapter::cleanup;
}

RedisQtAdapter::~RedisQtAdapter()
{
    if (m_context)
        m_context->ev.data = nullptr;
}

void RedisQtAdapter::detach()
{
    m_context = nullptr;
    m_read->setEnabled(false);
    m_write->setEnabled(false);
}

void RedisQtAdapter::addRead(void *self)
{
    if (self)
        static_cast<RedisQtAdapter *>(self)->m_read->setEnabled(true);
}

void RedisQtAdapter::delRead(void *self)
{
    if (self)
        static_cast<RedisQtAdapter *>(self)->m_read->setEnabled(false);
}

void RedisQtAdapter::addWrite(void *self)
{
    if (self)
        static_cast<RedisQtAdapter *>(self)->m_write->setEnabled(true);
}

void RedisQtAdapter::delWrite(void *self)
{
    if (self)
        static_cast<RedisQtAdapter *>(self)->m_write->setEnabled(false);
}

void RedisQtAdapter::cleanup(void *self)
{
    // hiredis frees the context right after this; the adapter itself is deleted later by its
    // owner (deleting it here could happen inside one of its own notifier slots).
    if (self)
        static_cast<RedisQtAdapter *>(self)->detach();
}

}  // namespace kucun
