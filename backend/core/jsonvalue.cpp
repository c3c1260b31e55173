#include "jsonvalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kucun {

QByteArray jsonValueText(const QJsonValue &value)
{
    // Objects and arrays directly: the detour through an array costs two more copies, and
    // these are most of what is written (every message a client publishes or receives).
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJsonValue(const QByteArray &text)
{
    QJsonParseError error{};
    qsizetype first = 0;
    while (first < text.size() && QByteArrayView(" \t\r\n").contains(text[first]))
        ++first;
    if (first < text.size() && (text[first] == '{' || text[first] == '[')) {
        const QJsonDocument document = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError)
            return std::nullopt;
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    }
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

qsizetype skipSpace(QByteArrayView text, qsizetype at)
{
    while (at < text.size() && isJsonSpace(text[at]))
        ++at;
    return at;
}

// Where the string that starts at `at` (its opening quote) ends, one past its closing quote.
qsizetype skipString(QByteArrayView text, qsizetype at)
{
    for (++at; at < text.size(); ++at) {
        if (text[at] == '\\')
            ++at;
        else if (text[at] == '"')
            return at + 1;
    }
    return text.size();
}

// Where the value that starts at `at` ends. The text is valid JSON (a parser accepted it), so
// brackets balance and strings close.
qsizetype skipValue(QByteArrayView text, qsizetype at)
{
    if (at >= text.size())
        return at;
    if (text[at] == '"')
        return skipString(text, at);
    if (text[at] != '{' && text[at] != '[') {
        while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']'
               && !isJsonSpace(text[at]))
            ++at;
        return at;
    }
    int depth = 0;
    while (at < text.size()) {
        const char c = text[at];
        if (c == '"') {
            at = skipString(text, at);
            continue;
        }
        if (c == '{' || c == '[')
            ++depth;
        else if ((c == '}' || c == ']') && --depth == 0)
            return at + 1;
        ++at;
    }
    return at;
}

}  // namespace

std::optional<QByteArrayView> memberText(QByteArrayView object, QByteArrayView name)
{
    qsizetype at = skipSpace(object, 0);
    if (at >= object.size() || object[at] != '{')
        return std::nullopt;
    std::optional<QByteArrayView> found;
    at = skipSpace(object, at + 1);
    while (at < object.size() && object[at] == '"') {
        const qsizetype keyEnd = skipString(object, at);
        const QByteArrayView key = object.sliced(at + 1, keyEnd - at - 2);
        if (key.contains('\\'))
            return std::nullopt;
        at = skipSpace(object, keyEnd);
        at = skipSpace(object, at + 1);  // the colon
        const qsizetype valueEnd = skipValue(object, at);
        if (key == name)
            found = object.sliced(at, valueEnd - at);
        at = skipSpace(object, valueEnd);
        if (at < object.size() && object[at] == ',')
            at = skipSpace(object, at + 1);
    }
    return found;
}

QList<QByteArrayView> elementTexts(QByteArrayView array)
{
    QList<QByteArrayView> elements;
    qsizetype at = skipSpace(array, 0);
    if (at >= array.size() || array[at] != '[')
        return elements;
    at = skipSpace(array, at + 1);
    while (at < array.size() && array[at] != ']') {
        const qsizetype end = skipValue(array, at);
        elements.append(array.sliced(at, end - at));
        at = skipSpace(array, end);
        if (at < array.size() && array[at] == ',')
            at = skipSpace(array, at + 1);
    }
    return elements;
}

}  // namespace kucun
