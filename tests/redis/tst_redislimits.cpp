// SPDX-License-Identifier: MIT
// The Redis adapter's limits (issue 15, limit 7) against a real redis-server that the test starts
// on a unix socket of its own, kills ("away") and stops with SIGSTOP ("hangs"): messages for the
// other servers are queued while Redis is away (bounded, oldest dropped first) and published in
// order when it is back; a Redis that does not answer is dropped after the command timeout,
// requests waiting for it end at once, and what is published meanwhile stays bounded.
#include <SocketIo/namespace.h>
#include <SocketIo/redisadapter.h>
#include <SocketIo/server.h>

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <optional>
#include <sys/types.h>
#include <unistd.h>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 15000; // a safety net against hangs, never a synchronisation

// Resident memory of this process in bytes (/proc/self/statm).
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

// A redis-server on dir/redis.sock, no TCP port, no persistence.
class RedisProcess
{
public:
    explicit RedisProcess(const QString &dir)
        : m_socket(dir + QStringLiteral("/redis.sock"))
    { }
    ~RedisProcess() { kill(); }
    QString socketPath() const { return m_socket; }
    bool start()
    {
        QFile::remove(m_socket);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QString::fromLocal8Bit(SOCKETIO_REDIS_SERVER),
                        { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--unixsocket"),
                          m_socket, QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                          QStringLiteral("no") });
        if (!m_process.waitForStarted(Timeout))
            return false;
        return QTest::qWaitFor([this] { return QFile::exists(m_socket); }, Timeout);
    }
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_process.processId()), SIGCONT);
        m_process.kill();
        m_process.waitForFinished(Timeout);
        QFile::remove(m_socket);
    }
    void stop() { ::kill(pid_t(m_process.processId()), SIGSTOP); }
    void resume() { ::kill(pid_t(m_process.processId()), SIGCONT); }

private:
    QString m_socket;
    QProcess m_process;
};

// A server (not listening: the adapter does not need it) on a Redis adapter.
struct Node
{
    Node(const QString &socketPath, RedisAdapterOptions options)
    {
        options.reconnectDelayMin = 10ms;
        options.reconnectDelayMax = 100ms;
        redis = new RedisAdapter(QUrl(QStringLiteral("redis+unix://") + socketPath), options, &server);
        redis->attach(&server);
    }
    Server server;
    RedisAdapter *redis = nullptr;
};

} // namespace

class tst_RedisLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void queuedWhileAway();
    void frozenRedis();
};

void tst_RedisLimits::defaults()
{
    const RedisAdapterOptions options;
    QCOMPARE(options.commandTimeout, 5000ms);
    QCOMPARE(options.maxQueuedBytes, 4 * 1024 * 1024);
}

// Redis killed: what server A publishes meanwhile waits in its queue, bounded by maxQueuedBytes
// (the oldest dropped first, counted), and reaches server B in order once Redis is back. A reaches
// Redis through a symbolic link the test takes away, so that A comes back only after B has (B
// must be subscribed again to get anything): no race.
void tst_RedisLimits::queuedWhileAway()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RedisProcess redis(dir.path());
    QVERIFY(redis.start());
    const QString link = dir.filePath(QStringLiteral("a.sock"));
    QVERIFY(QFile::link(redis.socketPath(), link));
    RedisAdapterOptions optionsA;
    optionsA.maxQueuedBytes = 1000;
    Node a(link, optionsA);
    Node b(redis.socketPath(), {});
    QTRY_COMPARE_WITH_TIMEOUT(a.redis->state(), RedisAdapter::State::Connected, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(b.redis->state(), RedisAdapter::State::Connected, Timeout);
    QSignalSpy received(b.server.mainNamespace(), &Namespace::serverSideEventReceived);
    a.server.mainNamespace()->serverSideEmit(QStringLiteral("live"), { -1 });
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, Timeout);
    received.clear();

    QVERIFY(QFile::remove(link));
    redis.kill();
    QTRY_VERIFY_WITH_TIMEOUT(a.redis->state() != RedisAdapter::State::Connected, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(b.redis->state() != RedisAdapter::State::Connected, Timeout);
    constexpr int Sent = 40;
    for (int i = 0; i < Sent; ++i)
        a.server.mainNamespace()->serverSideEmit(QStringLiteral("queued"), { i });
    const qint64 queued = a.redis->queuedMessageCount();
    QVERIFY2(queued > 0 && queued < Sent, QByteArray::number(queued).constData());
    QCOMPARE(a.redis->droppedMessageCount(), Sent - queued);

    QVERIFY(redis.start());
    QTRY_COMPARE_WITH_TIMEOUT(b.redis->state(), RedisAdapter::State::Connected, Timeout);
    QVERIFY(a.redis->state() != RedisAdapter::State::Connected); // no way to Redis yet
    QVERIFY(QFile::link(redis.socketPath(), link));
    QTRY_COMPARE_WITH_TIMEOUT(a.redis->state(), RedisAdapter::State::Connected, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), int(queued), Timeout);
    QCOMPARE(a.redis->queuedMessageCount(), 0);
    // The latest ones, in order.
    for (int i = 0; i < received.count(); ++i) {
        QCOMPARE(received.at(i).at(0).toString(), QStringLiteral("queued"));
        QCOMPARE(received.at(i).at(1).toList().value(0).toInt(), int(Sent - queued + i));
    }
}

