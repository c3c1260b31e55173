// scripts/bench cache: the cache_* rows of SPEC §9, each with a baseline measured in the same
// run, printed as JSON lines.

#include "benchjson.h"
#include "cache/cacheservice.h"
#include "cache/memorystore.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <atomic>
#include <cmath>
#include <latch>
#include <malloc.h>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

using namespace kucun;
using namespace kucun::bench;
using namespace std::chrono_literals;

namespace {

// SPEC §9's set-up; `--entries N` and `--zipf S` change it for exploring, not for reports.
size_t kEntries = 1'000'000;
double kZipfExponent = 0.99;  // YCSB's default skew
constexpr size_t kSamples = 1 << 22;  // key indices drawn in advance, per thread
// Runs of each measurement and their length; --quick (CTest's `bench` label) makes them small.
int kRuns = 5;
double kRunSeconds = 0.6;

constexpr Millis kEntryTtl{3'600'000};
constexpr size_t kServiceSamples = 1 << 20;

std::string keyFor(size_t i)
{
    return "kucun:products:detail:" + std::to_string(i);
}

std::string valueFor(size_t i)
{
    return R"({"id":")" + std::to_string(i)
           + R"(","sku":"BOLT-M8-30","name":"Hex bolt M8x30","stock":1250,"warehouse":"WH-1","price":0.35})";
}

// Draws Zipf-distributed indices (rank 0 most popular), shuffled onto the key space so that hot
// keys are spread over shards and table slots as real keys are.
std::vector<uint32_t> zipfSamples(size_t n, size_t count, quint32 seed)
{
    std::vector<double> cdf(n);
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
        sum += 1.0 / std::pow(double(i + 1), kZipfExponent);
        cdf[i] = sum;
    }
    std::vector<uint32_t> rankToKey(n);
    for (size_t i = 0; i < n; ++i)
        rankToKey[i] = uint32_t(i);
    QRandomGenerator shuffle(12345);  // the same mapping for every thread
    for (size_t i = n - 1; i > 0; --i)
        std::swap(rankToKey[i], rankToKey[shuffle.bounded(quint32(i + 1))]);
    QRandomGenerator random(seed);
    std::vector<uint32_t> samples(count);
    for (uint32_t &sample : samples) {
        const double u = random.generateDouble() * sum;
        const size_t rank = size_t(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        sample = rankToKey[std::min(rank, n - 1)];
    }
    return samples;
}

// The baseline of SPEC §9: what one would write first.
class MutexMap
{
public:
    void set(const std::string &key, const std::string &value)
    {
        std::lock_guard lock(m_mutex);
        m_map[key] = value;
    }
    bool get(const std::string &key, std::string &out) const
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_map.find(key);
        if (it == m_map.end())
            return false;
        out.assign(it->second);
        return true;
    }

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::string> m_map;
};

// Runs `body(samples, stop)` on `threads` threads for kRunSeconds; returns total ops/s.
// Sampled keys packed into one buffer, read front to back.
class SampledKeys
{
public:
    SampledKeys(const std::vector<std::string> &keys, const std::vector<uint32_t> &indices)
    {
        m_offsets.reserve(indices.size() + 1);
        for (uint32_t index : indices) {
            m_offsets.push_back(m_bytes.size());
            m_bytes += keys[index];
        }
        m_offsets.push_back(m_bytes.size());
    }
    std::string_view view(size_t i) const
    {
        return std::string_view(m_bytes).substr(m_offsets[i], m_offsets[i + 1] - m_offsets[i]);
    }

private:
    std::string m_bytes;
    std::vector<size_t> m_offsets;
};

template <typename Body>
double throughput(int threads, const std::vector<SampledKeys> &samples, Body body)
{
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> total{0};
    std::latch ready(threads + 1);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            ready.arrive_and_wait();
            total.fetch_add(body(samples[size_t(t)], stop));
        });
    }
    ready.arrive_and_wait();
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(kRunSeconds));
    stop = true;
    for (std::thread &worker : workers)
        worker.join();
    return double(total.load()) / secondsSince(start);
}

