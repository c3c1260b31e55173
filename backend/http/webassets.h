#pragma once

#include "httprequestparser.h"
#include "httpresponse.h"

#include <QByteArrayView>
#include <QHash>

#include <optional>

namespace kucun {

// The browser client and the demo page (SPEC §7, resources/web/), served from the Qt resources
// built into the hub: `/` (the demo page), its scripts and styles, and `/client/kucun-hub.js`
// and `.d.ts`. Read once; each file answers with an ETag so a browser revalidates with a 304
// instead of fetching it again, and never from a stale copy after the hub is upgraded.
class WebAssets
{
public:
    // The demo page connects to the hub's WebSocket on `webSocketPort` (another port than the
    // page's own), written into the page where it says @WEBSOCKET_PORT@.
    explicit WebAssets(quint16 webSocketPort);

    // Whether `path` ("/", "/client/kucun-hub.js") names a file served here.
    bool contains(QByteArrayView path) const;
    // The answer to a GET or HEAD of `path`, which contains() said is here.
    HttpResponse answer(QByteArrayView path, const HttpRequest &request) const;

private:
    struct Asset
    {
        QByteArray body;
        QByteArray contentType;
        QByteArray etag;
    };
    QHash<QByteArray, Asset> m_assets;  // by path, "/" for the demo page
};

}  // namespace kucun
