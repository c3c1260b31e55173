#pragma once

#include <QString>

#include <optional>

namespace kucun {

// Where a message on the bus came from (SPEC §14): part of an event's trace, and the Flow
// panel's first column. The bus carries it with every message; callers of the router name it.
enum class EventSource {
    Hub,  // the hub's own messages (its cache:invalidate announcements)
    Redis,  // heard on a Redis Pub/Sub channel: the site's code, or another hub
    Stream,  // read from the reliable event stream (HUB_EVENT_STREAM)
    Http,  // POST /api/events
    Resp,  // a client of the Redis-protocol front (PUBLISH)
    WebSocket,  // a WebSocket client's publish
    Window,  // the desktop window's Publish panel
    Demo,  // the traffic simulator
    Replay,  // a recording sent again (--replay, the Events panel)
};

namespace EventSources {

inline constexpr EventSource kAll[] = {
    EventSource::Hub,    EventSource::Redis, EventSource::Stream,
    EventSource::Http,   EventSource::Resp,  EventSource::WebSocket,
    EventSource::Window, EventSource::Demo,  EventSource::Replay,
};

// The name in traces and on the API: "hub", "redis", "stream", "http", "resp", "websocket",
// "window", "demo", "replay".
QString name(EventSource source);
std::optional<EventSource> fromName(const QString &name);

}  // namespace EventSources

}  // namespace kucun
