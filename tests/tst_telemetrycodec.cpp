// What /api/stream carries for the Flow panel (SPEC §14): flow counts, traces and loads in
// progress survive encoding, and two reports merged add their counts up.

#include "engine/telemetrycodec.h"

#include <QTest>

using kucun::EngineTelemetry;
using kucun::FlightInfo;
using kucun::FlowEdgeCount;
namespace TelemetryCodec = kucun::TelemetryCodec;

class TestTelemetryCodec : public QObject
{
    Q_OBJECT

private slots:
    void flowTracesAndFlightsRoundTrip();
    void mergeAddsUpEdges();
    void garbageReadsAsNothing();
};

void TestTelemetryCodec::flowTracesAndFlightsRoundTrip()
{
    EngineTelemetry telemetry;
    telemetry.tracing = true;
    telemetry.flow = {{"source:demo", "bus", 12}, {"bus", "refused", 1}};
    kucun::EventTrace trace;
    trace.eventId = QStringLiteral("ev-1");
    trace.accepted = true;
    trace.rule = QStringLiteral("#6 order:status");
    trace.wsChannel = QStringLiteral("orders");
    trace.delivery.known = true;
    trace.delivery.written = 2;
    trace.delivery.writtenTo = {QStringLiteral("a"), QStringLiteral("b")};
    telemetry.traces = {trace};
    telemetry.tracesNotShown = 7;
    kucun::EventRecord record;
    record.eventId = QStringLiteral("ev-1");
    record.from = kucun::EventSource::Replay;
    record.channel = QStringLiteral("channel:order:status");
    telemetry.events = {record};
    telemetry.hasConnections = true;
    telemetry.flights = {{QStringLiteral("products:detail:7"), 64, FlightInfo::Stage::Loading, 120},
                         {QStringLiteral("k"), 1, FlightInfo::Stage::WaitingForLock, 3}};
    telemetry.flightsTotal = 250;  // more than a report lists

    const EngineTelemetry back = TelemetryCodec::decode(TelemetryCodec::encode(telemetry));
    QVERIFY(back.tracing);
    QCOMPARE(back.flow, telemetry.flow);
    QCOMPARE(back.traces.size(), 1);
    QCOMPARE(back.traces.first().toJson(), trace.toJson());
    QCOMPARE(back.tracesNotShown, 7);
    QCOMPARE(back.flights, telemetry.flights);
    QCOMPARE(back.flightsTotal, 250);
    // The events name their id and source, for the trace a window asks for.
    QCOMPARE(back.events.size(), 1);
    QCOMPARE(back.events.first().eventId, QStringLiteral("ev-1"));
    QCOMPARE(back.events.first().from, kucun::EventSource::Replay);
}

void TestTelemetryCodec::mergeAddsUpEdges()
{
    EngineTelemetry older;
    older.flow = {{"source:demo", "bus", 5}};
    older.traces.resize(30);
    older.hasConnections = true;
    older.flights = {{QStringLiteral("k"), 2, FlightInfo::Stage::Loading, 10}};
    EngineTelemetry newer;
    newer.flow = {{"bus", "refused", 1}, {"source:demo", "bus", 3}};
    newer.traces.resize(30);
    TelemetryCodec::merge(older, newer);
    QCOMPARE(older.flow, (QList<FlowEdgeCount>{{"source:demo", "bus", 8}, {"bus", "refused", 1}}));
    QCOMPARE(older.traces.size(), 50);  // TelemetryCollector::kMaxTracesPerReport
    QCOMPARE(older.tracesNotShown, 10);
    QCOMPARE(older.flights.size(), 1);  // the newer report had no connections
}

void TestTelemetryCodec::garbageReadsAsNothing()
{
    const EngineTelemetry back = TelemetryCodec::decode(
        {{"flow", "nope"}, {"traces", QJsonArray{1, "x"}}, {"flights", QJsonObject{}}});
    QVERIFY(back.flow.isEmpty());
    QCOMPARE(back.traces.size(), 2);  // read as empty traces: a bad hub garbles, no more
    QVERIFY(back.flights.isEmpty());
    QVERIFY(!back.tracing);
}

QTEST_GUILESS_MAIN(TestTelemetryCodec)
#include "tst_telemetrycodec.moc"
