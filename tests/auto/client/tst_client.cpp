// SPDX-License-Identifier: MIT
// The Qt client (Manager, ClientSocket) against our own server in-process, on port 0.
#include <SocketIo/client.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QCborMap>
#include <QHash>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(SocketIo::Transports)

namespace {

// A sticky load balancer in miniature: an Engine.IO polling server that sets a cookie on the
// handshake ("io=<sid>", as engine.io's cookie option does) and refuses with 400 any later
// request of the session that does not carry it. Enough of the protocol to connect "/".
class StickyPollingServer : public QObject
{
public:
    QList<QByteArray> cookies; // the Cookie header of every request that carried a sid
    int refused = 0;

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }

    StickyPollingServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
            qsizetype length = 0;
            QByteArray cookie;
            for (const QByteArray &line : lines) {
                const QByteArray l = line.trimmed();
                if (l.toLower().startsWith("content-length:"))
                    length = l.mid(15).trimmed().toLongLong();
                else if (l.toLower().startsWith("cookie:"))
                    cookie = l.mid(7).trimmed();
            }
            if (buffer.size() < headEnd + 4 + length)
                return;
            const QByteArray requestLine = lines.value(0).trimmed();
            const QByteArray body = buffer.mid(headEnd + 4, length);
            buffer.remove(0, headEnd + 4 + length);
            onRequest(socket, requestLine, cookie, body);
        }
    }

    static void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &body,
                        const QByteArray &extra = {})
    {
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=UTF-8\r\n" + extra
                      + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    void onRequest(QTcpSocket *socket, const QByteArray &requestLine, const QByteArray &cookie,
                   const QByteArray &body)
    {
        const bool post = requestLine.startsWith("POST ");
        if (!requestLine.contains("sid=")) {
            respond(
                socket, "200 OK",
                R"(0{"sid":"S1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})",
                "Set-Cookie: io=S1; Path=/; HttpOnly; SameSite=Lax\r\n");
            return;
        }
        cookies.append(cookie);
        if (!cookie.split(';').contains("io=S1") && !cookie.contains("io=S1")) {
            ++refused;
            respond(socket, "400 Bad Request", R"({"code":1,"message":"Session ID unknown"})");
            return;
        }
        if (post) {
            respond(socket, "200 OK", "ok");
            if (body.startsWith("40")) {
                m_connectAsked = true;
                answerPoll();
            }
            return;
        }
        m_parked = socket; // a long poll: answered when there is something to say
        answerPoll();
    }

    void answerPoll()
    {
        if (!m_parked || !m_connectAsked || m_connectAnswered)
            return;
        m_connectAnswered = true;
        respond(m_parked, "200 OK", R"(40{"sid":"N1"})");
        m_parked = nullptr;
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QPointer<QTcpSocket> m_parked;
    bool m_connectAsked = false;
    bool m_connectAnswered = false;
};

} // namespace

class tst_Client : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void connectAndEcho_data();
    void connectAndEcho();
    void upgradeSignal();
    void namespacesAndAuth();
    void authProviderAskedAtEveryConnect();
    void invalidNamespace();
    void middlewareRejectionWithData();
    void keyOrderKept();
    void binaryBothWays();
    void trafficObserved_data();
    void trafficObserved();
    void acksBothWays();
    void ackTimeout();
    void emitWithAckFuture();
    void serverAckAnsweredByReturnValue();
    void onAnyAndOutgoing();
    void reservedNamesRefused();
    void emitFromAnotherThread();
    void serverDisconnectDoesNotReconnect();
    void reconnectAfterServerRestart();
    void bufferedEmitsDeliveredAfterReconnect();
    void volatileDroppedWhileDisconnected();
    void pingTimeoutDetected();
    void malformedPacketIsParseError();
    void clientCloseIsIoClientDisconnect();
    void reconnectFailedAfterAttempts();
    void cookiesKeptAcrossPolls();
    void extraHeadersReachServer_data();
    void extraHeadersReachServer();
    void maxPayloadHonouredWhenBatching();

