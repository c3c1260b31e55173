#include "redisserver.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>

namespace kucun::test {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

RedisServer::RedisServer(QStringList extraArguments)
    : m_extraArguments(std::move(extraArguments))
    , m_port(freeLoopbackPort())
{
}

RedisServer::~RedisServer()
{
    kill();
}

bool RedisServer::start()
{
    kill();
    m_process = std::make_unique<QProcess>();
    // The server dies with the test, even when the test is killed (a CTest timeout): no
    // orphaned server, no pipe held open by one.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("redis.log")));
    m_process->setStandardErrorFile(m_dir.filePath(QStringLiteral("redis.log")), QIODevice::Append);
    QStringList arguments{QStringLiteral("--port"),       QString::number(m_port),
                          QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                          QStringLiteral("--save"),       QString(),
                          QStringLiteral("--appendonly"), QStringLiteral("no"),
                          QStringLiteral("--dir"),        m_dir.path(),
                          QStringLiteral("--daemonize"),  QStringLiteral("no")};
    m_process->start(QStringLiteral("redis-server"), arguments + m_extraArguments);
    if (!m_process->waitForStarted(10000)) {
        qWarning("redis-server did not start: %s", qPrintable(m_process->errorString()));
        return false;
    }
    if (!waitUntilAnswering()) {
        qWarning("redis-server on port %u did not answer within 10 s", m_port);
        return false;
    }
    return true;
}

bool RedisServer::waitUntilAnswering() const
{
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(200)) {
            socket.write("PING\r\n");
            // Any answer will do (an AUTH-protected server says -NOAUTH): it is up.
            if (socket.waitForReadyRead(500) && !socket.readAll().isEmpty())
                return true;
        }
        QThread::msleep(20);
    }
    return false;
}

void RedisServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
    m_process.reset();
}

QString RedisServer::url() const
{
    return QStringLiteral("redis://127.0.0.1:%1").arg(m_port);
}

QString RedisServer::cli(const QStringList &arguments) const
{
    return redisCli(m_port, arguments);
}

QString redisCli(quint16 port, const QStringList &arguments, const QByteArray &input)
{
    QProcess cli;
    cli.start(QStringLiteral("redis-cli"),
              QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                          QString::number(port)}
                  + arguments);
    if (!input.isEmpty())
        cli.write(input);
    cli.closeWriteChannel();
    if (!cli.waitForFinished(10000))
        return QStringLiteral("<redis-cli timed out>");
    return QString::fromUtf8(cli.readAllStandardOutput()).trimmed();
}

}  // namespace kucun::test
