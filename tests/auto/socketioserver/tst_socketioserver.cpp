// SPDX-License-Identifier: MIT
//
// Loopback integration test of the Socket.IO v5 server: the Socket.IO conformance cases 18-30 of
// docs/conformance.md against an in-process echo server (asserting exact wire strings through a raw
// Engine.IO client), then the server-side API: middleware, namespace and socket signals,
// disconnect reasons, rooms and broadcasting, acks both ways, binary, dynamic namespaces,
// class-based handlers, emitting from other threads, and a long-polling client.

#include "rawclient.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/snapshot.h>
#include <SocketIo/socket.h>
#include <SocketIo/socketioglobal.h>
#include <SocketIo/traffic.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000; // generous: the machine may be busy
constexpr int ThreadEmits = 1000;

// "" for the main namespace, "/custom," otherwise: what follows the packet type on the wire.
QByteArray nspPrefix(const QByteArray &nsp)
{
    return nsp == "/" ? QByteArray() : QByteArray(nsp + ',');
}

// Any JSON value (scalars included) parsed from text; Undefined when it does not parse.
QJsonValue parseJson(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + text + ']'), &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return QJsonValue::Undefined;
    return doc.array().at(0);
}

QJsonValue toJson(const QVariantList &args)
{
    return QJsonValue::fromVariant(args);
}

const QByteArray Placeholders2 =
    QByteArrayLiteral(R"({"_placeholder":true,"num":0},{"_placeholder":true,"num":1})");

// The echo server's behaviour (docs/echo-server.md) for one namespace, except that `auth` is emitted at once
// (the raw client queues every frame, so nothing is lost).
void serveEcho(Namespace *nsp)
{
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        socket->emitEvent(QStringLiteral("auth"), { socket->handshake().auth.toVariantMap() });
        QObject::connect(
            socket, &Socket::eventReceived, socket,
            [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                if (event == QLatin1String("message")) {
                    socket->emitEvent(QStringLiteral("message-back"), args);
                } else if (event == QLatin1String("message-with-ack")) {
                    ack.send(args);
                } else if (event == QLatin1String("join") && !args.isEmpty()) {
                    socket->join(args.first().toString());
                } else if (event == QLatin1String("leave") && !args.isEmpty()) {
                    socket->leave(args.first().toString());
                } else if (event == QLatin1String("to-room") && args.size() >= 2) {
                    socket->nsp()->to(args.at(0).toString()).emitEvent(args.at(1).toString(), args.mid(2));
                } else if (event == QLatin1String("broadcast") && !args.isEmpty()) {
                    socket->broadcast().emitEvent(args.at(0).toString(), args.mid(1));
                }
            });
    });
}

// A class-based handler: on_<event> slots called with converted arguments.
class GreeterHandler : public QObject
{
    Q_OBJECT
public:
    QPointer<SocketIo::Socket> lastSocket;
    QJsonObject lastJson;
    int jsonCalls = 0;
    QStringList log;

public Q_SLOTS:
    QString on_hello(SocketIo::Socket *socket, const QString &name)
    {
        lastSocket = socket;
        return QStringLiteral("Hello, ") + name;
    }
    int on_add(int a, int b) { return a + b; }
    void on_json(const QJsonObject &object)
    {
        lastJson = object;
        ++jsonCalls;
    }
    void on_connect(SocketIo::Socket *socket) { log.append(QStringLiteral("connect:") + socket->id()); }
    void on_disconnect(SocketIo::Socket *socket, const QString &reason)
    {
        log.append(QStringLiteral("disconnect:") + socket->id() + QLatin1Char(':') + reason);
    }
};

// Parameter and return types of class-based handlers.
class TypesHandler : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    int on_add(int a, int b) { return a + b; }
    double on_half(double x) { return x / 2; }
    bool on_not(bool b) { return !b; }
    int on_count(const QJsonArray &array) { return int(array.size()); }
    QString on_keys(const QJsonObject &object) { return object.keys().join(QLatin1Char(',')); }
    QVariant on_echo(const QVariant &value) { return value; }
    QJsonObject on_wrap(const QString &text) { return QJsonObject{ { QStringLiteral("value"), text } }; }
    QByteArray on_bytes(const QByteArray &data)
    {
        QByteArray reversed(data);
        std::reverse(reversed.begin(), reversed.end());
        return reversed;
    }
};

enum class Trigger {
    ClientLeaves,
    ServerNamespaceDisconnect,
    ServerDisconnectClose,
    ClientClosesWebSocket,
    ClientStopsPonging,
    ServerCloses,
};

} // namespace

Q_DECLARE_METATYPE(Trigger)

class tst_SocketIoServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // Socket.IO cases of docs/conformance.md
    void connectNamespace_data();
    void connectNamespace(); // cases 18, 19, 20
    void invalidNamespace_data();
    void invalidNamespace(); // case 21
    void malformedFirstPacket_data();
    void malformedFirstPacket(); // case 22
    void connectTimeout(); // case 23
    void leaveMainNamespace(); // case 24
    void leaveCustomThenMain(); // case 25
    void eventRoundTrip_data();
    void eventRoundTrip(); // case 26
    void binaryEvent_data();
    void binaryEvent(); // case 27
    void ack_data();
    void ack(); // case 28
    void binaryAck_data();
    void binaryAck(); // case 29
    void malformedPacket_data();
    void malformedPacket(); // case 30
    void invalidState_data();
    void invalidState(); // client.ts "invalid state": closes with "forced server close"

    // Server-side API
    void handshake();
    void middlewareAccepts();
    void middlewareRejects_data();
    void middlewareRejects();
    void middlewareAnswersLater_data();
    void middlewareAnswersLater();
    void namespaceSignals();
    void disconnectReasons_data();
    void disconnectReasons();
    void rooms();
    void broadcasting();
    void fetchAndBulkOperations();
    void ackAnsweredLater();
    void serverEmitWithAck_data();
    void serverEmitWithAck();
    void serverEmitAckTimeout();
    void serverEmitAckDisconnected();
    void broadcastWithAcks();
    void broadcastWithAcksTimeout();
    void binaryServerEmit_data();
    void binaryServerEmit();
    void dynamicNamespaceByPattern();
    void dynamicNamespaceByFilter();
    void classBasedHandlers();
    void classHandlerTypes_data();
    void classHandlerTypes();
    void classHandlerBinary();
    void socketMiddlewareAndCatchAll();
    void disconnectCloseWithTwoNamespaces();
    void ackAndJoinFromOtherThread();
    void emitFromOtherThreads();
    void polling();
    void pollingVolatile();
    void upgradeFromPolling();
    void ackCallbackRunsInContextThread();
    void connectTimeoutWhileMiddlewarePending();
    // Engine.IO v3 clients (socket.io-client 2.x) with allowEIO3
    void eio3Connect_data();
    void eio3Connect();
    void eio3InvalidNamespace();
    void eio3MiddlewareRejects_data();
    void eio3MiddlewareRejects();
    void eio3ConnectTimeout();
    // Issue #3: options, limits, misbehaving handlers
    void optionsDefaults();
    void limitsEnforcedAndReported_data();
    void limitsEnforcedAndReported();
    void misbehavingHandlers_data();
    void misbehavingHandlers();
    void bindApplicationServer();
    void snapshotAndTraffic();
    void reasonStrings_data();
    void reasonStrings();
    // For the inspector: options while running, the listening state, traffic details
    void setOptionsWhileRunning();
    void listeningChanged();
    void incomingConnectCarriesSocketId();
    void ipv4MappedAddressAsIpv4();

private:
    // Sends CONNECT for nsp (with auth JSON, may be empty) and checks the reply and, for the echo
    // namespaces, the `auth` event. Returns the socket id, empty on failure (with a warning).
    QString connectSocket(RawClient &client, const QByteArray &nsp = QByteArrayLiteral("/"),
                          const QByteArray &auth = {}, bool expectAuthEvent = true);
    Socket *serverSocket(const QString &id, const QString &nsp = QStringLiteral("/")) const;
    // message -> message-back round trip on an echo namespace: the connection still works.
    bool roundTrip(RawClient &client, const QByteArray &nsp = QByteArrayLiteral("/"));

    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_SocketIoServer::initTestCase()
{
    qRegisterMetaType<SocketIo::Socket *>();
    qRegisterMetaType<SocketIo::Namespace *>();
    qRegisterMetaType<SocketIo::DisconnectReason>();
    qRegisterMetaType<SocketIo::AckStatus>();
}

void tst_SocketIoServer::init()
{
    ServerOptions options;
    options.engine.pingInterval = 300ms;
    options.engine.pingTimeout = 200ms;
    options.connectTimeout = 1000ms;
    m_server = std::make_unique<Server>(options);
    serveEcho(m_server->mainNamespace());
    serveEcho(m_server->of(QStringLiteral("/custom")));
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
    QVERIFY(m_port != 0);
}

void tst_SocketIoServer::cleanup()
{
    m_server.reset();
    m_port = 0;
}

QString tst_SocketIoServer::connectSocket(RawClient &client, const QByteArray &nsp, const QByteArray &auth,
                                          bool expectAuthEvent)
{
    if (!client.waitForOpen(Timeout)) {
        qWarning("no Engine.IO open packet");
        return {};
    }
    const QByteArray prefix = QByteArray("40" + nspPrefix(nsp));
    client.send(QByteArray(prefix + auth));
    const QByteArray reply = client.nextText();
    if (!reply.startsWith(prefix)) {
        qWarning() << "unexpected CONNECT reply" << reply;
        return {};
    }
    const QJsonObject object = parseJson(reply.mid(prefix.size())).toObject();
    if (object.keys() != QStringList{ QStringLiteral("sid") }) {
        qWarning() << "CONNECT reply is not an object with only sid:" << reply;
        return {};
    }
    const QString sid = object.value(QLatin1String("sid")).toString();
    if (expectAuthEvent) {
        const QByteArray expected =
            QByteArray("42" + nspPrefix(nsp) + "[\"auth\"," + (auth.isEmpty() ? "{}" : auth) + ']');
        const QByteArray event = client.nextText();
        if (event != expected) {
            qWarning() << "expected" << expected << "got" << event;
            return {};
        }
    }
    return sid;
}

Socket *tst_SocketIoServer::serverSocket(const QString &id, const QString &nsp) const
{
    Namespace *n = m_server->findNamespace(nsp);
    return n ? n->socket(id) : nullptr;
}

bool tst_SocketIoServer::roundTrip(RawClient &client, const QByteArray &nsp)
{
    client.send(QByteArray("42" + nspPrefix(nsp) + "[\"message\",\"ping\"]"));
    const QByteArray expected = QByteArray("42" + nspPrefix(nsp) + "[\"message-back\",\"ping\"]");
    const QByteArray reply = client.nextText();
    if (reply != expected) {
        qWarning() << "round trip: expected" << expected << "got" << reply;
        return false;
    }
    return true;
}

// --- docs/conformance.md cases ------------------------------------------------------------------

void tst_SocketIoServer::connectNamespace_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArray>("auth");
    QTest::newRow("18 main namespace") << QByteArray("/") << QByteArray();
    QTest::newRow("19 main namespace with auth") << QByteArray("/") << QByteArray(R"({"token":"123"})");
    QTest::newRow("20 /custom") << QByteArray("/custom") << QByteArray();
    QTest::newRow("20 /custom with auth") << QByteArray("/custom") << QByteArray(R"({"token":"abc"})");
}

void tst_SocketIoServer::connectNamespace()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArray, auth);
    Namespace *n = m_server->findNamespace(QString::fromLatin1(nsp));
    QVERIFY(n);
    QSignalSpy connected(n, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("40" + prefix + auth));

    const QByteArray reply = client.nextText();
    QVERIFY2(reply.startsWith(QByteArray("40" + prefix + '{')), reply.constData());
    const QJsonValue payload = parseJson(reply.mid(2 + prefix.size()));
    QVERIFY2(payload.isObject(), reply.constData());
    QCOMPARE(payload.toObject().keys(), QStringList{ QStringLiteral("sid") });
    const QString sid = payload.toObject().value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QVERIFY(sid != client.engineSid());

    QCOMPARE(client.nextText(),
             QByteArray("42" + prefix + "[\"auth\"," + (auth.isEmpty() ? "{}" : auth) + ']'));

    QCOMPARE(connected.count(), 1);
    auto *socket = connected.at(0).at(0).value<Socket *>();
    QVERIFY(socket);
    QCOMPARE(socket->id(), sid);
    QCOMPARE(socket->nsp(), n);
    QVERIFY(socket->isConnected());
    QCOMPARE(socket->engineSessionId(), client.engineSid());
    QCOMPARE(socket->handshake().auth, parseJson(auth.isEmpty() ? QByteArray("{}") : auth).toObject());
    QCOMPARE(n->socket(sid), socket);
    QCOMPARE(n->socketCount(), 1);
}

