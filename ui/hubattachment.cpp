#include "hubattachment.h"

#include "engine/remotehub.h"
#include "mainwindow.h"

#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace kucun {

namespace {

const QString kTrustedKey = QStringLiteral("attach/trustedCertificates");

// Hubs are told apart by scheme, host and port: one box may run several.
QString hubName(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                  | QUrl::RemoveUserInfo)
        .toString();
}

}  // namespace

HubAttachment::HubAttachment(const QUrl &url, const QByteArray &key, const HubConfig &config,
                             bool readOnly, QObject *parent)
    : QObject(parent)
{
    m_hub = std::make_unique<RemoteHub>(RemoteHub::Options{url, key, trustedCertificates(url)});
    if (readOnly)
        m_hub->setReadOnly(tr("the window was started with --read-only"));
    m_window = std::make_unique<MainWindow>(*m_hub, config);
    m_window->setAttribute(Qt::WA_DeleteOnClose, false);
    m_decider = [this](const QUrl &, const QSslCertificate &certificate, const QString &why) {
        return askToTrust(certificate, why);
    };
    connect(m_hub.get(), &RemoteHub::certificateRefused, this, &HubAttachment::certificateRefused);
    connect(m_window.get(), &MainWindow::quitRequested, this, [this] {
        m_hub->stop();
        m_window->hide();
        emit closed();
    });
    const QString warning = RemoteHub::plainTextWarning(url);
    if (!warning.isEmpty()) {
        auto *label = new QLabel(tr("⚠ Not encrypted"), m_window.get());
        label->setObjectName(QStringLiteral("plainTextWarning"));
        label->setToolTip(warning);
        label->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold"));
        m_window->statusBar()->addPermanentWidget(label);
    }
}

HubAttachment::~HubAttachment()
{
    // The window reads the hub until it goes: it goes first.
    m_window.reset();
    m_hub.reset();
}

void HubAttachment::start()
{
    m_window->show();
    m_hub->start();
}

QList<QByteArray> HubAttachment::trustedCertificates(const QUrl &url)
{
    QList<QByteArray> digests;
    const QSettings settings;
    for (const QVariant &digest : settings.value(kTrustedKey).toMap().value(hubName(url)).toList())
        digests.append(digest.toByteArray());
    return digests;
}

void HubAttachment::trustCertificate(const QUrl &url, const QByteArray &digest)
{
    QSettings settings;
    QVariantMap trusted = settings.value(kTrustedKey).toMap();
    QVariantList digests = trusted.value(hubName(url)).toList();
    if (!digests.contains(digest))
        digests.append(digest);
    trusted.insert(hubName(url), digests);
    settings.setValue(kTrustedKey, trusted);
}

void HubAttachment::certificateRefused(const QSslCertificate &certificate, const QString &why)
{
    const QUrl url = m_hub->options().url;
    if (certificate.isNull() || !m_decider || !m_decider(url, certificate, why))
        return;  // the window says why the link failed
    const QByteArray digest = RemoteHub::certificateDigest(certificate);
    trustCertificate(url, digest);
    m_hub->trustCertificate(digest);
    m_hub->start();
}

bool HubAttachment::askToTrust(const QSslCertificate &certificate, const QString &why)
{
    const QString text
        = tr("<p>The certificate of <b>%1</b> is not trusted: %2.</p>"
             "<p>Issued to: %3<br>Issued by: %4<br>Valid: %5 to %6<br>SHA-256: %7</p>"
             "<p>Trust only a certificate you know to be the hub's own (compare the SHA-256 "
             "with <code>openssl x509 -noout -fingerprint -sha256 -in</code> its certificate "
             "file). Trust this certificate for this hub from now on?</p>")
              .arg(m_hub->options().url.host().toHtmlEscaped(), why.toHtmlEscaped(),
                   certificate.subjectDisplayName().toHtmlEscaped(),
                   certificate.issuerDisplayName().toHtmlEscaped(),
                   QLocale().toString(certificate.effectiveDate(), QLocale::ShortFormat),
                   QLocale().toString(certificate.expiryDate(), QLocale::ShortFormat),
                   QString::fromLatin1(RemoteHub::certificateDigest(certificate)));
    return QMessageBox::warning(m_window.get(), tr("Untrusted certificate"), text,
                                QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
           == QMessageBox::Yes;
}

}  // namespace kucun
