// String commands of the Redis-protocol front, on the embedded engine's MemoryStore (SPEC §12):
// GET SET SETEX PSETEX SETNX GETDEL GETEX MGET MSET INCR INCRBY DECR DECRBY INCRBYFLOAT APPEND
// STRLEN, with Redis 7.0's options, replies and errors. On a set or hash they answer
// -WRONGTYPE, except the writes that replace any type (SET, MSET) and MGET, which reads nil.

#include "cache/keyaccesssketch.h"
#include "cache/memorycollections.h"
#include "cache/memorystore.h"
#include "core/bytesview.h"
#include "respcommands.h"
#include "respnumbers.h"
#include "respwriter.h"

#include <QDateTime>

#include <cmath>
#include <cstdio>
#include <limits>

namespace kucun {

using resp::strictInteger;

constexpr qsizetype kKeptValueBytes = 1024 * 1024;

namespace {

// Redis's string2ld and ld2string(LD_STR_HUMAN): INCRBYFLOAT's arithmetic is in long double.
std::optional<long double> longDouble(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 5000 || std::isspace(uchar(text[0])))
        return std::nullopt;
    const QByteArray terminated = text + '\0';
    char *end = nullptr;
    errno = 0;
    const long double value = std::strtold(terminated.constData(), &end);
    if (end != terminated.constData() + text.size() || errno == ERANGE || std::isnan(value))
        return std::nullopt;
    return value;
}

QByteArray humanLongDouble(long double value)
{
    char buffer[5600];
    const int length = std::snprintf(buffer, sizeof buffer, "%.17Lf", value);
    QByteArray text(buffer, length);
    if (text.contains('.')) {
        while (text.endsWith('0'))
            text.chop(1);
        if (text.endsWith('.'))
            text.chop(1);
    }
    if (text == "-0")
        text = "0";
    return text;
}

}  // namespace

void RespCommands::countRead(const QByteArray &key, bool hit)
{
    ++(hit ? m_hits : m_misses);
    if (m_options.keyAccess)
        m_options.keyAccess->recordRead(bytesView(key), hit, m_nowMs);
}

void RespCommands::countWrite(const QByteArray &key, qint64 ttlMs)
{
    if (m_options.keyAccess)
        m_options.keyAccess->recordWrite(bytesView(key), ttlMs, m_nowMs);
}

std::optional<QByteArray> RespCommands::readString(const QByteArray &key)
{
    QByteArray value;
    const bool hit = m_options.store->lookup(bytesView(key), value);
    countRead(key, hit);
    if (!hit)
        return std::nullopt;
    return value;
}

bool RespCommands::refuseCollection(Call &call, const QByteArray &key)
{
    MemoryCollections &collections = m_options.store->collections();
    if (collections.count() == 0 || !collections.kindOf(bytesView(key), MemoryStore::nowMs()))
        return false;
    resp::appendError(call.out, resp::kWrongTypeError);
    return true;
}

bool RespCommands::writeString(Call &call, const QByteArray &key, const QByteArray &value,
                               qint64 ttlMs)
{
    const Result<bool> stored = m_options.store->store(bytesView(key), bytesView(value),
                                                       Millis(std::max<qint64>(ttlMs, 0)));
    if (!stored.ok()) {
        resp::appendError(call.out, resp::kOutOfMemoryError);
        return false;
    }
    countWrite(key, std::max<qint64>(ttlMs, 0));
    return true;
}

qint64 RespCommands::keptTtl(const QByteArray &key) const
{
    const qint64 left = m_options.store->remainingTtl(bytesView(key));
    return left > 0 ? left : 0;
}

void RespCommands::get(Call &call)
{
    // The hot path: the value is read into a buffer kept from call to call.
    if (m_options.store->lookup(bytesView(call.args[1]), m_valueScratch)) {
        countRead(call.args[1], true);
        resp::appendBulk(call.out, m_valueScratch);
        if (m_valueScratch.capacity() > kKeptValueBytes)
            m_valueScratch = QByteArray();  // one big value must not stay held
        return;
    }
    countRead(call.args[1], false);
    if (!refuseCollection(call, call.args[1]))
        resp::appendNullBulk(call.out);
}