private:
    void startServer(quint16 port = 0);
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    ManagerOptions fastOptions(Transports transports = Transport::Polling | Transport::WebSocket) const
    {
        ManagerOptions o;
        o.transports = transports;
        o.reconnectionDelay = 20ms;
        o.reconnectionDelayMax = 100ms;
        o.timeout = 5000ms;
        return o;
    }
    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_Client::startServer(quint16 port)
{
    ServerOptions options;
    options.engine.pingInterval = 300ms;
    options.engine.pingTimeout = 300ms;
    m_server = std::make_unique<Server>(options);
    auto setup = [this](Namespace *nsp) {
        connect(nsp, &Namespace::socketConnected, this, [](Socket *socket) {
            socket->emitEvent(QStringLiteral("auth"), { QVariant(socket->handshake().auth) });
            socket->on(QStringLiteral("message"), socket, [socket](const QVariantList &args, const Ack &) {
                socket->emitEvent(QStringLiteral("message-back"), args);
            });
            socket->on(QStringLiteral("message-with-ack"), socket,
                       [](const QVariantList &args, const Ack &ack) { ack.send(args); });
            socket->on(QStringLiteral("never-answer"), socket, [](const QVariantList &, const Ack &) {});
            socket->on(QStringLiteral("kick"), socket, [socket](const QVariantList &, const Ack &) {
                socket->close(DisconnectMode::Namespace);
            });
            socket->on(QStringLiteral("ask"), socket, [socket](const QVariantList &args, const Ack &) {
                socket->emitEvent(
                    QStringLiteral("question"), args, socket,
                    [socket](AckStatus status, const QVariantList &reply) {
                        if (status == AckStatus::Received)
                            socket->emitEvent(QStringLiteral("answered"), reply);
                    },
                    EmitOptions{ false, true, 2000ms });
            });
        });
    };
    setup(m_server->mainNamespace());
    setup(m_server->of(QStringLiteral("/custom")));
    Namespace *guarded = m_server->of(QStringLiteral("/guarded"));
    guarded->use([](Socket *socket, const Next &next) {
        if (socket->handshake().auth.value(QStringLiteral("token")).toString() == QLatin1String("ok"))
            next();
        else
            next.reject(QStringLiteral("not authorized"), QJsonObject{ { QStringLiteral("code"), 42 } });
    });
    setup(guarded);
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, port), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
}

void tst_Client::init()
{
    startServer();
}

void tst_Client::cleanup()
{
    m_server.reset();
}

void tst_Client::connectAndEcho_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::addColumn<int>("expected");
    QTest::newRow("polling only") << Transports(Transport::Polling) << int(Transport::Polling);
    QTest::newRow("websocket only") << Transports(Transport::WebSocket) << int(Transport::WebSocket);
    QTest::newRow("polling then upgrade")
        << (Transport::Polling | Transport::WebSocket) << int(Transport::WebSocket);
}

void tst_Client::connectAndEcho()
{
    QFETCH(Transports, transports);
    QFETCH(int, expected);
    Manager manager(url(), fastOptions(transports));
    ClientSocket *socket = manager.socket();
    QSignalSpy connectedSpy(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connectedSpy.count(), 1);
    QVERIFY(!socket->id().isEmpty());
    QVERIFY(m_server->mainNamespace()->socket(socket->id()));
    if (expected == int(Transport::WebSocket))
        QTRY_COMPARE(int(manager.transport()), expected);
    socket->emitEvent(QStringLiteral("message"), { 1, QStringLiteral("2"), QVariantList{ true } });
    QTRY_VERIFY(events.count() >= 2);
    QCOMPARE(events.at(0).at(0).toString(), QStringLiteral("auth"));
    QCOMPARE(events.at(1).at(0).toString(), QStringLiteral("message-back"));
    const QVariantList args = events.at(1).at(1).toList();
    QCOMPARE(args.size(), 3);
    QCOMPARE(args.at(0).toLongLong(), 1);
    QCOMPARE(args.at(1).toString(), QStringLiteral("2"));
    QCOMPARE(args.at(2).toList().at(0).toBool(), true);
    QCOMPARE(int(manager.transport()), expected);
    // Many emits in a row are batched over polling and all arrive, in order.
    events.clear();
    for (int i = 0; i < 50; ++i)
        socket->emitEvent(QStringLiteral("message"), { i });
    QTRY_COMPARE(events.count(), 50);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(events.at(i).at(1).toList().at(0).toInt(), i);
}

