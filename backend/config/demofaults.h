#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QString>

namespace kucun {

// The faults the demo injects (SPEC §14), so that a developer can watch the cache's guards
// work: slow and failing loaders, a stampede of concurrent misses on one key, a burst of
// events, and the hub's Redis link cut. All off by default.
//
// Written as text for --demo-fault and the logs ("slow=200,fail=10,stampede=64,burst=2000,
// redis-cut") and as JSON for PUT /api/demo ({"slowLoaderMs":200, …}).
struct DemoFaults
{
    static constexpr int kMaxLoaderLatencyMs = 10000;
    static constexpr int kMaxStampedeReaders = 10000;
    static constexpr int kMaxBurst = 10000;  // events per second
    // A stampede comes again this often while it is set, so that a window attached later
    // still sees one.
    static constexpr int kStampedeIntervalMs = 10000;

    int loaderLatencyMs = 0;  // every demo loader takes this long
    int failingLoadersPercent = 0;  // this share of demo loader calls fails
    int stampedeReaders = 0;  // concurrent misses on one key, every kStampedeIntervalMs
    int burstEventsPerSecond = 0;  // stock changes on top of the demo's traffic
    bool redisCut = false;  // the hub's Redis link is cut (only with Redis)

    // Why the Redis link cut is refused on a hub without Redis.
    static inline const QString kNoLinkToCut
        = QStringLiteral("the embedded engine has no Redis link to cut");

    bool any() const { return *this != DemoFaults{}; }
    int activeCount() const
    {
        return int(loaderLatencyMs > 0) + int(failingLoadersPercent > 0) + int(stampedeReaders > 0)
               + int(burstEventsPerSecond > 0) + int(redisCut);
    }
    friend bool operator==(const DemoFaults &, const DemoFaults &) = default;

    // "slow=200,fail=10,stampede=64,burst=2000,redis-cut", only what is set; "none" when
    // nothing is.
    QString text() const;
    // The inverse of text(): items separated by commas, each once; "none" or empty: no fault.
    // On a bad item: why, naming it and what is allowed.
    static Result<DemoFaults> parse(const QString &text);

    QJsonObject toJson() const;
    // `base` with the members `json` names changed (a PUT changes what it names); a member of
    // the wrong type or out of range: why, and nothing changes.
    static Result<DemoFaults> fromJson(const QJsonObject &json, const DemoFaults &base);
    static Result<DemoFaults> fromJson(const QJsonObject &json);
};

}  // namespace kucun
