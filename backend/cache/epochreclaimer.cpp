#include "epochreclaimer.h"

namespace kucun {

namespace {

constexpr size_t kCollectEvery = 1024;  // retired objects between collection attempts

}  // namespace

// Gives each thread a record on first use and hands it back when the thread ends.
struct ThreadRecordHolder
{
    EpochReclaimer::ThreadRecord *record = nullptr;
    ~ThreadRecordHolder()
    {
        if (record)
            EpochReclaimer::instance().releaseRecord(record);
    }
};

namespace {
thread_local ThreadRecordHolder t_holder;
}  // namespace

EpochReclaimer &EpochReclaimer::instance()
{
    // Never destroyed: threads may still read while statics of other files go away.
    static auto *reclaimer = new EpochReclaimer;
    return *reclaimer;
}

EpochReclaimer::ThreadRecord *EpochReclaimer::acquireRecord()
{
    for (ThreadRecord *record = m_records.load(std::memory_order_acquire); record;
         record = record->next) {
        bool expected = false;
        if (!record->inUse.load(std::memory_order_relaxed)
            && record->inUse.compare_exchange_strong(expected, true))
            return record;
    }
    auto *record = new ThreadRecord;
    record->inUse.store(true, std::memory_order_relaxed);
    ThreadRecord *head = m_records.load(std::memory_order_relaxed);
    do {
        record->next = head;
    } while (!m_records.compare_exchange_weak(head, record, std::memory_order_release,
                                              std::memory_order_relaxed));
    return record;
}

void EpochReclaimer::releaseRecord(ThreadRecord *record)
{
    record->activeEpoch.store(0, std::memory_order_release);
    record->nesting = 0;
    record->inUse.store(false, std::memory_order_release);
}

EpochReclaimer::ReadGuard::ReadGuard()
{
    ThreadRecord *&record = t_holder.record;
    if (!record)
        record = instance().acquireRecord();
    if (record->nesting++ == 0) {
        record->activeEpoch.store(instance().m_epoch.load(std::memory_order_relaxed),
                                  std::memory_order_relaxed);
        // Publishes the epoch before any shared pointer is read (pairs with tryAdvance()).
        std::atomic_thread_fence(std::memory_order_seq_cst);
    }
}

EpochReclaimer::ReadGuard::~ReadGuard()
{
    ThreadRecord *record = t_holder.record;
    if (--record->nesting == 0)
        record->activeEpoch.store(0, std::memory_order_release);
}

bool EpochReclaimer::tryAdvance()
{
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const uint64_t epoch = m_epoch.load(std::memory_order_relaxed);
    for (ThreadRecord *record = m_records.load(std::memory_order_acquire); record;
         record = record->next) {
        const uint64_t active = record->activeEpoch.load(std::memory_order_acquire);
        if (active != 0 && active != epoch)
            return false;  // a reader is still in an older epoch
    }
    uint64_t expected = epoch;
    m_epoch.compare_exchange_strong(expected, epoch + 1);
    return true;
}

void EpochReclaimer::retire(void *pointer, Deleter deleter)
{
    bool collectNow = false;
    {
        std::lock_guard lock(m_retiredMutex);
        m_retired.push_back({pointer, deleter, m_epoch.load(std::memory_order_acquire)});
        collectNow = m_retired.size() % kCollectEvery == 0;
    }
    if (collectNow)
        collect();
}

void EpochReclaimer::collect()
{
    // Two advances make everything retired before the first one safe, if readers allow.
    tryAdvance();
    tryAdvance();
    const uint64_t epoch = m_epoch.load(std::memory_order_acquire);
    std::vector<Retired> safe;
    {
        std::lock_guard lock(m_retiredMutex);
        auto keep = m_retired.begin();
        for (auto it = m_retired.begin(); it != m_retired.end(); ++it) {
            if (it->epoch + 2 <= epoch)
                safe.push_back(*it);
            else
                *keep++ = *it;
        }
        m_retired.erase(keep, m_retired.end());
    }
    for (const Retired &item : safe)  // outside the lock: deleters may be slow
        item.deleter(item.pointer);
}

size_t EpochReclaimer::pendingCount() const
{
    std::lock_guard lock(m_retiredMutex);
    return m_retired.size();
}

}  // namespace kucun
