// SPDX-License-Identifier: MIT
// Connection state recovery (ServerOptions::connectionStateRecovery, docs/recovery.md): our Qt
// client (Manager, ClientSocket) against our server, in-process on port 0. The connection is
// dropped by closing its Engine.IO session on the server; what the client missed is emitted in
// the server's socketDisconnected() slot, before any reconnection can arrive.
#include <SocketIo/client.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCborMap>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(SocketIo::Transports)

namespace {
// A Socket.IO packet as the client's trafficObserved() reports it: the message text without
// the Engine.IO type ("2[...]", "0{...}").
bool isMessage(const TrafficEvent &event)
{
    return event.type == EnginePacketType::Message && !event.binary;
}
// The namespace's offset tag ("<random>-") from the last argument of an event's text.
QByteArray offsetTag(const QByteArray &text)
{
    const qsizetype quote = text.lastIndexOf('"', text.size() - 3);
    const qsizetype dash = text.indexOf('-', quote);
    return text.mid(quote + 1, dash - quote);
}
} // namespace

class tst_Recovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void recoversWithMissedEventsInOrder_data();
    void recoversWithMissedEventsInOrder();
    void offsetsOnTheWire();
    void clientWithoutOffsetRecovers();
    void middlewares_data();
    void middlewares();
    void deliberateDisconnectNotRecovered();
    void expiredSessionNotRecovered();
    void offMeansNoPidNoOffsetNoStore();
    void storeIsBounded();

private:
    Server *startServer(const ConnectionStateRecovery &recovery);
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort())); }
    static ManagerOptions fastOptions(Transports transports = Transport::WebSocket)
    {
        ManagerOptions o;
        o.transports = transports;
        o.reconnectionDelay = 10ms;
        o.reconnectionDelayMax = 50ms;
        o.randomizationFactor = 0;
        o.timeout = 5000ms;
        return o;
    }
    static ConnectionStateRecovery on(std::chrono::milliseconds duration = 60s)
    {
        ConnectionStateRecovery r;
        r.enabled = true;
        r.maxDisconnectionDuration = duration;
        return r;
    }
    // Closes the client's Engine.IO session on the server (socket.io's "forced close").
    void dropConnection(Manager &manager)
    {
        EngineSession *session = m_server->engine()->session(manager.engineId());
        QVERIFY(session);
        session->close();
    }
    std::unique_ptr<Server> m_server;
};

Server *tst_Recovery::startServer(const ConnectionStateRecovery &recovery)
{
    ServerOptions options;
    options.engine.pingInterval = 300ms;
    options.engine.pingTimeout = 300ms;
    options.connectionStateRecovery = recovery;
    m_server = std::make_unique<Server>(options);
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        qFatal("listen: %s", qPrintable(m_server->errorString()));
    return m_server.get();
}

void tst_Recovery::cleanup()
{
    m_server.reset();
}

void tst_Recovery::recoversWithMissedEventsInOrder_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::newRow("websocket") << Transports(Transport::WebSocket);
    QTest::newRow("polling") << Transports(Transport::Polling);
    QTest::newRow("polling then upgrade") << (Transport::Polling | Transport::WebSocket);
}

