#include "webassets.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>

namespace kucun {

namespace {

QByteArray contentTypeOf(const QString &path)
{
    if (path.endsWith(u".html"))
        return QByteArrayLiteral("text/html; charset=utf-8");
    if (path.endsWith(u".js"))
        return QByteArrayLiteral("text/javascript; charset=utf-8");
    if (path.endsWith(u".css"))
        return QByteArrayLiteral("text/css; charset=utf-8");
    if (path.endsWith(u".png"))
        return QByteArrayLiteral("image/png");
    // The type declarations, and anything else: readable in the browser, never run.
    return QByteArrayLiteral("text/plain; charset=utf-8");
}

// RFC 9110 §13.1.2: If-None-Match lists entity tags (weak ones compare weakly) or is "*".
bool matchesAny(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == "*" || candidate == etag)
            return true;
    }
    return false;
}

// What the demo page may do, said to the browser: load only its own files, and open
// WebSockets (the hub's is on another port, so 'self' would not cover it).
constexpr char kPagePolicy[]
    = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

}  // namespace

WebAssets::WebAssets(quint16 webSocketPort)
{
    const QString root = QStringLiteral(":/web");
    QDirIterator files(root, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString file = files.next();
        QFile reader(file);
        if (!reader.open(QIODevice::ReadOnly))
            continue;
        Asset asset;
        asset.body = reader.readAll();
        QByteArray path = file.mid(root.size()).toUtf8();
        if (path == "/index.html") {
            asset.body.replace("@WEBSOCKET_PORT@", QByteArray::number(webSocketPort));
            path = "/";
        }
        asset.contentType = contentTypeOf(file);
        asset.etag
            = '"'
              + QCryptographicHash::hash(asset.body, QCryptographicHash::Sha256).toHex().left(20)
              + '"';
        m_assets.insert(path, asset);
    }
}

bool WebAssets::contains(QByteArrayView path) const
{
    return m_assets.contains(path.toByteArray());
}

HttpResponse WebAssets::answer(QByteArrayView path, const HttpRequest &request) const
{
    const Asset &asset = m_assets[path.toByteArray()];
    HttpResponse response;
    response.headers
        = {{QByteArrayLiteral("ETag"), asset.etag},
           {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}};
    // Revalidated on every load: an upgraded hub's files are seen at once, an unchanged file
    // costs a 304.
    response.cacheControl = QByteArrayLiteral("no-cache");
    // A site's own pages may import the client straight from the hub: a module script from
    // another origin loads only with CORS. The files are public and carry no credentials.
    if (path.startsWith("/client/"))
        response.headers.append(
            {QByteArrayLiteral("Access-Control-Allow-Origin"), QByteArrayLiteral("*")});
    if (asset.contentType.startsWith("text/html")) {
        response.headers.append({QByteArrayLiteral("Content-Security-Policy"), kPagePolicy});
        response.headers.append(
            {QByteArrayLiteral("Referrer-Policy"), QByteArrayLiteral("no-referrer")});
    }
    const QByteArray ifNoneMatch = request.header("if-none-match");
    if (!ifNoneMatch.isEmpty() && matchesAny(ifNoneMatch, asset.etag)) {
        response.status = 304;
        response.contentType.clear();
        return response;
    }
    response.contentType = asset.contentType;
    response.body = asset.body;
    return response;
}

}  // namespace kucun
