// SPDX-License-Identifier: MIT
// The msgpack parser's codec (protocol/msgpackpacket.h), against the bytes npm
// socket.io-msgpack-parser 3.0.2 (notepack.io 2.2.0) produces with socket.io 4.8.1 and
// socket.io-client 4.8.1. The golden hex strings were printed once by a node script that wraps
// the parser's Encoder.encode and runs a client and a server (see docs/msgpack.md, "Golden bytes"):
//   node capture.cjs   (Encoder.prototype.encode wrapped to print Buffer.toString('hex'))
#include "protocol/arguments.h"
#include "protocol/enginepacket.h"
#include "protocol/json.h"
#include "protocol/msgpackpacket.h"

#include <QCborArray>
#include <QCborMap>
#include <QTest>

#include <limits>

using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;
using Error = SocketIoCodec::Error;
using Side = Msgpack::Side;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

QCborValue json(const char *text)
{
    return *Json::parse(QByteArray(text));
}

SocketIoPacket packet(Type type, const QString &nsp, qint64 id, const QCborValue &data)
{
    SocketIoPacket p;
    p.type = type;
    p.nsp = nsp;
    p.id = id;
    p.data = data;
    return p;
}

// The golden packets, as node writes them.
// socket.io: socket.emit("q", 1, ack)
const char *const serverEventWithAck = "84a47479706502a46461746192a17101a2696400a36e7370a12f";
// socket.io: io.emit("bc", 2.5)
const char *const serverEvent = "83a47479706502a46461746192a26263cb4004000000000000a36e7370a12f";
// socket.io: the ack of ("x")
const char *const serverAck = "84a2696400a47479706503a46461746191a178a36e7370a12f";
// socket.io: CONNECT_ERROR for /nope
const char *const serverConnectError =
    "83a47479706504a36e7370a52f6e6f7065a46461746181a76d657373616765b1496e76616c6964206e"
    "616d657370616365";
// socket.io: the CONNECT reply {sid, pid: undefined}
const char *const serverConnect =
    "83a47479706500a46461746182a3736964b46f4f372d327a7834325f55464b556d7941414141a370"
    "6964d40000a36e7370a12f";
// socket.io-client: CONNECT /custom with auth {token: "abc"}
const char *const clientConnectAuth =
    "83a47479706500a46461746181a5746f6b656ea3616263a36e7370a72f637573746f6d";
// socket.io-client: CONNECT / without auth (data: undefined)
const char *const clientConnect = "83a47479706500a464617461d40000a36e7370a12f";
// socket.io-client: DISCONNECT /custom
const char *const clientDisconnect = "82a47479706501a36e7370a72f637573746f6d";
// socket.io-client: emit("ask") (with options: {compress: true})
const char *const clientEvent =
    "84a47479706502a46461746191a361736ba76f7074696f6e7381a8636f6d7072657373c3a36e7370a12f";
// socket.io-client: emit("ack", "x", cb)
const char *const clientEventWithAck =
    "85a47479706502a46461746192a361636ba178a76f7074696f6e7381a8636f6d7072657373c3a269"
    "6400a36e7370a12f";
// socket.io-client: the ack of ("r")
const char *const clientAck = "84a47479706503a2696400a46461746191a172a36e7370a12f";
// socket.io: socket.emit("message-back", 1, -1, 127, 128, 255, 256, 65535, 65536, 4294967295,
// 4294967296, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, 1.5, "héllo", null,
// true, false, [1, "a"], {b: 2, a: 1}, Buffer [1,2,3], ArrayBuffer [4,5]): every integer format.
const char *const serverNumbers =
    "83a47479706502a464617461dc001cac6d6573736167652d6261636b01ff7fcc80ccffcd0100cdffffce0"
    "0010000ceffffffffcf0000000100000000e0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffff"
    "ffff7fffffffcb3ff8000000000000a668c3a96c6c6fc0c3c29201a16182a16202a16101c4030102"
    "03c702000405a36e7370a12f";

