// libFuzzer target for the HTTP request reader (backend/http/httprequestparser.h), the first
// thing every byte sent to the HTTP port meets; fed in pieces of the sizes the first byte
// chooses, as a socket would deliver them.
// Invariants: it never holds more than a head and a body within the limits; a request has a
// token method, a target starting with '/', HTTP/1.0 or 1.1, a body of its Content-Length within
// the limit; a refusal has a status of 400, 413, 431, 501 or 505 and a reason; nothing comes out
// after a refusal.

#include "fuzzcheck.h"
#include "http/httprequestparser.h"

#include <QByteArray>

#include <cstdint>

using kucun::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const kucun::HttpRequestParser::Limits limits{512, 1024};
    const qsizetype piece = 1 + data[0] % 61;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    kucun::HttpRequestParser parser(limits);
    bool refused = false;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        parser.append(input.sliced(at, std::min(piece, input.size() - at)));
        while (const auto result = parser.next()) {
            check(!refused);
            if (const auto *refusal = std::get_if<kucun::HttpRefusal>(&*result)) {
                const int status = refusal->status;
                check(status == 400 || status == 413 || status == 431 || status == 501
                      || status == 505);
                check(!refusal->reason.isEmpty() && parser.refused());
                refused = true;
                continue;
            }
            const auto &request = std::get<kucun::HttpRequest>(*result);
            check(!request.method.isEmpty() && request.target.startsWith('/'));
            check(request.minorVersion == 0 || request.minorVersion == 1);
            check(request.body.size() <= limits.maxBodyBytes);
            const QByteArray length = request.header("content-length");
            check(length.isEmpty() ? request.body.isEmpty()
                                   : request.body.size() == length.toLongLong());
        }
        check(parser.bufferedBytes() <= limits.maxHeadBytes + limits.maxBodyBytes + piece);
    }
    return 0;
}
