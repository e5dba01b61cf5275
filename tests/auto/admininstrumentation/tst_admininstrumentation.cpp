// SPDX-License-Identifier: MIT
// AdminInstrumentation's pieces: the bcrypt check (libxcrypt), node's serialization of a socket
// and of a date, and the admin namespace on the wire (login, session, config, all_sockets,
// socket events, commands, read-only), with raw Engine.IO clients on loopback.
#include "../socketioserver/rawclient.h"

#include <SocketIo/admininstrumentation.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>

#include <QCborArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {
// Made by node's bcryptjs: hashSync("s3cret", 4) (cost 4 keeps the test fast).
const QByteArray Hash = QByteArrayLiteral("$2a$04$JY.TSj2SiDZP.Kn7qBwfletsnE75ly6w9kgjIdsy.vsUHi8ut/7SO");
constexpr int Timeout = 5000;

// "42/admin,[...]" -> the array
QJsonArray eventOf(const QByteArray &frame, const QByteArray &prefix = "42/admin,")
{
    if (!frame.startsWith(prefix))
        return {};
    return QJsonDocument::fromJson(frame.mid(prefix.size())).array();
}
QStringList strings(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *s : list)
        result.append(QString::fromLatin1(s));
    return result;
}
// QObject::receivers() is protected: the engine's observer count, read from a subclass view.
struct ReceiversView : QObject
{
    using QObject::receivers;
};
int trafficReceivers(Server &server)
{
    return static_cast<ReceiversView *>(static_cast<QObject *>(server.engine()))
        ->receivers(SIGNAL(trafficObserved(SocketIo::TrafficEvent)));
}
} // namespace

class tst_AdminInstrumentation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<SocketIo::DisconnectReason>(); }
    void verifyPassword_data();
    void verifyPassword();
    void javaScriptDate();
    void features();
    void loginRefused();
    void loginAndSession();
    void serializedSocket();
    void commands();
    void readOnlyIgnoresCommands();
    void nothingObservedWithoutAdmins();
    void rawPacketsFeature();
    void rawPacketsStream();
    void rawPacketsBatchLimit();

private:
    // The raw_packets batches among the admin's frames, until \a done says enough (or timeout).
    QList<QJsonObject> rawBatchesUntil(RawClient &admin,
                                       const std::function<bool(const QList<QJsonObject> &)> &done);
    // Connects raw client to /admin with auth; returns the events received up to all_sockets.
    QList<QJsonArray> connectAdmin(RawClient &client, const QByteArray &auth, QString *sid = nullptr);
};

void tst_AdminInstrumentation::verifyPassword_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("matches");
    QTest::newRow("$2a$ right") << QByteArray("s3cret") << Hash << true;
    QTest::newRow("$2a$ wrong") << QByteArray("s3cres") << Hash << false;
    QTest::newRow("$2a$ empty") << QByteArray() << Hash << false;
    QByteArray b = Hash;
    b[2] = 'b';
    QTest::newRow("$2b$ same digest") << QByteArray("s3cret") << b << true;
    QByteArray y = Hash;
    y[2] = 'y';
    QTest::newRow("$2y$ same digest") << QByteArray("s3cret") << y << true;
    QTest::newRow("not a hash") << QByteArray("s3cret") << QByteArray("s3cret") << false;
    QTest::newRow("md5 crypt") << QByteArray("s3cret") << QByteArray("$1$abc$def") << false;
    QTest::newRow("truncated") << QByteArray("s3cret") << Hash.chopped(1) << false;
}

void tst_AdminInstrumentation::verifyPassword()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QFETCH(bool, matches);
    QCOMPARE(AdminInstrumentation::verifyPassword(password, hash), matches);
}

void tst_AdminInstrumentation::javaScriptDate()
{
    qputenv("TZ", "UTC");
    const QDateTime t(QDate(2026, 12, 3), QTime(14, 36, 56, 123), Qt::UTC);
    QCOMPARE(AdminInstrumentation::javaScriptDateString(t),
             QStringLiteral("Thu Dec 03 2026 14:36:56 GMT+0000 (Coordinated Universal Time)"));
}