QCborArray numbersData(bool withArrayBuffer)
{
    QCborArray data{ QStringLiteral("message-back"),
                     1,
                     -1,
                     127,
                     128,
                     255,
                     256,
                     65535,
                     65536,
                     qint64(4294967295),
                     qint64(4294967296),
                     -32,
                     -33,
                     -128,
                     -129,
                     -32768,
                     -32769,
                     qint64(-2147483648LL),
                     qint64(-2147483649LL),
                     1.5,
                     QStringLiteral("h\u00e9llo"),
                     QCborValue(nullptr),
                     true,
                     false,
                     QCborArray{ 1, QStringLiteral("a") },
                     QCborMap{ { QStringLiteral("b"), 2 }, { QStringLiteral("a"), 1 } },
                     QCborValue(QByteArray("\x01\x02\x03", 3)) };
    if (withArrayBuffer)
        data.append(QCborValue(QByteArray("\x04\x05", 2)));
    return data;
}

} // namespace

class tst_MsgpackPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encode_data();
    void encode();
    void encodeArguments();
    void decode_data();
    void decode();
    void decodeVariants_data();
    void decodeVariants();
    void values_data();
    void values();
    void roundTrip_data();
    void roundTrip();
    void malformed_data();
    void malformed();
    void prefixesFail();
    void pollingPayload();
    void arguments();
};

// Our encoder writes exactly node's bytes for what both write the same way.
void tst_MsgpackPacket::encode_data()
{
    QTest::addColumn<SocketIoPacket>("packet");
    QTest::addColumn<int>("side");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("server EVENT with ack id")
        << packet(Type::Event, QStringLiteral("/"), 0, json(R"(["q",1])")) << int(Side::Server)
        << hex(serverEventWithAck);
    QTest::newRow("server EVENT, float64")
        << packet(Type::Event, QStringLiteral("/"), -1, json(R"(["bc",2.5])")) << int(Side::Server)
        << hex(serverEvent);
    QTest::newRow("server ACK: id first")
        << packet(Type::Ack, QStringLiteral("/"), 0, json(R"(["x"])")) << int(Side::Server) << hex(serverAck);
    QTest::newRow("server CONNECT_ERROR: nsp before data")
        << packet(Type::ConnectError, QStringLiteral("/nope"), -1, json(R"({"message":"Invalid namespace"})"))
        << int(Side::Server) << hex(serverConnectError);
    QTest::newRow("client CONNECT with auth")
        << packet(Type::Connect, QStringLiteral("/custom"), -1, json(R"({"token":"abc"})"))
        << int(Side::Client) << hex(clientConnectAuth);
    QTest::newRow("client DISCONNECT")
        << packet(Type::Disconnect, QStringLiteral("/custom"), -1, QCborValue()) << int(Side::Client)
        << hex(clientDisconnect);
    QTest::newRow("client ACK: type first")
        << packet(Type::Ack, QStringLiteral("/"), 0, json(R"(["r"])")) << int(Side::Client) << hex(clientAck);
    // Node's bytes without the ArrayBuffer (which notepack writes as ext 0; we write binaries as bin).
    QByteArray numbers = hex(serverNumbers);
    numbers.replace(hex("dc001c"), hex("dc001b"));
    numbers.replace(hex("c702000405"), QByteArray());
    QTest::newRow("every integer format, str, nil, bool, array, map, bin")
        << packet(Type::Event, QStringLiteral("/"), -1, numbersData(false)) << int(Side::Server) << numbers;
    // Not byte-identical to node by choice: no `data: undefined` in a CONNECT without auth, no
    // `pid: undefined` in the reply (peers read both as absent), documented in docs/msgpack.md.
    QTest::newRow("client CONNECT without auth: no data key")
        << packet(Type::Connect, QStringLiteral("/"), -1, QCborValue()) << int(Side::Client)
        << hex("82a47479706500a36e7370a12f");
    QTest::newRow("BINARY_EVENT is written as EVENT")
        << packet(Type::BinaryEvent, QStringLiteral("/"), -1, json(R"(["bc",2.5])")) << int(Side::Server)
        << hex(serverEvent);
    QTest::newRow("integral double as integer, others float64")
        << packet(Type::Event, QStringLiteral("/"), -1,
                  QCborArray{ QStringLiteral("e"), 3.0, -2.0, 4294967296.0, 0.1 })
        << int(Side::Server)
        << hex("83a47479706502a46461746195a16503fecf0000000100000000cb3fb999999999999aa36e7370a12f");
    // 2^64 and beyond: msgpack-c's pack_double converted 2^64 to uint64_t (undefined behaviour,
    // found by fuzz_msgpackpacket under UBSan); float64 written by hand.
    QTest::newRow("whole numbers beyond 64 bits and infinity as float64")
        << packet(Type::Event, QStringLiteral("/"), -1,
                  QCborArray{ QStringLiteral("e"), 18446744073709551616.0, -1e20,
                              std::numeric_limits<double>::infinity() })
        << int(Side::Server)
        << hex("83a47479706502a46461746194a165cb43f0000000000000cbc415af1d78b58c40cb7ff0000000000000a36e7370a"
               "12f");
}