void tst_SocketIoServer::invalidNamespace_data()
{
    QTest::addColumn<QByteArray>("connect");
    QTest::newRow("21 no trailing comma") << QByteArray("40/random");
    QTest::newRow("21 trailing comma") << QByteArray("40/random,");
    QTest::newRow("21 with auth") << QByteArray(R"(40/random,{"token":"x"})");
}

void tst_SocketIoServer::invalidNamespace()
{
    QFETCH(QByteArray, connect);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(connect);
    QCOMPARE(client.nextText(), QByteArray(R"(44/random,{"message":"Invalid namespace"})"));
    QVERIFY(!m_server->findNamespace(QStringLiteral("/random")));
    // The connection stays open: the client may still join an existing namespace.
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(roundTrip(client));
}

void tst_SocketIoServer::malformedFirstPacket_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::newRow("22 4abc") << QByteArray("4abc");
    QTest::newRow("22 unknown type 7") << QByteArray("47");
    QTest::newRow("22 empty message") << QByteArray("4");
    QTest::newRow("22 connect with bad json") << QByteArray("40{");
    QTest::newRow("22 connect with array payload") << QByteArray("40[1]");
}

void tst_SocketIoServer::malformedFirstPacket()
{
    QFETCH(QByteArray, packet);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 1, Timeout);
    client.send(packet);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    QCOMPARE(m_server->mainNamespace()->socketCount(), 0);
}

void tst_SocketIoServer::connectTimeout()
{
    // A client that joined a namespace in time is not affected by the timer.
    RawClient joined(m_port);
    QVERIFY(!connectSocket(joined).isEmpty());

    RawClient idle(m_port); // answers pings: only the connect timeout can close it
    QVERIFY(idle.waitForOpen(Timeout));
    QVERIFY(idle.waitForClosed(Timeout));

    QVERIFY(!joined.isClosed());
    QVERIFY(roundTrip(joined));
}

void tst_SocketIoServer::leaveMainNamespace()
{
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);

    client.setQueuePings(true);
    client.send("41");
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ClientNamespaceDisconnect);

    // The Engine.IO connection stays open; only pings arrive.
    const int pings = client.pingCount();
    QTRY_VERIFY_WITH_TIMEOUT(client.pingCount() >= pings + 2, Timeout);
    QVERIFY(!client.isClosed());
    QVERIFY(client.pendingFrames() >= 2);
    for (const RawFrame &frame : client.frames()) {
        QVERIFY(!frame.binary);
        QCOMPARE(frame.data, QByteArray("2"));
    }
    QCOMPARE(m_server->mainNamespace()->socketCount(), 0);
    QCOMPARE(m_server->engine()->sessionCount(), 1);
}

void tst_SocketIoServer::leaveCustomThenMain()
{
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    const QString customSid = connectSocket(client, "/custom");
    QVERIFY(!customSid.isEmpty());
    QCOMPARE(m_server->of(QStringLiteral("/custom"))->socketCount(), 1);

    client.send("41/custom,");
    QTRY_COMPARE_WITH_TIMEOUT(m_server->of(QStringLiteral("/custom"))->socketCount(), 0, Timeout);
    client.send(R"(42["message","x"])");
    QCOMPARE(client.nextText(), QByteArray(R"(42["message-back","x"])"));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
}

void tst_SocketIoServer::eventRoundTrip_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("26") << QByteArray(R"(42["message",1,"2",{"3":[true]}])")
                        << QByteArray(R"(42["message-back",1,"2",{"3":[true]}])");
    QTest::newRow("26 /custom") << QByteArray(R"(42/custom,["message",1,"2",{"3":[true]}])")
                                << QByteArray(R"(42/custom,["message-back",1,"2",{"3":[true]}])");
    QTest::newRow("no arguments") << QByteArray(R"(42["message"])") << QByteArray(R"(42["message-back"])");
    QTest::newRow("null and nesting")
        << QByteArray(R"(42["message",null,[1,[2,[3]]],{"a":{"b":null}}])")
        << QByteArray(R"(42["message-back",null,[1,[2,[3]]],{"a":{"b":null}}])");
    QTest::newRow("numbers") << QByteArray(R"(42["message",0,-1,1.5,2147483648])")
                             << QByteArray(R"(42["message-back",0,-1,1.5,2147483648])");
    QTest::newRow("booleans and strings") << QByteArray(R"(42["message",true,false,"","a\"b"])")
                                          << QByteArray(R"(42["message-back",true,false,"","a\"b"])");
    QTest::newRow("placeholder-like object in a text event")
        << QByteArray(R"(42["message",{"_placeholder":true,"num":0}])")
        << QByteArray(R"(42["message-back",{"_placeholder":true,"num":0}])");
    QTest::newRow("unicode") << QByteArray(R"(42["message","héllo ☃ 😀"])")
                             << QByteArray(R"(42["message-back","héllo ☃ 😀"])");
}

void tst_SocketIoServer::eventRoundTrip()
{
    QFETCH(QByteArray, sent);
    QFETCH(QByteArray, expected);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    client.send(sent);
    QCOMPARE(client.nextText(), expected);
}

void tst_SocketIoServer::binaryEvent_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("27") << QByteArray("/");
    QTest::newRow("27 /custom") << QByteArray("/custom");
}

void tst_SocketIoServer::binaryEvent()
{
    QFETCH(QByteArray, nsp);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, nsp).isEmpty());
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("452-" + prefix + "[\"message\"," + Placeholders2 + ']'));
    client.sendBinary(QByteArray::fromHex("010203"));
    client.sendBinary(QByteArray::fromHex("040506"));
    QCOMPARE(client.nextText(), QByteArray("452-" + prefix + "[\"message-back\"," + Placeholders2 + ']'));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("010203"));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("040506"));
}

void tst_SocketIoServer::ack_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("28") << QByteArray(R"(42456["message-with-ack",1,"2",{"3":[false]}])")
                        << QByteArray(R"(43456[1,"2",{"3":[false]}])");
    QTest::newRow("28 /custom") << QByteArray(R"(42/custom,456["message-with-ack",1,"2",{"3":[false]}])")
                                << QByteArray(R"(43/custom,456[1,"2",{"3":[false]}])");
    QTest::newRow("ack id 0, no arguments")
        << QByteArray(R"(420["message-with-ack"])") << QByteArray("430[]");
    QTest::newRow("large ack id") << QByteArray(R"(424294967296["message-with-ack","x"])")
                                  << QByteArray(R"(434294967296["x"])");
}

void tst_SocketIoServer::ack()
{
    QFETCH(QByteArray, sent);
    QFETCH(QByteArray, expected);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    client.send(sent);
    QCOMPARE(client.nextText(), expected);
}

void tst_SocketIoServer::binaryAck_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("29") << QByteArray("/");
    QTest::newRow("29 /custom") << QByteArray("/custom");
}

void tst_SocketIoServer::binaryAck()
{
    QFETCH(QByteArray, nsp);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, nsp).isEmpty());
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("452-" + prefix + "789[\"message-with-ack\"," + Placeholders2 + ']'));
    client.sendBinary(QByteArray::fromHex("010203"));
    client.sendBinary(QByteArray::fromHex("040506"));
    QCOMPARE(client.nextText(), QByteArray("462-" + prefix + "789[" + Placeholders2 + ']'));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("010203"));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("040506"));
}

void tst_SocketIoServer::malformedPacket_data()
{
    // Frames: "t:<text>" sent as a text frame, "b:<hex>" as a binary frame.
    QTest::addColumn<QByteArrayList>("frames");
    QTest::newRow("30 unknown type 4abc") << QByteArrayList{ "t:4abc" };
    QTest::newRow("30 payload not an array 42{}") << QByteArrayList{ "t:42{}" };
    QTest::newRow("30 invalid ack id 42abc[...]") << QByteArrayList{ R"(t:42abc["message-with-ack",1])" };
    QTest::newRow("30 bad json") << QByteArrayList{ R"(t:42["message",)" };
    QTest::newRow("30 empty array") << QByteArrayList{ "t:42[]" };
    QTest::newRow("30 reserved event name") << QByteArrayList{ R"(t:42["disconnect"])" };
    QTest::newRow("30 object as event name") << QByteArrayList{ R"(t:42[{},1])" };
    QTest::newRow("30 ack payload not an array") << QByteArrayList{ "t:431{}" };
    QTest::newRow("30 disconnect with payload") << QByteArrayList{ R"(t:41{"a":1})" };
    QTest::newRow("30 binary event without count") << QByteArrayList{ R"(t:45["message"])" };
    QTest::newRow("30 binary event with zero attachments") << QByteArrayList{ R"(t:450-["message","x"])" };
    QTest::newRow("30 too many attachments")
        << QByteArrayList{ R"(t:4511-["message",{"_placeholder":true,"num":0}])" };
    QTest::newRow("30 placeholder out of range")
        << QByteArrayList{ R"(t:451-["message",{"_placeholder":true,"num":5}])", "b:01" };
    QTest::newRow("30 binary frame without binary event") << QByteArrayList{ "b:010203" };
    QTest::newRow("30 text while attachments are awaited")
        << QByteArrayList{ R"(t:451-["message",{"_placeholder":true,"num":0}])", R"(t:42["message"])" };
}

void tst_SocketIoServer::malformedPacket()
{
    QFETCH(QByteArrayList, frames);
    RawClient offender(m_port);
    RawClient bystander(m_port);
    const QString offenderSid = connectSocket(offender);
    QVERIFY(!offenderSid.isEmpty());
    QVERIFY(!connectSocket(bystander).isEmpty());
    Socket *socket = serverSocket(offenderSid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);

    // Bad input is logged, with the connection and the reason.
    QTest::ignoreMessage(
        QtInfoMsg,
        QRegularExpression(QStringLiteral("^connection %1 from \\S+ sent a malformed packet: .+")
                               .arg(QRegularExpression::escape(offender.engineSid()))));
    for (const QByteArray &frame : frames) {
        if (frame.startsWith("b:"))
            offender.sendBinary(QByteArray::fromHex(frame.mid(2)));
        else
            offender.send(frame.mid(2));
    }
    QVERIFY(offender.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ParseError);

    // Only the offender's connection is closed.
    QVERIFY(!bystander.isClosed());
    QVERIFY(roundTrip(bystander));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
}

void tst_SocketIoServer::invalidState_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::newRow("event for a namespace not joined") << QByteArray(R"(42/custom,["message","x"])");
    QTest::newRow("ack for a namespace not joined") << QByteArray(R"(43/custom,1["x"])");
    QTest::newRow("CONNECT twice") << QByteArray("40");
}

void tst_SocketIoServer::invalidState()
{
    // socket.io's Client closes the connection ("forced server close") on a well-formed packet
    // that does not fit the state: not a parse error.
    QFETCH(QByteArray, packet);
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);
    client.send(packet);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ForcedServerClose);
}

// --- Server-side API --------------------------------------------------------------------------

void tst_SocketIoServer::handshake()
{
    RawClient client(m_port, "EIO=4&transport=websocket&foo=bar");
    const QString sid = connectSocket(client, "/", R"({"token":"t"})");
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    const Handshake &hs = socket->handshake();
    QCOMPARE(hs.auth, (QJsonObject{ { QStringLiteral("token"), QStringLiteral("t") } }));
    QVERIFY2(hs.url.startsWith(QLatin1String("/socket.io/?")), qPrintable(hs.url));
    QVERIFY2(hs.url.contains(QLatin1String("foo=bar")), qPrintable(hs.url));
    QVERIFY(hs.time.isValid());
    QVERIFY(!hs.secure);
    QVERIFY2(hs.address.contains(QLatin1String("127.0.0.1")), qPrintable(hs.address));
    QCOMPARE(socket->transport(), Transport::WebSocket);
    QCOMPARE(socket->rooms(), QSet<QString>{ sid });
    QVERIFY(socket->id() != socket->engineSessionId());
    QCOMPARE(hs.request.query.queryItemValue(QStringLiteral("foo")), QStringLiteral("bar"));
    QCOMPARE(hs.request.query.queryItemValue(QStringLiteral("EIO")), QStringLiteral("4"));
    const auto host = std::find_if(hs.request.headers.cbegin(), hs.request.headers.cend(), [](const auto &h) {
        return h.first.compare("host", Qt::CaseInsensitive) == 0;
    });
    QVERIFY(host != hs.request.headers.cend());
    QCOMPARE(host->second, QByteArray("127.0.0.1:" + QByteArray::number(m_port)));
    QCOMPARE(hs.issued, hs.time.toMSecsSinceEpoch());
    QVERIFY(hs.issued > 0);

    socket->setData({ { QStringLiteral("user"), QStringLiteral("alice") } });
    QCOMPARE(socket->data().value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
}

void tst_SocketIoServer::middlewareAccepts()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    QStringList log;
    nsp->use([&log](Socket *socket, const Next &next) {
        log.append(QStringLiteral("m1:") + socket->handshake().auth.value(QLatin1String("token")).toString()
                   + QLatin1Char(':') + socket->id());
        next();
    });
    nsp->use([&log](Socket *, const Next &next) {
        log.append(QStringLiteral("m2"));
        next();
    });
    connect(nsp, &Namespace::socketConnected, &context,
            [&log](Socket *socket) { log.append(QStringLiteral("connected:") + socket->id()); });

    RawClient client(m_port);
    const QString sid = connectSocket(client, "/", R"({"token":"tok"})");
    QVERIFY(!sid.isEmpty());
    QCOMPARE(log,
             (QStringList{ QStringLiteral("m1:tok:") + sid, QStringLiteral("m2"),
                           QStringLiteral("connected:") + sid }));
    QVERIFY(roundTrip(client));
}

