#include "uitranslation.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace kucun {

QString installUiTranslation(QCoreApplication &app, const QString &language)
{
    const QLocale requested = language.isEmpty() ? QLocale::system() : QLocale(language);
    const bool chinese = requested.language() == QLocale::Chinese;
    // English needs its translation too: the plural forms ("1 key", "3 keys") live there.
    const QLocale locale(chinese ? QLocale::Chinese : QLocale::English,
                         chinese ? QLocale::China : QLocale::UnitedStates);

    // Children of the application: they live as long as it does.
    auto *hubTranslator = new QTranslator(&app);
    if (!hubTranslator->load(locale, QStringLiteral("kucun-hub"), QStringLiteral("_"),
                             QStringLiteral(":/i18n"))) {
        delete hubTranslator;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(hubTranslator);
    if (!chinese)
        return QStringLiteral("en");

    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    else
        delete qtTranslator;
    return QStringLiteral("zh_CN");
}

}  // namespace kucun