void tst_Client::upgradeSignal()
{
    Manager manager(url(), fastOptions());
    QSignalSpy upgraded(&manager, &Manager::transportUpgraded);
    ClientSocket *socket = manager.socket();
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(upgraded.count(), 1);
    QCOMPARE(upgraded.at(0).at(0).value<Transport>(), Transport::WebSocket);
    socket->emitEvent(QStringLiteral("message"), { QStringLiteral("after upgrade") });
    QTRY_COMPARE(events.count(), 2);
}

void tst_Client::namespacesAndAuth()
{
    Manager manager(url(), fastOptions());
    ClientSocket *main = manager.socket();
    ClientSocket *custom = manager.socket(QStringLiteral("/custom"));
    QCOMPARE(manager.socket(QStringLiteral("custom")), custom);
    custom->setAuth(QVariantMap{ { QStringLiteral("token"), QStringLiteral("abc") } });
    QSignalSpy mainEvents(main, &ClientSocket::eventReceived);
    QSignalSpy customEvents(custom, &ClientSocket::eventReceived);
    main->open();
    custom->open();
    QTRY_COMPARE(customEvents.count(), 1);
    QTRY_COMPARE(mainEvents.count(), 1);
    QCOMPARE(customEvents.at(0).at(0).toString(), QStringLiteral("auth"));
    QCOMPARE(customEvents.at(0).at(1).toList().at(0).toMap().value(QStringLiteral("token")).toString(),
             QStringLiteral("abc"));
    QVERIFY(main->id() != custom->id());
    QVERIFY(m_server->of(QStringLiteral("/custom"))->socket(custom->id()));
    // One connection: both sockets share the Engine.IO session.
    QCOMPARE(m_server->of(QStringLiteral("/custom"))->socket(custom->id())->engineSessionId(),
             manager.engineId());
    QCOMPARE(m_server->mainNamespace()->socket(main->id())->engineSessionId(), manager.engineId());
    // Leaving one namespace keeps the other.
    QSignalSpy customDisconnected(custom, &ClientSocket::disconnected);
    custom->close();
    QCOMPARE(customDisconnected.count(), 1);
    QCOMPARE(customDisconnected.at(0).at(0).toString(), QStringLiteral("io client disconnect"));
    main->emitEvent(QStringLiteral("message"), { 1 });
    QTRY_COMPARE(mainEvents.count(), 2);
    QVERIFY(main->isConnected());
}

void tst_Client::authProviderAskedAtEveryConnect()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    int asked = 0;
    socket->setAuthProvider([&asked] { return QVariantMap{ { QStringLiteral("n"), ++asked } }; });
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(1).toList().at(0).toMap().value(QStringLiteral("n")).toInt(), 1);
    // The server drops the connection (transport close): the socket reconnects with new auth.
    m_server->engine()->close();
    QTRY_COMPARE(events.count(), 1);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    QTRY_COMPARE(disconnected.count(), 0); // already disconnected or about to
    m_server.reset();
    startServer(m_port);
    QTRY_VERIFY_WITH_TIMEOUT(events.count() >= 2, 10000);
    QCOMPARE(events.last().at(1).toList().at(0).toMap().value(QStringLiteral("n")).toInt(), asked);
    QVERIFY(asked >= 2);
}

void tst_Client::invalidNamespace()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket(QStringLiteral("/random"));
    QSignalSpy errors(socket, &ClientSocket::connectErrorOccurred);
    socket->open();
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("Invalid namespace"));
    QVERIFY(!socket->isActive());
    QTRY_COMPARE(manager.state(), Manager::State::Closed);
}