void tst_SocketIoServer::middlewareRejects_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("data"); // JSON, empty: none
    QTest::newRow("message and data") << QByteArray("/") << QStringLiteral("not authorized")
                                      << QByteArray(R"({"code":401,"hint":"token"})");
    QTest::newRow("message only") << QByteArray("/") << QStringLiteral("nope") << QByteArray();
    QTest::newRow("string data") << QByteArray("/") << QStringLiteral("nope") << QByteArray(R"("just text")");
    QTest::newRow("/custom, message and data")
        << QByteArray("/custom") << QStringLiteral("not authorized") << QByteArray(R"({"code":401})");
}

void tst_SocketIoServer::middlewareRejects()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QString, message);
    QFETCH(QByteArray, data);
    Namespace *n = m_server->of(QString::fromLatin1(nsp));
    const QJsonValue dataValue = data.isEmpty() ? QJsonValue(QJsonValue::Undefined) : parseJson(data);
    n->use([message, dataValue](Socket *socket, const Next &next) {
        if (socket->handshake().auth.value(QLatin1String("token")) == QLatin1String("secret"))
            next();
        else
            next.reject(message, dataValue);
    });
    QSignalSpy connected(n, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(QByteArray("40" + nspPrefix(nsp)));
    const QByteArray reply = client.nextText();
    const QByteArray prefix = QByteArray("44" + nspPrefix(nsp));
    QVERIFY2(reply.startsWith(prefix), reply.constData());
    QJsonObject expected{ { QStringLiteral("message"), message } };
    if (!data.isEmpty())
        expected.insert(QStringLiteral("data"), dataValue);
    QCOMPARE(parseJson(reply.mid(prefix.size())), QJsonValue(expected));
    if (data.isEmpty())
        QCOMPARE(reply, QByteArray(prefix + R"({"message":")" + message.toUtf8() + "\"}"));
    QCOMPARE(connected.count(), 0);
    QCOMPARE(n->socketCount(), 0);

    // The connection stays open: the client may try again.
    QVERIFY(!connectSocket(client, nsp, R"({"token":"secret"})").isEmpty());
    QCOMPARE(connected.count(), 1);
}

void tst_SocketIoServer::middlewareAnswersLater_data()
{
    QTest::addColumn<QString>("outcome");
    QTest::newRow("accepts later") << QStringLiteral("accept");
    QTest::newRow("rejects later") << QStringLiteral("reject");
    QTest::newRow("client gone before the answer") << QStringLiteral("gone");
}

void tst_SocketIoServer::middlewareAnswersLater()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QString, outcome);
    Namespace *nsp = m_server->mainNamespace();
    std::optional<Next> pending;
    nsp->use([&pending](Socket *, const Next &next) { pending = next; });
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    QSignalSpy disconnected(nsp, &Namespace::socketDisconnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    QCOMPARE(client.pendingFrames(), 0);

    if (outcome == QLatin1String("accept")) {
        QTimer::singleShot(20, &context, [&pending] { (*pending)(); });
        const QByteArray reply = client.nextText();
        QVERIFY2(reply.startsWith(R"(40{"sid":")"), reply.constData());
        QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
        QCOMPARE(connected.count(), 1);
        (*pending)(); // only the first call counts
        (*pending).reject(QStringLiteral("late"));
        QVERIFY(roundTrip(client));
        QCOMPARE(connected.count(), 1);
    } else if (outcome == QLatin1String("reject")) {
        QTimer::singleShot(20, &context, [&pending] { pending->reject(QStringLiteral("later, no")); });
        QCOMPARE(client.nextText(), QByteArray(R"(44{"message":"later, no"})"));
        QCOMPARE(connected.count(), 0);
        QVERIFY(!client.isClosed());
    } else {
        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
        (*pending)();
        QTest::qWait(0);
        QCOMPARE(connected.count(), 0);
        QCOMPARE(disconnected.count(), 0);
        QCOMPARE(nsp->socketCount(), 0);
    }
}

void tst_SocketIoServer::namespaceSignals()
{
    Namespace *nsp = m_server->mainNamespace();
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    QSignalSpy disconnected(nsp, &Namespace::socketDisconnected);
    auto a = std::make_unique<RawClient>(m_port);
    RawClient b(m_port);
    const QString sidA = connectSocket(*a);
    const QString sidB = connectSocket(b);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty());
    QVERIFY(sidA != sidB);
    QCOMPARE(connected.count(), 2);
    QCOMPARE(connected.at(0).at(0).value<Socket *>()->id(), sidA);
    QCOMPARE(connected.at(1).at(0).value<Socket *>()->id(), sidB);
    QCOMPARE(nsp->socketCount(), 2);
    QSet<QString> ids;
    for (Socket *socket : nsp->sockets())
        ids.insert(socket->id());
    QCOMPARE(ids, (QSet<QString>{ sidA, sidB }));

    a.reset();
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).toString(), sidA);
    QCOMPARE(disconnected.at(0).at(1).value<DisconnectReason>(), DisconnectReason::TransportClose);
    QCOMPARE(nsp->socketCount(), 1);
    QVERIFY(!nsp->socket(sidA));
    QVERIFY(nsp->socket(sidB));
}

void tst_SocketIoServer::disconnectReasons_data()
{
    QTest::addColumn<Trigger>("trigger");
    QTest::addColumn<DisconnectReason>("reason");
    QTest::addColumn<QByteArray>("clientSees"); // the frame the client gets, if any
    QTest::addColumn<bool>("connectionSurvives");
    QTest::newRow("client sends 41") << Trigger::ClientLeaves << DisconnectReason::ClientNamespaceDisconnect
                                     << QByteArray() << true;
    QTest::newRow("disconnect(Namespace)")
        << Trigger::ServerNamespaceDisconnect << DisconnectReason::ServerNamespaceDisconnect
        << QByteArray("41") << true;
    QTest::newRow("disconnect(Close)")
        << Trigger::ServerDisconnectClose << DisconnectReason::ServerNamespaceDisconnect << QByteArray("41")
        << false;
    QTest::newRow("WebSocket closed")
        << Trigger::ClientClosesWebSocket << DisconnectReason::TransportClose << QByteArray() << false;
    QTest::newRow("no pong") << Trigger::ClientStopsPonging << DisconnectReason::PingTimeout << QByteArray()
                             << false;
    QTest::newRow("Server::close()") << Trigger::ServerCloses << DisconnectReason::ServerShuttingDown
                                     << QByteArray() << false;
}

void tst_SocketIoServer::disconnectReasons()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(Trigger, trigger);
    QFETCH(DisconnectReason, reason);
    QFETCH(QByteArray, clientSees);
    QFETCH(bool, connectionSurvives);

    Namespace *nsp = m_server->mainNamespace();
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    socket->join(QStringLiteral("room1"));
    QCOMPARE(nsp->roomSize(QStringLiteral("room1")), 1);

    QStringList order;
    QSet<QString> roomsWhileDisconnecting;
    QList<DisconnectReason> reasons;
    connect(socket, &Socket::disconnecting, &context, [&, socket](DisconnectReason why) {
        order.append(QStringLiteral("disconnecting"));
        roomsWhileDisconnecting = socket->rooms();
        reasons.append(why);
    });
    connect(socket, &Socket::disconnected, &context, [&](DisconnectReason why) {
        order.append(QStringLiteral("disconnected"));
        reasons.append(why);
    });
    QSignalSpy nspDisconnected(nsp, &Namespace::socketDisconnected);

    switch (trigger) {
    case Trigger::ClientLeaves:
        client.send("41");
        break;
    case Trigger::ServerNamespaceDisconnect:
        socket->close(DisconnectMode::Namespace);
        break;
    case Trigger::ServerDisconnectClose:
        socket->close(DisconnectMode::Close);
        break;
    case Trigger::ClientClosesWebSocket:
        client.close();
        break;
    case Trigger::ClientStopsPonging:
        client.setAutoPong(false);
        break;
    case Trigger::ServerCloses:
        m_server->close();
        break;
    }

    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, Timeout);
    QCOMPARE(order, (QStringList{ QStringLiteral("disconnecting"), QStringLiteral("disconnected") }));
    QCOMPARE(reasons, (QList<DisconnectReason>{ reason, reason }));
    QCOMPARE(roomsWhileDisconnecting, (QSet<QString>{ sid, QStringLiteral("room1") }));
    QCOMPARE(nspDisconnected.count(), 1);
    QCOMPARE(nspDisconnected.at(0).at(0).toString(), sid);
    QCOMPARE(nspDisconnected.at(0).at(1).value<DisconnectReason>(), reason);
    QCOMPARE(nsp->roomSize(QStringLiteral("room1")), 0);
    QCOMPARE(nsp->roomSize(sid), 0);
    QCOMPARE(nsp->socketCount(), 0);

    if (!clientSees.isEmpty())
        QCOMPARE(client.nextText(), clientSees);
    if (connectionSurvives) {
        QVERIFY(!client.isClosed());
        const QString again = connectSocket(client);
        QVERIFY(!again.isEmpty());
        QVERIFY(again != sid);
    } else {
        QVERIFY(client.waitForClosed(Timeout));
    }
}

void tst_SocketIoServer::rooms()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    RawClient a(m_port);
    RawClient b(m_port);
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty());
    Socket *sa = serverSocket(sidA);
    Socket *sb = serverSocket(sidB);
    QVERIFY(sa && sb);

    QStringList log;
    const auto label = [&](const QString &id) {
        return id == sidA ? QStringLiteral("A") : id == sidB ? QStringLiteral("B") : id;
    };
    connect(nsp, &Namespace::roomCreated, &context,
            [&](const QString &room) { log.append(QStringLiteral("created:") + room); });
    connect(nsp, &Namespace::roomDeleted, &context,
            [&](const QString &room) { log.append(QStringLiteral("deleted:") + room); });
    connect(nsp, &Namespace::roomJoined, &context, [&](const QString &room, const QString &id) {
        log.append(QStringLiteral("joined:") + room + QLatin1Char(':') + label(id));
    });
    connect(nsp, &Namespace::roomLeft, &context, [&](const QString &room, const QString &id) {
        log.append(QStringLiteral("left:") + room + QLatin1Char(':') + label(id));
    });

    sa->join(QStringLiteral("r"));
    sb->join(QStringList{ QStringLiteral("r"), QStringLiteral("s") });
    sa->join(QStringLiteral("r")); // already in: nothing
    QCOMPARE(nsp->roomSize(QStringLiteral("r")), 2);
    QCOMPARE(nsp->roomSize(QStringLiteral("s")), 1);
    QCOMPARE(nsp->roomSize(QStringLiteral("none")), 0);
    QStringList rooms = nsp->rooms();
    rooms.sort();
    QStringList expectedRooms{ QStringLiteral("r"), QStringLiteral("s"), sidA, sidB };
    expectedRooms.sort();
    QCOMPARE(rooms, expectedRooms);
    QCOMPARE(sa->rooms(), (QSet<QString>{ sidA, QStringLiteral("r") }));
    QCOMPARE(sb->rooms(), (QSet<QString>{ sidB, QStringLiteral("r"), QStringLiteral("s") }));

    sa->leave(QStringLiteral("r"));
    sb->leave(QStringLiteral("r"));
    sb->leave(QStringLiteral("nope")); // not in it: nothing
    QCOMPARE(nsp->roomSize(QStringLiteral("r")), 0);
    QVERIFY(!nsp->rooms().contains(QStringLiteral("r")));
    QCOMPARE(sa->rooms(), QSet<QString>{ sidA });

    // Through the echo server's join/leave events.
    a.send(R"(42["join","c"])");
    QTRY_COMPARE_WITH_TIMEOUT(nsp->roomSize(QStringLiteral("c")), 1, Timeout);
    a.send(R"(42["leave","c"])");
    QTRY_COMPARE_WITH_TIMEOUT(nsp->roomSize(QStringLiteral("c")), 0, Timeout);

    QCOMPARE(log,
             (QStringList{
                 QStringLiteral("created:r"),
                 QStringLiteral("joined:r:A"),
                 QStringLiteral("joined:r:B"),
                 QStringLiteral("created:s"),
                 QStringLiteral("joined:s:B"),
                 QStringLiteral("left:r:A"),
                 QStringLiteral("left:r:B"),
                 QStringLiteral("deleted:r"),
                 QStringLiteral("created:c"),
                 QStringLiteral("joined:c:A"),
                 QStringLiteral("left:c:A"),
                 QStringLiteral("deleted:c"),
             }));
}