// The path a caller of the cache takes: CacheService::get with a QString key relative to the
// namespace, answered through a future (ready at once on the memory engine), against the store's
// own lookup of the same keys in the same run.
template <typename StoreBody>
void benchServiceGet(MemoryStore &store, const std::vector<std::string> &keys,
                     const SampledKeys &storeSamples, StoreBody storeBody)
{
    CacheService service(store, QStringLiteral("kucun"));
    const std::vector<uint32_t> indices = zipfSamples(kEntries, kServiceSamples, 1);
    std::vector<QString> relative;  // a caller has its key at hand, as a QString
    relative.reserve(indices.size());
    for (uint32_t index : indices)
        relative.push_back(QString::fromStdString(keys[index].substr(6)));  // less "kucun:"
    const std::vector<SampledKeys> storeOnly{storeSamples};
    const std::vector<SampledKeys> unused{storeSamples};
    std::vector<double> ours;
    std::vector<double> theirs;
    for (int run = 0; run < kRuns; ++run) {
        theirs.push_back(throughput(1, storeOnly, storeBody));
        ours.push_back(throughput(1, unused, [&](const SampledKeys &, std::atomic<bool> &stop) {
            uint64_t ops = 0;
            for (size_t i = 0; !stop.load(std::memory_order_relaxed);
                 i = (i + 1) % relative.size()) {
                const LoadResult value = service.get(relative[i]).result();
                ops += value.ok() && value.value() ? 1 : 0;
            }
            return ops;
        }));
    }
    const double value = median(ours);
    const double base = median(theirs);
    printRow({{"scenario", "cache_get_hit_service_1t"},
              {"value", qRound64(value)},
              {"unit", "ops/s"},
              {"baseline", qRound64(base)},
              {"baseline_kind", "MemoryStore::lookup of the same keys (no service, no future)"},
              {"ratio", std::round(value / base * 100) / 100},
              {"threads", 1},
              {"entries", qint64(kEntries)},
              {"zipf_s", kZipfExponent},
              {"runs", kRuns}});
}

void benchGetHits(const std::vector<std::string> &keys)
{
    MemoryStore::Options options;
    options.maxBytes = size_t(2) << 30;
    MemoryStore store(options);
    MutexMap baseline;
    for (size_t i = 0; i < kEntries; ++i) {
        store.store(keys[i], valueFor(i), kEntryTtl);  // every real entry has a TTL to check
        baseline.set(keys[i], valueFor(i));
    }
    // The keys each thread asks for, laid out one after the other: a caller has its key at
    // hand, so neither side should pay a cache miss just to read the key it is asked for.
    const std::vector<SampledKeys> samples{SampledKeys(keys, zipfSamples(kEntries, kSamples, 1)),
                                           SampledKeys(keys, zipfSamples(kEntries, kSamples, 2))};
    const auto storeBody = [&](const SampledKeys &mine, std::atomic<bool> &stop) {
        QByteArray out;
        uint64_t ops = 0;
        for (size_t i = 0; !stop.load(std::memory_order_relaxed); i = (i + 1) & (kSamples - 1))
            ops += store.lookup(mine.view(i), out) ? 1 : 0;
        return ops;
    };
    const auto baselineBody = [&](const SampledKeys &mine, std::atomic<bool> &stop) {
        std::string out;
        std::string key;
        uint64_t ops = 0;
        for (size_t i = 0; !stop.load(std::memory_order_relaxed); i = (i + 1) & (kSamples - 1)) {
            key.assign(mine.view(i));  // std::unordered_map<std::string> wants a std::string
            ops += baseline.get(key, out) ? 1 : 0;
        }
        return ops;
    };
    for (int threads : {1, 2}) {
        std::vector<double> ours;
        std::vector<double> theirs;
        for (int run = 0; run < kRuns; ++run) {  // interleaved, so both see the same noise
            theirs.push_back(throughput(threads, samples, baselineBody));
            ours.push_back(throughput(threads, samples, storeBody));
        }
        const double value = median(ours);
        const double base = median(theirs);
        QJsonObject row{{"scenario", threads == 1 ? "cache_get_hit_1t" : "cache_get_hit_2t"},
                        {"value", qRound64(value)},
                        {"unit", "ops/s"},
                        {"baseline", qRound64(base)},
                        {"baseline_kind", "std::unordered_map + std::mutex"},
                        {"ratio", std::round(value / base * 100) / 100},
                        {"threads", threads},
                        {"entries", qint64(kEntries)},
                        {"zipf_s", kZipfExponent},
                        {"runs", kRuns}};
        static double oneThread = 0;
        if (threads == 1) {
            oneThread = value;
            row.insert("target", 10'000'000);
            row.insert("target_ratio", 5);
        } else {
            row.insert("vs_1t", std::round(value / oneThread * 100) / 100);
            row.insert("target_vs_1t", 1.6);
        }
        printRow(row);
    }
    benchServiceGet(store, keys, samples.front(), storeBody);
}