// Redis stopped (SIGSTOP): it accepts connections and answers nothing. Requests that need it end
// after the command timeout (serverSideEmit with acks: timed out; allRooms: this server's part),
// the connection is dropped and made again (and not taken for connected while Redis does not
// answer), and 100 MB published meanwhile leave memory bounded. Once it runs again, the latest
// messages reach the other server.
void tst_RedisLimits::frozenRedis()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RedisProcess redis(dir.path());
    QVERIFY(redis.start());
    RedisAdapterOptions optionsA;
    optionsA.commandTimeout = 300ms;
    optionsA.connectTimeout = 300ms;
    optionsA.requestsTimeout = 600000ms; // far away: the command timeout must end the requests
    optionsA.maxQueuedBytes = 256 * 1024;
    Node a(redis.socketPath(), optionsA);
    Node b(redis.socketPath(), {});
    QTRY_COMPARE_WITH_TIMEOUT(a.redis->state(), RedisAdapter::State::Connected, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(b.redis->state(), RedisAdapter::State::Connected, Timeout);
    QSignalSpy received(b.server.mainNamespace(), &Namespace::serverSideEventReceived);

    redis.stop();
    // Asked while the adapter still counts Redis as connected: they wait for its answer.
    Namespace *nsp = a.server.mainNamespace();
    const auto acked = std::make_shared<std::optional<bool>>();
    nsp->serverSideEmit(QStringLiteral("question"), {}, this,
                        [acked](bool timedOut, const QVariantList &) { *acked = timedOut; });
    const auto rooms = std::make_shared<std::optional<QSet<QString>>>();
    nsp->allRooms(this, [rooms](const QSet<QString> &all) { *rooms = all; });
    QCOMPARE(a.redis->state(), RedisAdapter::State::Connected);

    // 100 MB for the other servers while Redis hangs, from the same moment: first written to it
    // (up to maxQueuedBytes unanswered), then queued; at most those two stay.
    const qint64 before = residentBytes();
    QVERIFY(before > 0);
    const QString payload(1000, QLatin1Char('x'));
    constexpr int Sent = 100000;
    for (int i = 0; i < Sent; ++i) {
        nsp->serverSideEmit(QStringLiteral("flood"), { i, payload });
        if (i % 1000 == 0)
            QCoreApplication::processEvents(); // the command timeout, reconnection attempts
    }
    const qint64 growth = residentBytes() - before;
    qInfo() << "resident memory grew by" << growth / 1024 << "KiB;" << a.redis->droppedMessageCount()
            << "messages dropped," << a.redis->queuedMessageCount() << "queued";
    QVERIFY2(growth < 32 * 1024 * 1024, QByteArray::number(growth).constData());
    QVERIFY(a.redis->droppedMessageCount() > Sent / 2);

    QTRY_VERIFY_WITH_TIMEOUT(acked->has_value() && rooms->has_value(), Timeout);
    QCOMPARE(**acked, true);
    QVERIFY((*rooms)->isEmpty()); // this server's: none
    QTRY_VERIFY_WITH_TIMEOUT(a.redis->state() != RedisAdapter::State::Connected, Timeout);

    redis.resume();
    QTRY_COMPARE_WITH_TIMEOUT(a.redis->state(), RedisAdapter::State::Connected, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(a.redis->queuedMessageCount(), 0, Timeout);
    // The last message published reaches B (B's subscription survived: it awaited nothing).
    QTRY_VERIFY_WITH_TIMEOUT(
        !received.isEmpty() && received.last().at(1).toList().value(0).toInt() == Sent - 1, Timeout);
}

QTEST_GUILESS_MAIN(tst_RedisLimits)
#include "tst_redislimits.moc"