void tst_Client::middlewareRejectionWithData()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket(QStringLiteral("/guarded"));
    socket->setAuth(QVariantMap{ { QStringLiteral("token"), QStringLiteral("bad") } });
    QSignalSpy errors(socket, &ClientSocket::connectErrorOccurred);
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("not authorized"));
    QCOMPARE(errors.at(0).at(1).value<QCborMap>().value(QStringLiteral("code")).toInteger(), 42);
    // With the right token it connects.
    socket->setAuth(QVariantMap{ { QStringLiteral("token"), QStringLiteral("ok") } });
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
}

void tst_Client::keyOrderKept()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    QCborMap object;
    object.insert(QStringLiteral("zeta"), 1);
    object.insert(QStringLiteral("alpha"),
                  QCborMap{ { QStringLiteral("y"), 2 }, { QStringLiteral("b"), 3 } });
    object.insert(QStringLiteral("mid"), QStringLiteral("x"));
    socket->emitEvent(QStringLiteral("message"), { QVariant::fromValue(object) });
    QTRY_COMPARE(events.count(), 2);
    const QCborMap back = events.at(1).at(1).toList().at(0).value<QCborMap>();
    QCOMPARE(back.keys(),
             (QList<QCborValue>{ QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid") }));
    QCOMPARE(back.value(QStringLiteral("alpha")).toMap().keys(),
             (QList<QCborValue>{ QStringLiteral("y"), QStringLiteral("b") }));
}

void tst_Client::binaryBothWays()
{
    for (Transports transports : { Transports(Transport::Polling), Transports(Transport::WebSocket) }) {
        Manager manager(url(), fastOptions(transports));
        ClientSocket *socket = manager.socket();
        QSignalSpy connected(socket, &ClientSocket::connected);
        QSignalSpy events(socket, &ClientSocket::eventReceived);
        socket->open();
        QTRY_COMPARE(connected.count(), 1);
        const QByteArray a("\x01\x02\x03", 3), b("\x00\xff", 2);
        QCborMap nested;
        nested.insert(QStringLiteral("data"), QCborValue(b));
        socket->emitEvent(QStringLiteral("message"),
                          { a, QVariant::fromValue(nested), QStringLiteral("text") });
        QTRY_COMPARE(events.count(), 2);
        const QVariantList args = events.at(1).at(1).toList();
        QCOMPARE(args.at(0).toByteArray(), a);
        QCOMPARE(args.at(1).value<QCborMap>().value(QStringLiteral("data")).toByteArray(), b);
        QCOMPARE(args.at(2).toString(), QStringLiteral("text"));
    }
}

void tst_Client::trafficObserved_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::newRow("polling+upgrade") << (Transport::Polling | Transport::WebSocket);
    QTest::newRow("websocket") << Transports(Transport::WebSocket);
}

// Manager::trafficObserved: every packet both ways, from the client's side, decoded.
void tst_Client::trafficObserved()
{
    QFETCH(Transports, transports);
    Manager manager(url(), fastOptions(transports));
    QList<TrafficEvent> seen;
    connect(&manager, &Manager::trafficObserved, this, [&](const TrafficEvent &e) { seen.append(e); });
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    QTRY_COMPARE(events.count(), 1); // the server's greeting
    if (transports.testFlag(Transport::Polling))
        QTRY_COMPARE(manager.transport(), Transport::WebSocket);
    socket->emitEvent(QStringLiteral("message"), { QByteArray("\x01\x02", 2), QStringLiteral("hi") });
    QTRY_COMPARE(events.count(), 2);

    const auto find = [&](TrafficEvent::Direction direction,
                          SocketIoPacketType type) -> const TrafficEvent * {
        for (const TrafficEvent &e : std::as_const(seen)) {
            if (e.direction == direction && e.socketIoType == type)
                return &e;
        }
        return nullptr;
    };
    QVERIFY(!seen.isEmpty());
    QCOMPARE(seen.first().direction, TrafficEvent::Direction::Incoming);
    QCOMPARE(seen.first().type, EnginePacketType::Open);
    const TrafficEvent *connect = find(TrafficEvent::Direction::Outgoing, SocketIoPacketType::Connect);
    QVERIFY(connect);
    QCOMPARE(connect->nsp, QStringLiteral("/"));
    QVERIFY(find(TrafficEvent::Direction::Incoming, SocketIoPacketType::Connect));
    const TrafficEvent *sent = find(TrafficEvent::Direction::Outgoing, SocketIoPacketType::BinaryEvent);
    QVERIFY(sent);
    QCOMPARE(sent->event, QStringLiteral("message"));
    QCOMPARE(sent->attachments, 1);
    QCOMPARE(sent->socketId, socket->id());
    QCOMPARE(sent->sessionId, manager.engineId());
    QCOMPARE(sent->transport, manager.transport());
    int outgoingFrames = 0;
    for (const TrafficEvent &e : std::as_const(seen))
        outgoingFrames += e.direction == TrafficEvent::Direction::Outgoing && e.binary;
    QCOMPARE(outgoingFrames, 1); // the attachment
    const TrafficEvent *received = find(TrafficEvent::Direction::Incoming, SocketIoPacketType::Event);
    QVERIFY(received);
    QCOMPARE(received->socketId, socket->id());
    if (transports.testFlag(Transport::Polling)) {
        bool probe = false;
        for (const TrafficEvent &e : std::as_const(seen))
            probe |= e.type == EnginePacketType::Ping && e.data == "probe"
                && e.direction == TrafficEvent::Direction::Outgoing;
        QVERIFY(probe);
    }
}

void tst_Client::acksBothWays()
{
    Manager manager(url(), fastOptions(Transport::Polling));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    // Client -> server ack with binary.
    AckStatus status = AckStatus::Disconnected;
    QVariantList reply;
    bool called = false;
    socket->emitEvent(
        QStringLiteral("message-with-ack"), { 1, QByteArray("bin") }, this,
        [&](AckStatus s, const QVariantList &args) {
            called = true;
            status = s;
            reply = args;
        },
        5000ms);
    QTRY_VERIFY(called);
    QCOMPARE(status, AckStatus::Received);
    QCOMPARE(reply, (QVariantList{ qlonglong(1), QByteArray("bin") }));
    // Server -> client ack answered through ClientAck.
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->on(QStringLiteral("question"), this, [](const QVariantList &args, const ClientAck &ack) {
        QVERIFY(ack.isRequested());
        ack.send({ args.value(0).toInt() * 2 });
        ack.send({ 0 }); // once only
    });
    socket->emitEvent(QStringLiteral("ask"), { 21 });
    QTRY_VERIFY(!events.isEmpty() && events.last().at(0).toString() == QLatin1String("answered"));
    QCOMPARE(events.last().at(1).toList(), QVariantList{ qlonglong(42) });
}

void tst_Client::ackTimeout()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    std::optional<AckStatus> status;
    socket->emitEvent(
        QStringLiteral("never-answer"), {}, this, [&](AckStatus s, const QVariantList &) { status = s; },
        50ms);
    QTRY_VERIFY(status.has_value());
    QCOMPARE(*status, AckStatus::TimedOut);
    // Pending acks end with Disconnected when the socket disconnects.
    std::optional<AckStatus> second;
    socket->emitEvent(QStringLiteral("never-answer"), {}, this,
                      [&](AckStatus s, const QVariantList &) { second = s; });
    socket->close();
    QVERIFY(second.has_value());
    QCOMPARE(*second, AckStatus::Disconnected);
}

