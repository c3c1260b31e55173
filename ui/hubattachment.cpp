#include "hubattachment.h"

#include "changeguard.h"
#include "engine/remotehub.h"
#include "mainwindow.h"
#include "settingsarray.h"

#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QStatusBar>

namespace kucun {

namespace {

// An array of {hub, digests}: hub addresses hold "/", which QSettings keys may not.
const QString kTrustedKey = QStringLiteral("attach/trustedCertificates");

QStringList trustedFields()
{
    return {QStringLiteral("hub"), QStringLiteral("digests")};
}

}  // namespace

HubAttachment::HubAttachment(const QUrl &url, const QByteArray &key, const HubConfig &config,
                             bool readOnly, QObject *parent)
    : QObject(parent)
{
    m_hub = std::make_unique<RemoteHub>(RemoteHub::Options{url, key, trustedCertificates(url)});
    if (readOnly)
        m_hub->setReadOnly(ChangeGuard::readOnlyFlagReason());
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
    for (const QVariantMap &row : readSettingsArray(kTrustedKey, trustedFields())) {
        if (row.value(QStringLiteral("hub")).toString() != RemoteHub::hubAddress(url))
            continue;
        for (const QString &digest : row.value(QStringLiteral("digests")).toStringList())
            digests.append(digest.toLatin1());
    }
    return digests;
}

void HubAttachment::trustCertificate(const QUrl &url, const QByteArray &digest)
{
    QList<QVariantMap> rows = readSettingsArray(kTrustedKey, trustedFields());
    const QString hub = RemoteHub::hubAddress(url);
    auto found = std::find_if(rows.begin(), rows.end(), [&hub](const QVariantMap &row) {
        return row.value(QStringLiteral("hub")).toString() == hub;
    });
    if (found == rows.end())
        found = rows.insert(rows.end(), {{QStringLiteral("hub"), hub}});
    QStringList digests = found->value(QStringLiteral("digests")).toStringList();
    if (!digests.contains(QString::fromLatin1(digest)))
        digests.append(QString::fromLatin1(digest));
    found->insert(QStringLiteral("digests"), digests);
    writeSettingsArray(kTrustedKey, rows);
}

void HubAttachment::certificateRefused(const QSslCertificate &certificate, const QString &why)
{
    const QUrl url = m_hub->options().url;
    if (certificate.isNull() || !m_decider)
        return;
    // The question runs an event loop of its own, in which the window may be closed and this
    // attachment deleted.
    const QPointer<HubAttachment> self(this);
    const bool trust = m_decider(url, certificate, why);
    if (!self || !trust)
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
    // Not a child of the window, which may go while the question is open.
    QMessageBox question(QMessageBox::Warning, tr("Untrusted certificate"), text,
                         QMessageBox::Yes | QMessageBox::No);
    question.setDefaultButton(QMessageBox::No);
    return question.exec() == QMessageBox::Yes;
}

}  // namespace kucun
