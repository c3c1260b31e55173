// Server commands of the Redis-protocol front: INFO (server, clients, memory, persistence,
// stats, replication, keyspace), CONFIG GET, TIME. The figures are the embedded engine's own.

#include "cache/memorystore.h"
#include "core/bytesview.h"
#include "core/globpattern.h"
#include "respcommands.h"
#include "resppubsub.h"
#include "respwriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>

namespace kucun {

namespace {

QByteArray human(qint64 bytes)
{
    const char *units[] = {"B", "K", "M", "G", "T"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? QByteArray::number(bytes) + 'B'
                     : QByteArray::number(value, 'f', 2) + units[unit];
}

}  // namespace

void RespCommands::info(Call &call)
{
    const StoreStats stats = m_options.store->snapshotStats();
    const qint64 uptimeSeconds = (RespSession::clockMs() - m_startedMs) / 1000;
    const QList<std::pair<QByteArray, QList<std::pair<QByteArray, QByteArray>>>> sections = {
        {"server",
         {{"redis_version", kCompatibleVersion},
          {"redis_mode", "standalone"},
          {"os", QSysInfo::prettyProductName().toUtf8().replace(' ', '_')},
          {"arch_bits", QByteArray::number(QSysInfo::WordSize)},
          {"process_id", QByteArray::number(QCoreApplication::applicationPid())},
          {"tcp_port", QByteArray::number(m_clients.port())},
          {"uptime_in_seconds", QByteArray::number(uptimeSeconds)},
          {"uptime_in_days", QByteArray::number(uptimeSeconds / 86400)},
          {"executable", "kucun-hub"}}},
        {"clients",
         {{"connected_clients", QByteArray::number(m_clients.sessions().size())},
          {"maxclients", QByteArray::number(m_clients.maxClients())},
          {"blocked_clients", "0"}}},
        {"memory",
         {{"used_memory", QByteArray::number(stats.usedBytes)},
          {"used_memory_human", human(stats.usedBytes)},
          {"maxmemory", QByteArray::number(std::max<qint64>(stats.maxBytes, 0))},
          {"maxmemory_human", human(std::max<qint64>(stats.maxBytes, 0))},
          // Not one of Redis's: the engine evicts with S3-FIFO (docs/cache.md).
          {"maxmemory_policy", "allkeys-s3fifo"}}},
        {"persistence", {{"loading", "0"}, {"rdb_bgsave_in_progress", "0"}, {"aof_enabled", "0"}}},
        {"stats",
         {{"total_connections_received", QByteArray::number(m_clients.connectionsAccepted())},
          {"total_commands_processed", QByteArray::number(m_commandsProcessed)},
          {"expired_keys", QByteArray::number(stats.expirations)},
          {"evicted_keys", QByteArray::number(stats.evictions)},
          {"keyspace_hits", QByteArray::number(m_hits)},
          {"keyspace_misses", QByteArray::number(m_misses)},
          {"pubsub_channels", QByteArray::number(m_pubsub.activeChannels({}).size())},
          {"pubsub_patterns", QByteArray::number(m_pubsub.patternCount())}}},
        {"replication", {{"role", "master"}, {"connected_slaves", "0"}}},
    };
    // INFO [section …]: none, "default", "all" or "everything" give every section here.
    QList<QByteArray> wanted;
    for (qsizetype j = 1; j < call.size(); ++j)
        wanted.append(call.word(j));
    const bool all = wanted.isEmpty() || wanted.contains("default") || wanted.contains("all")
                     || wanted.contains("everything");
    QByteArray text;
    for (const auto &[name, fields] : sections) {
        if (!all && !wanted.contains(name))
            continue;
        if (!text.isEmpty())
            text += "\r\n";
        text += "# " + name.left(1).toUpper() + name.mid(1) + "\r\n";
        for (const auto &[field, value] : fields)
            text += field + ':' + value + "\r\n";
    }
    if (all || wanted.contains("keyspace")) {
        if (!text.isEmpty())
            text += "\r\n";
        text += "# Keyspace\r\n";
        // Redis lists a database only when it holds keys. How many of them expire is not
        // counted by the engine.
        if (stats.keys > 0)
            text += "db0:keys=" + QByteArray::number(stats.keys) + ",expires=0,avg_ttl=0\r\n";
    }
    resp::appendBulk(call.out, text);
}

void RespCommands::configGet(Call &call)
{
    const StoreStats stats = m_options.store->snapshotStats();
    const QList<std::pair<QByteArray, QByteArray>> parameters = {
        {"maxmemory", QByteArray::number(std::max<qint64>(stats.maxBytes, 0))},
        {"maxmemory-policy", "allkeys-s3fifo"},
        {"maxclients", QByteArray::number(m_clients.maxClients())},
        {"databases", "1"},
        {"port", QByteArray::number(m_clients.port())},
        {"timeout", "0"},
        {"save", ""},
        {"appendonly", "no"},
        {"requirepass", m_options.password},
        {"proto-max-bulk-len", QByteArray::number(64LL * 1024 * 1024)},
        {"client-output-buffer-limit", "normal 0 0 0 slave 0 0 0 pubsub 33554432 33554432 0"},
        {"notify-keyspace-events", ""},
        {"busy-reply-threshold", QByteArray::number(m_options.scriptTimeLimit.count())},
        {"lua-time-limit", QByteArray::number(m_options.scriptTimeLimit.count())},
    };
    QList<std::pair<QByteArray, QByteArray>> found;
    for (qsizetype j = 2; j < call.size(); ++j) {
        const QByteArray pattern = call.args[j].toLower();
        const bool glob = pattern.contains('*') || pattern.contains('?') || pattern.contains('[');
        for (const auto &parameter : parameters) {
            if (!globMatches(bytesView(pattern), bytesView(parameter.first)))
                continue;
            // A name without wildcards comes back as it was asked for, as in Redis.
            const std::pair<QByteArray, QByteArray> answer{glob ? parameter.first : call.args[j],
                                                           parameter.second};
            if (!found.contains(answer))
                found.append(answer);
        }
    }
    resp::appendArrayHeader(call.out, found.size() * 2);
    for (const auto &[name, value] : std::as_const(found)) {
        resp::appendBulk(call.out, name);
        resp::appendBulk(call.out, value);
    }
}

void RespCommands::time(Call &call)
{
    const qint64 microseconds = QDateTime::currentMSecsSinceEpoch() * 1000;
    resp::appendArrayHeader(call.out, 2);
    resp::appendBulk(call.out, QByteArray::number(microseconds / 1000000));
    resp::appendBulk(call.out, QByteArray::number(microseconds % 1000000));
}

}  // namespace kucun
