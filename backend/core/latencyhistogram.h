#pragma once

#include <QtGlobal>

#include <array>

namespace kucun {

// A latency histogram with fixed bucket bounds in seconds, as Prometheus histograms count them:
// each observation lands in the first bucket whose bound it does not exceed (the +Inf bucket
// is the count). From half a millisecond, the floor of a loopback delivery, to a second.
class LatencyHistogram
{
public:
    static constexpr std::array<double, 11> kBoundsSeconds{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

    void observe(double seconds)
    {
        size_t bucket = 0;
        while (bucket < kBoundsSeconds.size() && seconds > kBoundsSeconds[bucket])
            ++bucket;
        ++m_counts[bucket];
        m_sum += seconds;
        ++m_count;
    }
    // Observations in bucket `i` alone (not cumulative); i == kBoundsSeconds.size() is +Inf's.
    qint64 countIn(size_t i) const { return m_counts[i]; }
    qint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    std::array<qint64, kBoundsSeconds.size() + 1> m_counts{};
    qint64 m_count = 0;
    double m_sum = 0;
};

}  // namespace kucun
