#pragma once

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace kucun {

// The keys of saved hubs (SPEC §13) in the system keyring through QtKeychain: the service
// "kucun-hub", one entry per hub address (RemoteHub::hubAddress). Never in a file: QtKeychain's
// plain-text fallback stays off, so where no keyring service runs nothing is kept and every call
// says so, and the window asks for the key each time. GUI thread; answers come later, while
// `context` lives.
class HubKeyring : public QObject
{
    Q_OBJECT

public:
    // `problem` empty: the keyring answered; `key` is empty when it holds none for the hub.
    using ReadDone = std::function<void(const QByteArray &key, const QString &problem)>;
    using WriteDone = std::function<void(const QString &problem)>;

    using QObject::QObject;

    void readKey(const QUrl &hub, QObject *context, ReadDone done);
    void writeKey(const QUrl &hub, const QByteArray &key, QObject *context, WriteDone done);
    void removeKey(const QUrl &hub);
};

}  // namespace kucun
