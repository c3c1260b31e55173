#pragma once

#include "config/hubconfig.h"

#include <QObject>
#include <QSslCertificate>

#include <functional>
#include <memory>

namespace kucun {

class MainWindow;
class RemoteHub;

// A window attached to a hub running elsewhere (SPEC §13): the RemoteHub, the MainWindow on it,
// the warning a plain http:// link to another machine deserves, and the certificates the user
// chose to trust for that hub. A trusted certificate is remembered per hub in the user's
// settings (it is public; the key is not, and never goes there). Closing the window ends the
// attachment.
class HubAttachment : public QObject
{
    Q_OBJECT

public:
    // Whether to trust `certificate` for the hub at `url`, which failed the checks for `why`.
    // By default the user is asked; tests answer themselves.
    using TrustDecider = std::function<bool(const QUrl &url, const QSslCertificate &certificate,
                                            const QString &why)>;

    // `config`: this process's settings (language, the settings file the window names); the
    // hub's own are its box's.
    HubAttachment(const QUrl &url, const QByteArray &key, const HubConfig &config, bool readOnly,
                  QObject *parent = nullptr);
    ~HubAttachment() override;

    RemoteHub &hub() const { return *m_hub; }
    MainWindow &window() const { return *m_window; }
    void setTrustDecider(TrustDecider decider) { m_decider = std::move(decider); }
    // Shows the window and attaches.
    void start();

    // The certificates trusted for the hub at `url` (SHA-256 digests), and trusting one more.
    static QList<QByteArray> trustedCertificates(const QUrl &url);
    static void trustCertificate(const QUrl &url, const QByteArray &digest);

signals:
    // The window was closed: the attachment has stopped and may go.
    void closed();

private:
    void certificateRefused(const QSslCertificate &certificate, const QString &why);
    bool askToTrust(const QSslCertificate &certificate, const QString &why);

    std::unique_ptr<RemoteHub> m_hub;
    std::unique_ptr<MainWindow> m_window;
    TrustDecider m_decider;
};

}  // namespace kucun
