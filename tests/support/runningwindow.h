#pragma once

// A window on a running engine in this process, for the GUI tests.

#include "engine/enginehost.h"
#include "mainwindow.h"

#include <QSignalSpy>
#include <QTest>

namespace kucun::test {

struct RunningWindow
{
    explicit RunningWindow(const HubConfig &config)
        : engine(config)
        , window(engine, config)
    {
    }
    // Shows the window and starts the engine; false when it is not running within 10 s.
    bool start()
    {
        window.show();
        engine.start();
        return QTest::qWaitFor([this] { return engine.state() == EngineHost::State::Running; },
                               10000);
    }
    ~RunningWindow()
    {
        QSignalSpy finished(&engine, &EngineHost::finished);
        engine.stop();
        (void)finished.wait(10000);
    }
    EngineHost engine;
    MainWindow window;
};

}  // namespace kucun::test
