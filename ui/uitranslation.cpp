#include "uitranslation.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace kucun {

QString installUiTranslation(QCoreApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (locale.language() != QLocale::Chinese)
        return QStringLiteral("en");  // the source texts are English

    // Children of the application: they live as long as it does.
    auto *hubTranslator = new QTranslator(&app);
    if (!hubTranslator->load(locale, QStringLiteral("kucun-hub"), QStringLiteral("_"),
                             QStringLiteral(":/i18n"))) {
        delete hubTranslator;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(hubTranslator);

    auto *qtTranslator = new QTranslator(&app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    else
        delete qtTranslator;
    return QStringLiteral("zh_CN");
}

}  // namespace kucun