void tst_Client::emitWithAckFuture()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    socket->open(); // emits before the connection are buffered
    QFuture<AckReply> future =
        socket->emitWithAck(QStringLiteral("message-with-ack"), { QStringLiteral("x") }, 5000ms);
    QTRY_VERIFY(future.isFinished());
    QCOMPARE(future.result().status, AckStatus::Received);
    QCOMPARE(future.result().args, QVariantList{ QStringLiteral("x") });
    QFuture<AckReply> timedOut = socket->emitWithAck(QStringLiteral("never-answer"), {}, 30ms);
    QTRY_VERIFY(timedOut.isFinished());
    QCOMPARE(timedOut.result().status, AckStatus::TimedOut);
}

void tst_Client::serverAckAnsweredByReturnValue()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    socket->onRequest(QStringLiteral("question"), this, [](const QVariantList &args) -> QVariantList {
        return { QVariant(args.value(0).toString() + QStringLiteral("!")) };
    });
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    socket->emitEvent(QStringLiteral("ask"), { QStringLiteral("hi") });
    QTRY_VERIFY(!events.isEmpty() && events.last().at(0).toString() == QLatin1String("answered"));
    QCOMPARE(events.last().at(1).toList(), QVariantList{ QStringLiteral("hi!") });
}

void tst_Client::onAnyAndOutgoing()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QStringList incoming, outgoing;
    socket->onAny(this, [&](const QString &event, const QVariantList &) { incoming << event; });
    socket->onAnyOutgoing(this, [&](const QString &event, const QVariantList &) { outgoing << event; });
    socket->open();
    socket->emitEvent(QStringLiteral("message"), { 1 });
    QTRY_COMPARE(incoming, (QStringList{ QStringLiteral("auth"), QStringLiteral("message-back") }));
    QCOMPARE(outgoing, QStringList{ QStringLiteral("message") });
    // A handler whose context is gone is not called.
    auto context = std::make_unique<QObject>();
    int calls = 0;
    socket->on(QStringLiteral("message-back"), context.get(),
               [&](const QVariantList &, const ClientAck &) { ++calls; });
    context.reset();
    socket->emitEvent(QStringLiteral("message"), { 2 });
    QTRY_COMPARE(incoming.size(), 3);
    QCOMPARE(calls, 0);
}