void tst_SocketIoServer::broadcasting()
{
    Namespace *nsp = m_server->mainNamespace();
    Namespace *custom = m_server->of(QStringLiteral("/custom"));
    RawClient a(m_port);
    RawClient b(m_port);
    RawClient c(m_port);
    RawClient d(m_port); // only in /custom
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    const QString sidC = connectSocket(c);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty() && !sidC.isEmpty());
    QVERIFY(!connectSocket(d, "/custom").isEmpty());
    Socket *sa = serverSocket(sidA);
    Socket *sb = serverSocket(sidB);
    QVERIFY(sa && sb);
    sa->join(QStringLiteral("r1"));
    sb->join(QStringList{ QStringLiteral("r1"), QStringLiteral("r2") });

    // After each broadcast the namespace emits "end" to everyone: what a client got before its
    // "end" is exactly what the broadcast delivered to it.
    const QByteArray end = QByteArrayLiteral(R"(42["end"])");
    const auto check = [&](const QByteArrayList &forA, const QByteArrayList &forB,
                           const QByteArrayList &forC) {
        nsp->emitEvent(QStringLiteral("end"));
        custom->emitEvent(QStringLiteral("end"));
        const QByteArrayList gotA = a.textsUntil(end);
        const QByteArrayList gotB = b.textsUntil(end);
        const QByteArrayList gotC = c.textsUntil(end);
        const QByteArrayList gotD = d.textsUntil(QByteArrayLiteral(R"(42/custom,["end"])"));
        bool ok = true;
        if (gotA != forA || gotB != forB || gotC != forC) {
            qWarning() << "A:" << gotA << "expected" << forA;
            qWarning() << "B:" << gotB << "expected" << forB;
            qWarning() << "C:" << gotC << "expected" << forC;
            ok = false;
        }
        if (!gotD.isEmpty()) {
            qWarning() << "D (/custom only) got" << gotD;
            ok = false;
        }
        return ok;
    };

    nsp->to(QStringLiteral("r1")).emitEvent(QStringLiteral("t1"), { 1 });
    QVERIFY(check({ R"(42["t1",1])" }, { R"(42["t1",1])" }, {}));

    nsp->except(QStringLiteral("r2")).emitEvent(QStringLiteral("t2"));
    QVERIFY(check({ R"(42["t2"])" }, {}, { R"(42["t2"])" }));

    // A socket in both rooms gets it once.
    nsp->to(QStringList{ QStringLiteral("r1"), QStringLiteral("r2") }).emitEvent(QStringLiteral("t3"));
    QVERIFY(check({ R"(42["t3"])" }, { R"(42["t3"])" }, {}));

    nsp->in(QStringLiteral("r1")).to(QStringLiteral("r2")).emitEvent(QStringLiteral("t3b"));
    QVERIFY(check({ R"(42["t3b"])" }, { R"(42["t3b"])" }, {}));

    sa->broadcast().emitEvent(QStringLiteral("t4"), { QStringLiteral("x") });
    QVERIFY(check({}, { R"(42["t4","x"])" }, { R"(42["t4","x"])" }));

    sa->to(QStringLiteral("r1")).emitEvent(QStringLiteral("t5"));
    QVERIFY(check({}, { R"(42["t5"])" }, {}));

    nsp->to(QStringLiteral("r1")).except(QStringLiteral("r2")).emitEvent(QStringLiteral("t6"));
    QVERIFY(check({ R"(42["t6"])" }, {}, {}));

    sa->except(QStringLiteral("r2")).emitEvent(QStringLiteral("t6b"));
    QVERIFY(check({}, {}, { R"(42["t6b"])" }));

    nsp->to(QStringLiteral("nobody")).emitEvent(QStringLiteral("t6c"));
    QVERIFY(check({}, {}, {}));

    m_server->emitEvent(QStringLiteral("t6d"));
    QVERIFY(check({ R"(42["t6d"])" }, { R"(42["t6d"])" }, { R"(42["t6d"])" }));

    // The echo server's to-room (sender included) and broadcast (sender excluded), from a client.
    a.send(R"(42["to-room","r1","t7",7])");
    QCOMPARE(b.nextText(), QByteArray(R"(42["t7",7])"));
    QVERIFY(check({ R"(42["t7",7])" }, {}, {}));

    a.send(R"(42["broadcast","t8","y"])");
    QCOMPARE(c.nextText(), QByteArray(R"(42["t8","y"])"));
    QVERIFY(check({}, { R"(42["t8","y"])" }, {}));

    // Volatile broadcasts still reach writable WebSocket clients.
    nsp->all().asVolatile().emitEvent(QStringLiteral("t9"));
    QVERIFY(check({ R"(42["t9"])" }, { R"(42["t9"])" }, { R"(42["t9"])" }));
}

void tst_SocketIoServer::fetchAndBulkOperations()
{
    Namespace *nsp = m_server->mainNamespace();
    RawClient a(m_port);
    RawClient b(m_port);
    RawClient c(m_port);
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    const QString sidC = connectSocket(c);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty() && !sidC.isEmpty());
    const auto ids = [](const QList<Socket *> &sockets) {
        QSet<QString> set;
        for (Socket *socket : sockets)
            set.insert(socket->id());
        return set;
    };

    QCOMPARE(ids(nsp->fetchSockets()), (QSet<QString>{ sidA, sidB, sidC }));
    QCOMPARE(ids(nsp->in(sidB).fetchSockets()), QSet<QString>{ sidB });

    nsp->socketsJoin({ QStringLiteral("x"), QStringLiteral("y") });
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 3);
    QCOMPARE(nsp->roomSize(QStringLiteral("y")), 3);
    QCOMPARE(ids(nsp->in(QStringLiteral("x")).fetchSockets()), (QSet<QString>{ sidA, sidB, sidC }));

    nsp->in(QStringLiteral("y")).except(sidA).socketsLeave({ QStringLiteral("y") });
    QCOMPARE(ids(nsp->in(QStringLiteral("y")).fetchSockets()), QSet<QString>{ sidA });
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 3);

    nsp->in(sidC).socketsJoin({ QStringLiteral("z") });
    QCOMPARE(ids(nsp->in(QStringLiteral("z")).fetchSockets()), QSet<QString>{ sidC });

    // disconnectSockets() on a room: those clients get a DISCONNECT, their connection stays.
    nsp->in(QStringLiteral("y")).disconnectSockets();
    QCOMPARE(a.nextText(), QByteArray("41"));
    QCOMPARE(ids(nsp->fetchSockets()), (QSet<QString>{ sidB, sidC }));
    QVERIFY(!a.isClosed());

    // disconnectSockets(Close): DISCONNECT, then the connection closes.
    nsp->disconnectSockets(DisconnectMode::Close);
    QCOMPARE(b.nextText(), QByteArray("41"));
    QCOMPARE(c.nextText(), QByteArray("41"));
    QVERIFY(b.waitForClosed(Timeout));
    QVERIFY(c.waitForClosed(Timeout));
    QCOMPARE(nsp->socketCount(), 0);
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 0);
    QVERIFY(!a.isClosed());
}

void tst_SocketIoServer::ackAnsweredLater()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QList<Ack> acks;
    socket->on(QStringLiteral("later"), &context, [&acks](const QVariantList &args, const Ack &ack) {
        QCOMPARE(args, QVariantList{ QStringLiteral("q") });
        QVERIFY(ack.isRequested());
        QVERIFY(!ack.isAnswered());
        acks.append(ack);
        QTimer::singleShot(20, [ack] {
            ack.send({ QStringLiteral("done") });
            ack.send({ QStringLiteral("twice") }); // ignored
        });
    });
    socket->on(QStringLiteral("noack"), &context, [&acks](const QVariantList &, const Ack &ack) {
        QVERIFY(!ack.isRequested());
        QCOMPARE(ack.id(), -1);
        ack.send({ QStringLiteral("nobody asked") }); // ignored
        acks.append(ack);
    });

    client.send(R"(4212["later","q"])");
    QCOMPARE(client.nextText(), QByteArray(R"(4312["done"])"));
    QCOMPARE(acks.size(), 1);
    QCOMPARE(acks.first().id(), 12);
    QVERIFY(acks.first().isAnswered());
    client.send(R"(42["noack"])");
    QVERIFY(roundTrip(client)); // nothing in between: no second ack, no unrequested ack
    QCOMPARE(acks.size(), 2);
}

void tst_SocketIoServer::serverEmitWithAck_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArrayList>("reply"); // after "43<id>" / "46N-<id>" (with nsp prefix)
    QTest::addColumn<QByteArray>("expectedArgs"); // JSON of the callback's args (binary as hex)
    QTest::newRow("text ack") << QByteArray("/") << QByteArrayList{ R"(t:3|["yes",{"n":1}])" }
                              << QByteArray(R"(["yes",{"n":1}])");
    QTest::newRow("text ack /custom")
        << QByteArray("/custom") << QByteArrayList{ R"(t:3|[])" } << QByteArray("[]");
    QTest::newRow("binary ack") << QByteArray("/")
                                << QByteArrayList{ R"(t:61-|[{"_placeholder":true,"num":0},"t"])", "b:0a0b" }
                                << QByteArray(R"(["bin:0a0b","t"])");
}

void tst_SocketIoServer::serverEmitWithAck()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArrayList, reply);
    QFETCH(QByteArray, expectedArgs);
    RawClient client(m_port);
    const QString sid = connectSocket(client, nsp);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid, QString::fromLatin1(nsp));
    QVERIFY(socket);

    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QVariantList got;
    socket->emitEvent(QStringLiteral("question"), { 42, QStringLiteral("x") }, &context,
                      [&](AckStatus s, const QVariantList &args) {
                          ++calls;
                          status = s;
                          got = args;
                      });
    const QByteArray prefix = nspPrefix(nsp);
    const QByteArray event = client.nextText();
    const QRegularExpression re(QStringLiteral("^42%1(\\d+)\\[\"question\",42,\"x\"\\]$")
                                    .arg(QRegularExpression::escape(QString::fromLatin1(prefix))));
    const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
    QVERIFY2(match.hasMatch(), event.constData());
    const QByteArray id = match.captured(1).toLatin1();

    for (const QByteArray &frame : reply) {
        if (frame.startsWith("b:")) {
            client.sendBinary(QByteArray::fromHex(frame.mid(2)));
            continue;
        }
        // "3|payload" -> "43<nsp,><id>payload"; "61-|payload" -> "461-<nsp,><id>payload"
        const QList<QByteArray> parts = frame.mid(2).split('|');
        client.send(QByteArray('4' + parts.at(0) + prefix + id + parts.at(1)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::Received);
    QVariantList normalized;
    for (const QVariant &arg : std::as_const(got)) {
        if (arg.typeId() == QMetaType::QByteArray)
            normalized.append(
                QString(QStringLiteral("bin:") + QString::fromLatin1(arg.toByteArray().toHex())));
        else
            normalized.append(arg);
    }
    QCOMPARE(toJson(normalized), parseJson(expectedArgs));
    QVERIFY(roundTrip(client, nsp));
    QCOMPARE(calls, 1);
}

void tst_SocketIoServer::serverEmitAckTimeout()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QList<AckStatus> statuses;
    EmitOptions options;
    options.ackTimeout = 100ms;
    socket->emitEvent(
        QStringLiteral("question"), {}, &context,
        [&](AckStatus s, const QVariantList &args) {
            statuses.append(s);
            QVERIFY(args.isEmpty());
        },
        options);
    const QByteArray event = client.nextText();
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral(R"(^42(\d+)\["question"\]$)")).match(QString::fromUtf8(event));
    QVERIFY2(match.hasMatch(), event.constData());
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, Timeout);
    QCOMPARE(statuses.first(), AckStatus::TimedOut);

    // A late answer is ignored: still exactly one call.
    client.send(QByteArray("43" + match.captured(1).toLatin1() + "[\"late\"]"));
    QVERIFY(roundTrip(client));
    QCOMPARE(statuses.size(), 1);
    // And leaving later does not report it again.
    socket->close(DisconnectMode::Namespace);
    QCOMPARE(client.nextText(), QByteArray("41"));
    QCOMPARE(statuses.size(), 1);
}