void tst_Recovery::recoversWithMissedEventsInOrder()
{
    QObject context; // ends the lambdas below before their captures go
    QFETCH(Transports, transports);
    Server *server = startServer(on());
    Namespace *nsp = server->mainNamespace();
    QPointer<Socket> first;
    int connections = 0;
    connect(nsp, &Namespace::socketConnected, &context, [&](Socket *socket) {
        if (++connections > 1) {
            QVERIFY(socket->isRecovered()); // socketConnected() for a recovered socket too
            return;
        }
        first = socket;
        socket->join(QStringLiteral("r1"));
        socket->setData({ { QStringLiteral("user"), QStringLiteral("ada") } });
        socket->emitEvent(QStringLiteral("hello"), { QStringLiteral("hi") });
    });
    bool emitted = false;
    connect(nsp, &Namespace::socketDisconnected, &context, [&](const QString &, DisconnectReason reason) {
        if (std::exchange(emitted, true))
            return;
        QCOMPARE(reason, DisconnectReason::ForcedClose);
        QCOMPARE(nsp->recoveryStats().sessions, 1);
        nsp->to(QStringLiteral("r1")).emitEvent(QStringLiteral("missed"), { 1 });
        nsp->emitEvent(QStringLiteral("missed"), { 2, QByteArray("\x01\x02", 2) });
        nsp->except(QStringLiteral("r1"))
            .emitEvent(QStringLiteral("skipped"), { QStringLiteral("except r1") });
        nsp->to(QStringLiteral("r2")).emitEvent(QStringLiteral("skipped"), { QStringLiteral("to r2") });
        nsp->all().asVolatile().emitEvent(QStringLiteral("skipped"), { QStringLiteral("volatile") });
        nsp->to(QStringLiteral("r1")).except(QStringLiteral("r9")).emitEvent(QStringLiteral("missed"), { 3 });
    });

    Manager manager(url(), fastOptions(transports));
    ClientSocket *socket = manager.socket();
    QStringList log; // events and connects, in the order the application saw them
    QList<QVariantList> missed;
    socket->onAny(this, [&](const QString &event, const QVariantList &args) {
        log.append(event);
        if (event == QLatin1String("missed"))
            missed.append(args);
    });
    connect(socket, &ClientSocket::connected, &context, [&] {
        log.append(socket->isRecovered() ? QStringLiteral("connected (recovered)")
                                         : QStringLiteral("connected"));
    });
    socket->open();
    QTRY_COMPARE(log, QStringList({ QStringLiteral("connected"), QStringLiteral("hello") }));
    QVERIFY(!socket->isRecovered());
    const QString id = socket->id();

    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(log.size(), 6, 10000);
    // The missed events first (sent before the CONNECT reply, handed over before connected()).
    QCOMPARE(log,
             QStringList({ QStringLiteral("connected"), QStringLiteral("hello"), QStringLiteral("missed"),
                           QStringLiteral("missed"), QStringLiteral("missed"),
                           QStringLiteral("connected (recovered)") }));
    QVERIFY(socket->isRecovered());
    QCOMPARE(socket->id(), id);
    QCOMPARE(missed.size(), 3);
    QCOMPARE(missed.at(0).first().toInt(), 1);
    QCOMPARE(missed.at(1).first().toInt(), 2);
    QCOMPARE(missed.at(1).at(1).toByteArray(), QByteArray("\x01\x02", 2));
    QCOMPARE(missed.at(2).first().toInt(), 3);
    // Each with its offset last, increasing.
    QCOMPARE(missed.at(0).size(), 2);
    const auto seq = [](const QVariant &offset) {
        return offset.toString().section(QLatin1Char('-'), 1).toLongLong();
    };
    QVERIFY(seq(missed.at(0).last()) > 0);
    QVERIFY(seq(missed.at(0).last()) < seq(missed.at(2).last()));

    // The server side: same id, rooms and data, recovered.
    Socket *recovered = nsp->socket(id);
    QVERIFY(recovered);
    QVERIFY(!first); // the one that left is gone
    QCOMPARE(connections, 2);
    QVERIFY(recovered->isRecovered());
    QCOMPARE(recovered->rooms(), QSet<QString>({ id, QStringLiteral("r1") }));
    QCOMPARE(recovered->data().value(QStringLiteral("user")).toString(), QStringLiteral("ada"));
    QCOMPARE(nsp->recoveryStats().sessions, 0);

    // Live again, in its room.
    nsp->to(QStringLiteral("r1")).emitEvent(QStringLiteral("live"), {});
    QTRY_COMPARE(log.last(), QStringLiteral("live"));
}

// Which packets carry an offset: emits and broadcasts without ack that are not volatile.
void tst_Recovery::offsetsOnTheWire()
{
    QObject context; // ends the lambdas below before their captures go
    Server *server = startServer(on());
    Namespace *nsp = server->mainNamespace();
    QList<QByteArray> incoming;
    Manager manager(url(), fastOptions());
    connect(&manager, &Manager::trafficObserved, &context, [&](const TrafficEvent &event) {
        if (event.direction == TrafficEvent::Direction::Incoming && isMessage(event))
            incoming.append(event.data);
    });
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    QCOMPARE(incoming.size(), 1);
    const QCborMap reply =
        QCborMap::fromJsonObject(QJsonDocument::fromJson(incoming.first().mid(1)).object());
    QCOMPARE(reply.value(QStringLiteral("sid")).toString(), socket->id());
    QVERIFY(!reply.value(QStringLiteral("pid")).toString().isEmpty());
    QCOMPARE(reply.size(), 2);

    Socket *serverSocket = nsp->socket(socket->id());
    QVERIFY(serverSocket);
    serverSocket->emitEvent(QStringLiteral("direct"), { 1 });
    serverSocket->emitEvent(QStringLiteral("volatile"), { 2 }, EmitOptions{ true, true, 0ms });
    serverSocket->emitEvent(QStringLiteral("with-ack"), { 3 }, &context,
                            [](AckStatus, const QVariantList &) {});
    nsp->emitEvent(QStringLiteral("broadcast"), { 4 });
    nsp->all().asVolatile().emitEvent(QStringLiteral("volatile-broadcast"), { 5 });
    nsp->all().emitEvent(QStringLiteral("broadcast-with-ack"), { 6 }, &context,
                         [](AckStatus, const QList<QVariantList> &) {});
    QTRY_COMPARE(incoming.size(), 7);
    const QByteArray tag =
        reply.value(QStringLiteral("pid")).isString() ? offsetTag(incoming.at(1)) : QByteArray();
    QCOMPARE(incoming.at(1), QByteArray(R"(2["direct",1,")") + tag + QByteArray(R"(1"])"));
    QCOMPARE(incoming.at(2), QByteArray(R"(2["volatile",2])"));
    QCOMPARE(incoming.at(3), QByteArray(R"(20["with-ack",3])"));
    QCOMPARE(incoming.at(4), QByteArray(R"(2["broadcast",4,")") + tag + QByteArray(R"(2"])"));
    QCOMPARE(incoming.at(5), QByteArray(R"(2["volatile-broadcast",5])"));
    QCOMPARE(incoming.at(6), QByteArray(R"(21["broadcast-with-ack",6])"));
    QCOMPARE(nsp->recoveryStats().storedPackets, 2);
}

