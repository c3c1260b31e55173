#pragma once

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace kucun {

class HubKeyring;

// File > Connect to hub… (SPEC §13): the hubs the user saved (a name and an address, kept in the
// user's settings) and the key for the one chosen (kept in the system keyring when the user asks
// and a keyring runs; never in the settings). Where no keyring runs the dialog says so and the
// key is asked for each time.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    struct SavedHub
    {
        QString name;
        QUrl url;
        friend bool operator==(const SavedHub &, const SavedHub &) = default;
    };

    explicit ConnectDialog(QWidget *parent = nullptr);

    // What the user chose, once accepted.
    QUrl url() const;
    QByteArray key() const;

    static QList<SavedHub> savedHubs();
    static void setSavedHubs(const QList<SavedHub> &hubs);

    // For tests: the fields, as a user fills them.
    void setFields(const QString &name, const QString &url, const QString &key, bool remember);
    QString noteText() const;
    bool rememberAllowed() const;

public slots:
    // Saves the chosen hub (and, when asked, its key in the keyring).
    bool save();
    void removeSelected();
    // Checks the address and accepts.
    void connectToHub();

signals:
    // The keyring said how it went: for the note and for tests.
    void keyringAnswered();

private:
    void showSaved();
    void chooseSaved(int row);
    void showNote();
    // The address typed, or an empty URL with the note saying what is wrong.
    QUrl checkedUrl();

    HubKeyring *m_keyring = nullptr;
    QListWidget *m_saved = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_key = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_note = nullptr;
    QString m_keyringProblem;  // from the last keyring call; empty while it works
    QString m_problem;  // the address's or the last save's
};

}  // namespace kucun