void tst_Client::reservedNamesRefused()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QVERIFY(!socket->emitEvent(QStringLiteral("connect")));
    QVERIFY(!socket->emitEvent(QStringLiteral("disconnect")));
    QVERIFY(socket->emitEvent(QStringLiteral("fine")));
}

void tst_Client::emitFromAnotherThread()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    QThread *thread = QThread::create([socket] {
        for (int i = 0; i < 20; ++i)
            socket->emitEvent(QStringLiteral("message"), { i });
    });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    QTRY_COMPARE(events.count(), 21);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(events.at(i + 1).at(1).toList().at(0).toInt(), i);
}

void tst_Client::serverDisconnectDoesNotReconnect()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    QSignalSpy attempts(&manager, &Manager::reconnectAttempted);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    socket->emitEvent(QStringLiteral("kick"));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("io server disconnect"));
    QVERIFY(!socket->isActive());
    QTRY_COMPARE(manager.state(), Manager::State::Closed);
    // A later round trip on a fresh socket proves nothing reconnected in between.
    ClientSocket *custom = manager.socket(QStringLiteral("/custom"));
    QSignalSpy customConnected(custom, &ClientSocket::connected);
    custom->open();
    QTRY_COMPARE(customConnected.count(), 1);
    QCOMPARE(connected.count(), 1);
    QCOMPARE(attempts.count(), 0);
}

void tst_Client::reconnectAfterServerRestart()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    QSignalSpy attempts(&manager, &Manager::reconnectAttempted);
    QSignalSpy reconnected(&manager, &Manager::reconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString firstId = socket->id();
    m_server.reset();
    QTRY_COMPARE(disconnected.count(), 1);
    const QString reason = disconnected.at(0).at(0).toString();
    QVERIFY2(reason == QLatin1String("transport close") || reason == QLatin1String("transport error"),
             qPrintable(reason));
    QVERIFY(socket->isActive());
    startServer(m_port);
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
    QVERIFY(attempts.count() >= 1);
    QCOMPARE(attempts.at(0).at(0).toInt(), 1);
    QCOMPARE(reconnected.count(), 1);
    QVERIFY(socket->id() != firstId);
}

