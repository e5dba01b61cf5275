// SPDX-License-Identifier: MIT
// The Redis adapter's wire codec: msgpack rows as notepack.io (the node adapter's and the
// emitter's encoder) writes them, broadcast messages from the emitter and from a node server,
// and malformed input that must be refused without crashing or allocating what it claims.
#include "redismessage.h"

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QTest>

using namespace SocketIo::Redis;

Q_DECLARE_METATYPE(SocketIo::Redis::RequestMessage)
Q_DECLARE_METATYPE(SocketIo::Redis::ResponseMessage)

namespace {

void compareOptions(const std::optional<RequestOptions> &actual,
                    const std::optional<RequestOptions> &expected)
{
    QCOMPARE(actual.has_value(), expected.has_value());
    if (!expected)
        return;
    QCOMPARE(actual->rooms, expected->rooms);
    QCOMPARE(actual->except, expected->except);
    QCOMPARE(actual->isVolatile, expected->isVolatile);
    QCOMPARE(actual->compress, expected->compress);
    QCOMPARE(actual->timeout, expected->timeout);
}

void compareRequest(const RequestMessage &actual, const RequestMessage &expected)
{
    QCOMPARE(int(actual.type), int(expected.type));
    QCOMPARE(actual.uid, expected.uid);
    QCOMPARE(actual.requestId, expected.requestId);
    compareOptions(actual.opts, expected.opts);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(actual.rooms, expected.rooms);
    QCOMPARE(actual.close, expected.close);
    QCOMPARE(actual.sid, expected.sid);
    QCOMPARE(actual.room, expected.room);
    QCOMPARE(actual.event, expected.event);
    QCOMPARE(actual.args, expected.args);
    QCOMPARE(actual.nsp, expected.nsp);
}

// The fields the row sets: decoding fills both views of `sockets` (ids and records).
void compareResponse(const ResponseMessage &actual, const ResponseMessage &expected)
{
    QCOMPARE(actual.type.has_value(), expected.type.has_value());
    if (expected.type)
        QCOMPARE(int(*actual.type), int(*expected.type));
    QCOMPARE(actual.requestId, expected.requestId);
    if (expected.socketIds)
        QCOMPARE(actual.socketIds, expected.socketIds);
    if (expected.sockets) {
        QVERIFY(actual.sockets);
        QCOMPARE(actual.sockets->size(), expected.sockets->size());
        for (qsizetype i = 0; i < expected.sockets->size(); ++i) {
            const SocketRecord &a = actual.sockets->at(i);
            const SocketRecord &e = expected.sockets->at(i);
            QCOMPARE(a.id, e.id);
            QCOMPARE(a.handshake, e.handshake);
            QCOMPARE(a.rooms, e.rooms);
            QCOMPARE(a.data, e.data);
        }
    }
    if (!expected.socketIds && !expected.sockets)
        QVERIFY(!actual.sockets && !actual.socketIds);
    QCOMPARE(actual.rooms, expected.rooms);
    QCOMPARE(actual.data, expected.data);
    QCOMPARE(actual.clientCount, expected.clientCount);
    QCOMPARE(actual.packet, expected.packet);
}

RequestOptions options(const QStringList &rooms, const QStringList &except)
{
    RequestOptions opts;
    opts.rooms = rooms;
    opts.except = except;
    return opts;
}

} // namespace

class tst_RedisMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pack_data();
    void pack();
    void unpackNotepack_data();
    void unpackNotepack();
    void emitterBroadcast();
    void nodeBroadcast();
    void roundTrip();
    void malformed_data();
    void malformed();
    void requests();
    void requestSpec_data();
    void requestSpec();
    void responseSpec_data();
    void responseSpec();
    void channels();
};

