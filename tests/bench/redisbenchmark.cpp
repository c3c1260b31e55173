#include "redisbenchmark.h"

#include <QProcess>

namespace kucun::bench {

QMap<QByteArray, double> redisBenchmark(quint16 port, const QStringList &arguments)
{
    QProcess benchmark;
    benchmark.start(QStringLiteral("redis-benchmark"),
                    QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                                QStringLiteral("-p"), QString::number(port),
                                QStringLiteral("--csv")}
                        + arguments);
    if (!benchmark.waitForFinished(600000) || benchmark.exitCode() != 0)
        qFatal("redis-benchmark %s failed: %s", qPrintable(arguments.join(u' ')),
               benchmark.readAllStandardError().constData());
    QMap<QByteArray, double> figures;
    for (const QByteArray &line : benchmark.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.split(',');
        if (fields.size() < 2 || fields[0] == "\"test\"")
            continue;
        const double rps = QByteArray(fields[1]).replace('"', "").toDouble();
        if (rps > 0)
            figures.insert(QByteArray(fields[0]).replace('"', ""), rps);
    }
    if (figures.isEmpty())
        qFatal("could not read redis-benchmark's output");
    return figures;
}

}  // namespace kucun::bench