void tst_MsgpackPacket::encode()
{
    QFETCH(SocketIoPacket, packet);
    QFETCH(int, side);
    QFETCH(QByteArray, expected);
    QCOMPARE(Msgpack::encode(packet, Side(side)).toHex(), expected.toHex());
}

// The argument paths (emits and acks) write the same bytes.
void tst_MsgpackPacket::encodeArguments()
{
    QCOMPARE(Msgpack::encodeEvent(QStringLiteral("/"), QStringLiteral("q"), { 1 }, 0).toHex(),
             QByteArray(serverEventWithAck));
    QCOMPARE(Msgpack::encodeEvent(QStringLiteral("/"), QStringLiteral("bc"), { 2.5 }, -1).toHex(),
             QByteArray(serverEvent));
    QCOMPARE(Msgpack::encodeAck(QStringLiteral("/"), 0, { QStringLiteral("x") }, Side::Server).toHex(),
             QByteArray(serverAck));
    QCOMPARE(Msgpack::encodeAck(QStringLiteral("/"), 0, { QStringLiteral("r") }, Side::Client).toHex(),
             QByteArray(clientAck));
    // QVariant types: a QVariantMap (sorted keys), a QByteArray, a QString, a null, a list.
    const QByteArray encoded = Msgpack::encodeEvent(
        QStringLiteral("/custom"), QStringLiteral("e"),
        { QVariantMap{ { QStringLiteral("k"), 1 } }, QByteArray("\xff", 1), QStringLiteral("s"),
          QVariant::fromValue(nullptr), QVariantList{ true, 1.25 } },
        7);
    QCOMPARE(encoded.toHex(),
             QByteArray(
                 "84a47479706502a46461746196a16581a16b01c401ffa173c092c3cb3ff4000000000000a2696407a36e7370a7"
                 "2f637573746f6d"));
    // Through Arguments: a binary frame, no attachments, nothing changes for JSON.
    const auto viaArguments = SocketIo::Arguments::encodeEvent(
        QStringLiteral("/"), QStringLiteral("bc"), { 2.5 }, -1, SocketIo::Arguments::Format::MsgpackServer);
    QVERIFY(viaArguments.binary);
    QVERIFY(viaArguments.attachments.isEmpty());
    QCOMPARE(viaArguments.text.toHex(), QByteArray(serverEvent));
    const auto withBinary =
        SocketIo::Arguments::encodeEvent(QStringLiteral("/"), QStringLiteral("b"), { QByteArray("\x01", 1) });
    QVERIFY(!withBinary.binary);
    QCOMPARE(withBinary.text, QByteArray(R"(51-["b",{"_placeholder":true,"num":0}])"));
    QCOMPARE(withBinary.attachments.size(), 1);
}