void tst_SocketIoServer::serverEmitAckDisconnected()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QList<AckStatus> statuses;
    socket->emitEvent(QStringLiteral("question"), {}, &context,
                      [&](AckStatus s, const QVariantList &) { statuses.append(s); });
    QVERIFY(client.nextText().startsWith("42"));
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, Timeout);
    QCOMPARE(statuses.first(), AckStatus::Disconnected);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    QCOMPARE(statuses.size(), 1);
}

void tst_SocketIoServer::broadcastWithAcks()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_port));
        QVERIFY(!connectSocket(*clients.back()).isEmpty());
    }
    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QList<QVariantList> replies;
    nsp->all().timeout(5s).emitEvent(QStringLiteral("poll"), { 1 }, &context,
                                     [&](AckStatus s, const QList<QVariantList> &r) {
                                         ++calls;
                                         status = s;
                                         replies = r;
                                     });
    const QRegularExpression re(QStringLiteral(R"(^42(\d+)\["poll",1\]$)"));
    for (int i = 0; i < 3; ++i) {
        const QByteArray event = clients[i]->nextText();
        const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
        QVERIFY2(match.hasMatch(), event.constData());
        clients[i]->send(
            QByteArray("43" + match.captured(1).toLatin1() + "[\"c" + QByteArray::number(i) + "\"]"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::Received);
    QStringList answers;
    for (const QVariantList &reply : std::as_const(replies)) {
        QCOMPARE(reply.size(), 1);
        answers.append(reply.first().toString());
    }
    answers.sort();
    QCOMPARE(answers, (QStringList{ QStringLiteral("c0"), QStringLiteral("c1"), QStringLiteral("c2") }));
    for (auto &client : clients)
        QVERIFY(roundTrip(*client));
    QCOMPARE(calls, 1);
}

void tst_SocketIoServer::broadcastWithAcksTimeout()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_port));
        QVERIFY(!connectSocket(*clients.back()).isEmpty());
    }
    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QList<QVariantList> replies;
    nsp->all().timeout(300ms).emitEvent(QStringLiteral("poll"), {}, &context,
                                        [&](AckStatus s, const QList<QVariantList> &r) {
                                            ++calls;
                                            status = s;
                                            replies = r;
                                        });
    const QRegularExpression re(QStringLiteral(R"(^42(\d+)\["poll"\]$)"));
    QByteArray silentId;
    for (int i = 0; i < 3; ++i) {
        const QByteArray event = clients[i]->nextText();
        const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
        QVERIFY2(match.hasMatch(), event.constData());
        if (i == 2) {
            silentId = match.captured(1).toLatin1(); // this one does not answer in time
            continue;
        }
        clients[i]->send(QByteArray("43" + match.captured(1).toLatin1() + "[" + QByteArray::number(i) + "]"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::TimedOut);
    QList<int> answers;
    for (const QVariantList &reply : std::as_const(replies))
        answers.append(reply.value(0).toInt());
    std::sort(answers.begin(), answers.end());
    QCOMPARE(answers, (QList<int>{ 0, 1 }));

    clients[2]->send(QByteArray("43" + silentId + "[2]")); // too late
    QVERIFY(roundTrip(*clients[2]));
    QCOMPARE(calls, 1);
}

void tst_SocketIoServer::binaryServerEmit_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<bool>("viaNamespace");
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<QByteArray>("expectedText");
    QTest::addColumn<QByteArrayList>("expectedBinaries");
    const QByteArray bin1 = QByteArray::fromHex("010203");
    const QByteArray bin2 = QByteArray::fromHex("ff00");
    QTest::newRow("one attachment") << QByteArray("/") << false << QVariantList{ bin1, QStringLiteral("t") }
                                    << QByteArray(R"(451-["bin",{"_placeholder":true,"num":0},"t"])")
                                    << QByteArrayList{ bin1 };
    QTest::newRow("nested in an object")
        << QByteArray("/") << false
        << QVariantList{ QVariantMap{ { QStringLiteral("file"), bin1 },
                                      { QStringLiteral("name"), QStringLiteral("f") } } }
        << QByteArray(R"(451-["bin",{"file":{"_placeholder":true,"num":0},"name":"f"}])")
        << QByteArrayList{ bin1 };
    QTest::newRow("two in a list") << QByteArray("/") << false << QVariantList{ QVariantList{ bin1, bin2 } }
                                   << QByteArray("452-[\"bin\",[" + Placeholders2 + "]]")
                                   << QByteArrayList{ bin1, bin2 };
    QTest::newRow("empty attachment")
        << QByteArray("/") << false << QVariantList{ QByteArray("") }
        << QByteArray(R"(451-["bin",{"_placeholder":true,"num":0}])") << QByteArrayList{ QByteArray() };
    QTest::newRow("/custom") << QByteArray("/custom") << false << QVariantList{ bin1 }
                             << QByteArray(R"(451-/custom,["bin",{"_placeholder":true,"num":0}])")
                             << QByteArrayList{ bin1 };
    QTest::newRow("namespace broadcast")
        << QByteArray("/") << true << QVariantList{ bin1, bin2 }
        << QByteArray("452-[\"bin\"," + Placeholders2 + ']') << QByteArrayList{ bin1, bin2 };
    QTest::newRow("namespace broadcast /custom")
        << QByteArray("/custom") << true << QVariantList{ bin2 }
        << QByteArray(R"(451-/custom,["bin",{"_placeholder":true,"num":0}])") << QByteArrayList{ bin2 };
}

void tst_SocketIoServer::binaryServerEmit()
{
    QFETCH(QByteArray, nsp);
    QFETCH(bool, viaNamespace);
    QFETCH(QVariantList, args);
    QFETCH(QByteArray, expectedText);
    QFETCH(QByteArrayList, expectedBinaries);
    RawClient client(m_port);
    const QString sid = connectSocket(client, nsp);
    QVERIFY(!sid.isEmpty());
    if (viaNamespace) {
        m_server->of(QString::fromLatin1(nsp))->emitEvent(QStringLiteral("bin"), args);
    } else {
        Socket *socket = serverSocket(sid, QString::fromLatin1(nsp));
        QVERIFY(socket);
        socket->emitEvent(QStringLiteral("bin"), args);
    }
    QCOMPARE(client.nextText(), expectedText);
    for (const QByteArray &binary : expectedBinaries)
        QCOMPARE(client.nextBinary(), binary);
    QVERIFY(roundTrip(client, nsp));
}

void tst_SocketIoServer::dynamicNamespaceByPattern()
{
    QSignalSpy created(m_server.get(), &Server::namespaceCreated);
    connect(m_server.get(), &Server::namespaceCreated, this, [](Namespace *nsp) { serveEcho(nsp); });
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/dyn-x,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/dyn-x,{"message":"Invalid namespace"})"));
    QCOMPARE(created.count(), 0);

    const QString sid = connectSocket(client, "/dyn-1"); // serveEcho ran on the new namespace
    QVERIFY(!sid.isEmpty());
    QCOMPARE(created.count(), 1);
    auto *nsp = created.at(0).at(0).value<Namespace *>();
    QVERIFY(nsp);
    QCOMPARE(nsp->name(), QStringLiteral("/dyn-1"));
    QCOMPARE(m_server->findNamespace(QStringLiteral("/dyn-1")), nsp);
    QVERIFY(nsp->socket(sid));
    client.send(R"(42/dyn-1,["message","d"])");
    QCOMPARE(client.nextText(), QByteArray(R"(42/dyn-1,["message-back","d"])"));

    // A second client joins the now existing namespace: no new namespace.
    RawClient other(m_port);
    QVERIFY(!connectSocket(other, "/dyn-1").isEmpty());
    QCOMPARE(created.count(), 1);
    QCOMPARE(nsp->socketCount(), 2);
}

void tst_SocketIoServer::dynamicNamespaceByFilter()
{
    QSignalSpy created(m_server.get(), &Server::namespaceCreated);
    connect(m_server.get(), &Server::namespaceCreated, this, [](Namespace *nsp) { serveEcho(nsp); });
    QStringList asked;
    m_server->addDynamicNamespace([&asked](const QString &name, const QJsonObject &auth) {
        asked.append(name);
        return name.startsWith(QLatin1String("/team-"))
            && auth.value(QLatin1String("key")) == QLatin1String("ok");
    });

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(R"(40/team-b,{"key":"no"})");
    QCOMPARE(client.nextText(), QByteArray(R"(44/team-b,{"message":"Invalid namespace"})"));
    QCOMPARE(created.count(), 0);
    QVERIFY(!m_server->findNamespace(QStringLiteral("/team-b")));

    QVERIFY(!connectSocket(client, "/team-a", R"({"key":"ok"})").isEmpty());
    QCOMPARE(created.count(), 1);
    QCOMPARE(created.at(0).at(0).value<Namespace *>()->name(), QStringLiteral("/team-a"));
    QCOMPARE(asked, (QStringList{ QStringLiteral("/team-b"), QStringLiteral("/team-a") }));

    // Existing namespaces are not asked about.
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    QCOMPARE(asked.size(), 2);
}

void tst_SocketIoServer::classBasedHandlers()
{
    GreeterHandler handler;
    Namespace *nsp = m_server->of(QStringLiteral("/class"));
    nsp->addHandler(&handler);

    RawClient client(m_port);
    const QString sid = connectSocket(client, "/class", {}, false);
    QVERIFY(!sid.isEmpty());
    QCOMPARE(handler.log, QStringList{ QStringLiteral("connect:") + sid });

    client.send(R"(42/class,1["hello","Bob"])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/class,1["Hello, Bob"])"));
    QVERIFY(handler.lastSocket);
    QCOMPARE(handler.lastSocket->id(), sid);

    client.send(R"(42/class,2["add",2,3])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/class,2[5])"));

    client.send(R"(42/class,["json",{"a":[1,2],"b":"c"}])");
    QTRY_COMPARE_WITH_TIMEOUT(handler.jsonCalls, 1, Timeout);
    QCOMPARE(QJsonValue(handler.lastJson), parseJson(R"({"a":[1,2],"b":"c"})"));

    // Type mismatches: an error object as the ack, the server keeps running.
    const auto verifyErrorAck = [&client](const QByteArray &prefix) {
        const QByteArray reply = client.nextText();
        if (!reply.startsWith(prefix)) {
            qWarning() << "expected an ack starting with" << prefix << "got" << reply;
            return false;
        }
        const QJsonArray args = parseJson(reply.mid(prefix.size())).toArray();
        if (args.size() != 1 || !args.at(0).isObject()
            || args.at(0).toObject().value(QLatin1String("error")).toString().isEmpty()) {
            qWarning() << "expected [{\"error\":\"...\"}], got" << reply;
            return false;
        }
        return true;
    };
    client.send(R"(42/class,3["add","x",{}])");
    QVERIFY(verifyErrorAck("43/class,3"));
    client.send(R"(42/class,4["hello",42])");
    QVERIFY(verifyErrorAck("43/class,4"));
    client.send(R"(42/class,5["add",1])"); // missing argument
    QVERIFY(verifyErrorAck("43/class,5"));
    client.send(R"(42/class,["add","x"])"); // no ack requested: nothing is sent
    client.send(R"(42/class,6["add",1,1])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/class,6[2])"));
    client.send(R"(42/class,7["unknown",1])"); // no slot: ignored
    client.send(R"(42/class,8["hello","Ann"])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/class,8["Hello, Ann"])"));

    client.send("41/class,");
    QTRY_COMPARE_WITH_TIMEOUT(handler.log.size(), 2, Timeout);
    QCOMPARE(handler.log.at(1),
             QStringLiteral("disconnect:") + sid + QStringLiteral(":client namespace disconnect"));
}

