#include "tracetext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace kucun {

// "+72 µs" and spaces: the step's time since receipt, aligned.
QString TraceTimeline::at(qint64 micros)
{
    const QString time
        = micros < 0        ? QStringLiteral("…")
          : micros < 10'000 ? tr("+%1 µs").arg(micros)
                            : tr("+%1 ms").arg(QLocale().toString(double(micros) / 1000.0, 'f', 1));
    return time.leftJustified(12);
}

QString TraceTimeline::sourceName(EventSource source)
{
    switch (source) {
    case EventSource::Hub:
        return tr("this hub");
    case EventSource::Redis:
        return tr("Redis");
    case EventSource::Stream:
        return tr("the reliable stream");
    case EventSource::Http:
        return tr("the HTTP API");
    case EventSource::Resp:
        return tr("a Redis-protocol client");
    case EventSource::WebSocket:
        return tr("a WebSocket client");
    case EventSource::Window:
        return tr("a window's Publish panel");
    case EventSource::Demo:
        return tr("the demo");
    case EventSource::Replay:
        return tr("a replayed recording");
    }
    return {};
}

QString TraceTimeline::of(const EventTrace &trace)
{
    QStringList lines;
    lines << tr("Event %1, %2")
                 .arg(trace.eventId,
                      QDateTime::fromMSecsSinceEpoch(trace.receivedAtMs).toString(u"HH:mm:ss.zzz"));
    lines << at(0) + tr("received on %1 from %2").arg(trace.channel, sourceName(trace.source));
    if (!trace.accepted) {
        lines << at(0) + tr("refused: %1").arg(trace.reason);
        return lines.join(u'\n');
    }
    lines << at(0)
                 + (!trace.rule.isEmpty()  ? tr("rule %1").arg(trace.rule)
                    : trace.type.isEmpty() ? tr("no routing rule (passed through)")
                                           : tr("no routing rule matched"));
    for (const EventTrace::Invalidation &invalidation : trace.invalidations) {
        const QString what = invalidation.isNamespace ? tr("namespace %1").arg(invalidation.target)
                                                      : tr("tag %1").arg(invalidation.target);
        QString line
            = invalidation.removed < 0
                  ? tr("%1: failed (%2)").arg(what, invalidation.error)
                  : tr("%1: %n key(s) removed", nullptr, int(invalidation.removed)).arg(what);
        if (!invalidation.keys.isEmpty())
            line += QStringLiteral(" — ") + invalidation.keys.join(QStringLiteral(", "));
        if (invalidation.removed > invalidation.keys.size() && !invalidation.keys.isEmpty())
            line += QStringLiteral(" …");
        lines << QString(12, u' ') + line;
    }
    // The trace knows when the last invalidation answered, not each one.
    if (!trace.invalidations.isEmpty())
        lines << at(trace.cascadeMicros) + tr("cascade done");
    if (!trace.wsChannel.isEmpty()) {
        const ChannelDelivery &delivery = trace.delivery;
        if (!delivery.known) {
            lines << at(-1) + tr("handed to WebSocket channel %1").arg(trace.wsChannel);
        } else if (delivery.shared) {
            lines << at(-1)
                         + tr("handed to the shared stream of channel %1 (Redis stamps it; every "
                              "hub delivers it)")
                               .arg(trace.wsChannel);
        } else {
            lines << at(trace.lastWriteMicros)
                         + tr("channel %1, offset %2: written to %n client(s)", nullptr,
                              int(delivery.written))
                               .arg(trace.wsChannel)
                               .arg(delivery.offset);
            for (const ChannelDelivery::Skip &skip : delivery.skipped)
                lines << at(trace.lastWriteMicros)
                             + tr("skipped %1: %2").arg(skip.client, skip.why);
            if (delivery.notSubscribed > 0) {
                lines << QString(12, u' ')
                             + tr("%n connected client(s) not subscribed", nullptr,
                                  int(delivery.notSubscribed));
            }
        }
    }
    if (!trace.complete)
        lines << tr("(written before every answer came: the hub stopped or an answer was late)");
    return lines.join(u'\n');
}

}  // namespace kucun