void tst_AdminInstrumentation::features()
{
    Server server;
    AdminOptions options;
    AdminInstrumentation dev(&server, options);
    QCOMPARE(dev.supportedFeatures(),
             strings({ "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT",
                       "AGGREGATED_EVENTS", "ALL_EVENTS" }));
    options.readOnly = true;
    options.mode = AdminOptions::Mode::Production;
    options.namespaceName = QStringLiteral("/admin2");
    AdminInstrumentation prod(&server, options);
    QCOMPARE(prod.supportedFeatures(), strings({ "AGGREGATED_EVENTS" }));
    QCOMPARE(prod.adminNamespace()->name(), QStringLiteral("/admin2"));
}

QList<QJsonArray> tst_AdminInstrumentation::connectAdmin(RawClient &client, const QByteArray &auth,
                                                         QString *sid)
{
    QList<QJsonArray> events;
    if (!client.waitForOpen(Timeout))
        return events;
    client.send("40/admin," + auth);
    QByteArray reply = client.nextText(Timeout);
    // As node's, the own-room room_joined may precede the CONNECT (socket.io-client buffers it).
    while (reply.startsWith("42/admin,")) {
        events.append(eventOf(reply));
        reply = client.nextText(Timeout);
    }
    if (!reply.startsWith("40/admin,{\"sid\":\""))
        return { QJsonArray{ QJsonValue(QString::fromUtf8(reply)) } };
    if (sid)
        *sid = QJsonDocument::fromJson(reply.mid(9)).object().value(QLatin1String("sid")).toString();
    for (int i = 0; i < 10; ++i) {
        const QJsonArray event = eventOf(client.nextText(Timeout));
        if (event.isEmpty())
            break;
        events.append(event);
        if (event.at(0) == QLatin1String("all_sockets")
            || (event.at(0) == QLatin1String("config")
                && !event.at(1)
                        .toObject()
                        .value(QLatin1String("supportedFeatures"))
                        .toArray()
                        .contains(QLatin1String("ALL_EVENTS"))))
            break;
    }
    return events;
}

