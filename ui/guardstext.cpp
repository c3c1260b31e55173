#include "guardstext.h"

#include <QLocale>

namespace kucun {

QString GuardsText::degraded(bool linkCut)
{
    return linkCut ? tr("degraded: the Redis link is cut (a demo fault), serving from memory")
                   : tr("degraded: Redis is unavailable, serving from memory");
}

QString GuardsText::line(const EngineTelemetry &telemetry, bool linkCut)
{
    const QLocale locale;
    const CacheStats &cache = telemetry.cache;
    QString text = tr("Guards: shared loads %1 · lock waits %2 · null hits %3 · failed loads %4")
                       .arg(locale.toString(cache.sharedLoads), locale.toString(cache.lockWaits),
                            locale.toString(cache.nullHits), locale.toString(cache.loadErrors));
    if (telemetry.mode == u"degraded")
        text += QStringLiteral(" · ") + degraded(linkCut);
    return text;
}

}  // namespace kucun
