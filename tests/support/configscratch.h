#pragma once

#include "config/hubconfigloader.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

namespace kucun::test {

// A scratch folder for the settings tests: runs the loader as `kucun-hub <flags>` would run it
// (the default data folder inside the scratch folder) and writes settings files into it.
class ConfigScratch
{
public:
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    LoadOutcome load(const QStringList &flags, const QProcessEnvironment &env = {},
                     const QString &userFile = {}) const
    {
        HubConfigLoader::Inputs inputs;
        inputs.arguments = QStringList{QStringLiteral("kucun-hub")} + flags;
        inputs.environment = env;
        inputs.userSettingsFile = userFile;
        inputs.defaultDataDir = m_dir.filePath(QStringLiteral("default-data"));
        return HubConfigLoader::load(inputs);
    }

    // A new settings file with `content`; its path.
    QString writeIni(const QByteArray &content)
    {
        const QString path = m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_iniCount));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(content);
        return path;
    }

private:
    QTemporaryDir m_dir;
    int m_iniCount = 0;
};

}  // namespace kucun::test
