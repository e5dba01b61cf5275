// SPDX-License-Identifier: MIT
// The msgpack parser end to end, in-process on port 0: our Server (ServerOptions::parser) and our
// Qt client (ManagerOptions::parser) over polling, WebSocket and the upgrade; binaries inline;
// acks both ways; broadcasts to a room; the traffic observers of both sides decode msgpack
// packets as they do JSON ones; a client speaking the other parser is refused.
#include <SocketIo/client.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCborMap>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(SocketIo::Transports)

class tst_MsgpackServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void echo_data();
    void echo();
    void serverAsks();
    void broadcastToRoom();
    void traffic();
    void parserMismatch_data();
    void parserMismatch();

private:
    void startServer(Parser parser);
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort())); }
    static ManagerOptions options(Transports transports = Transport::Polling | Transport::WebSocket,
                                  Parser parser = Parser::MsgPack)
    {
        ManagerOptions o;
        o.transports = transports;
        o.reconnection = false;
        o.timeout = 5000ms;
        o.parser = parser;
        return o;
    }
    std::unique_ptr<Server> m_server;
};

void tst_MsgpackServer::startServer(Parser parser)
{
    ServerOptions options;
    options.engine.pingInterval = 300ms;
    options.engine.pingTimeout = 300ms;
    options.connectTimeout = 2000ms;
    options.parser = parser;
    m_server = std::make_unique<Server>(options);
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [](Socket *socket) {
        socket->on(QStringLiteral("message"), socket, [socket](const QVariantList &args, const Ack &) {
            socket->emitEvent(QStringLiteral("message-back"), args);
        });
        socket->on(QStringLiteral("message-with-ack"), socket,
                   [](const QVariantList &args, const Ack &ack) { ack.send(args); });
        socket->on(QStringLiteral("join"), socket, [socket](const QVariantList &args, const Ack &ack) {
            socket->join(args.value(0).toString());
            ack.send({});
        });
        socket->on(QStringLiteral("to-room"), socket, [socket](const QVariantList &args, const Ack &) {
            socket->nsp()->to(args.value(0).toString()).emitEvent(QStringLiteral("room"), args.mid(1));
        });
        socket->on(QStringLiteral("ask"), socket, [socket](const QVariantList &args, const Ack &) {
            socket->emitEvent(QStringLiteral("question"), args, socket,
                              [socket](AckStatus status, const QVariantList &reply) {
                                  if (status == AckStatus::Received)
                                      socket->emitEvent(QStringLiteral("answered"), reply);
                              });
        });
    });
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

void tst_MsgpackServer::init()
{
    startServer(Parser::MsgPack);
}

void tst_MsgpackServer::cleanup()
{
    m_server.reset();
}

void tst_MsgpackServer::echo_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::newRow("polling") << Transports(Transport::Polling);
    QTest::newRow("websocket") << Transports(Transport::WebSocket);
    QTest::newRow("polling then upgrade") << (Transport::Polling | Transport::WebSocket);
}

void tst_MsgpackServer::echo()
{
    QFETCH(Transports, transports);
    Manager manager(url(), options(transports));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    QVERIFY(m_server->mainNamespace()->socket(socket->id()));

    const QByteArray bytes("\x00\x01\xff", 3);
    QCborMap object{ { QStringLiteral("zeta"), 1 }, { QStringLiteral("alpha"), QByteArray("\x02", 1) } };
    const QVariantList args{ 1,
                             -70000,
                             2.5,
                             QStringLiteral("h\u00e9"),
                             QVariant::fromValue(nullptr),
                             true,
                             bytes,
                             QVariant::fromValue(object),
                             QVariantList{ QByteArray("\x03", 1), 4 } };
    socket->emitEvent(QStringLiteral("message"), args);
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(0).toString(), QStringLiteral("message-back"));
    const QVariantList back = events.at(0).at(1).toList();
    QCOMPARE(back.size(), args.size());
    QCOMPARE(back.at(0).toLongLong(), 1);
    QCOMPARE(back.at(1).toLongLong(), -70000);
    QCOMPARE(back.at(2).toDouble(), 2.5);
    QCOMPARE(back.at(3).toString(), QStringLiteral("h\u00e9"));
    QVERIFY(back.at(4).isNull());
    QCOMPARE(back.at(5).toBool(), true);
    QCOMPARE(back.at(6).typeId(), int(QMetaType::QByteArray));
    QCOMPARE(back.at(6).toByteArray(), bytes);
    const QCborMap map = back.at(7).value<QCborMap>();
    QCOMPARE(map.keys().first().toString(), QStringLiteral("zeta")); // sender's order
    QCOMPARE(map.value(QStringLiteral("alpha")).toByteArray(), QByteArray("\x02", 1));
    QCOMPARE(back.at(8).toList().at(0).toByteArray(), QByteArray("\x03", 1));

    auto reply =
        socket->emitWithAck(QStringLiteral("message-with-ack"), { bytes, QStringLiteral("x") }, 5000ms);
    QTRY_VERIFY(reply.isFinished());
    QCOMPARE(reply.result().status, AckStatus::Received);
    QCOMPARE(reply.result().args, (QVariantList{ bytes, QStringLiteral("x") }));
}