// Not in socket.io (socketio/socket.io#5538): a client that received no event yet has no
// offset and reconnects with {"pid":...} alone; it recovers, with what it missed since it
// connected.
void tst_Recovery::clientWithoutOffsetRecovers()
{
    QObject context; // ends the lambdas below before their captures go
    Server *server = startServer(on());
    Namespace *nsp = server->mainNamespace();
    connect(nsp, &Namespace::socketDisconnected, &context,
            [&] { nsp->emitEvent(QStringLiteral("missed"), { QStringLiteral("while away") }); });
    QList<QByteArray> outgoingConnects;
    Manager manager(url(), fastOptions());
    connect(&manager, &Manager::trafficObserved, &context, [&](const TrafficEvent &event) {
        if (event.direction == TrafficEvent::Direction::Outgoing && isMessage(event)
            && event.data.startsWith('0'))
            outgoingConnects.append(event.data);
    });
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString id = socket->id();
    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QVERIFY(socket->isRecovered());
    QCOMPARE(socket->id(), id);
    QCOMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(0).toString(), QStringLiteral("missed"));
    QCOMPARE(outgoingConnects.size(), 2);
    QCOMPARE(outgoingConnects.at(0), QByteArray("0"));
    const QCborMap auth =
        QCborMap::fromJsonObject(QJsonDocument::fromJson(outgoingConnects.at(1).mid(1)).object());
    QCOMPARE(auth.keys(), QList<QCborValue>({ QStringLiteral("pid") }));
}

void tst_Recovery::middlewares_data()
{
    QTest::addColumn<bool>("skipMiddlewares");
    QTest::newRow("skipped (default)") << true;
    QTest::newRow("run") << false;
}

void tst_Recovery::middlewares()
{
    QFETCH(bool, skipMiddlewares);
    ConnectionStateRecovery recovery = on();
    recovery.skipMiddlewares = skipMiddlewares;
    Server *server = startServer(recovery);
    QList<bool> seen; // isRecovered() of each socket the middleware saw
    server->use([&](Socket *socket, const Next &next) {
        seen.append(socket->isRecovered());
        next();
    });
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    socket->setAuth(QVariantMap{ { QStringLiteral("token"), QStringLiteral("t") } });
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString id = socket->id();
    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QVERIFY(socket->isRecovered());
    QCOMPARE(socket->id(), id);
    QCOMPARE(seen, skipMiddlewares ? QList<bool>({ false }) : QList<bool>({ false, true }));
    // The handshake's auth is what the client sent: pid first, then its own.
    Socket *serverSocket = server->mainNamespace()->socket(id);
    QVERIFY(serverSocket);
    QCOMPARE(serverSocket->handshake().auth.value(QStringLiteral("token")).toString(), QStringLiteral("t"));
    QVERIFY(serverSocket->handshake().auth.contains(QStringLiteral("pid")));
}

