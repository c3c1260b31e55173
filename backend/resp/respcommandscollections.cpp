// Set and hash commands of the Redis-protocol front, on the embedded engine's MemoryCollections
// (SPEC §12): SADD SREM SMEMBERS SCARD SISMEMBER SSCAN, HSET HGET HMGET HGETALL HDEL HINCRBY
// HLEN HEXISTS, with Redis 7.0's replies and errors. A tag set the hub keeps is one of these
// sets: what a site writes with SADD is the tag the hub invalidates.

#include "cache/memorycollections.h"
#include "cache/memorystore.h"
#include "core/bytesview.h"
#include "core/globpattern.h"
#include "respcommands.h"
#include "respnumbers.h"
#include "respwriter.h"

#include <algorithm>

namespace kucun {

namespace {

using resp::kOutOfMemoryError;
using resp::kWrongTypeError;
// Redis 7.0 keeps a set of at most this many whole numbers as an intset, which it lists in
// numeric order; other sets come out in hash order, which clients must not rely on.
constexpr size_t kIntsetMaxEntries = 512;

QByteArray bytesOf(const std::string &text)
{
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

// A set's members in the order Redis 7.0 would list them where that order is defined.
std::vector<std::string> listedMembers(const MemorySet &set)
{
    std::vector<std::string> members(set.members().begin(), set.members().end());
    if (members.size() > kIntsetMaxEntries)
        return members;
    std::vector<std::pair<qint64, size_t>> numbers;
    numbers.reserve(members.size());
    for (size_t i = 0; i < members.size(); ++i) {
        const std::optional<qint64> number = resp::strictInteger(
            QByteArray::fromRawData(members[i].data(), qsizetype(members[i].size())));
        if (!number)
            return members;
        numbers.emplace_back(*number, i);
    }
    std::sort(numbers.begin(), numbers.end());
    std::vector<std::string> ordered;
    ordered.reserve(members.size());
    for (const auto &[number, index] : numbers)
        ordered.push_back(std::move(members[index]));
    return ordered;
}

}  // namespace

bool RespCommands::refuseString(Call &call, const QByteArray &key)
{
    if (!m_options.store->holdsString(bytesView(key)))
        return false;
    resp::appendError(call.out, kWrongTypeError);
    return true;
}

bool RespCommands::refuseOverBudget(Call &call)
{
    if (m_options.store->makeRoomForCollections())
        return false;
    resp::appendError(call.out, kOutOfMemoryError);
    return true;
}

template <typename T, typename F>
bool RespCommands::readCollection(Call &call, Access access, F &&read)
{
    const QByteArray &key = call.args[1];
    if (refuseString(call, key))
        return false;
    const auto answered = m_options.store->collections().withExisting<T>(
        bytesView(key), MemoryStore::nowMs(), [&](T *items) {
            if (access == Access::Read)
                countRead(key, items != nullptr);
            read(items);
            return true;
        });
    if (!answered)
        resp::appendError(call.out, kWrongTypeError);
    return answered.has_value();
}

template <typename T, typename F> bool RespCommands::writeCollection(Call &call, F &&write)
{
    const QByteArray &key = call.args[1];
    if (refuseString(call, key) || refuseOverBudget(call))
        return false;
    const auto answered = m_options.store->collections().withCreated<T>(
        bytesView(key), MemoryStore::nowMs(), [&](T &items) {
            write(items);
            return true;
        });
    if (!answered) {
        resp::appendError(call.out, kWrongTypeError);
        return false;
    }
    countWrite(key, std::max<qint64>(0, m_options.store->remainingTtl(bytesView(key))));
    return true;
}

void RespCommands::sadd(Call &call)
{
    qint64 added = 0;
    if (writeCollection<MemorySet>(call, [&](MemorySet &set) {
            for (qsizetype j = 2; j < call.size(); ++j)
                added += set.add(bytesView(call.args[j])) ? 1 : 0;
        }))
        resp::appendInteger(call.out, added);
}

void RespCommands::srem(Call &call)
{
    qint64 removed = 0;
    if (readCollection<MemorySet>(call, Access::Write, [&](MemorySet *set) {
            for (qsizetype j = 2; set && j < call.size(); ++j)
                removed += set->remove(bytesView(call.args[j])) ? 1 : 0;
        }))
        resp::appendInteger(call.out, removed);
}

void RespCommands::smembers(Call &call)
{
    readCollection<MemorySet>(call, Access::Read, [&](MemorySet *set) {
        const std::vector<std::string> members
            = set ? listedMembers(*set) : std::vector<std::string>{};
        resp::appendArrayHeader(call.out, qint64(members.size()));
        for (const std::string &member : members)
            resp::appendBulk(call.out, bytesOf(member));
    });
}

void RespCommands::scard(Call &call)
{
    readCollection<MemorySet>(call, Access::Read, [&](MemorySet *set) {
        resp::appendInteger(call.out, set ? qint64(set->size()) : 0);
    });
}

void RespCommands::sismember(Call &call)
{
    readCollection<MemorySet>(call, Access::Read, [&](MemorySet *set) {
        resp::appendInteger(call.out, set && set->contains(bytesView(call.args[2])) ? 1 : 0);
    });
}

void RespCommands::sscan(Call &call)
{
    const std::optional<ScanOptions> options = parseScanOptions(call, 2, false);
    if (!options)
        return;
    // One page holds the whole set and ends the scan: COUNT is a hint, and Redis answers small
    // sets the same way. A cursor that is not 0 continues nothing here: an empty last page.
    readCollection<MemorySet>(call, Access::Read, [&](MemorySet *set) {
        std::vector<std::string> members;
        if (set && options->cursor == 0)
            members = listedMembers(*set);
        std::erase_if(members, [&](const std::string &member) {
            return !globMatches(bytesView(options->pattern), member);
        });
        resp::appendArrayHeader(call.out, 2);
        resp::appendBulk(call.out, "0");
        resp::appendArrayHeader(call.out, qint64(members.size()));
        for (const std::string &member : members)
            resp::appendBulk(call.out, bytesOf(member));
    });
}

void RespCommands::hset(Call &call)
{
    if (call.size() % 2 != 0) {
        wrongArity(call, call.name);
        return;
    }
    qint64 created = 0;
    if (writeCollection<MemoryHash>(call, [&](MemoryHash &hash) {
            for (qsizetype j = 2; j + 1 < call.size(); j += 2)
                created += hash.set(bytesView(call.args[j]), bytesView(call.args[j + 1])) ? 1 : 0;
        }))
        resp::appendInteger(call.out, created);
}

void RespCommands::hget(Call &call)
{
    readCollection<MemoryHash>(call, Access::Read, [&](MemoryHash *hash) {
        const std::string *value = hash ? hash->find(bytesView(call.args[2])) : nullptr;
        value ? resp::appendBulk(call.out, bytesOf(*value)) : resp::appendNullBulk(call.out);
    });
}

void RespCommands::hmget(Call &call)
{
    readCollection<MemoryHash>(call, Access::Read, [&](MemoryHash *hash) {
        resp::appendArrayHeader(call.out, call.size() - 2);
        for (qsizetype j = 2; j < call.size(); ++j) {
            const std::string *value = hash ? hash->find(bytesView(call.args[j])) : nullptr;
            value ? resp::appendBulk(call.out, bytesOf(*value)) : resp::appendNullBulk(call.out);
        }
    });
}

void RespCommands::hgetall(Call &call)
{
    readCollection<MemoryHash>(call, Access::Read, [&](MemoryHash *hash) {
        resp::appendArrayHeader(call.out, hash ? qint64(hash->size()) * 2 : 0);
        if (!hash)
            return;
        for (const auto &[field, value] : hash->fields()) {
            resp::appendBulk(call.out, bytesOf(field));
            resp::appendBulk(call.out, bytesOf(value));
        }
    });
}

void RespCommands::hdel(Call &call)
{
    qint64 removed = 0;
    if (readCollection<MemoryHash>(call, Access::Write, [&](MemoryHash *hash) {
            for (qsizetype j = 2; hash && j < call.size(); ++j)
                removed += hash->remove(bytesView(call.args[j])) ? 1 : 0;
        }))
        resp::appendInteger(call.out, removed);
}

void RespCommands::hincrby(Call &call)
{
    const std::optional<qint64> step = resp::strictInteger(call.args[3]);
    if (!step) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return;
    }
    QByteArray error;
    qint64 result = 0;
    const QByteArray &field = call.args[2];
    const bool done = writeCollection<MemoryHash>(call, [&](MemoryHash &hash) {
        qint64 value = 0;
        if (const std::string *current = hash.find(bytesView(field))) {
            const std::optional<qint64> parsed = resp::strictInteger(bytesOf(*current));
            if (!parsed) {
                error = "ERR hash value is not an integer";
                return;
            }
            value = *parsed;
        }
        if (__builtin_add_overflow(value, *step, &result)) {
            error = "ERR increment or decrement would overflow";
            return;
        }
        hash.set(bytesView(field), bytesView(QByteArray::number(result)));
    });
    if (!done)
        return;
    error.isEmpty() ? resp::appendInteger(call.out, result) : resp::appendError(call.out, error);
}

void RespCommands::hlen(Call &call)
{
    readCollection<MemoryHash>(call, Access::Read, [&](MemoryHash *hash) {
        resp::appendInteger(call.out, hash ? qint64(hash->size()) : 0);
    });
}

void RespCommands::hexists(Call &call)
{
    readCollection<MemoryHash>(call, Access::Read, [&](MemoryHash *hash) {
        resp::appendInteger(call.out, hash && hash->find(bytesView(call.args[2])) ? 1 : 0);
    });
}

}  // namespace kucun