void tst_AdminInstrumentation::loginRefused()
{
    Server server;
    AdminOptions options;
    options.username = QStringLiteral("admin");
    options.passwordHash = Hash;
    AdminInstrumentation admin(&server, options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    for (const QByteArray &auth : { QByteArray(R"({"username":"admin","password":"wrong"})"),
                                    QByteArray(R"({"username":"root","password":"s3cret"})"),
                                    QByteArray(R"({"sessionId":"0123456789abcdef"})"), QByteArray() }) {
        RawClient client(server.serverPort());
        QVERIFY(client.waitForOpen(Timeout));
        client.send("40/admin," + auth);
        QCOMPARE(client.nextText(Timeout), QByteArray(R"(44/admin,{"message":"invalid credentials"})"));
    }
    QCOMPARE(admin.adminCount(), 0);
}

void tst_AdminInstrumentation::loginAndSession()
{
    Server server;
    AdminOptions options;
    options.username = QStringLiteral("admin");
    options.passwordHash = Hash;
    AdminInstrumentation admin(&server, options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    const QList<QJsonArray> events = connectAdmin(client, R"({"username":"admin","password":"s3cret"})");
    QVERIFY(events.size() >= 5);
    QCOMPARE(events.at(0).at(0).toString(), QStringLiteral("session"));
    const QString session = events.at(0).at(1).toString();
    QCOMPARE(session.size(), 16);
    // As node's: its own room, itself, the features, every socket.
    QCOMPARE(events.at(1).at(0).toString(), QStringLiteral("room_joined"));
    QCOMPARE(events.at(2).at(0).toString(), QStringLiteral("socket_connected"));
    QCOMPARE(events.at(3).at(0).toString(), QStringLiteral("config"));
    QCOMPARE(events.at(3).at(1).toObject().value(QLatin1String("supportedFeatures")).toArray().size(), 9);
    QCOMPARE(events.last().at(0).toString(), QStringLiteral("all_sockets"));
    QCOMPARE(admin.adminCount(), 1);

    // The session id logs in again, without a password and without a new session.
    RawClient again(server.serverPort());
    const QList<QJsonArray> second =
        connectAdmin(again, QByteArray(R"({"sessionId":")" + session.toUtf8() + "\"}"));
    QVERIFY(!second.isEmpty());
    QCOMPARE(second.at(0).at(0).toString(), QStringLiteral("room_joined"));
    QCOMPARE(second.at(1).at(0).toString(), QStringLiteral("socket_connected"));
    QCOMPARE(admin.adminCount(), 2);
}

void tst_AdminInstrumentation::serializedSocket()
{
    qputenv("TZ", "UTC");
    Server server;
    AdminInstrumentation admin(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient adminClient(server.serverPort());
    QVERIFY(!connectAdmin(adminClient, {}).isEmpty());

    QSignalSpy connected(server.mainNamespace(), &Namespace::socketConnected);
    RawClient client(server.serverPort(), "EIO=4&transport=websocket&foo=bar");
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QVERIFY(connected.wait(Timeout));
    Socket *socket = connected.first().first().value<Socket *>();
    socket->join(QStringLiteral("b-room"));
    socket->join(QStringLiteral("a-room"));
    socket->setData({ { QStringLiteral("user"), QStringLiteral("ada") } });

    const QCborMap s = AdminInstrumentation::serializeSocket(socket);
    QStringList keys;
    for (auto it = s.begin(); it != s.end(); ++it)
        keys.append(it.key().toString());
    QCOMPARE(keys, strings({ "id", "clientId", "transport", "nsp", "data", "handshake", "rooms" }));
    QCOMPARE(s.value(QStringLiteral("id")).toString(), socket->id());
    QCOMPARE(s.value(QStringLiteral("clientId")).toString(), socket->engineSessionId().left(12));
    QCOMPARE(s.value(QStringLiteral("transport")).toString(), QStringLiteral("websocket"));
    QCOMPARE(s.value(QStringLiteral("nsp")).toString(), QStringLiteral("/"));
    QCOMPARE(s.value(QStringLiteral("data")).toMap().value(QStringLiteral("user")).toString(),
             QStringLiteral("ada"));
    const QCborArray rooms = s.value(QStringLiteral("rooms")).toArray();
    QCOMPARE(rooms.toVariantList(),
             QVariantList({ socket->id(), QStringLiteral("a-room"), QStringLiteral("b-room") }));
    const QCborMap hs = s.value(QStringLiteral("handshake")).toMap();
    keys.clear();
    for (auto it = hs.begin(); it != hs.end(); ++it)
        keys.append(it.key().toString());
    QCOMPARE(keys, strings({ "address", "headers", "query", "issued", "secure", "time", "url", "xdomain" }));
    QCOMPARE(hs.value(QStringLiteral("query")).toMap().value(QStringLiteral("foo")).toString(),
             QStringLiteral("bar"));
    QCOMPARE(hs.value(QStringLiteral("query")).toMap().value(QStringLiteral("EIO")).toString(),
             QStringLiteral("4"));
    QVERIFY(hs.value(QStringLiteral("headers")).toMap().contains(QStringLiteral("host")));
    QVERIFY(hs.value(QStringLiteral("url")).toString().startsWith(QStringLiteral("/socket.io/?EIO=4")));
    QCOMPARE(hs.value(QStringLiteral("secure")).toBool(), false);
    QCOMPARE(hs.value(QStringLiteral("xdomain")).toBool(), false);
    QVERIFY(hs.value(QStringLiteral("time"))
                .toString()
                .endsWith(QStringLiteral("GMT+0000 (Coordinated Universal Time)")));
    QCOMPARE(hs.value(QStringLiteral("issued")).toInteger(), socket->handshake().issued);

    // The admin saw it: socket_connected with the serialized socket, the rooms, the data.
    QStringList seen;
    QTRY_VERIFY_WITH_TIMEOUT(
        ([&] {
            while (adminClient.pendingFrames() > 0) {
                const QJsonArray e = eventOf(adminClient.nextText());
                if (e.at(0) == QLatin1String("socket_updated"))
                    seen.append(
                        QStringLiteral("socket_updated ")
                        + QString::fromUtf8(QJsonDocument(e.at(1).toObject()).toJson(QJsonDocument::Compact))
                              .replace(socket->id(), QStringLiteral("ID")));
                else if (!e.isEmpty() && e.at(0) != QLatin1String("server_stats"))
                    seen.append(e.at(0).toString() + QLatin1Char(' ') + e.at(1).toString()
                                + (e.at(0) == QLatin1String("room_joined") ? e.at(2).toString() : QString()));
            }
            return seen.size() >= 5;
        }()),
        Timeout);
    QCOMPARE(
        seen,
        QStringList({ QStringLiteral("room_joined /") + socket->id(), QStringLiteral("socket_connected "),
                      QStringLiteral("room_joined /b-room"), QStringLiteral("room_joined /a-room"),
                      QStringLiteral(R"(socket_updated {"data":{"user":"ada"},"id":"ID","nsp":"/"})") }));
}

void tst_AdminInstrumentation::commands()
{
    Server server;
    AdminInstrumentation admin(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient adminClient(server.serverPort());
    QVERIFY(!connectAdmin(adminClient, {}).isEmpty());
    QSignalSpy connected(server.mainNamespace(), &Namespace::socketConnected);
    RawClient a(server.serverPort());
    RawClient b(server.serverPort());
    QVERIFY(a.waitForOpen(Timeout) && b.waitForOpen(Timeout));
    a.send("40");
    b.send("40");
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, Timeout);
    QCOMPARE(a.nextText().left(2), QByteArray("40"));
    QCOMPARE(b.nextText().left(2), QByteArray("40"));
    Socket *sa = server.mainNamespace()->sockets().value(0);
    Socket *sb = server.mainNamespace()->sockets().value(1);
    QVERIFY(sa && sb);
    sa->join(QStringLiteral("r"));
    RawClient &inRoom = sa->engineSessionId() == b.engineSid() ? b : a;
    RawClient &other = &inRoom == &a ? b : a;

    adminClient.send(R"(42/admin,["emit","/","r","hello",1,{"x":true}])");
    QCOMPARE(inRoom.nextText(), QByteArray(R"(42["hello",1,{"x":true}])"));
    adminClient.send(R"(42/admin,["emit","/",null,"all"])");
    QCOMPARE(other.nextText(), QByteArray(R"(42["all"])"));
    QCOMPARE(inRoom.nextText(), QByteArray(R"(42["all"])"));

    adminClient.send(R"(42/admin,["join","/","s","r"])");
    QTRY_VERIFY_WITH_TIMEOUT(sa->rooms().contains(QStringLiteral("s")), Timeout);
    QVERIFY(!sb->rooms().contains(QStringLiteral("s")) || !sa->rooms().contains(QStringLiteral("r")));
    adminClient.send(R"(42/admin,["join","/","t"])");
    QTRY_VERIFY_WITH_TIMEOUT(
        sa->rooms().contains(QStringLiteral("t")) && sb->rooms().contains(QStringLiteral("t")), Timeout);
    adminClient.send(R"(42/admin,["leave","/","t","r"])");
    QTRY_VERIFY_WITH_TIMEOUT(!sa->rooms().contains(QStringLiteral("t")), Timeout);
    QVERIFY(sb->rooms().contains(QStringLiteral("t")) || sa == sb);

    adminClient.send(R"(42/admin,["_disconnect","/",false,"r"])");
    QCOMPARE(inRoom.nextText(), QByteArray("41"));
    QTRY_COMPARE_WITH_TIMEOUT(server.mainNamespace()->socketCount(), 1, Timeout);
    adminClient.send(R"(42/admin,["_disconnect","/",true])");
    QVERIFY(other.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(server.mainNamespace()->socketCount(), 0, Timeout);
}

void tst_AdminInstrumentation::readOnlyIgnoresCommands()
{
    Server server;
    AdminOptions options;
    options.readOnly = true;
    AdminInstrumentation admin(&server, options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient adminClient(server.serverPort());
    const QList<QJsonArray> events = connectAdmin(adminClient, {});
    QVERIFY(!events.isEmpty());
    RawClient a(server.serverPort());
    QVERIFY(a.waitForOpen(Timeout));
    a.send("40");
    QCOMPARE(a.nextText().left(2), QByteArray("40"));
    adminClient.send(R"(42/admin,["emit","/",null,"hello"])");
    adminClient.send(R"(42/admin,["join","/","r"])");
    adminClient.send(R"(42/admin,["_disconnect","/",true])");
    // The echo of a normal event proves the commands were read (and ignored) before it.
    a.send(R"(42["ping"])");
    bool received = false;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 while (adminClient.pendingFrames() > 0) {
                                     const QByteArray frame = adminClient.nextText();
                                     if (eventOf(frame).at(0) == QLatin1String("event_received"))
                                         received = true;
                                 }
                                 return received;
                             }()),
                             Timeout);
    QCOMPARE(a.pendingFrames(), 0);
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
    QVERIFY(!server.mainNamespace()->sockets().first()->rooms().contains(QStringLiteral("r")));
}

void tst_AdminInstrumentation::nothingObservedWithoutAdmins()
{
    Server server;
    AdminInstrumentation admin(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient a(server.serverPort());
    QVERIFY(a.waitForOpen(Timeout));
    a.send("40");
    QCOMPARE(a.nextText().left(2), QByteArray("40"));
    // Without admins the instrumentation does not observe the engine's traffic (no snapshots).
    const int baseline = trafficReceivers(server);
    {
        RawClient adminClient(server.serverPort());
        QVERIFY(!connectAdmin(adminClient, {}).isEmpty());
        QCOMPARE(trafficReceivers(server), baseline + 1);
    }
    QTRY_COMPARE_WITH_TIMEOUT(admin.adminCount(), 0, Timeout);
    QCOMPARE(trafficReceivers(server), baseline);
}

int serverTrafficReceivers(Server &server)
{
    return static_cast<ReceiversView *>(static_cast<QObject *>(&server))
        ->receivers(SIGNAL(trafficObserved(SocketIo::TrafficEvent)));
}

QList<QJsonObject>
tst_AdminInstrumentation::rawBatchesUntil(RawClient &admin,
                                          const std::function<bool(const QList<QJsonObject> &)> &done)
{
    QList<QJsonObject> batches;
    (void)QTest::qWaitFor(
        [&] {
            while (admin.pendingFrames() > 0) {
                const QJsonArray event = eventOf(admin.nextText());
                if (event.at(0) == QLatin1String("raw_packets"))
                    batches.append(event.at(1).toObject());
            }
            return done(batches);
        },
        Timeout);
    return batches;
}

void tst_AdminInstrumentation::rawPacketsFeature()
{
    // Our extension is announced only when offered, and only in development mode.
    Server server;
    AdminOptions options;
    options.rawPackets = true;
    AdminInstrumentation dev(&server, options);
    QVERIFY(dev.supportedFeatures().contains(QStringLiteral("RAW_PACKETS")));
    options.readOnly = true;
    options.namespaceName = QStringLiteral("/admin-ro");
    AdminInstrumentation readOnly(&server, options);
    QCOMPARE(readOnly.supportedFeatures(), strings({ "AGGREGATED_EVENTS", "ALL_EVENTS", "RAW_PACKETS" }));
    options.mode = AdminOptions::Mode::Production;
    options.namespaceName = QStringLiteral("/admin-prod");
    AdminInstrumentation prod(&server, options);
    QCOMPARE(prod.supportedFeatures(), strings({ "AGGREGATED_EVENTS" }));

    // Not offered: the command is ignored and nothing observes the traffic.
    Server plain;
    AdminInstrumentation admin(&plain);
    QVERIFY(!admin.supportedFeatures().contains(QStringLiteral("RAW_PACKETS")));
    QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
    RawClient adminClient(plain.serverPort());
    QVERIFY(!connectAdmin(adminClient, {}).isEmpty());
    const int baseline = serverTrafficReceivers(plain);
    adminClient.send(R"(42/admin,1["raw_packets",{"enabled":true}])");
    // Commands are handled in order: once the admin is disconnected by its next command, the
    // first one was read, and nobody answered it.
    adminClient.send(R"(42/admin,["_disconnect","/admin",false])");
    QByteArrayList frames;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 while (adminClient.pendingFrames() > 0)
                                     frames.append(adminClient.nextText());
                                 return frames.contains("41/admin,");
                             }()),
                             Timeout);
    for (const QByteArray &frame : std::as_const(frames))
        QVERIFY2(!frame.startsWith("43/admin,"), frame.constData());
    QCOMPARE(admin.rawPacketSubscriberCount(), 0);
    QCOMPARE(serverTrafficReceivers(plain), baseline);
}