void tst_Client::bufferedEmitsDeliveredAfterReconnect()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    m_server.reset();
    QTRY_COMPARE(disconnected.count(), 1);
    QStringList received;
    socket->on(QStringLiteral("message-back"), this,
               [&](const QVariantList &args, const ClientAck &) { received << args.value(0).toString(); });
    socket->emitEvent(QStringLiteral("message"), { QStringLiteral("one") });
    socket->emitVolatile(QStringLiteral("message"), { QStringLiteral("volatile") });
    bool acked = false;
    socket->emitEvent(QStringLiteral("message-with-ack"), { QStringLiteral("two") }, this,
                      [&](AckStatus s, const QVariantList &) { acked = s == AckStatus::Received; });
    socket->emitEvent(QStringLiteral("message"), { QStringLiteral("three") });
    startServer(m_port);
    QTRY_COMPARE_WITH_TIMEOUT(received, (QStringList{ QStringLiteral("one"), QStringLiteral("three") }),
                              10000);
    QTRY_VERIFY(acked);
}

void tst_Client::volatileDroppedWhileDisconnected()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QStringList received;
    socket->on(QStringLiteral("message-back"), this,
               [&](const QVariantList &args, const ClientAck &) { received << args.value(0).toString(); });
    socket->emitVolatile(QStringLiteral("message"), { QStringLiteral("dropped") });
    socket->open();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QTRY_COMPARE(connected.count(), 1);
    socket->emitEvent(QStringLiteral("message"), { QStringLiteral("kept") });
    QTRY_COMPARE(received, QStringList{ QStringLiteral("kept") });
}

// A fake Engine.IO server over raw TCP that answers the polling handshake with tiny ping
// timings and then never pings: the client must report "ping timeout".
void tst_Client::pingTimeoutDetected()
{
    QTcpServer fake;
    QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> clients;
    int requests = 0;
    connect(&fake, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *c = fake.nextPendingConnection()) {
            clients << c;
            connect(c, &QTcpSocket::readyRead, c, [c, &requests] {
                const QByteArray data = c->readAll();
                if (!data.contains("\r\n\r\n"))
                    return;
                ++requests;
                QByteArray body;
                if (data.startsWith("GET") && !data.contains("sid=")) {
                    body =
                        R"(0{"sid":"fake","upgrades":[],"pingInterval":100,"pingTimeout":100,"maxPayload":1000000})";
                } else if (data.startsWith("POST")) {
                    body = "ok";
                } else {
                    return; // a poll: park it forever (a stalled server)
                }
                c->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            });
        }
    });
    ManagerOptions options = fastOptions(Transport::Polling);
    options.reconnection = false;
    Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(fake.serverPort())), options);
    QSignalSpy opened(&manager, &Manager::opened);
    QSignalSpy closed(&manager, &Manager::closed);
    manager.open();
    QTRY_COMPARE(opened.count(), 1);
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).toString(), QStringLiteral("ping timeout"));
    qDeleteAll(clients);
}

// A server that sends a malformed Socket.IO packet: the client closes with "parse error".
void tst_Client::malformedPacketIsParseError()
{
    Manager manager(url(), fastOptions(Transport::WebSocket));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    // Our server never sends bad packets; reach the client's decoder through a raw engine write.
    Socket *serverSocket = m_server->mainNamespace()->socket(socket->id());
    QVERIFY(serverSocket);
    EngineSession *session = m_server->engine()->session(manager.engineId());
    QVERIFY(session);
    session->sendText(QByteArrayLiteral("2{not json"));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("parse error"));
    // And it reconnects.
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 10000);
}

void tst_Client::clientCloseIsIoClientDisconnect()
{
    Manager manager(url(), fastOptions());
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy disconnected(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connected.count(), 1);
    const QString id = socket->id();
    QSignalSpy serverDisconnected(m_server->mainNamespace(), &Namespace::socketDisconnected);
    socket->close();
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), QStringLiteral("io client disconnect"));
    QTRY_COMPARE(serverDisconnected.count(), 1);
    QCOMPARE(serverDisconnected.at(0).at(0).toString(), id);
    QCOMPARE(manager.state(), Manager::State::Closed);
}

