#pragma once

#include <QByteArray>
#include <QMap>
#include <QStringList>

namespace kucun::bench {

// Runs redis-benchmark against 127.0.0.1:`port` with `arguments` (-t, -n, -c, -P, …) and
// returns requests per second by test name ("SET", "GET", …), read from its --csv output.
// Stops the program, saying why, when it fails or prints no figure: a benchmark with a
// missing row is no benchmark.
QMap<QByteArray, double> redisBenchmark(quint16 port, const QStringList &arguments);

}  // namespace kucun::bench