void tst_AdminInstrumentation::rawPacketsStream()
{
    Server server;
    AdminOptions options;
    options.rawPackets = true;
    options.rawPacketsInterval = 50ms;
    AdminInstrumentation admin(&server, options);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const int baseline = serverTrafficReceivers(server);
    RawClient adminClient(server.serverPort());
    QVERIFY(!connectAdmin(adminClient, {}).isEmpty());
    QCOMPARE(serverTrafficReceivers(server), baseline); // nobody asked yet

    adminClient.send(R"(42/admin,1["raw_packets",{"enabled":true}])");
    QByteArray ack;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 while (adminClient.pendingFrames() > 0 && ack.isEmpty()) {
                                     const QByteArray frame = adminClient.nextText();
                                     if (frame.startsWith("43/admin,"))
                                         ack = frame;
                                 }
                                 return !ack.isEmpty();
                             }()),
                             Timeout);
    QCOMPARE(ack, QByteArray(R"(43/admin,1[{"enabled":true}])"));
    QCOMPARE(admin.rawPacketSubscriberCount(), 1);
    QCOMPARE(serverTrafficReceivers(server), baseline + 1);

    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QCOMPARE(client.nextText().left(2), QByteArray("40"));
    client.send(R"(42["hello",{"n":1}])");
    const QString sid = client.engineSid();
    auto packetsOf = [](const QList<QJsonObject> &batches) {
        QList<QJsonObject> packets;
        for (const QJsonObject &batch : batches) {
            const QJsonArray list = batch.value(QLatin1String("packets")).toArray();
            for (const QJsonValue &p : list)
                packets.append(p.toObject());
        }
        return packets;
    };
    const QList<QJsonObject> batches = rawBatchesUntil(adminClient, [&](const QList<QJsonObject> &b) {
        const QList<QJsonObject> packets = packetsOf(b);
        return std::any_of(packets.cbegin(), packets.cend(), [](const QJsonObject &p) {
            return p.value(QLatin1String("data")).toString() == QLatin1String(R"(2["hello",{"n":1}])");
        });
    });
    const QList<QJsonObject> packets = packetsOf(batches);
    const auto hello = std::find_if(packets.cbegin(), packets.cend(), [](const QJsonObject &p) {
        return p.value(QLatin1String("data")).toString() == QLatin1String(R"(2["hello",{"n":1}])");
    });
    QVERIFY(hello != packets.cend());
    QCOMPARE(hello->value(QLatin1String("direction")).toString(), QStringLiteral("in"));
    QCOMPARE(hello->value(QLatin1String("sessionId")).toString(), sid);
    QCOMPARE(hello->value(QLatin1String("transport")).toString(), QStringLiteral("websocket"));
    QCOMPARE(hello->value(QLatin1String("type")).toInt(), int(EnginePacketType::Message));
    QCOMPARE(hello->value(QLatin1String("socketId")).toString(),
             server.mainNamespace()->sockets().value(0)->id());
    // The CONNECT reply went out before, in this stream too; the admin's own packets never.
    QVERIFY(std::any_of(packets.cbegin(), packets.cend(), [&](const QJsonObject &p) {
        return p.value(QLatin1String("direction")) == QLatin1String("out")
            && p.value(QLatin1String("data")).toString().startsWith(QLatin1String("0{\"sid\""));
    }));
    for (const QJsonObject &p : packets)
        QCOMPARE(p.value(QLatin1String("sessionId")).toString(), sid);
    for (const QJsonObject &batch : batches)
        QCOMPARE(batch.value(QLatin1String("dropped")).toInt(), 0);
    // The library decodes a packet back into a TrafficEvent's Socket.IO fields.
    TrafficEvent event;
    event.data = hello->value(QLatin1String("data")).toString().toUtf8();
    QVERIFY(decodeSocketIoFields(event));
    QCOMPARE(event.event, QStringLiteral("hello"));

    // Off again: nothing observed any more.
    adminClient.send(R"(42/admin,["raw_packets",{"enabled":false}])");
    QTRY_COMPARE_WITH_TIMEOUT(admin.rawPacketSubscriberCount(), 0, Timeout);
    QCOMPARE(serverTrafficReceivers(server), baseline);
    // An admin that leaves stops its stream too.
    adminClient.send(R"(42/admin,["raw_packets",{"enabled":true}])");
    QTRY_COMPARE_WITH_TIMEOUT(admin.rawPacketSubscriberCount(), 1, Timeout);
    adminClient.close();
    QTRY_COMPARE_WITH_TIMEOUT(admin.rawPacketSubscriberCount(), 0, Timeout);
    QCOMPARE(serverTrafficReceivers(server), baseline);
}

