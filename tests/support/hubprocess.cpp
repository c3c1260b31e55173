#include "hubprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>
#include <unistd.h>

namespace kucun::test {

QProcessEnvironment HubProcess::cleanEnvironment(const QString &home)
{
    // Nothing of the developer's own settings may leak into the hub under test.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(QStringLiteral("WS_")) || name.startsWith(QStringLiteral("HUB_"))
            || name.startsWith(QStringLiteral("REDIS_")) || name.startsWith(QStringLiteral("HTTP_"))
            || name.startsWith(QStringLiteral("RESP_")))
            env.remove(name);
    }
    // Tests run side by side: the HTTP side and the Redis-protocol front take free ports unless
    // a test asks otherwise.
    env.insert(QStringLiteral("HTTP_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("RESP_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    return env;
}

bool HubProcess::start(const QString &binary, const QStringList &arguments,
                       const QProcessEnvironment &environment, std::function<void()> inChild)
{
    process.setProcessEnvironment(environment);
    if (inChild)
        process.setChildProcessModifier(std::move(inChild));
    process.start(binary, arguments);
    if (process.waitForStarted(10000))
        return true;
    qWarning().noquote() << "the hub did not start:" << process.errorString();
    return false;
}

QUrl HubProcess::waitForReady()
{
    QDeadlineTimer deadline(20000);
    while (!process.canReadLine() && process.state() == QProcess::Running && !deadline.hasExpired())
        process.waitForReadyRead(int(deadline.remainingTime()));
    const QString line = QString::fromUtf8(process.readLine());
    readyLine = line.trimmed();
    static const QRegularExpression ready(QStringLiteral("^kucun-hub ready ws=(\\S+) "));
    const QRegularExpressionMatch match = ready.match(line);
    if (!match.hasMatch()) {
        qWarning().noquote() << "unexpected first line:" << line
                             << "stderr:" << process.readAllStandardError();
        return {};
    }
    return QUrl(match.captured(1));
}

quint16 HubProcess::readyPort(const QString &field) const
{
    const QRegularExpression address(QStringLiteral("\\b%1=\\w+://[^:\\s]+:(\\d+)").arg(field));
    return quint16(address.match(readyLine).captured(1).toUInt());
}

bool HubProcess::stop()
{
    if (::kill(pid_t(process.processId()), SIGTERM) != 0)
        return false;
    return process.waitForFinished(20000) && process.exitStatus() == QProcess::NormalExit
           && process.exitCode() == 0;
}

double HubProcess::cpuSeconds() const
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(process.processId()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // The fields after the command name (which may hold spaces): utime and stime are the
    // 12th and 13th of them, in clock ticks.
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields[11].toLongLong() + fields[12].toLongLong())
           / double(::sysconf(_SC_CLK_TCK));
}

}  // namespace kucun::test
