#include "eventsource.h"

namespace kucun {

QString EventSources::name(EventSource source)
{
    switch (source) {
    case EventSource::Hub:
        return QStringLiteral("hub");
    case EventSource::Redis:
        return QStringLiteral("redis");
    case EventSource::Stream:
        return QStringLiteral("stream");
    case EventSource::Http:
        return QStringLiteral("http");
    case EventSource::Resp:
        return QStringLiteral("resp");
    case EventSource::WebSocket:
        return QStringLiteral("websocket");
    case EventSource::Window:
        return QStringLiteral("window");
    case EventSource::Demo:
        return QStringLiteral("demo");
    case EventSource::Replay:
        return QStringLiteral("replay");
    }
    return {};
}

std::optional<EventSource> EventSources::fromName(const QString &name)
{
    for (const EventSource source : kAll) {
        if (EventSources::name(source) == name)
            return source;
    }
    return std::nullopt;
}

}  // namespace kucun