void tst_RedisMessage::pack_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("nil") << QVariant() << QByteArray("c0");
    QTest::newRow("null") << QVariant::fromValue(nullptr) << QByteArray("c0");
    QTest::newRow("true") << QVariant(true) << QByteArray("c3");
    QTest::newRow("fixint") << QVariant(1) << QByteArray("01");
    QTest::newRow("whole double is an int, as notepack") << QVariant(1.0) << QByteArray("01");
    QTest::newRow("negative fixint") << QVariant(-3) << QByteArray("fd");
    QTest::newRow("uint16") << QVariant(300) << QByteArray("cd012c");
    QTest::newRow("float64") << QVariant(1.5) << QByteArray("cb3ff8000000000000");
    QTest::newRow("fixstr") << QVariant(QStringLiteral("hello")) << QByteArray("a568656c6c6f");
    QTest::newRow("utf-8 str") << QVariant(QStringLiteral("é")) << QByteArray("a2c3a9");
    QTest::newRow("bin8") << QVariant(QByteArray("\x01\x02\x03", 3)) << QByteArray("c403010203");
    QTest::newRow("empty bin") << QVariant(QByteArray()) << QByteArray("c400");
    QTest::newRow("array") << QVariant(QVariantList{ 1, QStringLiteral("a") }) << QByteArray("9201a161");
    QTest::newRow("string list") << QVariant(QStringList{ QStringLiteral("r") }) << QByteArray("91a172");
    QTest::newRow("map") << QVariant(QVariantMap{ { QStringLiteral("x"), 1 } }) << QByteArray("81a17801");
}

void tst_RedisMessage::pack()
{
    QFETCH(QVariant, value);
    QFETCH(QByteArray, hex);
    QCOMPARE(packMsgpack(value).toHex(), hex);
}

void tst_RedisMessage::unpackNotepack_data()
{
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<QVariant>("expected");
    // Written by notepack.io 3 (node -e 'require("notepack.io").encode(...)').
    QTest::newRow("ints of every width")
        << QByteArray("94cd012cce00011170d1ff38cf0000000100000000")
        << QVariant(QVariantList{ qint64(300), qint64(70000), qint64(-200), qint64(4294967296LL) });
    QTest::newRow("object without its undefined key")
        << QByteArray("81a16201") << QVariant(QVariantMap{ { QStringLiteral("b"), qint64(1) } });
    QTest::newRow("Date as the timestamp extension")
        << QByteArray("d7ff1d5353006553f100")
        << QVariant(QDateTime::fromMSecsSinceEpoch(1700000000123LL, Qt::UTC));
    QTest::newRow("nil") << QByteArray("c0") << QVariant::fromValue(nullptr);
    QTest::newRow("float32") << QByteArray("ca3fc00000") << QVariant(1.5);
}

void tst_RedisMessage::unpackNotepack()
{
    QFETCH(QByteArray, hex);
    QFETCH(QVariant, expected);
    const auto value = unpackMsgpack(QByteArray::fromHex(hex));
    QVERIFY(value);
    QCOMPARE(*value, expected);
}

void tst_RedisMessage::emitterBroadcast()
{
    // emitter.to("room1").emit("push", {x: 1}, Buffer.from([1, 2, 3])) from @socket.io/redis-emitter 5.
    const QByteArray bytes = QByteArray::fromHex("93a7656d697474657283a47479706502a46461746193a47075736881a17"
                                                 "801c403010203a36e7370a12f83a5726f6f6d7391a5726f"
                                                 "6f6d31a5666c61677380a665786365707490");
    const auto message = decodeBroadcast(bytes);
    QVERIFY(message);
    QCOMPARE(message->uid, QStringLiteral("emitter"));
    QCOMPARE(message->nsp, QStringLiteral("/"));
    QCOMPARE(message->event, QStringLiteral("push"));
    QCOMPARE(message->args.size(), 2);
    // Objects arrive as they do from clients: QCborMap, members in order.
    QCOMPARE(message->args.at(0).value<QCborMap>(), (QCborMap{ { QStringLiteral("x"), 1 } }));
    QCOMPARE(message->args.at(1), QVariant(QByteArray("\x01\x02\x03", 3)));
    QCOMPARE(message->rooms, QStringList{ QStringLiteral("room1") });
    QVERIFY(message->except.isEmpty());
}

void tst_RedisMessage::nodeBroadcast()
{
    // A node server's io.except("sid1").volatile.emit("hello", "world", 1.5, -3, null, true).
    const QByteArray bytes =
        QByteArray::fromHex("93a641624364456683a47479706502a46461746196a568656c6c6fa5776f726c64cb3ff800000000"
                            "0000fdc0c3a36e7370a12f83a5"
                            "726f6f6d7390a665786365707491a473696431a5666c61677381a8766f6c6174696c65c3");
    const auto message = decodeBroadcast(bytes);
    QVERIFY(message);
    QCOMPARE(message->uid, QStringLiteral("AbCdEf"));
    QCOMPARE(message->event, QStringLiteral("hello"));
    const QVariantList expected{ QStringLiteral("world"), 1.5, qint64(-3), QVariant::fromValue(nullptr),
                                 true };
    QCOMPARE(message->args, expected);
    QVERIFY(message->rooms.isEmpty());
    QCOMPARE(message->except, QStringList{ QStringLiteral("sid1") });
    QCOMPARE(message->flags.value(QStringLiteral("volatile")), QVariant(true));
}

