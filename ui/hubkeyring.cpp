#include "hubkeyring.h"

#include "engine/remotehub.h"

#include <QCoreApplication>
#include <QPointer>
#include <qt6keychain/keychain.h>

namespace kucun {

namespace {

const QString kService = QStringLiteral("kucun-hub");

// What went wrong, said for the window: a missing keyring service is the usual case.
QString problemOf(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::NoError:
    case QKeychain::EntryNotFound:
        return {};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return HubKeyring::tr("no keyring service is running");
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return HubKeyring::tr("the keyring refused access");
    default:
        return HubKeyring::tr("the keyring failed: %1").arg(job.errorString());
    }
}

// A job outlives the dialog that started it (a key saved as the dialog closes is still
// written): the application owns it, and it deletes itself when done.
QObject *jobOwner()
{
    return QCoreApplication::instance();
}

}  // namespace

void HubKeyring::readKey(const QUrl &hub, QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(kService, jobOwner());
    job->setInsecureFallback(false);
    job->setKey(RemoteHub::hubAddress(hub));
    connect(
        job, &QKeychain::Job::finished, this,
        [context = QPointer<QObject>(context), done = std::move(done)](QKeychain::Job *finished) {
            if (!context)
                return;
            const auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
            const QString problem = problemOf(*read);
            done(problem.isEmpty() && read->error() == QKeychain::NoError ? read->binaryData()
                                                                          : QByteArray(),
                 problem);
        });
    job->start();
}

void HubKeyring::writeKey(const QUrl &hub, const QByteArray &key, QObject *context, WriteDone done)
{
    auto *job = new QKeychain::WritePasswordJob(kService, jobOwner());
    job->setInsecureFallback(false);
    job->setKey(RemoteHub::hubAddress(hub));
    job->setBinaryData(key);
    connect(
        job, &QKeychain::Job::finished, this,
        [context = QPointer<QObject>(context), done = std::move(done)](QKeychain::Job *finished) {
            if (context && done)
                done(problemOf(*finished));
        });
    job->start();
}

void HubKeyring::removeKey(const QUrl &hub)
{
    auto *job = new QKeychain::DeletePasswordJob(kService, jobOwner());
    job->setInsecureFallback(false);
    job->setKey(RemoteHub::hubAddress(hub));
    job->start();
}

}  // namespace kucun
