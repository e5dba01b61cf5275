// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: emitting, acking and joining from other threads, and
// ack callbacks running in their context's thread. No conformance case of docs/conformance.md.

#include "socketiofixture.h"

namespace {

constexpr int ThreadEmits = 1000;

} // namespace

class tst_SocketIoThreads : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void ackAndJoinFromOtherThread();
    void emitFromOtherThreads();
    void ackCallbackRunsInContextThread();
};

void tst_SocketIoThreads::ackAndJoinFromOtherThread()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    Ack stored;
    socket->on(QStringLiteral("work"), &context,
               [&stored](const QVariantList &, const Ack &ack) { stored = ack; });
    client.send(R"(425["work"])");
    QTRY_VERIFY_WITH_TIMEOUT(stored.isRequested(), Timeout);

    std::unique_ptr<QThread> worker(QThread::create([stored, handle = socket->handle()] {
        handle.join(QStringLiteral("from-thread"));
        stored.send({ QStringLiteral("done in a thread") });
    }));
    const auto joinThread = qScopeGuard([&] { worker->wait(); });
    worker->start();
    QCOMPARE(client.nextText(), QByteArray(R"(435["done in a thread"])"));
    QVERIFY(worker->wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->mainNamespace()->roomSize(QStringLiteral("from-thread")), 1, Timeout);
    QVERIFY(stored.isAnswered());
}

void tst_SocketIoThreads::emitFromOtherThreads()
{
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    Namespace *nsp = m_server->mainNamespace();

    std::unique_ptr<QThread> toSocket(QThread::create([handle = socket->handle()] {
        for (int i = 0; i < ThreadEmits; ++i)
            handle.emitEvent(QStringLiteral("s"), { i });
    }));
    std::unique_ptr<QThread> toNamespace(QThread::create([nsp] {
        for (int i = 0; i < ThreadEmits; ++i)
            nsp->emitEvent(QStringLiteral("n"), { i });
    }));
    socket->join(QStringLiteral("r"));
    std::unique_ptr<QThread> toRoom(QThread::create([nsp] {
        for (int i = 0; i < ThreadEmits; ++i)
            nsp->to(QStringLiteral("r")).emitEvent(QStringLiteral("r"), { i });
    }));
    const auto joinThreads = qScopeGuard([&] {
        toSocket->wait();
        toNamespace->wait();
        toRoom->wait();
    });
    toSocket->start();
    toNamespace->start();
    toRoom->start();

    QVERIFY(client.waitForFrames(3 * ThreadEmits, 60000));
    QVERIFY(toSocket->wait(Timeout));
    QVERIFY(toNamespace->wait(Timeout));
    QVERIFY(toRoom->wait(Timeout));

    // Each thread's emits arrive complete and in its order.
    const QRegularExpression re(QStringLiteral(R"re(^42\["([snr])",(\d+)\]$)re"));
    QHash<QString, int> next;
    for (const RawFrame &frame : client.frames()) {
        const QRegularExpressionMatch match = re.match(QString::fromUtf8(frame.data));
        QVERIFY2(!frame.binary && match.hasMatch(), frame.data.constData());
        int &expected = next[match.captured(1)];
        QCOMPARE(match.captured(2).toInt(), expected);
        ++expected;
    }
    QCOMPARE(next.value(QStringLiteral("s")), ThreadEmits);
    QCOMPARE(next.value(QStringLiteral("n")), ThreadEmits);
    QCOMPARE(next.value(QStringLiteral("r")), ThreadEmits);
    client.clearFrames();
    QVERIFY(roundTrip(client));
}

void tst_SocketIoThreads::ackCallbackRunsInContextThread()
{
    // socket.h: "callback runs in context's thread, at most once".
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    auto context = std::make_unique<QObject>();
    QThread worker;
    worker.start();
    const auto stopWorker = qScopeGuard([&] {
        worker.quit();
        worker.wait();
    });
    context->moveToThread(&worker);
    std::atomic<QThread *> calledIn{ nullptr };
    std::atomic<int> calls{ 0 };
    socket->emitEvent(QStringLiteral("question"), {}, context.get(), [&](AckStatus, const QVariantList &) {
        calledIn = QThread::currentThread();
        ++calls;
    });
    const QByteArray event = client.nextText();
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral(R"(^42(\d+)\["question"\]$)")).match(QString::fromUtf8(event));
    QVERIFY2(match.hasMatch(), event.constData());
    client.send(QByteArray("43" + match.captured(1).toLatin1() + "[]"));
    QTRY_COMPARE_WITH_TIMEOUT(calls.load(), 1, Timeout);
    QCOMPARE(calledIn.load(), &worker);
}

QTEST_GUILESS_MAIN(tst_SocketIoThreads)

#include "tst_socketio_threads.moc"
