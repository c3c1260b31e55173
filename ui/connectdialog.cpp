#include "connectdialog.h"

#include "config/hubconfig.h"
#include "engine/remotehub.h"
#include "hubkeyring.h"
#include "settingsarray.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace kucun {

namespace {

const QString kHubsKey = QStringLiteral("attach/hubs");

}  // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_keyring(new HubKeyring(this))
    , m_saved(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember the key in the system keyring"), this))
    , m_note(new QLabel(this))
{
    setWindowTitle(tr("Connect to hub"));
    setObjectName(QStringLiteral("connectDialog"));
    m_saved->setObjectName(QStringLiteral("savedHubs"));
    m_url->setObjectName(QStringLiteral("hubUrl"));
    m_url->setPlaceholderText(QStringLiteral("https://shop-box:3003"));
    m_key->setObjectName(QStringLiteral("hubKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("HUB_ADMIN_KEY or HUB_VIEWER_KEY of that hub"));
    m_name->setPlaceholderText(tr("Shop box"));
    m_note->setObjectName(QStringLiteral("connectNote"));
    m_note->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Address:"), m_url);
    form->addRow(tr("&Key:"), m_key);
    form->addRow(QString(), m_remember);
    auto *saveButton = new QPushButton(tr("&Save"), this);
    auto *removeButton = new QPushButton(tr("Re&move"), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setDefault(true);
    auto *savedButtons = new QHBoxLayout;
    savedButtons->addWidget(saveButton);
    savedButtons->addWidget(removeButton);
    savedButtons->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addLayout(savedButtons);
    right->addWidget(m_note);
    right->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(m_saved, 1);
    top->addLayout(right, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);

    connect(m_saved, &QListWidget::currentRowChanged, this, &ConnectDialog::chooseSaved);
    connect(saveButton, &QPushButton::clicked, this, &ConnectDialog::save);
    connect(removeButton, &QPushButton::clicked, this, &ConnectDialog::removeSelected);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::connectToHub);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, [this] {
        m_problem.clear();
        showNote();
    });
    showSaved();
    showNote();
    if (m_saved->count() > 0)
        m_saved->setCurrentRow(0);  // the usual hub, with its key from the keyring
}

QList<ConnectDialog::SavedHub> ConnectDialog::savedHubs()
{
    QList<SavedHub> hubs;
    for (const QVariantMap &row :
         readSettingsArray(kHubsKey, {QStringLiteral("name"), QStringLiteral("url")})) {
        const QUrl url(row.value(QStringLiteral("url")).toString());
        if (isHubAddress(url))
            hubs.append({row.value(QStringLiteral("name")).toString(), url});
    }
    return hubs;
}

void ConnectDialog::setSavedHubs(const QList<SavedHub> &hubs)
{
    QList<QVariantMap> rows;
    for (const SavedHub &hub : hubs) {
        rows.append(
            {{QStringLiteral("name"), hub.name}, {QStringLiteral("url"), hub.url.toString()}});
    }
    writeSettingsArray(kHubsKey, rows);
}

void ConnectDialog::showSaved()
{
    m_saved->clear();
    for (const SavedHub &hub : savedHubs()) {
        m_saved->addItem(hub.name.isEmpty() ? hub.url.toString()
                                            : tr("%1 (%2)").arg(hub.name, hub.url.toString()));
    }
}

void ConnectDialog::chooseSaved(int row)
{
    const QList<SavedHub> hubs = savedHubs();
    if (row < 0 || row >= hubs.size())
        return;
    m_name->setText(hubs[row].name);
    m_url->setText(hubs[row].url.toString());
    m_key->clear();
    m_keyring->readKey(hubs[row].url, this,
                       [this, url = hubs[row].url](const QByteArray &key, const QString &problem) {
                           m_keyringProblem = problem;
                           if (problem.isEmpty() && QUrl(m_url->text().trimmed()) == url) {
                               m_key->setText(QString::fromUtf8(key));
                               m_remember->setChecked(!key.isEmpty());
                           }
                           showNote();
                           emit keyringAnswered();
                       });
}

void ConnectDialog::showNote()
{
    QStringList lines;
    if (!m_problem.isEmpty())
        lines << m_problem;
    const QUrl url(m_url->text().trimmed());
    if (isHubAddress(url)) {
        const QString warning = RemoteHub::plainTextWarning(url);
        if (!warning.isEmpty())
            lines << warning;
    }
    m_remember->setEnabled(m_keyringProblem.isEmpty());
    if (!m_keyringProblem.isEmpty()) {
        m_remember->setChecked(false);
        lines << tr("The key cannot be kept (%1): it is asked for each time, and never written "
                    "to a file.")
                     .arg(m_keyringProblem);
    }
    m_note->setText(lines.join(QStringLiteral("\n\n")));
}

QUrl ConnectDialog::checkedUrl()
{
    const QUrl url(m_url->text().trimmed(), QUrl::StrictMode);
    if (!isHubAddress(url)) {
        m_problem = tr("\"%1\" is not a hub's address: expected http://host:port or "
                       "https://host:port.")
                        .arg(m_url->text().trimmed());
        showNote();
        return {};
    }
    return url.adjusted(QUrl::RemovePath);
}

bool ConnectDialog::save()
{
    const QUrl url = checkedUrl();
    if (url.isEmpty())
        return false;
    QList<SavedHub> hubs = savedHubs();
    const SavedHub chosen{m_name->text().trimmed(), url};
    const auto same = std::find_if(hubs.begin(), hubs.end(), [&url](const SavedHub &hub) {
        return RemoteHub::hubAddress(hub.url) == RemoteHub::hubAddress(url);
    });
    if (same != hubs.end())
        *same = chosen;
    else
        hubs.append(chosen);
    setSavedHubs(hubs);
    showSaved();
    if (m_remember->isChecked() && !m_key->text().isEmpty()) {
        m_keyring->writeKey(url, m_key->text().toUtf8(), this, [this](const QString &problem) {
            m_keyringProblem = problem;
            showNote();
            emit keyringAnswered();
        });
    } else if (!m_remember->isChecked() && m_keyringProblem.isEmpty()) {
        m_keyring->removeKey(url);  // the user no longer wants it kept
    }
    return true;
}

void ConnectDialog::removeSelected()
{
    const int row = m_saved->currentRow();
    QList<SavedHub> hubs = savedHubs();
    if (row < 0 || row >= hubs.size())
        return;
    m_keyring->removeKey(hubs[row].url);
    hubs.removeAt(row);
    setSavedHubs(hubs);
    showSaved();
}

void ConnectDialog::connectToHub()
{
    // Asked to remember the key: connecting saves, as the user would expect of the checkbox.
    if (m_remember->isChecked() ? save() : !checkedUrl().isEmpty())
        accept();
}

QUrl ConnectDialog::url() const
{
    return QUrl(m_url->text().trimmed()).adjusted(QUrl::RemovePath);
}

QByteArray ConnectDialog::key() const
{
    return m_key->text().trimmed().toUtf8();
}

void ConnectDialog::setFields(const QString &name, const QString &url, const QString &key,
                              bool remember)
{
    m_name->setText(name);
    m_url->setText(url);
    m_key->setText(key);
    m_remember->setChecked(remember);
}

QString ConnectDialog::noteText() const
{
    return m_note->text();
}

bool ConnectDialog::rememberAllowed() const
{
    return m_remember->isEnabled();
}

}  // namespace kucun