void benchSingleFlight()
{
    constexpr int kCallers = 64;
    MemoryStore::Options options;
    options.maxBytes = size_t(64) << 20;
    MemoryStore store(options);
    CacheService service(store, QStringLiteral("kucun"));

    // Baseline: plain cache-aside without single-flight, every caller that misses loads.
    std::atomic<int> baselineCalls{0};
    {
        std::latch start(kCallers);
        std::vector<std::thread> callers;
        for (int i = 0; i < kCallers; ++i) {
            callers.emplace_back([&] {
                start.arrive_and_wait();
                if (!store.lookup("kucun:baseline:hot")) {
                    baselineCalls.fetch_add(1);
                    std::this_thread::sleep_for(50ms);
                    store.store("kucun:baseline:hot", "v", 60000ms);
                }
            });
        }
        for (std::thread &caller : callers)
            caller.join();
    }

    std::atomic<int> loaderCalls{0};
    std::vector<double> latenciesMs(kCallers);
    std::latch start(kCallers);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
        callers.emplace_back([&, i] {
            start.arrive_and_wait();
            const auto begin = Clock::now();
            service
                .getOrSet("dashboard:overview", 60s,
                          [&]() -> LoadResult {
                              loaderCalls.fetch_add(1);
                              std::this_thread::sleep_for(50ms);
                              return std::optional<QByteArray>("{\"orders\":7}");
                          })
                .result();
            latenciesMs[size_t(i)] = secondsSince(begin) * 1000;
        });
    }
    for (std::thread &caller : callers)
        caller.join();
    printRow({{"scenario", "cache_singleflight"},
              {"value", loaderCalls.load()},
              {"unit", "loader calls"},
              {"loader_calls", loaderCalls.load()},
              {"baseline", baselineCalls.load()},
              {"baseline_kind", "cache-aside without single-flight"},
              {"callers", kCallers},
              {"loader_ms", 50},
              {"p50_ms", std::round(percentile(latenciesMs, 50) * 10) / 10},
              {"max_ms", std::round(percentile(latenciesMs, 100) * 10) / 10},
              {"target_max_ms", 60}});
}

size_t heapInUse()
{
    malloc_trim(0);
    const struct mallinfo2 info = mallinfo2();
    // Large blocks (tables, big arenas) come from mmap and are counted apart from the heap.
    return info.uordblks + info.hblkhd;
}

void benchEntryOverhead(const std::vector<std::string> &keys)
{
    size_t payload = 0;
    for (size_t i = 0; i < kEntries; ++i)
        payload += keys[i].size() + valueFor(i).size();

    size_t ours = 0;
    {
        const size_t before = heapInUse();
        MemoryStore::Options options;
        options.maxBytes = size_t(2) << 30;
        MemoryStore store(options);
        for (size_t i = 0; i < kEntries; ++i)
            store.store(keys[i], valueFor(i), kEntryTtl);
        ours = heapInUse() - before;
    }
    size_t theirs = 0;
    {
        const size_t before = heapInUse();
        auto map = std::make_unique<MutexMap>();
        for (size_t i = 0; i < kEntries; ++i)
            map->set(keys[i], valueFor(i));
        theirs = heapInUse() - before;
    }
    const double perEntry = double(ours - payload) / double(kEntries);
    const double basePerEntry = double(theirs - payload) / double(kEntries);
    printRow({{"scenario", "cache_entry_overhead"},
              {"value", std::round(perEntry * 10) / 10},
              {"unit", "bytes/entry"},
              {"baseline", std::round(basePerEntry * 10) / 10},
              {"baseline_kind", "std::unordered_map<std::string, std::string>"},
              {"ratio", std::round(perEntry / basePerEntry * 100) / 100},
              {"entries", qint64(kEntries)},
              {"payload_bytes_per_entry", std::round(double(payload) / double(kEntries) * 10) / 10},
              {"method", "glibc mallinfo2 heap in use plus mmap'd blocks, minus keys and values"},
              {"target", 96}});
}

