#include "tlscredentials.h"

#include "settingparsers.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace kucun {

namespace {

// A PEM file of a certificate chain or a key is a few KiB; anything much larger is not one.
constexpr qint64 kMaxPemBytes = 1 << 20;

std::optional<QByteArray> readPem(const QString &file, QString *refusal)
{
    QFile pem(file);
    if (!pem.open(QIODevice::ReadOnly)) {
        *refusal = QStringLiteral("%1 cannot be read (%2)")
                       .arg(quotedForMessage(file), pem.errorString());
        return std::nullopt;
    }
    if (pem.size() > kMaxPemBytes) {
        *refusal = QStringLiteral("%1 is %2 bytes, too large for a PEM file")
                       .arg(quotedForMessage(file))
                       .arg(pem.size());
        return std::nullopt;
    }
    return pem.readAll();
}

template <typename T, void (*Free)(T *)> struct OpenSslDeleter
{
    void operator()(T *object) const { Free(object); }
};
using Bio = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;

Bio memoryBio(const QByteArray &bytes)
{
    return Bio(bytes.isEmpty() ? nullptr : BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

int noPassphrase(char *, int, int, void *)
{
    return 0;
}

}  // namespace

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromData(certificatePem, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(keyPem, keyAlgorithm, QSsl::Pem, QSsl::PrivateKey));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);  // clients bring no certificate
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

std::optional<QString> TlsCredentials::loadCertificates(const QString &file)
{
    QString refusal;
    const std::optional<QByteArray> pem = readPem(file, &refusal);
    if (!pem)
        return refusal;
    const Bio bio = memoryBio(*pem);
    const X509Ptr first(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!first) {
        return QStringLiteral("%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            .arg(quotedForMessage(file));
    }
    certificateFile = file;
    certificatePem = *pem;
    return std::nullopt;
}

std::optional<QString> TlsCredentials::loadKey(const QString &file)
{
    QString refusal;
    const std::optional<QByteArray> pem = readPem(file, &refusal);
    if (!pem)
        return refusal;
    if (pem->contains("ENCRYPTED")) {
        // The hub starts unattended: nobody would be there to type a pass phrase.
        return QStringLiteral("%1 is encrypted; give the key without a pass phrase and protect "
                              "the file by its permissions")
            .arg(quotedForMessage(file));
    }
    const Bio bio = memoryBio(*pem);
    // No pass phrase callback: an encrypted key the text check missed fails here.
    const PKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr)
                          : nullptr);
    const int type = key ? EVP_PKEY_get_base_id(key.get()) : EVP_PKEY_NONE;
    if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC && type != EVP_PKEY_DSA) {
        return QStringLiteral("%1 holds no PEM private key (RSA, EC or DSA)")
            .arg(quotedForMessage(file));
    }
    keyFile = file;
    keyPem = *pem;
    keyAlgorithm = type == EVP_PKEY_RSA ? QSsl::Rsa : type == EVP_PKEY_EC ? QSsl::Ec : QSsl::Dsa;
    return std::nullopt;
}

bool TlsCredentials::keyMatchesCertificate() const
{
    const Bio certificateBio = memoryBio(certificatePem);
    const Bio keyBio = memoryBio(keyPem);
    if (!certificateBio || !keyBio)
        return false;
    const X509Ptr certificate(PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr));
    const PKeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr));
    return certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
}

}  // namespace kucun