void tst_Recovery::deliberateDisconnectNotRecovered()
{
    Server *server = startServer(on());
    Namespace *nsp = server->mainNamespace();
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString first = socket->id();
    nsp->socket(first)->emitEvent(QStringLiteral("hello"));
    // The server leaves the namespace: "io server disconnect", not persisted.
    QTRY_COMPARE(nsp->recoveryStats().storedPackets, 1);
    nsp->socket(first)->close();
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("io server disconnect"));
    QCOMPARE(nsp->recoveryStats().sessions, 0);
    socket->open();
    QTRY_COMPARE(connected.count(), 2);
    QVERIFY(!socket->isRecovered());
    QVERIFY(socket->id() != first);
    // The client leaves: "client namespace disconnect", not persisted either.
    QSignalSpy left(nsp, &Namespace::socketDisconnected);
    socket->close();
    QTRY_COMPARE(left.count(), 1);
    QCOMPARE(left.at(0).at(1).value<DisconnectReason>(), DisconnectReason::ClientNamespaceDisconnect);
    QCOMPARE(nsp->recoveryStats().sessions, 0);
}

// The purge timer removes the session once maxDisconnectionDuration has passed: the test waits
// for that fact, not for a time.
void tst_Recovery::expiredSessionNotRecovered()
{
    Server *server = startServer(on(300ms));
    Namespace *nsp = server->mainNamespace();
    ManagerOptions options = fastOptions();
    options.reconnection = false;
    Manager manager(url(), options);
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString id = socket->id();
    QSignalSpy left(nsp, &Namespace::socketDisconnected);
    dropConnection(manager);
    QTRY_COMPARE(left.count(), 1);
    QCOMPARE(nsp->recoveryStats().sessions, 1);
    QTRY_COMPARE_WITH_TIMEOUT(nsp->recoveryStats().sessions, 0, 10000);
    QTRY_COMPARE(disconnected.count(), 1);
    socket->open();
    QTRY_COMPARE(connected.count(), 2);
    QVERIFY(!socket->isRecovered());
    QVERIFY(socket->id() != id);
}

void tst_Recovery::offMeansNoPidNoOffsetNoStore()
{
    QObject context; // ends the lambdas below before their captures go
    Server *server = startServer(ConnectionStateRecovery{});
    Namespace *nsp = server->mainNamespace();
    QList<QByteArray> incoming;
    Manager manager(url(), fastOptions());
    connect(&manager, &Manager::trafficObserved, &context, [&](const TrafficEvent &event) {
        if (event.direction == TrafficEvent::Direction::Incoming && isMessage(event))
            incoming.append(event.data);
    });
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString id = socket->id();
    QCOMPARE(incoming.first(), QByteArray(R"(0{"sid":")") + id.toUtf8() + QByteArray(R"("})"));
    nsp->emitEvent(QStringLiteral("broadcast"), { 1 });
    nsp->socket(id)->emitEvent(QStringLiteral("direct"), { 2 });
    QTRY_COMPARE(incoming.size(), 3);
    QCOMPARE(incoming.at(1), QByteArray(R"(2["broadcast",1])"));
    QCOMPARE(incoming.at(2), QByteArray(R"(2["direct",2])"));
    QCOMPARE(nsp->recoveryStats().enabled, false);
    QCOMPARE(nsp->recoveryStats().storedPackets, 0);
    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QVERIFY(!socket->isRecovered());
    QVERIFY(socket->id() != id);
}

// maxStoredPackets: the oldest go (counted); a client whose offset is older than what is kept is
// not recovered, rather than recovered with a hole.
void tst_Recovery::storeIsBounded()
{
    QObject context; // ends the lambdas below before their captures go
    ConnectionStateRecovery recovery = on();
    recovery.maxStoredPackets = 5;
    Server *server = startServer(recovery);
    Namespace *nsp = server->mainNamespace();
    int burst = 0;
    connect(nsp, &Namespace::socketDisconnected, &context, [&] {
        for (int i = 0; i < burst; ++i)
            nsp->emitEvent(QStringLiteral("missed"), { i });
    });
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    nsp->emitEvent(QStringLiteral("first"));
    QTRY_COMPARE(events.count(), 1);

    burst = 5; // the client's offset is the packet just before these: all kept
    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QVERIFY(socket->isRecovered());
    QCOMPARE(events.count(), 6);
    QCOMPARE(nsp->recoveryStats().storedPackets, 5);
    QCOMPARE(nsp->recoveryStats().droppedPackets, 1);

    burst = 6; // one too many: the packet after its offset is gone
    const QString id = socket->id();
    dropConnection(manager);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 3, 10000);
    QVERIFY(!socket->isRecovered());
    QVERIFY(socket->id() != id);
    QCOMPARE(events.count(), 6);
    QCOMPARE(nsp->recoveryStats().droppedPackets, 7);
}

QTEST_GUILESS_MAIN(tst_Recovery)
#include "tst_recovery.moc"