std::optional<RespCommands::Expiry> RespCommands::parseExpiry(Call &call, qsizetype &j,
                                                              const QByteArray &command)
{
    // EX s, PX ms, EXAT s, PXAT ms: the value must be a whole number above 0 that does not
    // overflow once in milliseconds.
    const QByteArray option = call.word(j);
    if (j + 1 >= call.size()) {
        resp::appendError(call.out, "ERR syntax error");
        return std::nullopt;
    }
    const std::optional<qint64> amount = strictInteger(call.args[++j]);
    if (!amount) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return std::nullopt;
    }
    const bool seconds = option == "ex" || option == "exat";
    const qint64 limit = std::numeric_limits<qint64>::max() / (seconds ? 1000 : 1);
    if (*amount <= 0 || *amount > limit) {
        resp::appendError(call.out, "ERR invalid expire time in '" + command + "' command");
        return std::nullopt;
    }
    const qint64 ms = *amount * (seconds ? 1000 : 1);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // A relative time must still be a moment once added to now, as in Redis.
    if (!option.endsWith("at") && ms > std::numeric_limits<qint64>::max() - now) {
        resp::appendError(call.out, "ERR invalid expire time in '" + command + "' command");
        return std::nullopt;
    }
    Expiry expiry;
    expiry.ttlMs = option.endsWith("at") ? ms - now : ms;
    return expiry;
}

void RespCommands::set(Call &call)
{
    enum class Condition { Always, IfMissing, IfPresent } condition = Condition::Always;
    bool returnOld = false;
    bool keepTtl = false;
    std::optional<Expiry> expiry;
    for (qsizetype j = 3; j < call.size(); ++j) {
        const QByteArray option = call.word(j);
        const bool hasExpiry = expiry.has_value() || keepTtl;
        if (option == "nx" && condition != Condition::IfPresent) {
            condition = Condition::IfMissing;
        } else if (option == "xx" && condition != Condition::IfMissing) {
            condition = Condition::IfPresent;
        } else if (option == "get") {
            returnOld = true;
        } else if (option == "keepttl" && !expiry) {
            keepTtl = true;
        } else if ((option == "ex" || option == "px" || option == "exat" || option == "pxat")
                   && !hasExpiry && j + 1 < call.size()) {
            expiry = parseExpiry(call, j, "set");
            if (!expiry)
                return;
        } else {
            resp::appendError(call.out, "ERR syntax error");
            return;
        }
    }
    const QByteArray &key = call.args[1];
    if (condition == Condition::Always && !returnOld && !keepTtl
        && (!expiry || expiry->ttlMs > 0)) {
        // The common SET: whatever the key held is replaced, nothing of it is needed.
        if (writeString(call, key, call.args[2], expiry ? expiry->ttlMs : 0))
            resp::appendOk(call.out);
        return;
    }
    QByteArray old;
    const bool isString = m_options.store->lookup(bytesView(key), old);
    // The string lookup just missed: only the sets and hashes are left to ask.
    const bool isCollection
        = !isString && m_options.store->collections().kindOf(bytesView(key), MemoryStore::nowMs());
    if (isCollection && returnOld) {
        refuseCollection(call, key);
        return;
    }
    const bool exists = isString || isCollection;
    const bool allowed
        = condition == Condition::Always || (condition == Condition::IfMissing ? !exists : exists);
    if (allowed) {
        qint64 ttl = keepTtl && exists ? keptTtl(key) : 0;  // any type's TTL, as in Redis
        if (expiry) {
            if (expiry->ttlMs <= 0) {  // an EXAT/PXAT already past: set, and gone at once
                m_options.store->erase({key});
                ttl = -1;
            } else {
                ttl = expiry->ttlMs;
            }
        }
        if (ttl >= 0 && !writeString(call, key, call.args[2], ttl))
            return;
    }
    if (returnOld)
        isString ? resp::appendBulk(call.out, old) : resp::appendNullBulk(call.out);
    else if (allowed)
        resp::appendOk(call.out);
    else
        resp::appendNullBulk(call.out);
}

void RespCommands::setex(Call &call)
{
    // SETEX key seconds value, PSETEX key milliseconds value.
    const std::optional<qint64> amount = strictInteger(call.args[2]);
    if (!amount) {
        resp::appendError(call.out, "ERR value is not an integer or out of range");
        return;
    }
    const bool seconds = call.name == "setex";
    if (*amount <= 0 || *amount > std::numeric_limits<qint64>::max() / (seconds ? 1000 : 1)) {
        resp::appendError(call.out, "ERR invalid expire time in '" + call.name + "' command");
        return;
    }
    if (writeString(call, call.args[1], call.args[3], *amount * (seconds ? 1000 : 1)))
        resp::appendOk(call.out);
}

void RespCommands::setnx(Call &call)
{
    if (m_options.store->typeOf(bytesView(call.args[1])) != MemoryStore::KeyType::None) {
        resp::appendInteger(call.out, 0);
        return;
    }
    if (writeString(call, call.args[1], call.args[2], 0))
        resp::appendInteger(call.out, 1);
}

void RespCommands::getdel(Call &call)
{
    const std::optional<QByteArray> value = readString(call.args[1]);
    if (!value) {
        if (!refuseCollection(call, call.args[1]))
            resp::appendNullBulk(call.out);
        return;
    }
    m_options.store->erase({call.args[1]});
    resp::appendBulk(call.out, *value);
}

