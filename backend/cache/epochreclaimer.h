#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace kucun {

// Epoch-based reclamation: lets readers walk shared structures without taking a lock, while
// writers unlink nodes and hand them here instead of freeing them. A node retired in epoch E
// is freed once the global epoch reaches E + 2, i.e. once every reader that could have seen it
// has left its read section.
//
// Readers pay one plain store per read section (the fence is on the reclaimer's side, through
// membarrier(2), where the kernel has it) and write no shared cache line, which is what lets
// MemoryStore::lookup scale across threads. Process-wide: every store shares
// one domain, and each thread gets its own record the first time it reads.
class EpochReclaimer
{
public:
    static EpochReclaimer &instance();

    // RAII read section. Nested sections on one thread are fine.
    class ReadGuard
    {
    public:
        ReadGuard();
        ~ReadGuard();
        ReadGuard(const ReadGuard &) = delete;
        ReadGuard &operator=(const ReadGuard &) = delete;
    };

    using Deleter = void (*)(void *);
    // Frees `pointer` with `deleter` once no reader can hold it. Thread-safe; cheap (may be
    // called under a lock).
    void retire(void *pointer, Deleter deleter);
    // Tries to advance the epoch and frees what has become safe. Not under a lock of yours:
    // it makes system calls and runs deleters.
    void collect();
    // collect() when enough has piled up; for writers after each write.
    void collectIfMany();
    // Objects waiting to be freed (for tests and memory accounting).
    size_t pendingCount() const;

    struct alignas(64) ThreadRecord
    {
        std::atomic<uint64_t> activeEpoch{0};  // 0: not reading
        std::atomic<bool> inUse{false};
        ThreadRecord *next = nullptr;  // records are never freed, only reused
        uint32_t nesting = 0;  // touched by the owning thread only
    };

private:
    EpochReclaimer();
    void heavyFence() const;
    ThreadRecord *acquireRecord();
    void releaseRecord(ThreadRecord *record);
    bool tryAdvance();

    friend struct ThreadRecordHolder;

    const bool m_asymmetricFences;  // membarrier available: readers need no fence
    std::atomic<uint64_t> m_epoch{2};
    std::atomic<ThreadRecord *> m_records{nullptr};

    struct Retired
    {
        void *pointer;
        Deleter deleter;
        uint64_t epoch;
    };
    mutable std::mutex m_retiredMutex;
    std::vector<Retired> m_retired;
};

}  // namespace kucun