void tst_MsgpackServer::serverAsks()
{
    Manager manager(url(), options(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    socket->onRequest(QStringLiteral("question"), this, [](const QVariantList &args) {
        return QVariantList{ args.value(0), QByteArray("\x07", 1) };
    });
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    socket->emitEvent(QStringLiteral("ask"), { QStringLiteral("q") });
    QTRY_VERIFY(!events.isEmpty() && events.last().at(0).toString() == QLatin1String("answered"));
    QCOMPARE(events.last().at(1).toList(), (QVariantList{ QStringLiteral("q"), QByteArray("\x07", 1) }));
}

void tst_MsgpackServer::broadcastToRoom()
{
    Manager first(url(), options(Transport::WebSocket));
    Manager second(url(), options(Transport::Polling));
    ClientSocket *a = first.socket();
    ClientSocket *b = second.socket();
    QSignalSpy aEvents(a, &ClientSocket::eventReceived);
    QSignalSpy bEvents(b, &ClientSocket::eventReceived);
    a->open();
    b->open();
    auto joinedA = a->emitWithAck(QStringLiteral("join"), { QStringLiteral("r") }, 5000ms);
    auto joinedB = b->emitWithAck(QStringLiteral("join"), { QStringLiteral("r") }, 5000ms);
    QTRY_VERIFY(joinedA.isFinished() && joinedB.isFinished());
    a->emitEvent(QStringLiteral("to-room"), { QStringLiteral("r"), QByteArray("\x09", 1), 3 });
    QTRY_COMPARE(aEvents.count(), 1);
    QTRY_COMPARE(bEvents.count(), 1);
    for (const QSignalSpy *spy : { &aEvents, &bEvents }) {
        QCOMPARE(spy->at(0).at(0).toString(), QStringLiteral("room"));
        QCOMPARE(spy->at(0).at(1).toList(), (QVariantList{ QByteArray("\x09", 1), 3 }));
    }
}

// Both observers describe msgpack packets with the same fields as JSON ones; the binaries they
// carry inline are in TrafficEvent::binaries, with placeholders in the payload.
void tst_MsgpackServer::traffic()
{
    QList<TrafficEvent> serverSide;
    connect(m_server.get(), &Server::trafficObserved, this,
            [&serverSide](const TrafficEvent &event) { serverSide.append(event); });
    Manager manager(url(), options(Transport::WebSocket));
    QList<TrafficEvent> clientSide;
    connect(&manager, &Manager::trafficObserved, this,
            [&clientSide](const TrafficEvent &event) { clientSide.append(event); });
    ClientSocket *socket = manager.socket();
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    socket->emitEvent(QStringLiteral("message"), { QByteArray("\xab", 1), QStringLiteral("t") });
    QTRY_COMPARE(events.count(), 1);

    const auto find = [](const QList<TrafficEvent> &list, TrafficEvent::Direction direction,
                         const QString &event) {
        for (const TrafficEvent &e : list) {
            if (e.direction == direction && e.event == event)
                return e;
        }
        return TrafficEvent();
    };
    const QJsonArray expectedPayload{ QStringLiteral("message"),
                                      QJsonObject{ { QStringLiteral("_placeholder"), true },
                                                   { QStringLiteral("num"), 0 } },
                                      QStringLiteral("t") };
    for (const auto &[list, direction] : { std::pair{ &serverSide, TrafficEvent::Direction::Incoming },
                                           std::pair{ &clientSide, TrafficEvent::Direction::Outgoing } }) {
        const TrafficEvent e = find(*list, direction, QStringLiteral("message"));
        QCOMPARE(e.socketIoType, SocketIoPacketType::Event);
        QVERIFY(e.binary);
        QCOMPARE(e.nsp, QStringLiteral("/"));
        QCOMPARE(e.socketId, socket->id());
        QCOMPARE(e.attachments, 0);
        QCOMPARE(e.payload, QJsonValue(expectedPayload));
        QCOMPARE(e.binaries, QList<QByteArray>{ QByteArray("\xab", 1) });
    }
    // The CONNECT reply, seen by both.
    bool serverConnect = false;
    for (const TrafficEvent &e : std::as_const(serverSide)) {
        if (e.socketIoType == SocketIoPacketType::Connect
            && e.direction == TrafficEvent::Direction::Outgoing) {
            serverConnect = true;
            QCOMPARE(e.payload.toObject().value(QStringLiteral("sid")).toString(), socket->id());
            QCOMPARE(e.socketId, socket->id());
        }
    }
    QVERIFY(serverConnect);
    const TrafficEvent back =
        find(clientSide, TrafficEvent::Direction::Incoming, QStringLiteral("message-back"));
    QCOMPARE(back.socketIoType, SocketIoPacketType::Event);
    QCOMPARE(back.binaries, QList<QByteArray>{ QByteArray("\xab", 1) });
}

// A JSON client at a msgpack server, and a msgpack client at a JSON server: the connection is
// refused as malformed; nothing is delivered.
void tst_MsgpackServer::parserMismatch_data()
{
    QTest::addColumn<int>("serverParser");
    QTest::addColumn<int>("clientParser");
    QTest::newRow("JSON client, msgpack server") << int(Parser::MsgPack) << int(Parser::Json);
    QTest::newRow("msgpack client, JSON server") << int(Parser::Json) << int(Parser::MsgPack);
}

void tst_MsgpackServer::parserMismatch()
{
    QFETCH(int, serverParser);
    QFETCH(int, clientParser);
    startServer(Parser(serverParser));
    int connections = 0;
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [&connections] { ++connections; });
    Manager manager(url(), options(Transport::WebSocket, Parser(clientParser)));
    QSignalSpy closed(&manager, &Manager::closed);
    manager.socket()->open();
    QTRY_VERIFY(closed.count() >= 1);
    QCOMPARE(connections, 0);
    QVERIFY(!manager.socket()->isConnected());
}

QTEST_GUILESS_MAIN(tst_MsgpackServer)
#include "tst_msgpackserver.moc"