void benchInvalidateTag(const std::vector<std::string> &keys)
{
    // Every key whose number ends in 50: 10 000 of SPEC §9's 1 000 000, a hundredth of fewer.
    const size_t tagCount = kEntries / 100;
    MemoryStore::Options options;
    options.maxBytes = size_t(2) << 30;
    MemoryStore store(options);
    for (size_t i = 0; i < kEntries; ++i)
        store.store(keys[i], valueFor(i), 0ms);

    const auto tagged = [&keys](size_t i) -> const std::string & { return keys[i * 100 + 50]; };
    const auto tagThem = [&] {
        for (size_t i = 0; i < tagCount; ++i)
            store.store(tagged(i), valueFor(i * 100 + 50), 0ms, {"kucun:tag:products:list"});
    };
    std::vector<double> oursMs;
    std::vector<double> theirsMs;
    for (int run = 0; run < kRuns; ++run) {
        tagThem();
        auto begin = Clock::now();
        const qint64 removed = store.dropTag("kucun:tag:products:list", 0).count;
        oursMs.push_back(secondsSince(begin) * 1000);
        if (removed != qint64(tagCount))
            qFatal("invalidateTag removed %lld keys, not %zu", removed, tagCount);

        // Baseline: without a tag index the keys must be found by looking at every key.
        tagThem();
        begin = Clock::now();
        const PatternMatch scanned = store.dropMatching("kucun:products:detail:*50", false, 0);
        theirsMs.push_back(secondsSince(begin) * 1000);
        if (scanned.count != qint64(tagCount))
            qFatal("the scan removed %lld keys, not %zu", scanned.count, tagCount);
    }
    const double value = median(oursMs);
    const double base = median(theirsMs);
    printRow({{"scenario", "cache_invalidate_tag"},
              {"value", std::round(value * 100) / 100},
              {"unit", "ms"},
              {"baseline", std::round(base * 100) / 100},
              {"baseline_kind", "pattern scan over all keys (no tag index)"},
              {"speedup", std::round(base / value * 10) / 10},
              {"tagged", qint64(tagCount)},
              {"entries", qint64(kEntries)},
              {"runs", kRuns},
              {"target", 20}});
}

}  // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);  // QFuture and the cache's timer thread want one
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(QStringLiteral("--quick"))) {
        kEntries = 20000;
        kRuns = 1;
        kRunSeconds = 0.1;
    }
    for (qsizetype i = 1; i + 1 < arguments.size(); i += 2) {
        if (arguments[i] == QLatin1String("--entries"))
            kEntries = arguments[i + 1].toULongLong();
        else if (arguments[i] == QLatin1String("--zipf"))
            kZipfExponent = arguments[i + 1].toDouble();
    }
    if (kEntries < 20000 || kZipfExponent < 0) {
        std::fputs("usage: kucun_bench_cache [--quick] [--entries N>=20000] [--zipf S>=0]\n",
                   stderr);
        return 2;
    }
    std::vector<std::string> keys;
    keys.reserve(kEntries);
    for (size_t i = 0; i < kEntries; ++i)
        keys.push_back(keyFor(i));

    benchGetHits(keys);
    benchSingleFlight();
    benchEntryOverhead(keys);
    benchInvalidateTag(keys);
    return 0;
}
