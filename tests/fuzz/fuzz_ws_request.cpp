// libFuzzer target for the WebSocket request decoder (docs/protocol.md), the hub's first contact
// with every client frame. An auth request's token goes on to the JWT verifier, as in the hub.
// Invariants: a refusal has one of the protocol's codes and a message; an accepted request has
// what its type needs (a valid channel, a well-formed `since`, `data`, a token); a token made of
// fuzzer bytes is never accepted.

#include "events/hubevent.h"
#include "fuzzcheck.h"
#include "ws/jwtverifier.h"
#include "ws/wsrequest.h"

#include <QByteArray>

#include <cstdint>

using kucun::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using kucun::WsRequest;
    static const kucun::JwtVerifier verifier("the secret the fuzzer does not know");
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto decoded = kucun::decodeWsRequest(frame);

    if (const auto *error = std::get_if<kucun::WsRequestError>(&decoded)) {
        const bool known = error->code == u"bad_json" || error->code == u"unknown_type"
                           || error->code == u"bad_channel";
        check(known && !error->message.isEmpty());
        return 0;
    }
    const WsRequest &request = std::get<WsRequest>(decoded);
    switch (request.type) {
    case WsRequest::Type::Subscribe:
        check(!request.since || (request.since->offset >= 0 && !request.since->epoch.isEmpty()));
        [[fallthrough]];
    case WsRequest::Type::Unsubscribe:
    case WsRequest::Type::Publish:
        check(kucun::EventCodec::isValidChannelName(request.channel));
        break;
    case WsRequest::Type::Auth:
        check(!request.token.isEmpty());
        check(!std::holds_alternative<kucun::ClientGrant>(
            verifier.verify(request.token.toUtf8(), 1'800'000'000'000)));
        break;
    case WsRequest::Type::Ping:
        break;
    }
    return 0;
}
