#pragma once

#include "hubconfig.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace kucun {

// What the command line asked for once every setting is read and checked.
struct LoadOutcome
{
    enum class Action { Run, ShowHelp, ShowVersion, Fail };

    Action action = Action::Fail;
    HubConfig config;  // meaningful for Run
    QString text;  // the help or version text, or the one-line error for Fail
};

// Reads the settings from the command line, the environment and the settings file, highest
// first, and validates the effective value of each (SPEC §1). A value that a higher source
// overrides is not looked at. Pure apart from reading the settings file, so tests can drive it.
class HubConfigLoader
{
public:
    struct Inputs
    {
        QStringList arguments;  // argv, program name first
        QProcessEnvironment environment;
        QString userSettingsFile;  // read when no --config is given and it exists
        QString defaultDataDir;
    };

    static LoadOutcome load(const Inputs &inputs);

    // The exit code for a refused setting (SPEC §1).
    static constexpr int kBadSettingExitCode = 2;

    // The user's own settings file (the one the GUI's Settings dialog writes).
    static QString defaultUserSettingsFile();
    // The platform's AppDataLocation for the hub.
    static QString defaultDataDir();
};

// Creates the data folder when missing and checks that it is writable. Returns the one-line error
// otherwise. Separate from loading so that loading stays free of side effects.
std::optional<QString> prepareDataDir(const HubConfig &config);

}  // namespace kucun
