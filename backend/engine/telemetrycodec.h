#pragma once

#include "enginetelemetry.h"

#include <QByteArray>
#include <QJsonObject>

namespace kucun {

// EngineTelemetry as /api/stream carries it to an attached window (docs/http.md, "GET
// /api/stream"): one JSON object per report, {"type":"telemetry",…}. Decoding takes what a
// remote hub sent: members missing or of the wrong type read as empty or 0, lists are cut to
// what a local report may hold, so a bad hub can garble a panel but not swamp the window.
namespace TelemetryCodec {

QJsonObject encode(const EngineTelemetry &telemetry);
EngineTelemetry decode(const QJsonObject &message);

// Folds `newer` into `into` for a report that covers both: the newer totals, the events of both
// (beyond TelemetryCollector::kMaxEventsPerReport only counted), the newer connections when it
// has them.
void merge(EngineTelemetry &into, const EngineTelemetry &newer);

}  // namespace TelemetryCodec

}  // namespace kucun
