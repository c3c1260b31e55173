#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>
#include <QtNetwork/qssl.h>

#include <optional>

namespace kucun {

// The PEM pair behind wss:// and https:// (HUB_TLS_CERT, HUB_TLS_KEY): loaded and checked when
// the settings are read, so that a certificate that does not load, or a key that is not the
// certificate's, stops the hub before anything listens (SPEC §1, docs/http.md "TLS").
//
// The files are checked with OpenSSL and kept as PEM text: settings are read before the
// application object exists, and Qt's TLS classes must not be touched before it does. Qt's
// objects are made from the text by serverConfiguration(), in the engine thread.
struct TlsCredentials
{
    QString certificateFile;
    QString keyFile;
    QByteArray certificatePem;  // the hub's certificate first, then any intermediates
    QByteArray keyPem;
    QSsl::KeyAlgorithm keyAlgorithm = QSsl::Rsa;

    bool enabled() const { return !certificatePem.isEmpty() && !keyPem.isEmpty(); }
    // What a listening socket hands to each accepted QSslSocket.
    QSslConfiguration serverConfiguration() const;

    // Each returns why the file is refused (a phrase for the setting's error line), or nothing
    // and fills in its half.
    std::optional<QString> loadCertificates(const QString &file);
    std::optional<QString> loadKey(const QString &file);
    // Once both halves are loaded: whether the key is the certificate's private key.
    bool keyMatchesCertificate() const;
};

}  // namespace kucun
