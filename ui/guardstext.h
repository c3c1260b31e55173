#pragma once

#include "engine/enginetelemetry.h"

#include <QCoreApplication>

namespace kucun {

// How the Overview and Flow panels word the cache's guards at work (SPEC §3, §14), the same in
// both.
class GuardsText
{
    Q_DECLARE_TR_FUNCTIONS(kucun::GuardsText)

public:
    // The degraded mode: Redis unavailable, or (a demo fault) the link cut on purpose.
    static QString degraded(bool linkCut);
    // One line: shared loads, lock waits, null hits, failed loads, and degraded mode when it is.
    static QString line(const EngineTelemetry &telemetry, bool linkCut);
};

}  // namespace kucun
