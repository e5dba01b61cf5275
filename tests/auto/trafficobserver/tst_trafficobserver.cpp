// SPDX-License-Identifier: MIT
//
// The engine's public traffic hook (EngineServer::addTrafficObserver, TrafficObserver): what an
// observer sees, that it is asked before anything is built, that it may leave while called, and
// that SocketIo::Server's trafficObserved() (built on the same hook) can be connected to and
// disconnected from freely, receivers dying while packets flow, with no relay in between.

#include "../socketioserver/rawclient.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/server.h>
#include <SocketIo/traffic.h>

#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000;

class Recorder : public TrafficObserver
{
public:
    bool isObserving() const override
    {
        ++asked;
        return wanted;
    }
    void observe(const TrafficEvent &event) override
    {
        events.append(event);
        if (onEvent)
            onEvent(event);
    }
    bool wanted = true;
    mutable int asked = 0;
    QList<TrafficEvent> events;
    std::function<void(const TrafficEvent &)> onEvent;
};

EngineOptions quietEngine()
{
    EngineOptions options;
    options.pingInterval = 60000ms;
    options.pingTimeout = 60000ms;
    return options;
}

} // namespace

class tst_TrafficObserver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void engineObserverSeesEveryPacket();
    void observerNotObservingGetsNothing();
    void observerRemovesItselfWhileCalled();
    void serverTrafficReceiversComeAndGo();
};

void tst_TrafficObserver::initTestCase()
{
    qRegisterMetaType<SocketIo::TrafficEvent>();
}

void tst_TrafficObserver::engineObserverSeesEveryPacket()
{
    EngineServer server(quietEngine());
    connect(&server, &EngineServer::sessionOpened, this, [](EngineSession *session) {
        connect(session, &EngineSession::textMessageReceived, session,
                [session](const QByteArray &utf8) { session->sendText(utf8); });
    });
    Recorder first;
    Recorder second;
    server.addTrafficObserver(&first);
    server.addTrafficObserver(&second);
    server.addTrafficObserver(&first); // once only
    QSignalSpy signal(&server, &EngineServer::trafficObserved); // and the signal, after them
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    RawClient client(server.serverPort(), "EIO=4&transport=websocket", "/engine.io/");
    QVERIFY(client.waitForOpen(Timeout));
    client.send("4hello");
    QCOMPARE(client.nextText(), QByteArray("4hello"));

    QCOMPARE(first.events.size(), 3); // open out, message in, message out
    QCOMPARE(first.events.at(0).type, EnginePacketType::Open);
    QCOMPARE(first.events.at(0).direction, TrafficEvent::Direction::Outgoing);
    QCOMPARE(first.events.at(1).type, EnginePacketType::Message);
    QCOMPARE(first.events.at(1).direction, TrafficEvent::Direction::Incoming);
    QCOMPARE(first.events.at(1).data, QByteArray("hello"));
    QCOMPARE(first.events.at(1).transport, Transport::WebSocket);
    QCOMPARE(first.events.at(1).sessionId, client.engineSid());
    QCOMPARE(first.events.at(2).direction, TrafficEvent::Direction::Outgoing);
    QCOMPARE(second.events.size(), 3);
    QCOMPARE(signal.count(), 3);

    server.removeTrafficObserver(&first);
    client.send("4again");
    QCOMPARE(client.nextText(), QByteArray("4again"));
    QCOMPARE(first.events.size(), 3);
    QCOMPARE(second.events.size(), 5);
    server.removeTrafficObserver(&second);
}

void tst_TrafficObserver::observerNotObservingGetsNothing()
{
    // Nothing connected to trafficObserved and no observer that wants events: asked for every
    // packet, given none (no snapshot is built).
    EngineServer server(quietEngine());
    Recorder idle;
    idle.wanted = false;
    server.addTrafficObserver(&idle);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort(), "EIO=4&transport=websocket", "/engine.io/");
    QVERIFY(client.waitForOpen(Timeout));
    client.send("4x");
    QTRY_VERIFY_WITH_TIMEOUT(idle.asked >= 2, Timeout);
    QCOMPARE(idle.events.size(), 0);

    idle.wanted = true; // from now on
    client.send("4y");
    QTRY_COMPARE_WITH_TIMEOUT(idle.events.size(), 1, Timeout);
    QCOMPARE(idle.events.at(0).data, QByteArray("y"));
    server.removeTrafficObserver(&idle);
}

void tst_TrafficObserver::observerRemovesItselfWhileCalled()
{
    EngineServer server(quietEngine());
    Recorder leaving;
    Recorder staying;
    leaving.onEvent = [&](const TrafficEvent &) {
        server.removeTrafficObserver(&leaving);
    };
    server.addTrafficObserver(&leaving);
    server.addTrafficObserver(&staying);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort(), "EIO=4&transport=websocket", "/engine.io/");
    QVERIFY(client.waitForOpen(Timeout));
    client.send("4x");
    QTRY_COMPARE_WITH_TIMEOUT(staying.events.size(), 2, Timeout);
    QCOMPARE(leaving.events.size(), 1);
    server.removeTrafficObserver(&staying);
}

void tst_TrafficObserver::serverTrafficReceiversComeAndGo()
{
    // SocketIo::Server is one more client of the hook: its trafficObserved carries the
    // Socket.IO fields, and receivers may connect, disconnect and die while traffic flows (the
    // inspector used to go through a relay object for fear of a deadlock there).
    ServerOptions options;
    options.engine = quietEngine();
    options.engine.path = QStringLiteral("/socket.io/");
    Server server(options);
    connect(server.mainNamespace(), &Namespace::socketConnected, this, [](Socket *socket) {
        connect(socket, &Socket::eventReceived, socket, [socket](const QString &, const QVariantList &args) {
            socket->emitEvent(QStringLiteral("back"), args);
        });
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QVERIFY(client.nextText().startsWith("40{"));

    for (int i = 0; i < 20; ++i) {
        auto receiver = std::make_unique<QObject>();
        QList<TrafficEvent> seen;
        const auto connection = connect(&server, &Server::trafficObserved, receiver.get(),
                                        [&seen](const TrafficEvent &event) { seen.append(event); });
        client.send(QByteArray(R"(42["e",)" + QByteArray::number(i) + ']'));
        QCOMPARE(client.nextText(), QByteArray(R"(42["back",)" + QByteArray::number(i) + ']'));
        QCOMPARE(seen.size(), 2);
        QCOMPARE(seen.at(0).socketIoType, SocketIoPacketType::Event);
        QCOMPARE(seen.at(0).event, QStringLiteral("e"));
        QCOMPARE(seen.at(1).event, QStringLiteral("back"));
        if (i % 2)
            QVERIFY(disconnect(connection)); // explicitly
        // else: the receiver dies connected
    }
    client.send(R"(42["e","unobserved"])");
    QCOMPARE(client.nextText(), QByteArray(R"(42["back","unobserved"])"));
}

QTEST_GUILESS_MAIN(tst_TrafficObserver)
#include "tst_trafficobserver.moc"
