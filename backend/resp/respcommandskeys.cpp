// Key commands of the Redis-protocol front, on the embedded engine's MemoryStore (SPEC §12):
// DEL UNLINK EXISTS TYPE EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL PERSIST SCAN KEYS RENAME
// DBSIZE FLUSHDB FLUSHALL, with Redis 7.0's options, replies and errors.

#include "cache/memorycollections.h"
#include "cache/memorystore.h"
#include "core/bytesview.h"
#include "respcommands.h"
#include "respnumbers.h"
#include "respwriter.h"

#include <QDateTime>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <limits>

namespace kucun {

namespace {

// SCAN's cursor is a number to clients; the store's is "<shard>:<slot>". The shard goes in the
// high bits: a cursor the store gave back maps both ways, and "0" starts and ends.
QByteArray toClientCursor(const QByteArray &storeCursor)
{
    if (storeCursor.isEmpty())
        return "0";
    const QList<QByteArray> parts = storeCursor.split(':');
    return QByteArray::number((parts[0].toULongLong() << 40) | parts[1].toULongLong());
}

QByteArray typeName(MemoryStore::KeyType type)
{
    switch (type) {
    case MemoryStore::KeyType::String:
        return "string";
    case MemoryStore::KeyType::Set:
        return "set";
    case MemoryStore::KeyType::Hash:
        return "hash";
    case MemoryStore::KeyType::None:
        break;
    }
    return "none";
}

QByteArray toStoreCursor(quint64 cursor)
{
    if (cursor == 0)
        return {};
    return QByteArray::number(cursor >> 40) + ':' + QByteArray::number(cursor & ((1ULL << 40) - 1));
}

}  // namespace

void RespCommands::del(Call &call)
{
    resp::appendInteger(call.out, m_options.store->erase(call.args.mid(1)));
}

void RespCommands::exists(Call &call)
{
    // Each argument counts, the same key twice too.
    qint64 found = 0;
    for (qsizetype j = 1; j < call.size(); ++j)
        found += m_options.store->remainingTtl(bytesView(call.args[j])) != kTtlMissing ? 1 : 0;
    resp::appendInteger(call.out, found);
}

void RespCommands::type(Call &call)
{
    resp::appendSimple(call.out, typeName(m_options.store->typeOf(bytesView(call.args[1]))));
}

void RespCommands::expire(Call &call)
{
    // EXPIRE key seconds, PEXPIRE key ms, EXPIREAT key unix-s, PEXPIREAT key unix-ms;
    // then NX, XX, GT, LT.
    const std::optional<qint64> parsed = resp::strictInteger(call.args[2]);
    if (!parsed) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return;
    }
    const qint64 amount = *parsed;
    bool nx = false, xx = false, gt = false, lt = false;
    for (qsizetype j = 3; j < call.size(); ++j) {
        const QByteArray option = call.word(j);
        if (option == "nx")
            nx = true;
        else if (option == "xx")
            xx = true;
        else if (option == "gt")
            gt = true;
        else if (option == "lt")
            lt = true;
        else {
            resp::appendError(call.out, "ERR Unsupported option " + call.args[j]);
            return;
        }
    }
    if (nx && (xx || gt || lt)) {
        resp::appendError(call.out,
                          "ERR NX and XX, GT or LT options at the same time are not compatible");
        return;
    }
    if (gt && lt) {
        resp::appendError(call.out, "ERR GT and LT options at the same time are not compatible");
        return;
    }
    const bool seconds = call.name == "expire" || call.name == "expireat";
    const bool absolute = call.name.endsWith("at");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 ms = 0;
    if (__builtin_mul_overflow(amount, seconds ? 1000 : 1, &ms)
        || (!absolute && __builtin_add_overflow(ms, now, &ms))) {
        resp::appendError(call.out, "ERR invalid expire time in '" + call.name + "' command");
        return;
    }
    const qint64 ttl = ms - now;  // from now on, ms is the key's moment of expiry in wall time
    const QByteArray &key = call.args[1];
    const qint64 current = m_options.store->remainingTtl(bytesView(key));
    if (current == kTtlMissing) {
        resp::appendInteger(call.out, 0);
        return;
    }
    // No TTL counts as infinite for GT and LT.
    const bool hasTtl = current != kTtlNoExpiry;
    if ((nx && hasTtl) || (xx && !hasTtl) || (gt && (!hasTtl || ttl <= current))
        || (lt && hasTtl && ttl >= current)) {
        resp::appendInteger(call.out, 0);
        return;
    }
    if (ttl <= 0)
        m_options.store->erase({key});
    else
        m_options.store->changeTtl(bytesView(key), Millis(ttl));
    resp::appendInteger(call.out, 1);
}

void RespCommands::ttl(Call &call)
{
    const qint64 left = m_options.store->remainingTtl(bytesView(call.args[1]));
    if (left < 0)
        resp::appendInteger(call.out, left);
    else if (call.name == "pttl")
        resp::appendInteger(call.out, left);
    else
        resp::appendInteger(call.out, (left + 500) / 1000);  // Redis rounds to the nearest second
}