void tst_RedisMessage::roundTrip()
{
    BroadcastMessage message;
    message.uid = QStringLiteral("XyZ123");
    message.nsp = QStringLiteral("/chat");
    message.event = QStringLiteral("news");
    // An object as clients' objects arrive (QCborMap): its members' order survives the trip.
    const QCborMap object{ { QStringLiteral("nested"), QCborArray{ true, false } },
                           { QStringLiteral("b"), 1 },
                           { QStringLiteral("a"),
                             QCborMap{ { QStringLiteral("z"), 0 }, { QStringLiteral("y"), 1 } } } };
    message.args = { QStringLiteral("text"), qint64(42), QByteArray("\0\xff", 2),
                     QVariant::fromValue(object) };
    message.rooms = { QStringLiteral("a"), QStringLiteral("b") };
    message.except = { QStringLiteral("c") };
    message.flags = { { QStringLiteral("volatile"), true } };
    const auto decoded = decodeBroadcast(encodeBroadcast(message));
    QVERIFY(decoded);
    QCOMPARE(decoded->uid, message.uid);
    QCOMPARE(decoded->nsp, message.nsp);
    QCOMPARE(decoded->event, message.event);
    QCOMPARE(decoded->args.size(), message.args.size());
    QCOMPARE(decoded->args.mid(0, 3), message.args.mid(0, 3));
    QCOMPARE(decoded->args.at(3).value<QCborMap>(), object); // QCborMap == compares in order
    QCOMPARE(decoded->rooms, message.rooms);
    QCOMPARE(decoded->except, message.except);
    QCOMPARE(decoded->flags, message.flags);
}

void tst_RedisMessage::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("reserved byte c1") << QByteArray::fromHex("c1");
    QTest::newRow("truncated str") << QByteArray::fromHex("a56865");
    QTest::newRow("trailing byte") << QByteArray::fromHex("93a1610000c0");
    QTest::newRow("array32 claiming 4G items") << QByteArray::fromHex("ddffffffff");
    QTest::newRow("map32 claiming 4G pairs") << QByteArray::fromHex("dfffffffff");
    QTest::newRow("bin32 claiming 4 GB") << QByteArray::fromHex("c6ffffffff00");
    QTest::newRow("nested 100 deep") << QByteArray(100, '\x91') + QByteArray::fromHex("c0");
    QTest::newRow("array map key") << QByteArray::fromHex("93a1618190c0c0");
    QTest::newRow("not an array") << QByteArray::fromHex("81a17801");
    QTest::newRow("one element") << QByteArray::fromHex("91a161");
    QTest::newRow("packet not a map") << QByteArray::fromHex("92a16101");
    QTest::newRow("packet without data") << QByteArray::fromHex("92a16181a47479706502");
    QTest::newRow("ack packet (type 3)") << QByteArray::fromHex("92a16182a47479706503a46461746191a161");
    QTest::newRow("event name not a string") << QByteArray::fromHex("92a16182a47479706502a46461746191c0");
    QTest::newRow("empty data") << QByteArray::fromHex("92a16182a47479706502a46461746190");
    QTest::newRow("rooms not an array")
        << QByteArray::fromHex("93a16182a47479706502a46461746191a16181a5726f6f6d73a178");
    QTest::newRow("room a map") << QByteArray::fromHex(
        "93a16182a47479706502a46461746191a16181a5726f6f6d739180");
    QTest::newRow("nsp not a string")
        << QByteArray::fromHex("92a16183a47479706502a46461746191a161a36e737001");
    QTest::newRow("bad timestamp size")
        << QByteArray::fromHex("92a16182a47479706502a46461746192a161d5ff0000");
}

void tst_RedisMessage::malformed()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!decodeBroadcast(bytes));
}

