// libFuzzer target for the scanner that finds a member's or an element's text in JSON a parser
// has accepted (core/jsonvalue.h: memberText, elementTexts): `POST /api/publish` passes each
// message's data on as it was written in the body, so what the scanner finds must be exactly
// what Qt's parser read.
// Invariants, for any input Qt's parser accepts as an object or an array: memberText("data") is
// present exactly when the object has "data" (or gives up on an escaped name), and its text parses
// to the same value; elementTexts gives one text per element, each parsing to that element.

#include "core/jsonvalue.h"
#include "fuzzcheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>

using kucun::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return 0;
    if (document.isObject()) {
        const std::optional<QByteArrayView> member = kucun::memberText(text, "data");
        if (member) {
            check(document.object().contains(QStringLiteral("data")));
            check(kucun::parseJsonValue(member->toByteArray())
                  == std::optional<QJsonValue>(document.object().value(QStringLiteral("data"))));
        } else if (!text.contains('\\')) {
            check(!document.object().contains(QStringLiteral("data")));
        }
    } else if (document.isArray()) {
        const QList<QByteArrayView> elements = kucun::elementTexts(text);
        const QJsonArray array = document.array();
        check(elements.size() == array.size());
        for (qsizetype i = 0; i < elements.size(); ++i) {
            check(kucun::parseJsonValue(elements[i].toByteArray())
                  == std::optional<QJsonValue>(array[i]));
        }
    }
    return 0;
}
