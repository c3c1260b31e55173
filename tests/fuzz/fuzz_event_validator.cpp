// libFuzzer target for the event validator (docs/events.md, "Fuzzing"). The first byte picks
// the channel, the rest is the payload. Invariants: a refusal always has a reason; an accepted
// event survives encode/decode; routing an accepted event never fails.

#include "events/hubevent.h"
#include "events/routingtable.h"
#include "fuzzcheck.h"

#include <QString>

#include <cstdint>

using kucun::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QString channels[] = {
        QStringLiteral("channel:cache:invalidate"), QStringLiteral("channel:data:update"),
        QStringLiteral("channel:inventory:change"), QStringLiteral("channel:order:status"),
        QStringLiteral("channel:finance:change"),   QStringLiteral("channel:unknown"),
    };
    static const kucun::RoutingTable routes = kucun::RoutingTable::builtIn();
    const QString &channel = channels[data[0] % std::size(channels)];
    const QByteArray payload(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const kucun::EventDecodeResult result = kucun::EventCodec::decode(channel, payload);
    if (!result.event) {
        check(!result.reason.isEmpty());
        return 0;
    }
    const kucun::EventDecodeResult again
        = kucun::EventCodec::decode(channel, kucun::EventCodec::encode(*result.event));
    check(again.event && again.event->fields == result.event->fields);
    routes.actionFor(*result.event);
    return 0;
}