void tst_MsgpackPacket::decode_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<SocketIoPacket>("expected");
    QTest::newRow("server EVENT with ack id")
        << hex(serverEventWithAck) << packet(Type::Event, QStringLiteral("/"), 0, json(R"(["q",1])"));
    QTest::newRow("server EVENT") << hex(serverEvent)
                                  << packet(Type::Event, QStringLiteral("/"), -1, json(R"(["bc",2.5])"));
    QTest::newRow("server ACK") << hex(serverAck)
                                << packet(Type::Ack, QStringLiteral("/"), 0, json(R"(["x"])"));
    QTest::newRow("server CONNECT_ERROR") << hex(serverConnectError)
                                          << packet(Type::ConnectError, QStringLiteral("/nope"), -1,
                                                    json(R"({"message":"Invalid namespace"})"));
    QCborMap reply{ { QStringLiteral("sid"), QStringLiteral("oO7-2zx42_UFKUmyAAAA") },
                    { QStringLiteral("pid"), QCborValue() } };
    QTest::newRow("server CONNECT reply, pid: undefined")
        << hex(serverConnect) << packet(Type::Connect, QStringLiteral("/"), -1, reply);
    QTest::newRow("client CONNECT with auth")
        << hex(clientConnectAuth)
        << packet(Type::Connect, QStringLiteral("/custom"), -1, json(R"({"token":"abc"})"));
    QTest::newRow("client CONNECT, data: undefined")
        << hex(clientConnect) << packet(Type::Connect, QStringLiteral("/"), -1, QCborValue());
    QTest::newRow("client DISCONNECT")
        << hex(clientDisconnect) << packet(Type::Disconnect, QStringLiteral("/custom"), -1, QCborValue());
    QTest::newRow("client EVENT with options")
        << hex(clientEvent) << packet(Type::Event, QStringLiteral("/"), -1, json(R"(["ask"])"));
    QTest::newRow("client EVENT with options and id")
        << hex(clientEventWithAck) << packet(Type::Event, QStringLiteral("/"), 0, json(R"(["ack","x"])"));
    QTest::newRow("client ACK") << hex(clientAck)
                                << packet(Type::Ack, QStringLiteral("/"), 0, json(R"(["r"])"));
    QTest::newRow("every integer format, bin and ext 0 (ArrayBuffer) as bytes")
        << hex(serverNumbers) << packet(Type::Event, QStringLiteral("/"), -1, numbersData(true));
}

void tst_MsgpackPacket::decode()
{
    QFETCH(QByteArray, bytes);
    QFETCH(SocketIoPacket, expected);
    const auto decoded = Msgpack::decode(bytes);
    QVERIFY2(decoded, SocketIoCodec::errorMessage(decoded.error));
    QCOMPARE(decoded.packet->type, expected.type);
    QCOMPARE(decoded.packet->nsp, expected.nsp);
    QCOMPARE(decoded.packet->id, expected.id);
    QCOMPARE(decoded.packet->data, expected.data);
    QVERIFY(decoded.packet->attachments.isEmpty());
}

// What other msgpack encoders may write for the same packet.
void tst_MsgpackPacket::decodeVariants_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<SocketIoPacket>("expected");
    const SocketIoPacket event = packet(Type::Event, QStringLiteral("/"), -1, json(R"(["e"])"));
    QTest::newRow("map16, str8 keys, uint8 type")
        << hex("de0003d90474797065cc02d9046461746191a165d9036e7370a12f") << event;
    QTest::newRow("type as float32 2.0")
        << hex("83a474797065ca40000000a46461746191a165a36e7370a12f") << event;
    QTest::newRow("type as float64 2.0")
        << hex("83a474797065cb4000000000000000a46461746191a165a36e7370a12f") << event;
    QTest::newRow("type as uint64") << hex("83a474797065cf0000000000000002a46461746191a165a36e7370a12f")
                                    << event;
    QTest::newRow("keys in another order") << hex("83a36e7370a12fa46461746191a165a47479706502") << event;
    QTest::newRow("a repeated key: the last wins")
        << hex("84a47479706501a46461746191a165a36e7370a12fa47479706502") << event;
    QTest::newRow("id as uint32") << hex("84a47479706502a46461746191a165a26964ce00000007a36e7370a12f")
                                  << packet(Type::Event, QStringLiteral("/"), 7, json(R"(["e"])"));
    QTest::newRow("id as float64 7.0")
        << hex("84a47479706502a46461746191a165a26964cb401c000000000000a36e7370a12f")
        << packet(Type::Event, QStringLiteral("/"), 7, json(R"(["e"])"));
    QTest::newRow("id: undefined is no id")
        << hex("84a47479706502a46461746191a165a26964d40000a36e7370a12f") << event;
    QTest::newRow("unknown keys ignored") << hex("84a47479706502a46461746191a165a178c0a36e7370a12f") << event;
    QTest::newRow("ACK without id (the npm parser takes it)")
        << hex("83a47479706503a46461746191a178a36e7370a12f")
        << packet(Type::Ack, QStringLiteral("/"), -1, json(R"(["x"])"));
    QTest::newRow("event named by a number") << hex("83a47479706502a46461746192071aa36e7370a12f")
                                             << packet(Type::Event, QStringLiteral("/"), -1, json("[7,26]"));
}

