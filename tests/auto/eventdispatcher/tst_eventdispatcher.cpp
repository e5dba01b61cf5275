// SPDX-License-Identifier: MIT
// The epoll event dispatcher: timers, socket notifiers, posted events and threads.
#include <SocketIo/eventdispatcher.h>

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <fcntl.h>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

class tst_EventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isInstalled()
    {
        QVERIFY(QAbstractEventDispatcher::instance());
        QCOMPARE(QAbstractEventDispatcher::instance()->metaObject()->className(),
                 QAbstractEventDispatcher::staticMetaObject.className());
        QVERIFY(!SocketIo::installEventDispatcher()); // too late: an application exists
    }

    void timersFireInDeadlineOrder()
    {
        QList<int> order;
        QTimer::singleShot(30ms, this, [&] { order.append(3); });
        QTimer::singleShot(10ms, this, [&] { order.append(1); });
        QTimer::singleShot(20ms, this, [&] { order.append(2); });
        QTRY_COMPARE(order, (QList<int>{ 1, 2, 3 }));
    }

    void periodicTimerAndStop()
    {
        QTimer timer;
        timer.setInterval(1ms);
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++ticks == 5)
                timer.stop();
        });
        timer.start();
        QTRY_COMPARE(ticks, 5);
        QVERIFY(!timer.isActive());
        QTest::qWait(20);
        QCOMPARE(ticks, 5);
    }

    void restartedTimerFiresOnce()
    {
        QTimer timer;
        timer.setSingleShot(true);
        int fired = 0;
        connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
        timer.start(5ms);
        timer.start(10ms); // restart: the first deadline is stale
        QVERIFY(timer.remainingTime() >= 0);
        QTRY_COMPARE(fired, 1);
        QTest::qWait(30);
        QCOMPARE(fired, 1);
    }

    void zeroTimerDoesNotStarveSockets()
    {
        QTimer zero;
        zero.setInterval(0);
        zero.start();
        int spins = 0;
        connect(&zero, &QTimer::timeout, this, [&] { ++spins; });
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket client;
        client.connectToHost(server.serverAddress(), server.serverPort());
        QTRY_VERIFY(server.hasPendingConnections());
        QVERIFY(spins > 0);
        delete server.nextPendingConnection();
    }

    void socketEcho()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *peer = server.nextPendingConnection();
            connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
            connect(peer, &QTcpSocket::disconnected, peer, &QObject::deleteLater);
        });
        QTcpSocket client;
        client.connectToHost(server.serverAddress(), server.serverPort());
        QVERIFY(client.waitForConnected(5000));
        QByteArray received;
        connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
        const QByteArray big(256 * 1024, 'x'); // more than one socket buffer: write notifiers
        client.write(big);
        QTRY_COMPARE(received.size(), big.size());
        QCOMPARE(received, big);
        client.disconnectFromHost();
    }

    // A handler that runs a nested event loop while other sockets are ready in the same pass
    // (QEventLoop, waitFor..., QSignalSpy::wait in a slot): the nested loop continues the pass,
    // and no notifier is activated again for readiness that loop has already consumed.
    void nestedLoopInSocketNotifier()
    {
        constexpr int count = 4;
        int fds[count][2];
        std::vector<std::unique_ptr<QSocketNotifier>> notifiers;
        int reads = 0;
        int spurious = 0;
        bool nested = false;
        QEventLoop inner;
        for (int i = 0; i < count; ++i) {
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds[i]), 0);
            notifiers.push_back(std::make_unique<QSocketNotifier>(fds[i][0], QSocketNotifier::Read));
            connect(notifiers.back().get(), &QSocketNotifier::activated, this, [&, i] {
                char c;
                if (::read(fds[i][0], &c, 1) != 1) {
                    ++spurious; // activated with nothing to read
                    return;
                }
                ++reads;
                if (!nested) {
                    nested = true;
                    inner.exec(); // until the other sockets of this pass are read
                } else if (reads == count) {
                    inner.quit();
                }
            });
        }
        for (int i = 0; i < count; ++i)
            QCOMPARE(::write(fds[i][1], "x", 1), 1);
        while (reads < count)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(reads, count);
        QCOMPARE(spurious, 0);
        notifiers.clear();
        for (auto &pair : fds) {
            ::close(pair[0]);
            ::close(pair[1]);
        }
    }

    // A write notifier queued for an optimistic write, removed, and its fd closed and reused
    // before the next pass: the new fd's write notifier waits for epoll (a pipe's read end is
    // never writable), not for what was known of the old socket.
    void reusedFdIsNotOptimistic()
    {
        int pair[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair), 0);
        auto reader = std::make_unique<QSocketNotifier>(pair[0], QSocketNotifier::Read);
        bool readable = false;
        connect(reader.get(), &QSocketNotifier::activated, this, [&] {
            char c;
            readable = ::read(pair[0], &c, 1) == 1;
        });
        QCOMPARE(::write(pair[1], "x", 1), 1);
        while (!readable)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        // Established; a write notifier now is queued without asking epoll. Gone before the next pass.
        auto writer = std::make_unique<QSocketNotifier>(pair[0], QSocketNotifier::Write);
        writer.reset();
        reader.reset();
        const int reused = pair[0];
        ::close(pair[0]);
        ::close(pair[1]);
        int pipeFds[2];
        QCOMPARE(::pipe2(pipeFds, O_NONBLOCK | O_CLOEXEC), 0);
        if (pipeFds[0] != reused) {
            ::close(pipeFds[0]);
            ::close(pipeFds[1]);
            QSKIP("the pipe did not get the closed socket's fd number");
        }
        int activated = 0;
        QSocketNotifier never(pipeFds[0], QSocketNotifier::Write);
        connect(&never, &QSocketNotifier::activated, this, [&] { ++activated; });
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(activated, 0);
        never.setEnabled(false);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
    }

    // The same with TCP sockets that write from inside the nested loop (optimistic writes).
    void nestedLoopWhileWriting()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        constexpr int count = 3;
        QList<QTcpSocket *> peers;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *peer = server.nextPendingConnection())
                peers.append(peer);
        });
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < count; ++i) {
            clients.push_back(std::make_unique<QTcpSocket>());
            clients.back()->connectToHost(server.serverAddress(), server.serverPort());
        }
        QTRY_COMPARE(peers.size(), count);
        int echoed = 0;
        bool nested = false;
        QEventLoop inner;
        for (QTcpSocket *peer : peers) {
            connect(peer, &QTcpSocket::readyRead, peer, [&, peer] {
                peer->write(peer->readAll());
                if (!nested) {
                    nested = true;
                    inner.exec(); // until every client has its echo
                }
            });
        }
        QByteArray received[count];
        for (int i = 0; i < count; ++i) {
            QTcpSocket *client = clients[size_t(i)].get();
            connect(client, &QTcpSocket::readyRead, this, [&, i, client] {
                received[i] += client->readAll();
                if (received[i] == "ping" && ++echoed == count)
                    inner.quit();
            });
            client->write("ping");
        }
        QTRY_COMPARE(echoed, count);
        for (const QByteArray &r : received)
            QCOMPARE(r, QByteArray("ping"));
        qDeleteAll(peers);
    }

    void deleteLaterAndQueuedCalls()
    {
        QPointer<QObject> object = new QObject;
        object->deleteLater();
        bool called = false;
        QMetaObject::invokeMethod(
            this, [&] { called = true; }, Qt::QueuedConnection);
        QTRY_VERIFY(called);
        QTRY_VERIFY(!object);
    }

    void postFromAnotherThreadWakesUp()
    {
        bool called = false;
        std::unique_ptr<QThread> thread(QThread::create([&] {
            QMetaObject::invokeMethod(
                this, [&] { called = true; }, Qt::QueuedConnection);
        }));
        thread->start();
        QTRY_VERIFY(called);
        thread->wait();
    }

    void workerThreadWithItsOwnDispatcher()
    {
        QThread worker;
        worker.setEventDispatcher(SocketIo::createEventDispatcher());
        worker.start();
        QObject context;
        context.moveToThread(&worker);
        std::atomic<int> fired{ 0 };
        QMetaObject::invokeMethod(&context, [&] { QTimer::singleShot(5ms, &context, [&] { ++fired; }); });
        QTRY_COMPARE(fired.load(), 1);
        worker.quit();
        QVERIFY(worker.wait(5000));
    }

    void quitLeavesTheLoop()
    {
        QEventLoop loop;
        QTimer::singleShot(1ms, &loop, &QEventLoop::quit);
        QTimer::singleShot(0ms, &loop, [] {}); // something pending as well
        loop.exec();
    }
};

int main(int argc, char *argv[])
{
    if (!SocketIo::installEventDispatcher())
        return 1;
    QCoreApplication app(argc, argv);
    tst_EventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventdispatcher.moc"