void tst_SocketIoServer::classHandlerTypes_data()
{
    QTest::addColumn<QByteArray>("event"); // the EVENT payload
    QTest::addColumn<QByteArray>("expected"); // the ACK payload, or "error": [{"error":"..."}]
    QTest::newRow("int") << QByteArray(R"(["add",2,3])") << QByteArray("[5]");
    QTest::newRow("double") << QByteArray(R"(["half",3])") << QByteArray("[1.5]");
    QTest::newRow("bool") << QByteArray(R"(["not",true])") << QByteArray("[false]");
    QTest::newRow("QJsonArray") << QByteArray(R"(["count",[1,2,3]])") << QByteArray("[3]");
    QTest::newRow("QJsonObject") << QByteArray(R"(["keys",{"b":1,"a":2}])") << QByteArray(R"(["a,b"])");
    QTest::newRow("QVariant") << QByteArray(R"(["echo",{"x":[1,"y"]}])") << QByteArray(R"([{"x":[1,"y"]}])");
    QTest::newRow("QJsonObject return") << QByteArray(R"(["wrap","z"])") << QByteArray(R"([{"value":"z"}])");
    QTest::newRow("extra arguments are ignored") << QByteArray(R"(["add",1,2,3])") << QByteArray("[3]");
    // Mismatches: an error to the client, never a silent conversion.
    QTest::newRow("string for int") << QByteArray(R"(["add","2",3])") << QByteArray("error");
    QTest::newRow("fraction for int") << QByteArray(R"(["add",2.5,1])") << QByteArray("error");
    QTest::newRow("null for int") << QByteArray(R"(["add",null,1])") << QByteArray("error");
    QTest::newRow("string for bool") << QByteArray(R"(["not","yes"])") << QByteArray("error");
    QTest::newRow("string for double") << QByteArray(R"(["half","x"])") << QByteArray("error");
    QTest::newRow("object for QJsonArray") << QByteArray(R"(["count",{}])") << QByteArray("error");
    QTest::newRow("array for QJsonObject") << QByteArray(R"(["keys",[1]])") << QByteArray("error");
    QTest::newRow("string for QByteArray") << QByteArray(R"(["bytes","text"])") << QByteArray("error");
}

void tst_SocketIoServer::classHandlerTypes()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, expected);
    TypesHandler handler;
    m_server->of(QStringLiteral("/types"))->addHandler(&handler);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, "/types", {}, false).isEmpty());

    client.send(QByteArray("42/types,1" + event));
    const QByteArray reply = client.nextText();
    QVERIFY2(reply.startsWith("43/types,1["), reply.constData());
    const QJsonValue args = parseJson(reply.mid(int(qstrlen("43/types,1"))));
    if (expected == "error") {
        QVERIFY2(args.toArray().size() == 1
                     && !args.toArray().at(0).toObject().value(QLatin1String("error")).toString().isEmpty(),
                 reply.constData());
    } else {
        QCOMPARE(args, parseJson(expected));
    }
    // The server keeps running.
    client.send(R"(42/types,2["add",1,1])");
    QCOMPARE(client.nextText(), QByteArray("43/types,2[2]"));
}

void tst_SocketIoServer::classHandlerBinary()
{
    TypesHandler handler;
    m_server->of(QStringLiteral("/types"))->addHandler(&handler);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, "/types", {}, false).isEmpty());
    client.send(R"(451-/types,9["bytes",{"_placeholder":true,"num":0}])");
    client.sendBinary(QByteArray::fromHex("0102"));
    QCOMPARE(client.nextText(), QByteArray(R"(461-/types,9[{"_placeholder":true,"num":0}])"));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("0201"));
}

void tst_SocketIoServer::socketMiddlewareAndCatchAll()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QStringList log;
    QStringList any;
    QStringList outgoing;
    socket->use([&log](const QString &event, QVariantList &args) {
        log.append(QStringLiteral("middleware:") + event);
        if (event == QLatin1String("blocked"))
            return false;
        if (event == QLatin1String("message") && args.value(0) == QStringLiteral("x"))
            args.append(QStringLiteral("added"));
        return true;
    });
    socket->onAny(&context, [&any](const QString &event, const QVariantList &args) {
        any.append(event + QLatin1Char('/') + QString::number(args.size()));
    });
    socket->onAnyOutgoing(&context, [&outgoing](const QString &event, const QVariantList &args) {
        outgoing.append(event + QLatin1Char('/') + QString::number(args.size()));
    });
    socket->on(QStringLiteral("message"), &context, [&log](const QVariantList &args, const Ack &) {
        log.append(QStringLiteral("on:message/") + QString::number(args.size()));
    });
    socket->on(QStringLiteral("blocked"), &context,
               [&log](const QVariantList &, const Ack &) { log.append(QStringLiteral("on:blocked")); });

    client.send(R"(42["blocked",1])");
    client.send(R"(42["message","x"])");
    // The echo server's eventReceived handler sees the middleware's change too.
    QCOMPARE(client.nextText(), QByteArray(R"(42["message-back","x","added"])"));
    QCOMPARE(log,
             (QStringList{ QStringLiteral("middleware:blocked"), QStringLiteral("middleware:message"),
                           QStringLiteral("on:message/2") }));
    QVERIFY2(any.contains(QStringLiteral("message/2")), qPrintable(any.join(QLatin1Char(' '))));
    QCOMPARE(outgoing, QStringList{ QStringLiteral("message-back/2") });

    // Reserved event names are never emitted.
    socket->emitEvent(QStringLiteral("disconnect"));
    socket->emitEvent(QStringLiteral("connect"), { 1 });
    QVERIFY(roundTrip(client));
}

void tst_SocketIoServer::disconnectCloseWithTwoNamespaces()
{
    RawClient client(m_port);
    const QString mainSid = connectSocket(client);
    const QString customSid = connectSocket(client, "/custom");
    QVERIFY(!mainSid.isEmpty() && !customSid.isEmpty());
    Socket *mainSocket = serverSocket(mainSid);
    Socket *customSocket = serverSocket(customSid, QStringLiteral("/custom"));
    QVERIFY(mainSocket && customSocket);
    QSignalSpy mainDisconnected(mainSocket, &Socket::disconnected);
    QSignalSpy customDisconnected(customSocket, &Socket::disconnected);

    // socket.disconnect(true): every socket of the connection leaves, then it closes.
    mainSocket->close(DisconnectMode::Close);
    QByteArrayList got{ client.nextText(), client.nextText() };
    std::sort(got.begin(), got.end());
    QCOMPARE(got, (QByteArrayList{ "41", "41/custom," }));
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(mainDisconnected.count(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(customDisconnected.count(), 1, Timeout);
    QCOMPARE(mainDisconnected.at(0).at(0).value<DisconnectReason>(),
             DisconnectReason::ServerNamespaceDisconnect);
    QCOMPARE(customDisconnected.at(0).at(0).value<DisconnectReason>(),
             DisconnectReason::ServerNamespaceDisconnect);
}

void tst_SocketIoServer::ackAndJoinFromOtherThread()
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

void tst_SocketIoServer::emitFromOtherThreads()
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

void tst_SocketIoServer::polling()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntil([](const QByteArray &packet) { return packet.startsWith("40"); }));
    const QByteArray reply = client.packets().first();
    const QJsonObject object = parseJson(reply.mid(2)).toObject();
    QCOMPARE(object.keys(), QStringList{ QStringLiteral("sid") });
    const QString sid = object.value(QLatin1String("sid")).toString();
    QVERIFY(sid.toLatin1() != client.sid());
    QVERIFY(client.pollUntilPacket(R"(42["auth",{}])"));
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QCOMPARE(socket->transport(), Transport::Polling);

    QCOMPARE(client.post(R"(421["message-with-ack","p"])"), 200);
    QVERIFY(client.pollUntilPacket(R"(431["p"])"));
    QCOMPARE(client.post(R"(42["message","q"])"), 200);
    QVERIFY(client.pollUntilPacket(R"(42["message-back","q"])"));

    // Server -> client with an ack.
    int calls = 0;
    QVariantList got;
    socket->emitEvent(QStringLiteral("ask"), { 1 }, &context,
                      [&](AckStatus status, const QVariantList &args) {
                          ++calls;
                          QCOMPARE(status, AckStatus::Received);
                          got = args;
                      });
    QByteArray id;
    QVERIFY(client.pollUntil([&id](const QByteArray &packet) {
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral(R"(^42(\d+)\["ask",1\]$)")).match(QString::fromUtf8(packet));
        if (match.hasMatch())
            id = match.captured(1).toLatin1();
        return match.hasMatch();
    }));
    QCOMPARE(client.post(QByteArray("43" + id + "[\"ok\"]")), 200);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(got, QVariantList{ QStringLiteral("ok") });

    // Binary travels as "b" + base64 in polling.
    socket->emitEvent(QStringLiteral("bin"), { QByteArray::fromHex("01020304") });
    QVERIFY(client.pollUntilPacket(R"(451-["bin",{"_placeholder":true,"num":0}])"));
    QVERIFY(client.pollUntilPacket("bAQIDBA=="));
}

void tst_SocketIoServer::pollingVolatile()
{
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntilPacket(R"(42["auth",{}])"));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
    Socket *socket = m_server->mainNamespace()->sockets().first();

    // No GET is waiting: the transport is not writable, volatile packets are dropped.
    EmitOptions isVolatile;
    isVolatile.isVolatile = true;
    socket->emitEvent(QStringLiteral("dropped"), { 1 }, isVolatile);
    m_server->mainNamespace()->all().asVolatile().emitEvent(QStringLiteral("dropped"), { 2 });
    socket->emitEvent(QStringLiteral("kept"));
    QVERIFY(client.pollUntilPacket(R"(42["kept"])"));
    for (const QByteArray &packet : client.packets())
        QVERIFY2(!packet.contains("dropped"), packet.constData());
}

void tst_SocketIoServer::upgradeFromPolling()
{
    // What socket.io-client does by default: CONNECT over polling, then upgrade to WebSocket.
    PollingClient polling(m_port);
    QVERIFY(polling.handshake());
    QCOMPARE(polling.post("40"), 200);
    QVERIFY(polling.pollUntilPacket(R"(42["auth",{}])"));
    Socket *socket = m_server->mainNamespace()->sockets().value(0);
    QVERIFY(socket);
    QCOMPARE(socket->transport(), Transport::Polling);

    RawClient ws(m_port, QByteArray("EIO=4&transport=websocket&sid=" + polling.sid()));
    QVERIFY(ws.waitForConnected(Timeout));
    ws.send("2probe");
    QCOMPARE(ws.nextText(), QByteArray("3probe"));
    ws.send("5");
    QVERIFY(roundTrip(ws));
    QCOMPARE(socket->transport(), Transport::WebSocket);
    socket->emitEvent(QStringLiteral("over-ws"), { QByteArray::fromHex("0102") });
    QCOMPARE(ws.nextText(), QByteArray(R"(451-["over-ws",{"_placeholder":true,"num":0}])"));
    QCOMPARE(ws.nextBinary(), QByteArray::fromHex("0102"));
}

void tst_SocketIoServer::ackCallbackRunsInContextThread()
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

void tst_SocketIoServer::connectTimeoutWhileMiddlewarePending()
{
    // socket.io counts a namespace as joined only once its middleware let the socket in: a
    // middleware that never answers does not keep the connection open past connectTimeout.
    Namespace *nsp = m_server->mainNamespace();
    std::optional<Next> pending;
    nsp->use([&pending](Socket *, const Next &next) { pending = next; });
    QSignalSpy connected(nsp, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    (*pending)(); // too late: nothing happens
    QCOMPARE(connected.count(), 0);
    QCOMPARE(nsp->socketCount(), 0);
}

void tst_SocketIoServer::setOptionsWhileRunning()
{
    // New sessions get the new options; the one already open keeps its own.
    RawClient before(m_port);
    QVERIFY(before.waitForOpen(Timeout));
    QCOMPARE(before.openPacket().value(QLatin1String("pingInterval")).toInt(), 300);

    ServerOptions options = m_server->options();
    options.engine.pingInterval = 1234ms;
    options.engine.pingTimeout = 4321ms;
    options.engine.path = QStringLiteral("/other/");
    options.engine.cors.origins = { QStringLiteral("https://example.org") };
    m_server->setOptions(options);
    QCOMPARE(m_server->options().engine.pingInterval, 1234ms);
    QCOMPARE(m_server->engine()->options().pingTimeout, 4321ms);
    QCOMPARE(m_server->engine()->options().cors.origins, options.engine.cors.origins);
    QVERIFY(m_server->isListening());

    RawClient after(m_port, QByteArrayLiteral("EIO=4&transport=websocket"), QByteArrayLiteral("/other/"));
    QVERIFY(after.waitForOpen(Timeout));
    QCOMPARE(after.openPacket().value(QLatin1String("pingInterval")).toInt(), 1234);
    QCOMPARE(after.openPacket().value(QLatin1String("pingTimeout")).toInt(), 4321);
    // The old path is gone for new clients; the open session still works.
    RawClient oldPath(m_port);
    QVERIFY(oldPath.waitForClosed(Timeout));
    QVERIFY(!connectSocket(before).isEmpty());
    QVERIFY(roundTrip(before));
}

void tst_SocketIoServer::listeningChanged()
{
    QSignalSpy spy(m_server.get(), &Server::listeningChanged);
    m_server->close();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toBool(), false);
    m_server->close(); // no change, no signal
    QCOMPARE(spy.count(), 0);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toBool(), true);

    // A port in use: no change.
    Server other;
    QSignalSpy otherSpy(&other, &Server::listeningChanged);
    QVERIFY(!other.listen(QHostAddress::LocalHost, m_server->serverPort()));
    QCOMPARE(otherSpy.count(), 0);
    // A QTcpServer of the application's own (bind()) is not the server's listening state.
    QTcpServer tcp;
    QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
    QVERIFY(other.bind(&tcp));
    QVERIFY(!other.isListening());
    QCOMPARE(otherSpy.count(), 0);
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    other.close();
    QCOMPARE(otherSpy.count(), 2);
    QCOMPARE(otherSpy.at(1).at(0).toBool(), false);
}

