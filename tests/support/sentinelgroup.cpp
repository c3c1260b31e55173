#include "sentinelgroup.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>

namespace kucun::test {

namespace {

const QString kMasterName = QStringLiteral("mymaster");

}  // namespace

SentinelGroup::SentinelGroup(int sentinelCount)
    : m_master(std::make_unique<RedisServer>())
{
    m_replica = std::make_unique<RedisServer>(QStringList{QStringLiteral("--replicaof"),
                                                          QStringLiteral("127.0.0.1"),
                                                          QString::number(m_master->port())});
    for (int i = 0; i < sentinelCount; ++i)
        m_sentinelPorts.push_back(freeLoopbackPort());
}

SentinelGroup::~SentinelGroup()
{
    for (const std::unique_ptr<QProcess> &sentinel : m_sentinels) {
        if (sentinel) {
            sentinel->kill();
            sentinel->waitForFinished(10000);
        }
    }
}

bool SentinelGroup::start()
{
    if (!m_master->start() || !m_replica->start())
        return false;
    m_sentinels.resize(m_sentinelPorts.size());
    for (int i = 0; i < int(m_sentinelPorts.size()); ++i) {
        if (!startSentinel(i))
            return false;
    }
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        if (ready())
            return true;
        QThread::msleep(200);
    }
    qWarning("the sentinels did not find the replica and each other within 30 s");
    return false;
}

bool SentinelGroup::startSentinel(int index)
{
    // Sentinel rewrites its configuration file: each has one of its own, in the group's folder.
    const quint16 port = m_sentinelPorts[size_t(index)];
    const QString path = m_dir.filePath(QStringLiteral("sentinel-%1.conf").arg(port));
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly))
        return false;
    const int quorum = int(m_sentinelPorts.size()) / 2 + 1;
    config.write(QStringLiteral("port %1\nbind 127.0.0.1\ndir %2\n"
                                "sentinel monitor %3 127.0.0.1 %4 %5\n"
                                "sentinel down-after-milliseconds %3 %6\n"
                                "sentinel failover-timeout %3 10000\n"
                                "sentinel parallel-syncs %3 1\n")
                     .arg(port)
                     .arg(m_dir.path(), kMasterName)
                     .arg(m_master->port())
                     .arg(quorum)
                     .arg(kDownAfterMs)
                     .toUtf8());
    config.close();
    auto process = std::make_unique<QProcess>();
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    process->setStandardOutputFile(m_dir.filePath(QStringLiteral("sentinel-%1.log").arg(port)));
    process->setStandardErrorFile(m_dir.filePath(QStringLiteral("sentinel-%1.log").arg(port)),
                                  QIODevice::Append);
    process->start(QStringLiteral("redis-sentinel"), {path});
    if (!process->waitForStarted(10000)) {
        qWarning("redis-sentinel did not start: %s", qPrintable(process->errorString()));
        return false;
    }
    m_sentinels[size_t(index)] = std::move(process);
    return true;
}

bool SentinelGroup::ready() const
{
    const int others = int(m_sentinelPorts.size()) - 1;
    for (const quint16 port : m_sentinelPorts) {
        const QString master = redisCli(port, {"SENTINEL", "MASTER", kMasterName});
        // The reply is field, value, field, value…: the counts follow their names.
        const QStringList fields = master.split(u'\n');
        const auto value = [&fields](const QString &name) {
            const qsizetype at = fields.indexOf(name);
            return at >= 0 && at + 1 < fields.size() ? fields[at + 1].toInt() : -1;
        };
        if (value(QStringLiteral("num-slaves")) < 1
            || value(QStringLiteral("num-other-sentinels")) < others)
            return false;
    }
    return true;
}

QString SentinelGroup::url() const
{
    QStringList hosts;
    for (const quint16 port : m_sentinelPorts)
        hosts.append(QStringLiteral("127.0.0.1:%1").arg(port));
    return QStringLiteral("redis+sentinel://%1/%2").arg(hosts.join(u','), kMasterName);
}

quint16 SentinelGroup::masterPort() const
{
    for (size_t i = 0; i < m_sentinelPorts.size(); ++i) {
        if (!m_sentinels[i])
            continue;
        const QStringList answer
            = redisCli(m_sentinelPorts[i], {"SENTINEL", "get-master-addr-by-name", kMasterName})
                  .split(u'\n');
        if (answer.size() == 2)
            return quint16(answer[1].toUInt());
    }
    return 0;
}

RedisServer &SentinelGroup::serverOn(quint16 port)
{
    return m_master->port() == port ? *m_master : *m_replica;
}

void SentinelGroup::killSentinel(int index)
{
    std::unique_ptr<QProcess> &sentinel = m_sentinels[size_t(index)];
    if (!sentinel)
        return;
    sentinel->kill();
    sentinel->waitForFinished(10000);
    sentinel.reset();
}

}  // namespace kucun::test
