#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace kucun::test {

// The real kucun-hub binary run as a site runs it, for tests that drive it from outside.
class HubProcess
{
public:
    // The caller's environment without any WS_, HUB_, REDIS_, HTTP_ or RESP_ setting, with HOME and
    // the XDG folders in `home`, so that nothing of a developer's own settings reaches the hub.
    static QProcessEnvironment cleanEnvironment(const QString &home);

    // Starts `binary` with `arguments`; `inChild` runs in the child before exec (to lower its
    // limits, say). False, with a warning, when it did not start.
    bool start(const QString &binary, const QStringList &arguments,
               const QProcessEnvironment &environment, std::function<void()> inChild = {});
    // The ws= address of the ready line, or an empty URL (with a warning) when none came
    // within 20 s.
    QUrl waitForReady();
    // The whole ready line, once waitForReady() has read it: for the other addresses on it.
    QString readyLine;
    // The port of one of its addresses ("ws", "http", "resp"); 0 when that side is off.
    quint16 readyPort(const QString &field) const;
    // SIGTERM, then true once it has exited cleanly (code 0) within 20 s.
    bool stop();
    // CPU time (user and system) it has used so far, from /proc.
    double cpuSeconds() const;

    QProcess process;
};

}  // namespace kucun::test