void tst_SocketIoServer::incomingConnectCarriesSocketId()
{
    // Nothing in the server tells the id before the CONNECT is handled: the incoming event is
    // reported with the id of the socket it created, before the server's answer.
    Namespace *custom = m_server->of(QStringLiteral("/custom"));
    QList<TrafficEvent> events;
    connect(m_server.get(), &Server::trafficObserved, this,
            [&events](const TrafficEvent &event) { events.append(event); });
    RawClient client(m_port);
    const QString id = connectSocket(client, "/custom");
    QVERIFY(!id.isEmpty());
    QCOMPARE(custom->socketCount(), 1);
    // A namespace that does not exist: the CONNECT is reported without an id.
    client.send("40/nowhere,");
    QVERIFY(client.nextText().startsWith("44/nowhere,"));

    auto indexOf = [&events](SocketIoPacketType type, TrafficEvent::Direction direction, const QString &nsp) {
        for (int i = 0; i < events.size(); ++i) {
            if (events.at(i).socketIoType == type && events.at(i).direction == direction
                && events.at(i).nsp == nsp)
                return i;
        }
        return -1;
    };
    const int in =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/custom"));
    const int out =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Outgoing, QStringLiteral("/custom"));
    QVERIFY(in >= 0 && out >= 0);
    QCOMPARE(events.at(in).socketId, id);
    QCOMPARE(events.at(out).socketId, id);
    QVERIFY(in < out); // still in wire order
    QCOMPARE(events.at(in).sessionId, events.at(out).sessionId);
    const int refused =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/nowhere"));
    const int error = indexOf(SocketIoPacketType::ConnectError, TrafficEvent::Direction::Outgoing,
                              QStringLiteral("/nowhere"));
    QVERIFY(refused >= 0 && error >= 0);
    QVERIFY(refused < error);
    QVERIFY(events.at(refused).socketId.isEmpty());

    // With a middleware that answers later, the CONNECT is still reported at once with its id.
    std::optional<Next> pending;
    QString pendingId;
    m_server->mainNamespace()->use([&](Socket *socket, const Next &next) {
        pendingId = socket->id();
        pending = next;
    });
    events.clear();
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    const int held =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/"));
    QVERIFY(held >= 0);
    QCOMPARE(events.at(held).socketId, pendingId);
    (*pending)();
    QVERIFY(client.nextText().startsWith(QByteArray("40{\"sid\":\"" + pendingId.toLatin1())));
}

void tst_SocketIoServer::ipv4MappedAddressAsIpv4()
{
    // A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; the handshake says a.b.c.d.
    Server server;
    QVERIFY(server.listen(QHostAddress::Any, 0));
    QSignalSpy connected(server.mainNamespace(), &Namespace::socketConnected);
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, Timeout);
    const auto *socket = connected.first().at(0).value<Socket *>();
    const QHostAddress peer = socket->handshake().request.remoteAddress;
    bool isV4 = false;
    peer.toIPv4Address(&isV4);
    QVERIFY(isV4);
    QCOMPARE(peer.protocol(), QAbstractSocket::IPv6Protocol); // the mapped form underneath
    QCOMPARE(socket->handshake().address, QStringLiteral("127.0.0.1"));
    QCOMPARE(server.snapshot().first().sockets.first().remoteAddress, QStringLiteral("127.0.0.1"));
}

// ---- Engine.IO v3 clients (allowEIO3) -------------------------------------------------------

namespace {

// An echo server that also takes Engine.IO v3 clients, with heartbeats far away (a v3 client
// must ping; the raw client does not).
std::unique_ptr<Server> startEio3Server(std::chrono::milliseconds connectTimeout = 60000ms)
{
    ServerOptions options;
    options.engine.allowEIO3 = true;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    options.connectTimeout = connectTimeout;
    auto server = std::make_unique<Server>(options);
    serveEcho(server->mainNamespace());
    serveEcho(server->of(QStringLiteral("/custom")));
    if (!server->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    return server;
}

const QByteArray Eio3Query = QByteArrayLiteral("EIO=3&transport=websocket");

} // namespace

void tst_SocketIoServer::eio3Connect_data()
{
    QTest::addColumn<QByteArray>("connect"); // what the client sends; empty: nothing (main namespace)
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArray>("auth"); // JSON of the `auth` event

    QTest::newRow("main namespace, implicit") << QByteArray() << QByteArray("/") << QByteArray("{}");
    QTest::newRow("custom, no query")
        << QByteArray("40/custom,") << QByteArray("/custom") << QByteArray("{}");
    QTest::newRow("custom, query as auth") << QByteArray("40/custom?token=abc&n=1,") << QByteArray("/custom")
                                           << QByteArray(R"({"n":"1","token":"abc"})");
    QTest::newRow("custom, repeated key and encoded values")
        << QByteArray("40/custom?a=1&a=2&b=x%20y+z&flag,") << QByteArray("/custom")
        << QByteArray(R"({"a":["1","2"],"b":"x y z","flag":""})");
    QTest::newRow("custom, no comma after the query")
        << QByteArray("40/custom?token=abc") << QByteArray("/custom") << QByteArray(R"({"token":"abc"})");
}

void tst_SocketIoServer::eio3Connect()
{
    // socket.io 4 with a v3 client: the main namespace is joined without a CONNECT and answered
    // with a bare "40"; a namespace CONNECT carries a query, which is the handshake auth; the
    // socket ids are the ones socket.io-client 2.x derives from the engine id.
    QFETCH(QByteArray, connect);
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArray, auth);
    const auto server = startEio3Server();
    QVERIFY(server);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40")); // main, no payload
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    if (!connect.isEmpty()) {
        client.send(connect);
        QCOMPARE(client.nextText(), QByteArray("40" + nspPrefix(nsp))); // no {"sid":...} for v3
        QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + "[\"auth\"," + auth + ']'));
    }
    Namespace *n = server->findNamespace(QString::fromUtf8(nsp));
    QVERIFY(n);
    QCOMPARE(n->socketCount(), 1);
    const QString expectedId =
        nsp == "/" ? client.engineSid() : QString::fromUtf8(nsp) + QLatin1Char('#') + client.engineSid();
    Socket *socket = n->socket(expectedId);
    QVERIFY2(socket, qPrintable(n->sockets().first()->id()));
    QCOMPARE(socket->handshake().auth, QJsonDocument::fromJson(auth).object());
    QCOMPARE(socket->engineSessionId(), client.engineSid());

    // Later packets name the namespace without the query.
    client.send("42" + nspPrefix(nsp) + R"(["message","x"])");
    QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + R"(["message-back","x"])"));
    // A room named after the id reaches the socket, as 2.x apps expect of socket.id.
    client.send("42" + nspPrefix(nsp) + R"(["to-room",")" + expectedId.toUtf8() + R"(","me"])");
    QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + R"(["me"])"));
}

void tst_SocketIoServer::eio3InvalidNamespace()
{
    // socket.io 4 sends v3 clients the same object as v4 clients (2.x emits it as `error`).
    const auto server = startEio3Server();
    QVERIFY(server);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    client.send("40/random?token=1,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/random,{"message":"Invalid namespace"})"));
    QVERIFY(!server->findNamespace(QStringLiteral("/random?token=1")));
    QVERIFY(roundTrip(client)); // the connection stays
}

void tst_SocketIoServer::eio3MiddlewareRejects_data()
{
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<QByteArray>("payload");
    // socket.io 4 sends a v3 client `err.data || err.message`.
    QTest::newRow("no data") << QJsonValue(QJsonValue::Undefined) << QByteArray(R"("not allowed")");
    QTest::newRow("null data") << QJsonValue(QJsonValue::Null) << QByteArray(R"("not allowed")");
    QTest::newRow("false data") << QJsonValue(false) << QByteArray(R"("not allowed")");
    QTest::newRow("zero data") << QJsonValue(0) << QByteArray(R"("not allowed")");
    QTest::newRow("empty string data") << QJsonValue(QString()) << QByteArray(R"("not allowed")");
    QTest::newRow("string data") << QJsonValue(QStringLiteral("why")) << QByteArray(R"("why")");
    QTest::newRow("object data") << QJsonValue(QJsonObject{ { QStringLiteral("code"), 42 } })
                                 << QByteArray(R"({"code":42})");
    QTest::newRow("true data") << QJsonValue(true) << QByteArray("true");
}

void tst_SocketIoServer::eio3MiddlewareRejects()
{
    QFETCH(QJsonValue, data);
    QFETCH(QByteArray, payload);
    const auto server = startEio3Server();
    QVERIFY(server);
    server->of(QStringLiteral("/custom"))->use([data](Socket *, const Next &next) {
        next.reject(QStringLiteral("not allowed"), data);
    });
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    client.send("40/custom?x=1,");
    QCOMPARE(client.nextText(), QByteArray("44/custom," + payload));
    QCOMPARE(server->findNamespace(QStringLiteral("/custom"))->socketCount(), 0);
    QVERIFY(roundTrip(client));
}

void tst_SocketIoServer::eio3ConnectTimeout()
{
    // The connect timeout applies to v3 clients too: refused by the main namespace's middleware,
    // a connection that joins nothing else is closed.
    const auto server = startEio3Server(300ms);
    QVERIFY(server);
    server->use([](Socket *, const Next &next) { next.reject(QStringLiteral("go away")); });
    QSignalSpy closed(server->engine(), &EngineServer::sessionClosed);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray(R"(44"go away")"));
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    QCOMPARE(closed.at(0).at(0).toString(), client.engineSid());
}

// ---- Options, limits, misbehaving handlers ----------------------------------------------------

void tst_SocketIoServer::optionsDefaults()
{
    // socket.io 4.8 / engine.io 6 defaults, in the value type and on the wire.
    const ServerOptions options;
    QCOMPARE(options.engine.path, QStringLiteral("/socket.io/"));
    QCOMPARE(options.engine.pingInterval, 25000ms);
    QCOMPARE(options.engine.pingTimeout, 20000ms);
    QCOMPARE(options.engine.upgradeTimeout, 10000ms);
    QCOMPARE(options.engine.maxHttpBufferSize, qint64(1000000));
    QCOMPARE(options.engine.transports, Transport::Polling | Transport::WebSocket);
    QVERIFY(options.engine.allowUpgrades);
    QVERIFY(!options.engine.allowEIO3);
    QVERIFY(!options.engine.cors.isEnabled());
    QVERIFY(!options.engine.cookie.has_value());
    QVERIFY(options.engine.httpCompression);
    QCOMPARE(options.engine.httpCompressionThreshold, qint64(1024));
    QCOMPARE(options.connectTimeout, 45000ms);
    QCOMPARE(options.maxAttachments, 10);
    QCOMPARE(EngineOptions().path, QStringLiteral("/engine.io/"));

    Server server;
    QCOMPARE(server.options().engine.path, QStringLiteral("/socket.io/"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.openPacket().value(QLatin1String("pingInterval")), QJsonValue(25000));
    QCOMPARE(client.openPacket().value(QLatin1String("pingTimeout")), QJsonValue(20000));
    QCOMPARE(client.openPacket().value(QLatin1String("maxPayload")), QJsonValue(1000000));
    // EIO=3 is refused by default.
    RawClient v3(server.serverPort(), "EIO=3&transport=websocket");
    QVERIFY(v3.waitForClosed(Timeout));
    QVERIFY(v3.openPacket().isEmpty());
}

void tst_SocketIoServer::limitsEnforcedAndReported_data()
{
    QTest::addColumn<QByteArrayList>("frames"); // "t:<text>" or "b:<size>" (that many bytes)
    QTest::addColumn<DisconnectReason>("reason");
    QTest::addColumn<QString>("log"); // a regular expression for the log line
    const auto ph = [](int n) {
        return QByteArray(R"({"_placeholder":true,"num":)" + QByteArray::number(n) + '}');
    };
    QTest::newRow("more attachments than maxAttachments (2)")
        << QByteArrayList{ R"(t:453-["message",)" + ph(0) + ',' + ph(1) + ',' + ph(2) + ']' }
        << DisconnectReason::ParseError << QStringLiteral("sent a malformed packet: too many attachments");
    QTest::newRow("attachments over maxHttpBufferSize (200) in sum")
        << QByteArrayList{ R"(t:452-["message",)" + ph(0) + ',' + ph(1) + ']', "b:120", "b:120" }
        << DisconnectReason::ParseError << QStringLiteral("sent a malformed packet: attachments too large");
    QTest::newRow("one message over maxHttpBufferSize (200)")
        << QByteArrayList{ R"(t:42["message",")" + QByteArray(250, 'x') + "\"]" }
        << DisconnectReason::TransportError
        << QStringLiteral("transport error: message larger than maxHttpBufferSize \\(200 bytes\\)");
}

