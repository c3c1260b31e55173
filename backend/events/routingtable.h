#pragma once

#include "hubevent.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace kucun {

// What one routed event leads to: the cache cascade and the WebSocket channel (SPEC §5).
struct RouteAction
{
    QStringList tags;
    QStringList namespaces;
    QString channel;  // empty: not forwarded
    int rule = -1;  // the index of the route that matched; -1: none
};

// The routing table of SPEC §5: for each event, the first route whose type and conditions
// match decides which tags and namespaces are invalidated and which WebSocket channel gets the
// event. Templates such as "products:{productId}" take the event's fields. Loaded from JSON
// (docs/events.md has the format); the built-in table is SPEC §5's default.
class RoutingTable
{
public:
    struct Route
    {
        EventType type;
        QMap<QString, QString> when;  // field -> required value
        QStringList tags;  // templates
        QStringList namespaces;  // templates
        QString channel;  // template; empty: not forwarded
    };

    struct LoadResult;

    static RoutingTable builtIn();
    static LoadResult fromJson(const QByteArray &json);
    static LoadResult fromFile(const QString &path);

    // Empty action (nothing to do) when no route matches. Template items whose fields the event
    // does not have are left out; a channel that is not a valid channel name is left out too.
    RouteAction actionFor(const HubEvent &event) const;

    const QList<Route> &routes() const { return m_routes; }
    // How traces and the Flow panel name a route: "#2 inventory:change", with its conditions
    // ("#3 data:update resource=products"); empty for an index that names none.
    QString ruleName(int index) const;

private:
    QList<Route> m_routes;
};

struct RoutingTable::LoadResult
{
    std::optional<RoutingTable> table;
    QString error;  // why the file was refused
};

}  // namespace kucun