void tst_Client::reconnectFailedAfterAttempts()
{
    quint16 port = m_port;
    m_server.reset(); // nothing listens there now
    ManagerOptions options = fastOptions();
    options.reconnectionAttempts = 2;
    options.randomizationFactor = 0;
    Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), options);
    ClientSocket *socket = manager.socket();
    QSignalSpy connectErrors(socket, &ClientSocket::connectErrorOccurred);
    QSignalSpy attempts(&manager, &Manager::reconnectAttempted);
    QSignalSpy failed(&manager, &Manager::reconnectFailed);
    socket->open();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QCOMPARE(attempts.count(), 2);
    QCOMPARE(connectErrors.count(), 3);
}

void tst_Client::cookiesKeptAcrossPolls()
{
    // Sticky sessions: the cookie the handshake set travels with every later polling request.
    StickyPollingServer sticky;
    QVERIFY(sticky.listen());
    Manager manager(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(sticky.port())),
                    fastOptions(Transport::Polling));
    ClientSocket *socket = manager.socket();
    QSignalSpy connectedSpy(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connectedSpy.count(), 1);
    QCOMPARE(socket->id(), QStringLiteral("N1"));
    QTRY_VERIFY(sticky.cookies.size() >= 3); // the first poll, the CONNECT post, the next poll
    QCOMPARE(sticky.refused, 0);
    for (const QByteArray &cookie : std::as_const(sticky.cookies))
        QCOMPARE(cookie, QByteArray("io=S1"));
}

void tst_Client::extraHeadersReachServer_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::newRow("polling handshake") << Transports(Transport::Polling);
    QTest::newRow("websocket handshake") << Transports(Transport::WebSocket);
}

void tst_Client::extraHeadersReachServer()
{
    QFETCH(Transports, transports);
    QByteArray seen;
    QByteArray seenOther;
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [&](Socket *s) {
        seen = s->handshake().request.header("X-Api-Key");
        seenOther = s->handshake().request.header("x-trace");
    });
    ManagerOptions options = fastOptions(transports);
    options.extraHeaders = { { "X-Api-Key", "secret 42" }, { "X-Trace", "abc" } };
    Manager manager(url(), options);
    ClientSocket *socket = manager.socket();
    QSignalSpy connectedSpy(socket, &ClientSocket::connected);
    socket->open();
    QTRY_COMPARE(connectedSpy.count(), 1);
    QCOMPARE(seen, QByteArray("secret 42"));
    QCOMPARE(seenOther, QByteArray("abc"));
}

void tst_Client::maxPayloadHonouredWhenBatching()
{
    // The server refuses POST bodies over its maxPayload (413, then the session is gone): the
    // client must cut what it batches at the maxPayload the handshake announced.
    ServerOptions options;
    options.engine.maxHttpBufferSize = 2000;
    m_server = std::make_unique<Server>(options);
    int received = 0;
    QList<int> order;
    connect(m_server->mainNamespace(), &Namespace::socketConnected, this, [&](Socket *s) {
        s->on(QStringLiteral("m"), s, [&](const QVariantList &args, const Ack &) {
            ++received;
            order.append(args.value(0).toInt());
        });
    });
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();

    Manager manager(url(), fastOptions(Transport::Polling));
    ClientSocket *socket = manager.socket();
    QSignalSpy connectedSpy(socket, &ClientSocket::connected);
    QSignalSpy disconnectedSpy(socket, &ClientSocket::disconnected);
    socket->open();
    QTRY_COMPARE(connectedSpy.count(), 1);
    const QString filler(150, QLatin1Char('x'));
    for (int i = 0; i < 100; ++i) // ~16 KB in all: at least 8 POSTs
        socket->emitEvent(QStringLiteral("m"), { i, filler });
    QTRY_COMPARE(received, 100);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(order.at(i), i);
    QCOMPARE(disconnectedSpy.count(), 0);
    QVERIFY(socket->isConnected());
}

QTEST_GUILESS_MAIN(tst_Client)
#include "tst_client.moc"