void tst_SocketIoServer::limitsEnforcedAndReported()
{
    // A limit closes the offending connection only, with a reason and a log line.
    QFETCH(QByteArrayList, frames);
    QFETCH(DisconnectReason, reason);
    QFETCH(QString, log);
    ServerOptions options;
    options.engine.maxHttpBufferSize = 200;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    options.maxAttachments = 2;
    Server server(options);
    serveEcho(server.mainNamespace());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient offender(server.serverPort());
    RawClient bystander(server.serverPort());
    QVERIFY(!connectSocket(bystander).isEmpty());
    const QString id = connectSocket(offender);
    QVERIFY(!id.isEmpty());
    QSignalSpy disconnected(server.mainNamespace()->socket(id), &Socket::disconnected);

    QTest::ignoreMessage(
        QtInfoMsg,
        QRegularExpression(QRegularExpression::escape(offender.engineSid()) + QLatin1String(".*") + log));
    for (const QByteArray &frame : std::as_const(frames)) {
        if (frame.startsWith("b:"))
            offender.sendBinary(QByteArray(frame.mid(2).toInt(), '\x01'));
        else
            offender.send(frame.mid(2));
    }
    QVERIFY(offender.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), reason);
    QVERIFY(roundTrip(bystander));
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
}

void tst_SocketIoServer::misbehavingHandlers_data()
{
    QTest::addColumn<QString>("behaviour");
    QTest::newRow("disconnects itself in the handler, then acks, emits, joins")
        << QStringLiteral("disconnect");
    QTest::newRow("closes the connection in the handler, then acks and emits") << QStringLiteral("close");
    QTest::newRow("disconnects again and emits while disconnecting") << QStringLiteral("reenter");
    QTest::newRow("keeps the ack and the socket pointer, answers after it is gone") << QStringLiteral("late");
    QTest::newRow("disconnects every socket of the namespace from a handler") << QStringLiteral("all");
}

void tst_SocketIoServer::misbehavingHandlers()
{
    // What a careless handler does to its own socket must not take the server down: the other
    // clients keep being served.
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QString, behaviour);
    Namespace *nsp = m_server->of(QStringLiteral("/rough"));
    std::optional<Ack> keptAck;
    QPointer<Socket> keptSocket;
    connect(nsp, &Namespace::socketConnected, &context, [&, nsp](Socket *socket) {
        connect(socket, &Socket::disconnecting, socket, [socket, behaviour] {
            if (behaviour == QLatin1String("reenter")) {
                socket->close(DisconnectMode::Close);
                socket->emitEvent(QStringLiteral("while-disconnecting"));
                socket->join(QStringLiteral("late-room"));
            }
        });
        socket->on(QStringLiteral("bad"), socket, [&, socket, nsp](const QVariantList &, const Ack &ack) {
            if (behaviour == QLatin1String("disconnect") || behaviour == QLatin1String("reenter")) {
                socket->close(DisconnectMode::Namespace);
                ack.send({ 1 });
                socket->emitEvent(QStringLiteral("after"));
                socket->join(QStringLiteral("after-room"));
                socket->leave(QStringLiteral("after-room"));
            } else if (behaviour == QLatin1String("close")) {
                socket->close(DisconnectMode::Close);
                ack.send({ 1 });
                socket->emitEvent(QStringLiteral("after"));
                socket->close(DisconnectMode::Close);
            } else if (behaviour == QLatin1String("late")) {
                keptAck = ack;
                keptSocket = socket;
            } else if (behaviour == QLatin1String("all")) {
                nsp->disconnectSockets(DisconnectMode::Close);
                ack.send({ 1 });
            }
        });
    });
    RawClient bystander(m_port);
    QVERIFY(!connectSocket(bystander).isEmpty());
    RawClient offender(m_port);
    QVERIFY(!connectSocket(offender, "/rough", {}, false).isEmpty());
    QSignalSpy gone(nsp, &Namespace::socketDisconnected);
    offender.send(R"(42/rough,1["bad"])");
    if (behaviour == QLatin1String("late")) {
        offender.close();
        QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(keptSocket.isNull(), Timeout); // deleted after disconnected()
        QVERIFY(keptAck.has_value());
        keptAck->send({ QStringLiteral("too late") }); // its socket is gone: ignored
        QVERIFY(!keptAck->isAnswered());
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, Timeout);
        // What the offender got after its "bad" event: the DISCONNECT, and nothing its handler
        // emitted afterwards. When the connection survives, a CONNECT to the main namespace
        // marks the end (the server writes in order).
        const bool survives = behaviour == QLatin1String("disconnect");
        if (survives)
            offender.send("40");
        QByteArrayList seen;
        for (;;) {
            const QByteArray frame = offender.nextText();
            if (frame == "<closed>" || frame == "<timeout>" || frame.startsWith("40{"))
                break;
            seen.append(frame);
        }
        QCOMPARE(seen.value(0), QByteArray("41/rough,"));
        QVERIFY2(!seen.join(' ').contains("after") && !seen.join(' ').contains("while-disconnecting"),
                 seen.join(' ').constData());
        QCOMPARE(offender.isClosed(), !survives);
    }
    QCOMPARE(nsp->socketCount(), 0);
    QVERIFY(roundTrip(bystander));
    QVERIFY(!bystander.isClosed());
}

void tst_SocketIoServer::bindApplicationServer()
{
    // Server::bind(): the application's own QTcpServer carries Socket.IO.
    QTcpServer tcp;
    QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
    Server server;
    serveEcho(server.mainNamespace());
    QVERIFY(server.bind(&tcp));
    RawClient client(tcp.serverPort());
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(roundTrip(client));
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
}

void tst_SocketIoServer::snapshotAndTraffic()
{
    // For the inspector: values describing namespaces, sockets and rooms, and every packet with
    // its Socket.IO fields (namespace, socket, event, ack id, payload).
    QList<TrafficEvent> events;
    connect(m_server.get(), &Server::trafficObserved, this,
            [&events](const TrafficEvent &event) { events.append(event); });
    RawClient client(m_port, "EIO=4&transport=websocket&x=1");
    const QString mainId = connectSocket(client);
    const QString customId = connectSocket(client, "/custom", R"({"token":"abc"})");
    QVERIFY(!mainId.isEmpty() && !customId.isEmpty());
    Socket *custom = serverSocket(customId, QStringLiteral("/custom"));
    custom->join(QStringLiteral("room1"));
    custom->setData({ { QStringLiteral("k"), 1 } });

    const QList<NamespaceSnapshot> all = m_server->snapshot();
    const auto findNsp = [&all](const QString &name) {
        return std::find_if(all.cbegin(), all.cend(),
                            [&name](const NamespaceSnapshot &n) { return n.name == name; });
    };
    QVERIFY(findNsp(QStringLiteral("/")) != all.cend());
    const auto nsp = findNsp(QStringLiteral("/custom"));
    QVERIFY(nsp != all.cend());
    QCOMPARE(nsp->sockets.size(), 1);
    const SocketSnapshot &snap = nsp->sockets.first();
    QCOMPARE(snap.id, customId);
    QCOMPARE(snap.nsp, QStringLiteral("/custom"));
    QCOMPARE(snap.engineSessionId, client.engineSid());
    QCOMPARE(snap.transport, Transport::WebSocket);
    QStringList expectedRooms{ customId, QStringLiteral("room1") };
    expectedRooms.sort();
    QCOMPARE(snap.rooms, expectedRooms);
    QCOMPARE(snap.auth, (QJsonObject{ { QStringLiteral("token"), QStringLiteral("abc") } }));
    QVERIFY2(snap.query.contains(QLatin1String("x=1")), qPrintable(snap.query));
    QCOMPARE(snap.data.value(QStringLiteral("k")).toInt(), 1);
    QCOMPARE(nsp->rooms.value(QStringLiteral("room1")), QStringList{ customId });
    QCOMPARE(m_server->socketSnapshot(custom).id, customId);

    events.clear();
    client.send(R"(42/custom,5["message-with-ack",1,"two"])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/custom,5[1,"two"])"));
    const auto in = std::find_if(events.cbegin(), events.cend(), [](const TrafficEvent &e) {
        return e.direction == TrafficEvent::Direction::Incoming
            && e.socketIoType == SocketIoPacketType::Event;
    });
    QVERIFY(in != events.cend());
    QCOMPARE(in->nsp, QStringLiteral("/custom"));
    QCOMPARE(in->socketId, customId);
    QCOMPARE(in->event, QStringLiteral("message-with-ack"));
    QCOMPARE(in->ackId, 5);
    QCOMPARE(in->payload, parseJson(R"(["message-with-ack",1,"two"])"));
    QCOMPARE(in->sessionId, client.engineSid());
    const auto out = std::find_if(events.cbegin(), events.cend(), [](const TrafficEvent &e) {
        return e.direction == TrafficEvent::Direction::Outgoing && e.socketIoType == SocketIoPacketType::Ack;
    });
    QVERIFY(out != events.cend());
    QCOMPARE(out->socketId, customId);
    QCOMPARE(out->ackId, 5);
    QCOMPARE(out->payload, parseJson(R"([1,"two"])"));
    QVERIFY(in < out);
}

void tst_SocketIoServer::reasonStrings_data()
{
    // socket.io 4.8's disconnect reasons and engine.io 6's close reasons, word for word.
    QTest::addColumn<int>("reason");
    QTest::addColumn<bool>("engine"); // a CloseReason, else a DisconnectReason
    QTest::addColumn<QString>("text");
    const auto sio = [](DisconnectReason r, const char *text) {
        QTest::newRow(text) << int(r) << false << QString::fromLatin1(text);
    };
    sio(DisconnectReason::ServerNamespaceDisconnect, "server namespace disconnect");
    sio(DisconnectReason::ClientNamespaceDisconnect, "client namespace disconnect");
    sio(DisconnectReason::ServerShuttingDown, "server shutting down");
    sio(DisconnectReason::PingTimeout, "ping timeout");
    sio(DisconnectReason::TransportClose, "transport close");
    sio(DisconnectReason::TransportError, "transport error");
    sio(DisconnectReason::ParseError, "parse error");
    sio(DisconnectReason::ForcedClose, "forced close");
    sio(DisconnectReason::ForcedServerClose, "forced server close");
    const auto eio = [](CloseReason r, const char *text) {
        QTest::newRow(QByteArray(QByteArray("engine ") + text).constData())
            << int(r) << true << QString::fromLatin1(text);
    };
    eio(CloseReason::TransportClose, "transport close");
    eio(CloseReason::TransportError, "transport error");
    eio(CloseReason::PingTimeout, "ping timeout");
    eio(CloseReason::ParseError, "parse error");
    eio(CloseReason::ForcedClose, "forced close");
    eio(CloseReason::ForcedServerClose, "forced server close");
}

void tst_SocketIoServer::reasonStrings()
{
    QFETCH(int, reason);
    QFETCH(bool, engine);
    QFETCH(QString, text);
    QCOMPARE(engine ? closeReasonString(CloseReason(reason))
                    : disconnectReasonString(DisconnectReason(reason)),
             text);
}

QTEST_GUILESS_MAIN(tst_SocketIoServer)
#include "tst_socketioserver.moc"
