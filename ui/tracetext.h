#pragma once

#include "events/eventtrace.h"

#include <QCoreApplication>
#include <QString>

namespace kucun {

// An event's causal trace (SPEC §14) as a small timeline in words, for the Events detail pane
// and the Flow panel: when it came and from where, what it was judged, the rule, what the
// cascade removed, whom the message reached, each step at its time since receipt.
class TraceTimeline
{
    Q_DECLARE_TR_FUNCTIONS(kucun::TraceTimeline)

public:
    static QString of(const EventTrace &trace);

private:
    static QString at(qint64 micros);
    static QString sourceName(EventSource source);
};

}  // namespace kucun
