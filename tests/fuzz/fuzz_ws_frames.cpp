// libFuzzer target for what a WebSocket client sends before the hub's protocol sees it: the
// upgrade request (wshandshake.h) and the frames after it (wsframereader.h), fed in pieces of
// the sizes the first byte chooses, as a socket would deliver them.
// Invariants: the reader never holds more than one message and one frame header; every text
// message is valid UTF-8 and within the limit; close codes are ones a peer may send, refusals
// carry a close code a server may use and a reason; nothing comes out after a refusal; the
// handshake parser answers with a known status or a request that has a key.

#include "fuzzcheck.h"
#include "ws/wsframereader.h"
#include "ws/wshandshake.h"

#include <QByteArray>

#include <cstdint>

using kucun::fuzz::check;

namespace {

constexpr qint64 kMaxMessage = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using Kind = kucun::WsFrameReader::Message::Kind;
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 61;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    const auto upgrade = kucun::parseWsUpgrade(input, 1024);
    if (const auto *refusal = std::get_if<kucun::WsUpgradeRefusal>(&upgrade)) {
        check(refusal->status == 400 || refusal->status == 405 || refusal->status == 426
              || refusal->status == 431);
        check(!refusal->reason.isEmpty());
    } else if (const auto *request = std::get_if<kucun::WsUpgradeRequest>(&upgrade)) {
        check(!request->key.isEmpty() && request->headerBytes <= input.size());
    }

    kucun::WsFrameReader reader(kMaxMessage);
    bool refused = false;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        reader.append(input.sliced(at, std::min(piece, input.size() - at)));
        while (const auto message = reader.next()) {
            check(!refused);
            switch (message->kind) {
            case Kind::Text:
                check(message->payload.size() <= kMaxMessage && message->payload.isValidUtf8());
                break;
            case Kind::Ping:
            case Kind::Pong:
                check(message->payload.size() <= 125);
                break;
            case Kind::Close:
                check(message->closeCode == 1005
                      || (message->closeCode >= 1000 && message->closeCode < 5000));
                break;
            case Kind::Refused:
                check(message->closeCode == 1002 || message->closeCode == 1003
                      || message->closeCode == 1007 || message->closeCode == 1009);
                check(!message->payload.isEmpty() && reader.refused());
                refused = true;
                break;
            }
        }
        check(reader.bufferedBytes() <= 2 * kMaxMessage + 14);
    }
    return 0;
}