void RespCommands::getex(Call &call)
{
    std::optional<Expiry> expiry;
    bool persist = false;
    for (qsizetype j = 2; j < call.size(); ++j) {
        const QByteArray option = call.word(j);
        if ((option == "ex" || option == "px" || option == "exat" || option == "pxat") && !expiry
            && !persist && j + 1 < call.size()) {
            expiry = parseExpiry(call, j, "getex");
            if (!expiry)
                return;
        } else if (option == "persist" && !expiry) {
            persist = true;
        } else {
            resp::appendError(call.out, "ERR syntax error");
            return;
        }
    }
    const QByteArray &key = call.args[1];
    const std::optional<QByteArray> value = readString(key);
    if (!value) {
        if (!refuseCollection(call, key))
            resp::appendNullBulk(call.out);
        return;
    }
    if (expiry && expiry->ttlMs <= 0)
        m_options.store->erase({key});
    else if (expiry)
        m_options.store->changeTtl(bytesView(key), Millis(expiry->ttlMs));
    else if (persist)
        m_options.store->changeTtl(bytesView(key), Millis(0));
    resp::appendBulk(call.out, *value);
}

void RespCommands::mget(Call &call)
{
    resp::appendArrayHeader(call.out, call.size() - 1);
    for (qsizetype j = 1; j < call.size(); ++j) {
        const std::optional<QByteArray> value = readString(call.args[j]);
        value ? resp::appendBulk(call.out, *value) : resp::appendNullBulk(call.out);
    }
}

void RespCommands::mset(Call &call)
{
    if (call.size() % 2 == 0) {
        wrongArity(call, call.name);
        return;
    }
    for (qsizetype j = 1; j + 1 < call.size(); j += 2) {
        if (!writeString(call, call.args[j], call.args[j + 1], 0))
            return;
    }
    resp::appendOk(call.out);
}

void RespCommands::incrBy(Call &call)
{
    qint64 step = call.name == "decr" ? -1 : 1;
    if (call.name == "incrby" || call.name == "decrby") {
        const std::optional<qint64> amount = strictInteger(call.args[2]);
        if (!amount) {
            resp::appendError(call.out, "ERR value is not an integer or out of range");
            return;
        }
        if (call.name == "decrby" && *amount == std::numeric_limits<qint64>::min()) {
            resp::appendError(call.out, "ERR decrement would overflow");
            return;
        }
        step = call.name == "decrby" ? -*amount : *amount;
    }
    const QByteArray &key = call.args[1];
    const std::optional<QByteArray> current = readString(key);
    if (!current && refuseCollection(call, key))
        return;
    qint64 value = 0;
    if (current) {
        const std::optional<qint64> parsed = strictInteger(*current);
        if (!parsed) {
            resp::appendError(call.out, "ERR value is not an integer or out of range");
            return;
        }
        value = *parsed;
    }
    qint64 result = 0;
    if (__builtin_add_overflow(value, step, &result)) {
        resp::appendError(call.out, "ERR increment or decrement would overflow");
        return;
    }
    // The key keeps its TTL, as in Redis.
    if (writeString(call, key, QByteArray::number(result), current ? keptTtl(key) : 0))
        resp::appendInteger(call.out, result);
}

void RespCommands::incrByFloat(Call &call)
{
    // Redis's order: the key's type, its value, then the increment.
    const QByteArray &key = call.args[1];
    const std::optional<QByteArray> current = readString(key);
    if (!current && refuseCollection(call, key))
        return;
    long double value = 0;
    if (current) {
        const std::optional<long double> parsed = longDouble(*current);
        if (!parsed) {
            resp::appendError(call.out, "ERR value is not a valid float");
            return;
        }
        value = *parsed;
    }
    const std::optional<long double> step = longDouble(call.args[2]);
    if (!step) {
        resp::appendError(call.out, "ERR value is not a valid float");
        return;
    }
    const long double result = value + *step;
    if (std::isnan(result) || std::isinf(result)) {
        resp::appendError(call.out, "ERR increment would produce NaN or Infinity");
        return;
    }
    const QByteArray text = humanLongDouble(result);
    if (writeString(call, key, text, current ? keptTtl(key) : 0))
        resp::appendBulk(call.out, text);
}

void RespCommands::append(Call &call)
{
    const QByteArray &key = call.args[1];
    const std::optional<QByteArray> current = readString(key);
    if (!current && refuseCollection(call, key))
        return;
    const QByteArray value = current.value_or(QByteArray()) + call.args[2];
    if (writeString(call, key, value, current ? keptTtl(key) : 0))
        resp::appendInteger(call.out, value.size());
}

void RespCommands::strlen(Call &call)
{
    QByteArray value;
    const bool found = m_options.store->lookup(bytesView(call.args[1]), value);
    if (!found && refuseCollection(call, call.args[1]))
        return;
    resp::appendInteger(call.out, found ? value.size() : 0);
}

}  // namespace kucun
