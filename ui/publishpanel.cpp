#include "publishpanel.h"

#include "changeguard.h"
#include "engine/hublink.h"
#include "events/hubevent.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace kucun {

namespace {

const QString kRawType = QStringLiteral("ws");

const EventTypeSchema *schemaNamed(const QString &type)
{
    const std::optional<EventType> known = EventCodec::typeFromName(type);
    return known ? &eventSchema(*known) : nullptr;
}

QString labelOf(const EventFieldSchema &field)
{
    return QCoreApplication::translate("kucun::EventSchema", field.label);
}

QString valueOf(const QWidget *field)
{
    if (const auto *line = qobject_cast<const QLineEdit *>(field))
        return line->text().trimmed();
    if (const auto *box = qobject_cast<const QComboBox *>(field))
        return box->currentText();
    if (const auto *text = qobject_cast<const QPlainTextEdit *>(field))
        return text->toPlainText();
    return {};
}

}  // namespace

PublishPanel::PublishPanel(HubLink &engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_type(new QComboBox(this))
    , m_formHolder(new QWidget(this))
    , m_status(new QLabel(this))
{
    for (const EventTypeSchema &schema : eventSchemas())
        m_type->addItem(QLatin1StringView(schema.name), QLatin1StringView(schema.name));
    m_type->addItem(tr("raw ws:<channel> message"), kRawType);
    m_type->setObjectName(QStringLiteral("publishType"));
    m_status->setObjectName(QStringLiteral("publishStatus"));
    m_status->setWordWrap(true);
    auto *send = new QPushButton(tr("&Publish"), this);
    send->setObjectName(QStringLiteral("publishButton"));
    ChangeGuard::enable(send, true, m_engine);
    connect(&m_engine, &HubLink::readOnlyChanged, send,
            [this, send] { ChangeGuard::enable(send, true, m_engine); });

    auto *layout = new QVBoxLayout(this);
    auto *typeForm = new QFormLayout;
    typeForm->addRow(tr("Event:"), m_type);
    layout->addLayout(typeForm);
    layout->addWidget(m_formHolder);
    layout->addWidget(send, 0, Qt::AlignLeft);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_type, &QComboBox::currentIndexChanged, this, &PublishPanel::buildForm);
    connect(send, &QPushButton::clicked, this, &PublishPanel::publish);
    buildForm();
}

void PublishPanel::buildForm()
{
    delete m_formHolder->layout();
    qDeleteAll(m_formHolder->findChildren<QWidget *>(Qt::FindDirectChildrenOnly));
    m_fields.clear();
    m_form = new QFormLayout(m_formHolder);
    m_form->setContentsMargins(0, 0, 0, 0);
    const QString type = m_type->currentData().toString();
    if (type == kRawType) {
        auto *channel = new QLineEdit(m_formHolder);
        channel->setPlaceholderText(tr("inventory (sent on ws:inventory)"));
        auto *json = new QPlainTextEdit(m_formHolder);
        json->setPlaceholderText(tr("Any JSON, e.g. {\"message\":\"hello\"}"));
        m_form->addRow(tr("Channel:"), channel);
        m_form->addRow(tr("JSON:"), json);
        m_fields.insert(QStringLiteral("channel"), channel);
        m_fields.insert(QStringLiteral("json"), json);
        return;
    }
    const EventTypeSchema *schema = schemaNamed(type);
    if (!schema)
        return;
    for (const EventFieldSchema &field : schema->fields) {
        QWidget *editor = nullptr;
        if (field.kind == FieldKind::Action) {
            auto *box = new QComboBox(m_formHolder);
            box->addItems(actionNames());
            editor = box;
        } else {
            auto *line = new QLineEdit(m_formHolder);
            if (field.presence == FieldPresence::Optional)
                line->setPlaceholderText(tr("optional"));
            else if (field.presence == FieldPresence::OneOf)
                line->setPlaceholderText(tr("one of these"));
            editor = line;
        }
        m_form->addRow(labelOf(field) + u':', editor);
        m_fields.insert(QLatin1StringView(field.name), editor);
    }
}

void PublishPanel::chooseType(const QString &type)
{
    m_type->setCurrentIndex(m_type->findData(type));
}

void PublishPanel::setField(const QString &name, const QString &value)
{
    QWidget *field = m_fields.value(name);
    if (auto *line = qobject_cast<QLineEdit *>(field))
        line->setText(value);
    else if (auto *box = qobject_cast<QComboBox *>(field))
        box->setCurrentText(value);
    else if (auto *text = qobject_cast<QPlainTextEdit *>(field))
        text->setPlainText(value);
}

bool PublishPanel::compose(QString *channel, QByteArray *payload, QString *error) const
{
    const QString type = m_type->currentData().toString();
    if (type == kRawType) {
        const QString name = valueOf(m_fields.value(QStringLiteral("channel")));
        const QByteArray json = valueOf(m_fields.value(QStringLiteral("json"))).toUtf8();
        if (!EventCodec::isValidChannelName(name)) {
            *error = tr("A channel name is 1-64 of A-Z a-z 0-9 _ . : -");
            return false;
        }
        QJsonParseError parseError;
        QJsonDocument::fromJson("[" + json + "]", &parseError);  // any JSON value
        if (json.trimmed().isEmpty() || parseError.error != QJsonParseError::NoError) {
            *error = tr("The message is not JSON: %1").arg(parseError.errorString());
            return false;
        }
        *channel = QStringLiteral("ws:") + name;
        *payload = json.trimmed();
        return true;
    }
    const EventTypeSchema *schema = schemaNamed(type);
    if (!schema)
        return false;
    QJsonObject fields;
    for (const EventFieldSchema &field : schema->fields) {
        const QString value = valueOf(m_fields.value(QLatin1StringView(field.name)));
        if (value.isEmpty())
            continue;  // missing required fields are for the validation to name
        if (field.kind == FieldKind::Number) {
            bool ok = false;
            const double number = value.toDouble(&ok);
            if (!ok) {
                *error = tr("%1 must be a number").arg(labelOf(field));
                return false;
            }
            fields.insert(QLatin1StringView(field.name), number);
        } else {
            fields.insert(QLatin1StringView(field.name), value);
        }
    }
    // No source: this hub treats the event like the site's (docs/gui.md).
    const Result<QByteArray> event
        = EventCodec::build(schema->type, fields, QString(), QDateTime::currentMSecsSinceEpoch());
    if (!event) {
        *error = event.error();
        return false;
    }
    *channel = EventCodec::channelFor(schema->type);
    *payload = event.value();
    return true;
}

bool PublishPanel::publish()
{
    QString channel;
    QByteArray payload;
    QString error;
    if (!compose(&channel, &payload, &error)) {
        m_status->setText(tr("Not sent: %1").arg(error));
        return false;
    }
    if (m_engine.state() != HubLink::State::Running) {
        m_status->setText(tr("Not sent: the engine is not running."));
        return false;
    }
    m_status->setText(tr("Sending on %1…").arg(channel));
    m_engine.publish(channel, payload, this, [this, channel, payload](const Result<bool> &sent) {
        if (!sent.ok()) {
            m_status->setText(tr("Not sent: %1").arg(sent.error()));
            return;
        }
        m_status->setText(tr("Sent on %1: %2").arg(channel, QString::fromUtf8(payload)));
        emit activity(tr("Published on %1").arg(channel));
    });
    return true;
}

QString PublishPanel::statusText() const
{
    return m_status->text();
}

}  // namespace kucun
