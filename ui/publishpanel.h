#pragma once

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace kucun {

class HubLink;

// The Publish panel (SPEC §8.1): a form for each of the five §5 event types, built from a table
// of their fields, or a raw `ws:<channel>` message. What is sent is checked with the same
// validation the hub applies to events from outside, so a mistake is shown here instead of
// turning up as a rejected event.
class PublishPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PublishPanel(HubLink &engine, QWidget *parent = nullptr);

    // For tests: choose a form by its type ("order:status", or "ws" for a raw message) and fill a
    // field by its JSON name ("orderId"; "channel" and "json" for the raw message).
    void chooseType(const QString &type);
    void setField(const QString &name, const QString &value);
    // Checks and publishes; false (with the reason shown) when the input is not valid.
    bool publish();
    QString statusText() const;

signals:
    void activity(const QString &text);

private:
    void buildForm();
    // The channel and JSON for the current form, or an error.
    bool compose(QString *channel, QByteArray *payload, QString *error) const;

    HubLink &m_engine;
    QComboBox *m_type = nullptr;
    QWidget *m_formHolder = nullptr;
    QFormLayout *m_form = nullptr;
    QHash<QString, QWidget *> m_fields;
    QLabel *m_status = nullptr;
};

}  // namespace kucun