void tst_AdminInstrumentation::rawPacketsBatchLimit()
{
    Server server;
    AdminOptions options;
    options.rawPackets = true;
    options.rawPacketsInterval = 50ms;
    options.rawPacketsBatchLimit = 2;
    AdminInstrumentation admin(&server, options);
    // "burst": 5 emits in the handler, so 6 packets (the event and 5 out) in one turn of the
    // event loop: no batch can hold more than 2 of them, at least 4 are dropped together.
    QObject::connect(server.mainNamespace(), &Namespace::socketConnected, &server, [](Socket *socket) {
        socket->on(QStringLiteral("burst"), socket, [socket](const QVariantList &, const Ack &) {
            for (int i = 0; i < 5; ++i)
                socket->emitEvent(QStringLiteral("n"), { i });
        });
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient adminClient(server.serverPort());
    QVERIFY(!connectAdmin(adminClient, {}).isEmpty());
    adminClient.send(R"(42/admin,["raw_packets",{"enabled":true}])");
    QTRY_COMPARE_WITH_TIMEOUT(admin.rawPacketSubscriberCount(), 1, Timeout);
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QCOMPARE(client.nextText().left(2), QByteArray("40"));
    client.send(R"(42["burst"])");
    QVERIFY(client.waitForFrames(5, Timeout));
    const QList<QJsonObject> batches = rawBatchesUntil(adminClient, [](const QList<QJsonObject> &b) {
        return std::any_of(b.cbegin(), b.cend(), [](const QJsonObject &o) {
            return o.value(QLatin1String("dropped")).toInt() >= 4;
        });
    });
    QVERIFY(!batches.isEmpty());
    for (const QJsonObject &batch : batches)
        QVERIFY(batch.value(QLatin1String("packets")).toArray().size() <= 2);
    QVERIFY(std::any_of(batches.cbegin(), batches.cend(),
                        [](const QJsonObject &o) { return o.value(QLatin1String("dropped")).toInt() >= 4; }));
    QVERIFY(admin.droppedRawPacketCount() >= 4);
}

QTEST_GUILESS_MAIN(tst_AdminInstrumentation)
#include "tst_admininstrumentation.moc"
