#pragma once

#include <QDir>
#include <QProcess>
#include <QString>

namespace kucun::test {

// Throwaway PEM files made with the openssl command, for the TLS tests: a self-signed
// certificate for 127.0.0.1 and localhost with its key.
struct TlsFiles
{
    QString certificate;
    QString key;

    // Writes `<name>.crt` and `<name>.key` into `folder`; false (and `error`) when openssl
    // failed or is missing.
    bool make(const QString &folder, const QString &name, QString *error)
    {
        certificate = QDir(folder).filePath(name + QStringLiteral(".crt"));
        key = QDir(folder).filePath(name + QStringLiteral(".key"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), certificate});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
            *error = QStringLiteral("openssl: %1 %2")
                         .arg(openssl.errorString(),
                              QString::fromUtf8(openssl.readAllStandardError()));
            return false;
        }
        return true;
    }
};

}  // namespace kucun::test
