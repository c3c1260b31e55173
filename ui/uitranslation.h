#pragma once

#include <QString>

class QCoreApplication;

namespace kucun {

// Installs the hub's translation (and Qt's own, for standard dialogs) for `language` ("en",
// "zh_CN"; empty: the system locale) on `app`. Returns the language actually in use.
QString installUiTranslation(QCoreApplication &app, const QString &language);

}  // namespace kucun