void tst_RedisMessage::requests()
{
    const auto json =
        decodeRequest(R"({"uid":"abc","type":2,"opts":{"rooms":["r"],"except":[]},"rooms":["n"]})");
    QVERIFY(json);
    QCOMPARE(int(json->type), int(RequestType::RemoteJoin));
    QVERIFY(json->opts);
    QCOMPARE(json->opts->rooms.size(), 1);
    const QVariantMap map{ { QStringLiteral("type"), 9 },
                           { QStringLiteral("requestId"), QStringLiteral("r1") },
                           { QStringLiteral("packet"), QByteArray("\x01", 1) } };
    const auto packed = decodeResponse(packMsgpack(map));
    QVERIFY(packed);
    QCOMPARE(packed->packet, QVariant(QByteArray("\x01", 1)));
    QCOMPARE(decodeObject(packMsgpack(map)), std::optional<QVariantMap>(map));
    for (const QByteArray &bad :
         { QByteArray("{not json"), QByteArray("[1,2]"), QByteArray::fromHex("9101"), QByteArray() }) {
        QVERIFY(!decodeObject(bad));
        QVERIFY(!decodeRequest(bad));
        QVERIFY(!decodeResponse(bad));
    }
    // Rooms that are numbers are their text; a request without a type is SOCKETS, as in node.
    const auto numbers = decodeRequest(R"({"uid":"u","requestId":"q","rooms":[1,2.5,"x"]})");
    QVERIFY(numbers);
    QCOMPARE(int(numbers->type), int(RequestType::Sockets));
    QCOMPARE(numbers->rooms,
             QStringList({ QStringLiteral("1"), QStringLiteral("2.5"), QStringLiteral("x") }));
    // Ignored: a server-side emit without an event, a broadcast whose event is not a string.
    QVERIFY(!decodeRequest(R"({"uid":"u","type":6,"data":[]})"));
    QVERIFY(!decodeRequest(R"({"uid":"u","type":7,"requestId":"q","packet":{"type":2,"data":[1]}})"));
}