void tst_MsgpackPacket::decodeVariants()
{
    QFETCH(QByteArray, bytes);
    QFETCH(SocketIoPacket, expected);
    const auto decoded = Msgpack::decode(bytes);
    QVERIFY2(decoded, SocketIoCodec::errorMessage(decoded.error));
    QCOMPARE(decoded.packet->type, expected.type);
    QCOMPARE(decoded.packet->nsp, expected.nsp);
    QCOMPARE(decoded.packet->id, expected.id);
    QCOMPARE(decoded.packet->data, expected.data);
}

// Single values as notepack reads them.
void tst_MsgpackPacket::values_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QCborValue>("expected");
    QTest::newRow("fixext 1 type 0: undefined") << hex("d40000") << QCborValue();
    QTest::newRow("fixext 8 type 0: a Date, as its ISO string")
        << hex("d7000000016f5e66e800") << QCborValue(QStringLiteral("2020-01-01T00:00:00.000Z"));
    QTest::newRow("ext 8 type 0: ArrayBuffer") << hex("c702000405") << QCborValue(QByteArray("\x04\x05", 2));
    QTest::newRow("ext 8 type 0 of 212 bytes is not undefined")
        << hex("c7d400") + QByteArray(212, 'x') << QCborValue(QByteArray(212, 'x'));
    QTest::newRow("ext 8 type 0 of one byte: ArrayBuffer")
        << hex("c7010005") << QCborValue(QByteArray("\x05", 1));
    QTest::newRow("fixext 2 type 5: [type, bytes]")
        << hex("d5050102") << QCborValue(QCborArray{ 5, QByteArray("\x01\x02", 2) });
    QTest::newRow("fixext 4 type 0: [0, bytes]")
        << hex("d60001020304") << QCborValue(QCborArray{ 0, QByteArray("\x01\x02\x03\x04", 4) });
    QTest::newRow("ext type -1 (timestamp): [type, bytes]")
        << hex("d6ff00000001") << QCborValue(QCborArray{ -1, QByteArray("\x00\x00\x00\x01", 4) });
    QTest::newRow("uint64 above int64: a double")
        << hex("cfffffffffffffffff") << QCborValue(18446744073709551615.0);
    QTest::newRow("int64 min") << hex("d38000000000000000") << QCborValue(std::numeric_limits<qint64>::min());
    QTest::newRow("float32") << hex("ca3fc00000") << QCborValue(1.5);
    QTest::newRow("str 16") << hex("da0003616263") << QCborValue(QStringLiteral("abc"));
    QTest::newRow("str 32") << hex("db00000003616263") << QCborValue(QStringLiteral("abc"));
    QTest::newRow("invalid UTF-8 is replaced, as Buffer.toString does")
        << hex("a361ff63") << QCborValue(QStringLiteral("a\ufffdc"));
    QTest::newRow("bin 16") << hex("c500020102") << QCborValue(QByteArray("\x01\x02", 2));
    QTest::newRow("array 32") << hex("dd000000020102") << QCborValue(QCborArray{ 1, 2 });
    QTest::newRow("map keys become strings")
        << hex("8401a161c0a162c3a163cb3ff8000000000000a164")
        << QCborValue(QCborMap{ { QStringLiteral("1"), QStringLiteral("a") },
                                { QStringLiteral("null"), QStringLiteral("b") },
                                { QStringLiteral("true"), QStringLiteral("c") },
                                { QStringLiteral("1.5"), QStringLiteral("d") } });
}

void tst_MsgpackPacket::values()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QCborValue, expected);
    const auto value = Msgpack::readValue(bytes);
    QVERIFY(value);
    QCOMPARE(*value, expected);
}

void tst_MsgpackPacket::roundTrip_data()
{
    QTest::addColumn<SocketIoPacket>("packet");
    QTest::newRow("numbers") << packet(Type::Event, QStringLiteral("/"), -1, numbersData(false));
    QTest::newRow("nested binary") << packet(
        Type::Ack, QStringLiteral("/x"), 12,
        QCborArray{ QCborMap{ { QStringLiteral("b"), QByteArray(300, 'z') },
                              { QStringLiteral("l"), QCborArray{ QByteArray(70000, 'y') } } } });
    QTest::newRow("long string and array")
        << packet(Type::Event, QStringLiteral("/"), 4294967296LL,
                  QCborArray{ QStringLiteral("e"), QString(70000, u'\u00e9'), QCborArray{ 1, 2, 3 } });
    QTest::newRow("connect error string")
        << packet(Type::ConnectError, QStringLiteral("/"), -1, QCborValue(QStringLiteral("nope")));
}

