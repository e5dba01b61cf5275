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
    QCOMPARE(json->value(QStringLiteral("type")).toInt(), 2);
    QCOMPARE(json->value(QStringLiteral("opts")).toMap().value(QStringLiteral("rooms")).toList().size(), 1);
    const QVariantMap map{ { QStringLiteral("type"), 9 },
                           { QStringLiteral("requestId"), QStringLiteral("r1") },
                           { QStringLiteral("packet"), QByteArray("\x01", 1) } };
    const auto packed = decodeRequest(packMsgpack(map));
    QVERIFY(packed);
    QCOMPARE(packed->value(QStringLiteral("packet")), QVariant(QByteArray("\x01", 1)));
    QVERIFY(!decodeRequest("{not json"));
    QVERIFY(!decodeRequest("[1,2]"));
    QVERIFY(!decodeRequest(QByteArray::fromHex("9101")));
    QVERIFY(!decodeRequest(QByteArray()));
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
