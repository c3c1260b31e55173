// libFuzzer target for the Redis-protocol front's request path: bytes through the request reader
// and every request through the command table (connection, pub/sub, transactions, scripting,
// strings and keys), as one client of a fresh front with an empty engine.
// Invariants: nothing crashes or trips a sanitizer; what the front writes back is well-formed
// RESP, whole replies only, at least one per request run; after a protocol error nothing runs.

#include "cache/keyaccesssketch.h"
#include "cache/memorystore.h"
#include "fuzzcheck.h"
#include "resp/respcommands.h"
#include "resp/resppubsub.h"
#include "resp/resprequestreader.h"

#include <cstdint>
#include <hiredis/hiredis.h>
#include <memory>

using kucun::fuzz::check;

namespace {

// The one client, and nobody to kill or deliver to.
class OneClient final : public kucun::RespClients
{
public:
    explicit OneClient(const kucun::RespSession &session)
        : m_session(session)
    {
    }
    QList<const kucun::RespSession *> sessions() const override { return {&m_session}; }
    bool kill(qint64 id) override { return id == m_session.id; }
    qint64 connectionsAccepted() const override { return 1; }
    int maxClients() const override { return 1; }
    quint16 port() const override { return 6380; }

private:
    const kucun::RespSession &m_session;
};

// How many whole replies `out` holds; -1 when it is not well-formed RESP or ends inside one.
int wholeReplies(const QByteArray &out)
{
    std::unique_ptr<redisReader, void (*)(redisReader *)> reader(redisReaderCreate(),
                                                                 redisReaderFree);
    redisReaderFeed(reader.get(), out.constData(), size_t(out.size()));
    int count = 0;
    for (;;) {
        void *reply = nullptr;
        if (redisReaderGetReply(reader.get(), &reply) != REDIS_OK)
            return -1;
        if (!reply)
            break;
        freeReplyObject(reply);
        ++count;
    }
    return reader->len == reader->pos ? count : -1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kucun::MemoryStore store({size_t(16) << 20, 4, kucun::Millis(100)});
    store.dropMatching("*", false, 0);

    kucun::RespSession session;
    session.id = 1;
    session.authenticated = true;
    OneClient clients(session);
    kucun::RespPubSub pubsub([](qint64, const QByteArray &) {});
    // A small sketch, so that its replacements run too.
    static kucun::KeyAccessSketch keyAccess({8, 4, "kucun"});
    kucun::RespCommands commands({{}, &store, std::chrono::milliseconds(5), &keyAccess}, clients,
                                 pubsub);
    // Small limits, so that the fuzzer reaches them.
    kucun::RespRequestReader reader({512, 64, 4096});
    reader.append(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));

    QByteArray out;
    int requests = 0;
    while (auto next = reader.next()) {
        if (std::holds_alternative<kucun::RespProtocolError>(*next))
            break;
        commands.execute(session, std::get<kucun::RespRequest>(*next).arguments, out);
        ++requests;
        if (session.closeAfterReply || session.killed)
            break;
    }
    const int replies = wholeReplies(out);
    check(replies >= requests);
    return 0;
}