void RespCommands::persist(Call &call)
{
    const QByteArray &key = call.args[1];
    const qint64 left = m_options.store->remainingTtl(bytesView(key));
    if (left < 0) {
        resp::appendInteger(call.out, 0);
        return;
    }
    m_options.store->changeTtl(bytesView(key), Millis(0));
    resp::appendInteger(call.out, 1);
}

std::optional<RespCommands::ScanOptions> RespCommands::parseScanOptions(Call &call, qsizetype at,
                                                                        bool withType)
{
    // Read as Redis reads it (strtoul: "-1" is a number too, if not one this store gave out).
    const QByteArray &given = call.args[at];
    const QByteArray text = given + '\0';
    char *end = nullptr;
    errno = 0;
    ScanOptions options;
    options.cursor = std::strtoull(text.constData(), &end, 10);
    if (given.isEmpty() || std::isspace(uchar(text[0])) || *end != '\0' || errno == ERANGE
        || end != text.constData() + given.size()) {
        resp::appendError(call.out, "ERR invalid cursor");
        return std::nullopt;
    }
    for (qsizetype j = at + 1; j < call.size(); j += 2) {
        const QByteArray option = call.word(j);
        if (j + 1 >= call.size()) {
            resp::appendError(call.out, "ERR syntax error");
            return std::nullopt;
        }
        if (option == "match") {
            options.pattern = call.args[j + 1];
        } else if (option == "count") {
            const std::optional<qint64> parsed = resp::strictInteger(call.args[j + 1]);
            if (!parsed) {
                resp::appendError(call.out, "ERR value is not an integer or out of range");
                return std::nullopt;
            }
            if (*parsed < 1) {
                resp::appendError(call.out, "ERR syntax error");
                return std::nullopt;
            }
            options.count = *parsed;
        } else if (option == "type" && withType) {
            options.type = call.args[j + 1].toLower();
        } else {
            resp::appendError(call.out, "ERR syntax error");
            return std::nullopt;
        }
    }
    return options;
}

void RespCommands::scan(Call &call)
{
    const std::optional<ScanOptions> options = parseScanOptions(call, 1, true);
    if (!options)
        return;
    const Result<ScanPage> page
        = m_options.store->scanKeys(bytesView(options->pattern), toStoreCursor(options->cursor),
                                    int(std::min<qint64>(options->count, 100000)));
    if (!page.ok()) {  // a number that is no cursor of ours: the scan is over
        call.out.append("*2\r\n$1\r\n0\r\n*0\r\n");
        return;
    }
    QList<QByteArray> keys = page.value().keys;
    if (!options->type.isEmpty()) {
        keys.removeIf([&](const QByteArray &key) {
            return typeName(m_options.store->typeOf(bytesView(key))) != options->type;
        });
    }
    resp::appendArrayHeader(call.out, 2);
    resp::appendBulk(call.out, toClientCursor(page.value().nextCursor));
    resp::appendArrayHeader(call.out, keys.size());
    for (const QByteArray &key : std::as_const(keys))
        resp::appendBulk(call.out, key);
}

void RespCommands::keys(Call &call)
{
    QList<QByteArray> found;
    QByteArray cursor;
    do {
        const Result<ScanPage> page
            = m_options.store->scanKeys(bytesView(call.args[1]), cursor, 1000);
        if (!page.ok())
            break;
        found += page.value().keys;
        cursor = page.value().nextCursor;
    } while (!cursor.isEmpty());
    resp::appendArrayHeader(call.out, found.size());
    for (const QByteArray &key : std::as_const(found))
        resp::appendBulk(call.out, key);
}

void RespCommands::rename(Call &call)
{
    const QByteArray &from = call.args[1];
    const QByteArray &to = call.args[2];
    const int64_t now = MemoryStore::nowMs();
    if (m_options.store->collections().kindOf(bytesView(from), now)) {
        if (from != to && m_options.store->holdsString(bytesView(to)))
            m_options.store->erase({to});  // the string goes: erase() looks at strings first
        m_options.store->collections().rename(bytesView(from), bytesView(to), now);
        resp::appendOk(call.out);
        return;
    }
    QByteArray value;
    if (!m_options.store->lookup(bytesView(from), value)) {
        resp::appendError(call.out, "ERR no such key");
        return;
    }
    const qint64 left = m_options.store->remainingTtl(bytesView(from));
    if (from != to) {
        if (!writeString(call, to, value, left > 0 ? left : 0))
            return;
        m_options.store->erase({from});
    }
    resp::appendOk(call.out);
}

void RespCommands::dbsize(Call &call)
{
    resp::appendInteger(call.out, m_options.store->snapshotStats().keys);
}

void RespCommands::flushdb(Call &call)
{
    if (call.size() > 2
        || (call.size() == 2 && call.word(1) != "sync" && call.word(1) != "async")) {
        resp::appendError(call.out, "ERR syntax error");
        return;
    }
    m_options.store->dropMatching("*", false, 0);
    m_options.store->collections().clear();
    m_options.store->sweepAllExpired();  // expired keys not swept yet go too: DBSIZE says 0
    resp::appendOk(call.out);
}

}  // namespace kucun
