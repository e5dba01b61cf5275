// SPDX-License-Identifier: MIT
//
// Emitting from other threads: SocketHandle, Broadcast and Namespace from threads that are not
// the server's, while the server's thread connects, disconnects and deletes sockets (and, at
// the end, the whole server). Run in the normal build and under ThreadSanitizer (scripts/tsan),
// where any access to a Socket or Namespace from an emitter thread shows up as a data race.
//
// Emitter threads are std::threads: their start and join are pthread calls, which
// ThreadSanitizer sees (QThread::wait() synchronizes through Qt's own, uninstrumented futex).

#include "../socketioserver/rawclient.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 10000;

// Runs in the main thread's event loop after everything posted to it before: an emitter waits
// for it, so the server's queue never holds more than a batch per emitter.
// The posted functor is written here and read there, ordered by Qt's event queue (its own
// futex, invisible to ThreadSanitizer): a std::mutex held around the post and taken first thing
// where it runs makes that order visible, as NamespaceMailbox does (a TSan run reported it).
void waitForMainThread()
{
    static std::mutex postLock;
    std::promise<void> done;
    std::future<void> future = done.get_future();
    {
        const std::lock_guard<std::mutex> lock(postLock);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [&done] {
                {
                    const std::lock_guard<std::mutex> sync(postLock);
                }
                done.set_value();
            },
            Qt::QueuedConnection);
    }
    future.wait();
}

// Handles of every socket that connected, gone or not (stale ones must be harmless).
class HandleList
{
public:
    void add(const SocketHandle &handle)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_handles.push_back(handle);
    }
    SocketHandle pick(unsigned random) const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_handles.empty() ? SocketHandle() : m_handles.at(random % m_handles.size());
    }

private:
    mutable std::mutex m_mutex;
    std::vector<SocketHandle> m_handles;
};

// A Socket.IO client over a QWebSocket that joins "/" and counts what it receives.
class Client
{
public:
    explicit Client(quint16 port)
        : m_raw(port)
    { }
    bool joinMain()
    {
        if (!m_raw.waitForOpen(Timeout))
            return false;
        m_raw.send("40");
        return QTest::qWaitFor(
            [this] {
                for (const RawFrame &frame : m_raw.frames()) {
                    if (frame.data.startsWith("40{"))
                        return true;
                }
                return false;
            },
            Timeout);
    }
    int frameCount() const { return m_raw.pendingFrames(); }
    RawClient &raw() { return m_raw; }

private:
    RawClient m_raw;
};

} // namespace

class tst_CrossThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void handleFromOtherThread();
    void handleAfterSocketLeft();
    void handleAndBroadcastAfterServerGone();
    void ackFromOtherThreads();
    void stress();

private:
    Socket *connect(RawClient &client);

    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_CrossThread::initTestCase()
{
    qRegisterMetaType<SocketIo::AckStatus>();
}

