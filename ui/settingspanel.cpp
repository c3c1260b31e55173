#include "settingspanel.h"

#include "config/settingparsers.h"
#include "hubsettingsmodel.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kucun {

SettingsPanel::SettingsPanel(const HubConfig &config, QString settingsFile, QWidget *parent)
    : QWidget(parent)
    , m_file(std::move(settingsFile))
    , m_model(new HubSettingsModel(config, this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_view->setModel(m_model);
    m_view->setObjectName(QStringLiteral("settingsView"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->resizeColumnsToContents();  // a row per setting: cheap

    auto *editor = new QWidget(this);
    auto *grid = new QGridLayout(editor);
    for (const SettingInfo &info : allSettings()) {
        const int row = int(info.id);
        auto *field = new QLineEdit(editor);
        field->setObjectName(QString::fromLatin1(info.envName));
        field->setPlaceholderText(tr("(not set: default, environment or flag)"));
        if (info.secret)
            field->setEchoMode(QLineEdit::PasswordEchoOnEdit);
        auto *name = new QLabel(QString::fromLatin1(info.envName), editor);
        name->setToolTip(HubSettingsModel::tr(info.description));
        grid->addWidget(name, row, 0);
        grid->addWidget(field, row, 1);
        grid->addWidget(new QLabel(HubSettingsModel::tr(info.description), editor), row, 2);
        m_fields.append(field);
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(editor);
    scroll->setWidgetResizable(true);

    m_saveButton = new QPushButton(tr("&Save to the settings file"), this);
    QPushButton *saveButton = m_saveButton;
    auto *revertButton = new QPushButton(tr("Re&vert"), this);
    m_applyButton = new QPushButton(tr("Save and &apply now"), this);
    m_applyButton->setToolTip(tr("Restarts the engine with the saved settings: WebSocket clients "
                                 "are disconnected and reconnect"));
    m_applyButton->setVisible(false);
    m_applyButton->setProperty("tip", m_applyButton->toolTip());
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setWordWrap(true);
    auto *fileBox = new QGroupBox(tr("Settings file %1 (read at start)").arg(m_file), this);
    auto *fileLayout = new QVBoxLayout(fileBox);
    fileLayout->addWidget(scroll, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(saveButton);
    buttons->addWidget(m_applyButton);
    buttons->addWidget(revertButton);
    buttons->addStretch(1);
    fileLayout->addLayout(buttons);
    fileLayout->addWidget(m_status);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(fileBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(saveButton, &QPushButton::clicked, this, &SettingsPanel::save);
    connect(revertButton, &QPushButton::clicked, this, &SettingsPanel::load);
    connect(m_applyButton, &QPushButton::clicked, this, &SettingsPanel::apply);
    load();
}

void SettingsPanel::setReadOnly(const QString &why)
{
    // The fields stay readable (and selectable) but take no edits; save and apply are off.
    for (QLineEdit *field : std::as_const(m_fields))
        field->setReadOnly(!why.isEmpty());
    for (QPushButton *button : {m_saveButton, m_applyButton}) {
        button->setEnabled(why.isEmpty());
        button->setToolTip(why.isEmpty() ? button->property("tip").toString() : why);
    }
    m_status->setText(why);
}

void SettingsPanel::load()
{
    const QSettings file(m_file, QSettings::IniFormat);
    for (const SettingInfo &info : allSettings())
        m_fields[int(info.id)]->setText(file.value(QLatin1StringView(info.envName)).toString());
    m_status->clear();
}

void SettingsPanel::setValue(const QString &envName, const QString &value)
{
    for (QLineEdit *field : std::as_const(m_fields)) {
        if (field->objectName() == envName)
            field->setText(value);
    }
}

bool SettingsPanel::save()
{
    // Every value is checked before anything is written: a half-saved file helps nobody.
    QStringList refusals;
    HubConfig scratch;
    for (const SettingInfo &info : allSettings()) {
        const QString value = m_fields[int(info.id)]->text().trimmed();
        if (value.isEmpty())
            continue;
        if (const auto why = applySetting(info.id, value, scratch))
            refusals << QStringLiteral("%1: %2").arg(QLatin1StringView(info.envName), *why);
    }
    if (!refusals.isEmpty()) {
        m_status->setText(tr("Nothing saved. %1").arg(refusals.join(QStringLiteral("; "))));
        return false;
    }
    QSettings file(m_file, QSettings::IniFormat);
    for (const SettingInfo &info : allSettings()) {
        const QString value = m_fields[int(info.id)]->text().trimmed();
        if (value.isEmpty())
            file.remove(QLatin1StringView(info.envName));
        else
            file.setValue(QLatin1StringView(info.envName), value);
    }
    file.sync();
    if (file.status() != QSettings::NoError) {
        m_status->setText(tr("Could not write %1.").arg(m_file));
        return false;
    }
    m_status->setText(tr("Saved. The hub reads the file at start: restart it to apply."));
    emit activity(tr("Settings saved to %1").arg(m_file));
    return true;
}

void SettingsPanel::setReloader(Reloader reloader)
{
    m_reloader = std::move(reloader);
    m_applyButton->setVisible(bool(m_reloader));
}

bool SettingsPanel::apply()
{
    if (!m_reloader || !save())
        return false;
    auto reloaded = m_reloader();
    if (const QString *why = std::get_if<QString>(&reloaded)) {
        m_status->setText(tr("Saved, not applied: %1").arg(*why));
        return false;
    }
    const HubConfig &config = std::get<HubConfig>(reloaded);
    // What is now in effect, shown above.
    m_view->setModel(nullptr);
    delete m_model;
    m_model = new HubSettingsModel(config, this);
    m_view->setModel(m_model);
    m_status->setText(tr("Saved and applied: the engine restarts with these settings."));
    emit applyRequested(config);
    return true;
}

QString SettingsPanel::statusText() const
{
    return m_status->text();
}

}  // namespace kucun