// Requests as @socket.io/redis-adapter 8.3 writes them (node: its key order; JSON.stringify, or
// notepack.io for BROADCAST) and as we write them (ours: the same object, keys sorted).
void tst_RedisMessage::requestSpec_data()
{
    QTest::addColumn<QByteArray>("node");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<RequestMessage>("message");

    RequestMessage m;
    m.type = RequestType::Sockets;
    m.uid = QStringLiteral("nodeA");
    m.requestId = QStringLiteral("r4");
    m.rooms = QStringList{ QStringLiteral("a") };
    QTest::newRow("SOCKETS") << QByteArray(R"({"uid":"nodeA","requestId":"r4","type":0,"rooms":["a"]})")
                             << QByteArray(R"({"requestId":"r4","rooms":["a"],"type":0,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::AllRooms;
    m.uid = QStringLiteral("nodeA");
    m.requestId = QStringLiteral("r1");
    QTest::newRow("ALL_ROOMS") << QByteArray(R"({"uid":"nodeA","requestId":"r1","type":1})")
                               << QByteArray(R"({"requestId":"r1","type":1,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::RemoteJoin;
    m.uid = QStringLiteral("nodeA");
    m.opts = options({ QStringLiteral("a") }, {});
    m.rooms = QStringList{ QStringLiteral("b"), QStringLiteral("c") };
    QTest::newRow("REMOTE_JOIN (socketsJoin)")
        << QByteArray(R"({"uid":"nodeA","type":2,"opts":{"rooms":["a"],"except":[]},"rooms":["b","c"]})")
        << QByteArray(R"({"opts":{"except":[],"rooms":["a"]},"rooms":["b","c"],"type":2,"uid":"nodeA"})")
        << m;

    m.type = RequestType::RemoteLeave;
    m.opts = options({}, { QStringLiteral("x") });
    m.rooms = QStringList{ QStringLiteral("b") };
    QTest::newRow("REMOTE_LEAVE (socketsLeave)")
        << QByteArray(R"({"uid":"nodeA","type":3,"opts":{"rooms":[],"except":["x"]},"rooms":["b"]})")
        << QByteArray(R"({"opts":{"except":["x"],"rooms":[]},"rooms":["b"],"type":3,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::RemoteJoin;
    m.uid = QStringLiteral("nodeA");
    m.requestId = QStringLiteral("r5");
    m.sid = QStringLiteral("s1");
    m.room = QStringLiteral("r");
    QTest::newRow("REMOTE_JOIN, the older form")
        << QByteArray(R"({"uid":"nodeA","requestId":"r5","type":2,"sid":"s1","room":"r"})")
        << QByteArray(R"({"requestId":"r5","room":"r","sid":"s1","type":2,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::RemoteDisconnect;
    m.uid = QStringLiteral("nodeA");
    m.opts = options({ QStringLiteral("a") }, {});
    m.close = true;
    QTest::newRow("REMOTE_DISCONNECT (disconnectSockets)")
        << QByteArray(R"({"uid":"nodeA","type":4,"opts":{"rooms":["a"],"except":[]},"close":true})")
        << QByteArray(R"({"close":true,"opts":{"except":[],"rooms":["a"]},"type":4,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::RemoteFetch;
    m.uid = QStringLiteral("nodeA");
    m.requestId = QStringLiteral("r2");
    m.opts = options({ QStringLiteral("room1") }, { QStringLiteral("x") });
    QTest::newRow("REMOTE_FETCH (fetchSockets)")
        << QByteArray(
               R"({"uid":"nodeA","requestId":"r2","type":5,"opts":{"rooms":["room1"],"except":["x"]}})")
        << QByteArray(
               R"({"opts":{"except":["x"],"rooms":["room1"]},"requestId":"r2","type":5,"uid":"nodeA"})")
        << m;

    m = {};
    m.type = RequestType::ServerSideEmit;
    m.uid = QStringLiteral("nodeA");
    m.event = QStringLiteral("hello");
    m.args = QVariantList{ 1, QStringLiteral("two") };
    QTest::newRow("SERVER_SIDE_EMIT")
        << QByteArray(R"({"uid":"nodeA","type":6,"data":["hello",1,"two"]})")
        << QByteArray(R"({"data":["hello",1,"two"],"type":6,"uid":"nodeA"})") << m;

    m.requestId = QStringLiteral("r3");
    m.event = QStringLiteral("ping");
    m.args = {};
    QTest::newRow("SERVER_SIDE_EMIT with an ack")
        << QByteArray(R"({"uid":"nodeA","requestId":"r3","type":6,"data":["ping"]})")
        << QByteArray(R"({"data":["ping"],"requestId":"r3","type":6,"uid":"nodeA"})") << m;

    m = {};
    m.type = RequestType::Broadcast;
    m.uid = QStringLiteral("nodeA");
    m.requestId = QStringLiteral("r7");
    m.event = QStringLiteral("hello");
    m.args = QVariantList{ QStringLiteral("world"), 1 };
    m.nsp = QStringLiteral("/chat");
    m.opts = options({ QStringLiteral("r") }, {});
    m.opts->timeout = 1000;
    // notepack.encode({uid, requestId, type, packet: {type, data, nsp}, opts: {rooms, except, flags}})
    QTest::newRow("BROADCAST (broadcast with acks), msgpack")
        << QByteArray::fromHex("85a3756964a56e6f646541a9726571756573744964a27237a47479706507a67061636b6574"
                               "83a47479706502a46461746193a568656c6c6fa5776f726c6401a36e7370a52f63686174"
                               "a46f70747383a5726f6f6d7391a172a665786365707490a5666c61677381a774696d656f"
                               "7574cd03e8")
        << QByteArray::fromHex("85a46f70747383a665786365707490a5666c61677381a774696d656f7574cd03e8a5726f"
                               "6f6d7391a172a67061636b657483a46461746193a568656c6c6fa5776f726c6401a36e73"
                               "70a52f63686174a47479706502a9726571756573744964a27237a47479706507a3756964"
                               "a56e6f646541")
        << m;
}

void tst_RedisMessage::requestSpec()
{
    QFETCH(QByteArray, node);
    QFETCH(QByteArray, ours);
    QFETCH(RequestMessage, message);
    QCOMPARE(encodeRequest(message).toHex(), ours.toHex());
    for (const QByteArray &wire : { node, ours }) {
        const auto decoded = decodeRequest(wire);
        QVERIFY(decoded);
        compareRequest(*decoded, message);
        if (QTest::currentTestFailed())
            return;
    }
}

// Responses as @socket.io/redis-adapter 8.3 writes them and as we write them (see requestSpec).
void tst_RedisMessage::responseSpec_data()
{
    QTest::addColumn<QByteArray>("node");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<ResponseMessage>("message");

    ResponseMessage m;
    m.requestId = QStringLiteral("r4");
    m.socketIds = QStringList{ QStringLiteral("s1"), QStringLiteral("s2") };
    QTest::newRow("SOCKETS") << QByteArray(R"({"requestId":"r4","sockets":["s1","s2"]})")
                             << QByteArray(R"({"requestId":"r4","sockets":["s1","s2"]})") << m;

    m = {};
    m.requestId = QStringLiteral("r1");
    m.rooms = QStringList{ QStringLiteral("a"), QStringLiteral("b") };
    QTest::newRow("ALL_ROOMS") << QByteArray(R"({"requestId":"r1","rooms":["a","b"]})")
                               << QByteArray(R"({"requestId":"r1","rooms":["a","b"]})") << m;

    m = {};
    m.requestId = QStringLiteral("r2");
    m.sockets = QList<SocketRecord>{ { QStringLiteral("s1"),
                                       QVariantMap{ { QStringLiteral("address"), QStringLiteral("::1") },
                                                    { QStringLiteral("auth"), QVariantMap() } },
                                       QStringList{ QStringLiteral("room1"), QStringLiteral("s1") },
                                       QVariantMap{ { QStringLiteral("name"), QStringLiteral("n") } } } };
    QTest::newRow("REMOTE_FETCH")
        << QByteArray(R"({"requestId":"r2","sockets":[{"id":"s1","handshake":{"address":"::1","auth":{}},)"
                      R"("rooms":["room1","s1"],"data":{"name":"n"}}]})")
        << QByteArray(R"({"requestId":"r2","sockets":[{"data":{"name":"n"},"handshake":{"address":"::1",)"
                      R"("auth":{}},"id":"s1","rooms":["room1","s1"]}]})")
        << m;

    m = {};
    m.requestId = QStringLiteral("r5");
    QTest::newRow("REMOTE_JOIN, the older form")
        << QByteArray(R"({"requestId":"r5"})") << QByteArray(R"({"requestId":"r5"})") << m;

    m = {};
    m.type = RequestType::ServerSideEmit;
    m.requestId = QStringLiteral("r3");
    m.data = QStringLiteral("pong");
    QTest::newRow("SERVER_SIDE_EMIT answer")
        << QByteArray(R"({"type":6,"requestId":"r3","data":"pong"})")
        << QByteArray(R"({"data":"pong","requestId":"r3","type":6})") << m;

    m = {};
    m.type = RequestType::BroadcastClientCount;
    m.requestId = QStringLiteral("r6");
    m.clientCount = 2;
    QTest::newRow("BROADCAST_CLIENT_COUNT")
        << QByteArray(R"({"type":8,"requestId":"r6","clientCount":2})")
        << QByteArray(R"({"clientCount":2,"requestId":"r6","type":8})") << m;

    m = {};
    m.type = RequestType::BroadcastAck;
    m.requestId = QStringLiteral("r6");
    m.packet = QStringLiteral("ok");
    // notepack.encode({type, requestId, packet})
    QTest::newRow("BROADCAST_ACK, msgpack")
        << QByteArray::fromHex("83a47479706509a9726571756573744964a27236a67061636b6574a26f6b")
        << QByteArray::fromHex("83a67061636b6574a26f6ba9726571756573744964a27236a47479706509") << m;

    m.packet = QByteArray("\x01\x02\x03", 3);
    QTest::newRow("BROADCAST_ACK with binary, msgpack")
        << QByteArray::fromHex("83a47479706509a9726571756573744964a27236a67061636b6574c403010203")
        << QByteArray::fromHex("83a67061636b6574c403010203a9726571756573744964a27236a47479706509") << m;
}

void tst_RedisMessage::responseSpec()
{
    QFETCH(QByteArray, node);
    QFETCH(QByteArray, ours);
    QFETCH(ResponseMessage, message);
    QCOMPARE(encodeResponse(message).toHex(), ours.toHex());
    for (const QByteArray &wire : { node, ours }) {
        const auto decoded = decodeResponse(wire);
        QVERIFY(decoded);
        compareResponse(*decoded, message);
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_RedisMessage::channels()
{
    const Channels c(QStringLiteral("socket.io"), QStringLiteral("/chat"));
    QCOMPARE(c.broadcast, QByteArray("socket.io#/chat#"));
    QCOMPARE(c.room(QStringLiteral("r1")), QByteArray("socket.io#/chat#r1#"));
    QCOMPARE(c.request, QByteArray("socket.io-request#/chat#"));
    QCOMPARE(c.response, QByteArray("socket.io-response#/chat#"));
}

QTEST_APPLESS_MAIN(tst_RedisMessage)
#include "tst_redismessage.moc"