void tst_MsgpackPacket::roundTrip()
{
    QFETCH(SocketIoPacket, packet);
    for (const Side side : { Side::Server, Side::Client }) {
        const QByteArray bytes = Msgpack::encode(packet, side);
        const auto decoded = Msgpack::decode(bytes);
        QVERIFY2(decoded, SocketIoCodec::errorMessage(decoded.error));
        QCOMPARE(*decoded.packet, packet);
        QCOMPARE(Msgpack::encode(*decoded.packet, side), bytes);
    }
}

void tst_MsgpackPacket::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Error>("error");
    QTest::newRow("empty") << QByteArray() << Error::Empty;
    QTest::newRow("never used 0xc1") << hex("c1") << Error::BadMsgpack;
    QTest::newRow("truncated") << hex(serverEvent).chopped(1) << Error::BadMsgpack;
    QTest::newRow("trailing bytes") << hex(serverEvent) + '\0' << Error::BadMsgpack;
    QTest::newRow("two packets in one frame") << hex(serverEvent) + hex(serverEvent) << Error::BadMsgpack;
    QTest::newRow("array, not a map") << hex("920102") << Error::NotAMap;
    QTest::newRow("string, not a map") << hex("a3616263") << Error::NotAMap;
    QTest::newRow("nil") << hex("c0") << Error::NotAMap;
    QTest::newRow("no type") << hex("82a46461746191a165a36e7370a12f") << Error::UnknownType;
    QTest::newRow("type 5 (BINARY_EVENT has no msgpack form)")
        << hex("83a47479706505a46461746191a165a36e7370a12f") << Error::UnknownType;
    QTest::newRow("type -1") << hex("83a474797065ffa46461746191a165a36e7370a12f") << Error::UnknownType;
    QTest::newRow("type as string") << hex("83a474797065a132a46461746191a165a36e7370a12f")
                                    << Error::UnknownType;
    QTest::newRow("type 1.5") << hex("83a474797065cb3ff8000000000000a46461746191a165a36e7370a12f")
                              << Error::UnknownType;
    QTest::newRow("no nsp") << hex("82a47479706502a46461746191a165") << Error::BadNamespace;
    QTest::newRow("nsp a number") << hex("83a47479706502a46461746191a165a36e737001") << Error::BadNamespace;
    QTest::newRow("nsp nil") << hex("83a47479706502a46461746191a165a36e7370c0") << Error::BadNamespace;
    QTest::newRow("id a string") << hex("84a47479706502a46461746191a165a26964a131a36e7370a12f")
                                 << Error::BadAckId;
    QTest::newRow("id -1") << hex("84a47479706502a46461746191a165a26964ffa36e7370a12f") << Error::BadAckId;
    QTest::newRow("id 1.5") << hex("84a47479706502a46461746191a165a26964cb3ff8000000000000a36e7370a12f")
                            << Error::BadAckId;
    QTest::newRow("id nil") << hex("84a47479706502a46461746191a165a26964c0a36e7370a12f") << Error::BadAckId;
    QTest::newRow("id on CONNECT") << hex("83a47479706500a2696401a36e7370a12f") << Error::BadAckId;
    QTest::newRow("EVENT without data") << hex("82a47479706502a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("EVENT data a map")
        << hex("83a47479706502a46461746180a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("EVENT data empty")
        << hex("83a47479706502a46461746190a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("EVENT named connect")
        << hex("83a47479706502a46461746191a7636f6e6e656374a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("EVENT named by nil")
        << hex("83a47479706502a46461746191c0a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("ACK data nil") << hex("84a47479706503a2696401a464617461c0a36e7370a12f")
                                  << Error::InvalidPayload;
    QTest::newRow("CONNECT data a string")
        << hex("83a47479706500a464617461a178a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("DISCONNECT with data")
        << hex("83a47479706501a46461746180a36e7370a12f") << Error::InvalidPayload;
    QTest::newRow("CONNECT_ERROR data an array")
        << hex("83a47479706504a36e7370a12fa46461746190") << Error::InvalidPayload;
    QTest::newRow("array key") << hex("81910101") << Error::BadMsgpack;
    QTest::newRow("map key") << hex("81800101") << Error::BadMsgpack;
    QTest::newRow("bin key") << hex("81c4010101") << Error::BadMsgpack;
    QTest::newRow("array 32 of 4 billion items")
        << hex("83a47479706502a464617461ddffffffff") << Error::BadMsgpack;
    QTest::newRow("map 32 of 4 billion pairs") << hex("dfffffffff") << Error::BadMsgpack;
    QTest::newRow("str 32 of 4 GiB") << hex("81dbffffffff") << Error::BadMsgpack;
    QTest::newRow("bin 32 of 4 GiB") << hex("83a47479706502a46461746191c6ffffffff") << Error::BadMsgpack;
    QTest::newRow("ext 32 of 4 GiB") << hex("83a47479706502a46461746191c9ffffffff00") << Error::BadMsgpack;
    QTest::newRow("ext 32 of 4 GiB - 1")
        << hex("83a47479706502a46461746191c9fffffffe00") << Error::BadMsgpack;
    QByteArray deep = hex("83a47479706502a464617461");
    deep += QByteArray(300, char(0x91)) + hex("01a36e7370a12f");
    QTest::newRow("nested 300 deep") << deep << Error::BadMsgpack;
}

void tst_MsgpackPacket::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Error, error);
    const auto decoded = Msgpack::decode(bytes);
    QVERIFY(!decoded);
    QCOMPARE(int(decoded.error), int(error));
    QVERIFY(*SocketIoCodec::errorMessage(decoded.error));
}

// A packet is one whole Engine.IO message: every cut of one is malformed, never a packet.
void tst_MsgpackPacket::prefixesFail()
{
    for (const char *golden :
         { serverEventWithAck, serverEvent, serverAck, serverConnectError, serverConnect, clientConnectAuth,
           clientConnect, clientDisconnect, clientEvent, clientEventWithAck, clientAck, serverNumbers }) {
        const QByteArray bytes = hex(golden);
        QVERIFY(Msgpack::decode(bytes));
        for (qsizetype cut = 0; cut < bytes.size(); ++cut) {
            const auto decoded = Msgpack::decode(bytes.first(cut));
            QVERIFY2(!decoded, golden);
            // and the rest after the cut is no packet either
            if (cut > 0)
                QVERIFY2(!Msgpack::decode(bytes.sliced(cut)), golden);
        }
    }
}

// Polling: each packet is a "b"+base64 message of the payload, split at the record separator.
void tst_MsgpackPacket::pollingPayload()
{
    const QList<EnginePacket> packets{ EnginePacket::binaryMessage(hex(serverEvent)),
                                       EnginePacket::binaryMessage(hex(serverNumbers)),
                                       EnginePacket::text(EnginePacket::Type::Ping) };
    const QByteArray body = EngineCodec::encodePayload(packets, 4);
    QVERIFY(body.startsWith("bg6R0eXBl"));
    const auto decoded = EngineCodec::decodePayload(body, 4);
    QVERIFY(decoded);
    QCOMPARE(decoded.value->size(), 3);
    QVERIFY(decoded.value->at(0).binary);
    QCOMPARE(Msgpack::decode(decoded.value->at(0).data).packet->data, json(R"(["bc",2.5])"));
    QCOMPARE(Msgpack::decode(decoded.value->at(1).data).packet->data, QCborValue(numbersData(true)));
}

// Decoded packets give handlers the same argument types as JSON ones, binaries as QByteArray.
void tst_MsgpackPacket::arguments()
{
    const auto decoded = Msgpack::decode(hex(serverNumbers));
    QVERIFY(decoded);
    const QVariantList args = SocketIo::Arguments::fromPayload(decoded.packet->data, {});
    QCOMPARE(args.size(), 28);
    QCOMPARE(args.at(1), QVariant(qlonglong(1)));
    QCOMPARE(args.at(19), QVariant(1.5));
    QCOMPARE(args.at(20), QVariant(QStringLiteral("h\u00e9llo")));
    QCOMPARE(args.at(26), QVariant(QByteArray("\x01\x02\x03", 3)));
    QCOMPARE(args.at(27), QVariant(QByteArray("\x04\x05", 2)));
    const QCborMap map = args.at(25).value<QCborMap>();
    QCOMPARE(map.keys().first(), QCborValue(QStringLiteral("b"))); // sender's order
}

QTEST_APPLESS_MAIN(tst_MsgpackPacket)
#include "tst_msgpackpacket.moc"