void tst_CrossThread::init()
{
    ServerOptions options;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    m_server = std::make_unique<Server>(options);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void tst_CrossThread::cleanup()
{
    m_server.reset();
}

Socket *tst_CrossThread::connect(RawClient &client)
{
    QSignalSpy connected(m_server->mainNamespace(), &Namespace::socketConnected);
    if (!client.waitForOpen(Timeout))
        return nullptr;
    client.send("40");
    if (!client.nextText(Timeout).startsWith("40{"))
        return nullptr;
    return connected.isEmpty() ? nullptr : connected.at(0).at(0).value<Socket *>();
}

void tst_CrossThread::handleFromOtherThread()
{
    RawClient client(m_port);
    Socket *socket = connect(client);
    QVERIFY(socket);
    const SocketHandle handle = socket->handle();
    QCOMPARE(handle.id(), socket->id());
    QVERIFY(!handle.isNull());
    QCOMPARE(m_server->mainNamespace()->socketHandle(socket->id()).id(), socket->id());

    std::thread([handle] {
        handle.join(QStringLiteral("room"));
        handle.emitEvent(QStringLiteral("hi"), { 1 });
    }).join();
    QCOMPARE(client.nextText(), QByteArray(R"(42["hi",1])"));
    QVERIFY(socket->rooms().contains(QStringLiteral("room")));

    std::thread([handle] { handle.leave(QStringLiteral("room")); }).join();
    QTRY_VERIFY_WITH_TIMEOUT(!socket->rooms().contains(QStringLiteral("room")), Timeout);

    // In the server's thread a handle acts at once, like the socket.
    handle.emitEvent(QStringLiteral("now"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["now"])"));

    std::thread([handle] { handle.close(); }).join();
    QCOMPARE(client.nextText(), QByteArray("41"));
}

void tst_CrossThread::handleAfterSocketLeft()
{
    RawClient client(m_port);
    Socket *socket = connect(client);
    QVERIFY(socket);
    const SocketHandle handle = socket->handle();
    QPointer<Socket> guard(socket);
    socket->close();
    QCOMPARE(client.nextText(), QByteArray("41"));
    QTRY_VERIFY_WITH_TIMEOUT(!guard, Timeout); // deleted

    QList<AckStatus> statuses;
    std::thread([&, handle] {
        handle.emitEvent(QStringLiteral("lost"));
        handle.join(QStringLiteral("room"));
        handle.emitEvent(QStringLiteral("ask"), {}, this,
                         [&statuses](AckStatus status, const QVariantList &) { statuses.append(status); });
    }).join();
    QTRY_COMPARE_WITH_TIMEOUT(statuses, QList<AckStatus>{ AckStatus::Disconnected }, Timeout);
    QCOMPARE(m_server->mainNamespace()->roomSize(QStringLiteral("room")), 0);
    // Nothing went out: the connection is still open and silent.
    m_server->engine()->session(client.engineSid())->sendText(QByteArray("marker"));
    QCOMPARE(client.nextText(), QByteArray("4marker"));
}

void tst_CrossThread::handleAndBroadcastAfterServerGone()
{
    RawClient client(m_port);
    Socket *socket = connect(client);
    QVERIFY(socket);
    const SocketHandle handle = socket->handle();
    const Broadcast broadcast = m_server->mainNamespace()->to(QStringLiteral("room"));
    Ack ack; // an Ack kept past its server
    socket->on(QStringLiteral("q"), this, [&ack](const QVariantList &, const Ack &a) { ack = a; });
    client.send(R"(427["q"])");
    QTRY_VERIFY_WITH_TIMEOUT(ack.isRequested(), Timeout);
    m_server.reset();

    bool called = false;
    const auto useAll = [&] {
        handle.emitEvent(QStringLiteral("e"));
        handle.emitEvent(QStringLiteral("e"), {}, nullptr,
                         [&called](AckStatus, const QVariantList &) { called = true; });
        handle.join(QStringLiteral("r"));
        handle.close();
        broadcast.emitEvent(QStringLiteral("e"));
        broadcast.socketsJoin({ QStringLiteral("r") });
        broadcast.disconnectSockets();
        ack.send({ 1 });
    };
    useAll(); // here
    std::thread(useAll).join(); // and from another thread: nothing, and nothing queued
    QCoreApplication::processEvents();
    QVERIFY(!called);
    QVERIFY(!ack.isAnswered()); // its socket was gone
}

void tst_CrossThread::ackFromOtherThreads()
{
    RawClient client(m_port);
    Socket *socket = connect(client);
    QVERIFY(socket);
    Ack ack;
    socket->on(QStringLiteral("q"), this, [&ack](const QVariantList &, const Ack &a) { ack = a; });
    client.send(R"(429["q"])");
    QTRY_VERIFY_WITH_TIMEOUT(ack.isRequested(), Timeout);
    // Several copies answered at once from several threads: one answer goes out.
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([ack, i] { ack.send({ i }); });
    for (std::thread &t : threads)
        t.join();
    const QByteArray answer = client.nextText();
    QVERIFY2(answer.startsWith("439[") && answer.size() == 6, answer.constData());
    socket->emitEvent(QStringLiteral("marker"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["marker"])"));
    QVERIFY(ack.isAnswered());
}

// Three emitter threads hammer sockets that come and go: through handles (stale ones
// included), to rooms, to the namespace, to the server, with and without acks. Then the server
// is deleted while they still emit through the values they hold.
void tst_CrossThread::stress()
{
    constexpr int EmitterThreads = 3;
    constexpr int Batches = 100;
    constexpr int BatchSize = 50;
    constexpr int ClientsPerRound = 4;

    Namespace *nsp = m_server->mainNamespace();
    Server *server = m_server.get();
    HandleList handles;
    QObject::connect(nsp, &Namespace::socketConnected, this,
                     [&handles](Socket *socket) { handles.add(socket->handle()); });
    std::atomic<int> acksReceived{ 0 };
    std::atomic<int> acksDisconnected{ 0 };
    std::atomic<int> finished{ 0 };
    std::atomic<int> batchesDone{ 0 };
    std::atomic<bool> valuesOnly{ false };
    std::atomic<bool> stop{ false };
    const Broadcast toR2 = nsp->except(QStringLiteral("r2")); // a value kept by every thread

    const auto emitter = [&](int seed, bool phaseTwo) {
        std::minstd_rand random(seed);
        const QString room = QStringLiteral("r%1").arg(seed % 3);
        for (int batch = 0; phaseTwo ? !stop.load() : batch < Batches; ++batch) {
            for (int i = 0; i < BatchSize; ++i) {
                const SocketHandle handle = handles.pick(random());
                const int op = int(random() % (valuesOnly ? 5 : 8));
                switch (op) {
                case 0:
                    handle.emitEvent(QStringLiteral("h"), { i, room });
                    break;
                case 1:
                    handle.join(room);
                    break;
                case 2:
                    handle.leave(room);
                    break;
                case 3:
                    toR2.emitEvent(QStringLiteral("b"), { i });
                    break;
                case 4:
                    handle.emitEvent(
                        QStringLiteral("a"), { i }, nullptr,
                        [&](AckStatus status, const QVariantList &) {
                            if (status == AckStatus::Received)
                                ++acksReceived;
                            else
                                ++acksDisconnected;
                        },
                        EmitOptions{ false, true, 2000ms });
                    break;
                case 5:
                    nsp->to(room).emitEvent(QStringLiteral("r"), { i });
                    break;
                case 6:
                    nsp->emitEvent(QStringLiteral("n"), { i });
                    break;
                case 7:
                    server->emitEvent(QStringLiteral("s"), { i });
                    break;
                }
            }
            waitForMainThread();
            ++batchesDone;
        }
        ++finished;
    };

    // Phase one: the whole any-thread API while clients connect and leave.
    std::vector<std::thread> threads;
    for (int t = 0; t < EmitterThreads; ++t)
        threads.emplace_back(emitter, t + 1, false);
    int rounds = 0;
    int received = 0;
    while (finished.load() < EmitterThreads || rounds < 3) {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < ClientsPerRound; ++i)
            clients.push_back(std::make_unique<Client>(m_port));
        for (auto &client : clients)
            QVERIFY(client->joinMain());
        // Answer the acks that came so far, so both statuses happen.
        for (auto &client : clients) {
            for (const RawFrame &frame : client->raw().frames()) {
                if (frame.data.startsWith("42") && frame.data.contains("[\"a\"")) {
                    const qsizetype bracket = frame.data.indexOf('[');
                    client->raw().send(QByteArray("43" + frame.data.mid(2, bracket - 2) + "[]"));
                }
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(batchesDone.load() > 0 || finished.load() == EmitterThreads, Timeout);
        for (auto &client : clients)
            received += client->frameCount();
        // Leave in every way: the client aborts, closes, leaves the namespace; the server
        // closes the socket.
        clients.at(0)->raw().close();
        clients.at(1)->raw().send("41");
        handles.pick(0); // (keeps the list's lock busy now and then)
        nsp->sockets().value(0)->close(DisconnectMode::Close);
        clients.clear(); // aborts the rest
        ++rounds;
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY(received > 0);
    QTRY_COMPARE_WITH_TIMEOUT(nsp->socketCount(), 0, Timeout);
    qDebug() << rounds << "rounds," << received << "frames received," << acksReceived.load() << "acks,"
             << acksDisconnected.load() << "acks disconnected";

    // Phase two: the server goes while threads emit through the values they hold.
    Client last(m_port);
    QVERIFY(last.joinMain());
    valuesOnly = true;
    finished = 0;
    batchesDone = 0;
    threads.clear();
    for (int t = 0; t < EmitterThreads; ++t)
        threads.emplace_back(emitter, t + 10, true);
    QTRY_VERIFY_WITH_TIMEOUT(batchesDone.load() >= EmitterThreads, Timeout);
    m_server.reset();
    const int before = batchesDone.load();
    QTRY_VERIFY_WITH_TIMEOUT(batchesDone.load() >= before + EmitterThreads, Timeout);
    stop = true;
    // They wait for this thread after each batch: let them finish before joining.
    QTRY_COMPARE_WITH_TIMEOUT(finished.load(), EmitterThreads, Timeout);
    for (std::thread &t : threads)
        t.join();
}

QTEST_GUILESS_MAIN(tst_CrossThread)
#include "tst_crossthread.moc"
