// libFuzzer target for the Redis-protocol request reader (backend/resp/resprequestreader.h), the
// first thing every byte sent to the Redis-protocol port meets: hiredis's reader for multibulk
// requests, our inline splitter for the rest.
// Invariants: the same bytes give the same requests and the same error whether they come at once
// or in the pieces the first byte chooses; a request has at least one argument; an error is a
// "Protocol error: …" and nothing comes after it.

#include "fuzzcheck.h"
#include "resp/resprequestreader.h"

#include <QByteArray>
#include <QList>

#include <cstdint>

using kucun::fuzz::check;

namespace {

struct Outcome
{
    QList<QList<QByteArray>> requests;
    QByteArray error;
};

Outcome read(const QByteArray &bytes, qsizetype piece)
{
    // Small limits, so that the fuzzer reaches them.
    kucun::RespRequestReader reader({256, 64, 1024});
    Outcome outcome;
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        reader.append(QByteArrayView(bytes).sliced(at, std::min(piece, bytes.size() - at)));
        while (auto result = reader.next()) {
            check(outcome.error.isEmpty());
            if (const auto *refused = std::get_if<kucun::RespProtocolError>(&*result)) {
                check(refused->message.startsWith("Protocol error: "));
                outcome.error = refused->message;
                continue;
            }
            const auto &request = std::get<kucun::RespRequest>(*result);
            check(!request.arguments.isEmpty());
            outcome.requests.append(request.arguments);
        }
    }
    return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 16;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Outcome whole = read(bytes, std::max<qsizetype>(1, bytes.size()));
    const Outcome pieces = read(bytes, piece);
    check(whole.requests == pieces.requests);
    check(whole.error == pieces.error);
    return 0;
}
