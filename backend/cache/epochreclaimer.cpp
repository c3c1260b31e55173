#include "epochreclaimer.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace kucun {

namespace {

constexpr size_t kCollectEvery = 1024;  // retired objects that make a collection worthwhile

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

// The record itself is a plain pointer (no TLS init check on the read path); the holder with
// the destructor is touched only when the record is first taken.
thread_local EpochReclaimer::ThreadRecord *t_record = nullptr;
thread_local ThreadRecordHolder t_holder;

int membarrier(int command)
{
    return static_cast<int>(::syscall(__NR_membarrier, command, 0, 0));
}

// With the kernel's expedited membarrier the reclaimer makes every running thread of the
// process execute a full barrier on its behalf, so readers can do with a compiler barrier
// (the asymmetric fences of folly and liburcu). Without it both sides use real fences.
bool registerAsymmetricFences()
{
    const int supported = membarrier(MEMBARRIER_CMD_QUERY);
    return supported > 0 && (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)
           && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

}  // namespace

EpochReclaimer &EpochReclaimer::instance()
{
    // Never destroyed: threads may still read while statics of other files go away.
    static auto *reclaimer = new EpochReclaimer;
    return *reclaimer;
}

EpochReclaimer::EpochReclaimer()
    : m_asymmetricFences(registerAsymmetricFences())
{
}

void EpochReclaimer::heavyFence() const
{
    if (!m_asymmetricFences || membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
        std::atomic_thread_fence(std::memory_order_seq_cst);
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
    t_record = nullptr;
    record->activeEpoch.store(0, std::memory_order_release);
    record->nesting = 0;
    record->inUse.store(false, std::memory_order_release);
}

EpochReclaimer::ReadGuard::ReadGuard()
{
    ThreadRecord *record = t_record;
    EpochReclaimer &reclaimer = instance();
    if (!record) {
        record = reclaimer.acquireRecord();
        t_record = record;
        t_holder.record = record;
    }
    if (record->nesting++ == 0) {
        record->activeEpoch.store(reclaimer.m_epoch.load(std::memory_order_relaxed),
                                  std::memory_order_relaxed);
        // Publishes the epoch before any shared pointer is read; pairs with heavyFence() in
        // tryAdvance().
        if (reclaimer.m_asymmetricFences)
            std::atomic_signal_fence(std::memory_order_seq_cst);
        else
            std::atomic_thread_fence(std::memory_order_seq_cst);
    }
}

EpochReclaimer::ReadGuard::~ReadGuard()
{
    ThreadRecord *record = t_record;
    if (--record->nesting == 0)
        record->activeEpoch.store(0, std::memory_order_release);
}

bool EpochReclaimer::tryAdvance()
{
    heavyFence();
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
    // No collection here: retire() is called under a shard lock, and collecting means
    // membarrier calls and running deleters. Owners call collectIfMany() after unlocking.
    std::lock_guard lock(m_retiredMutex);
    m_retired.push_back({pointer, deleter, m_epoch.load(std::memory_order_acquire)});
}

void EpochReclaimer::collectIfMany()
{
    bool many = false;
    {
        std::lock_guard lock(m_retiredMutex);
        many = m_retired.size() >= kCollectEvery;
    }
    if (many)
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
