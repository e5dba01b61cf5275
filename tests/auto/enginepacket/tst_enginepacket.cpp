// SPDX-License-Identifier: MIT
// Engine.IO packet and payload codecs, v4 and v3. Golden strings come from the
// engine.io-protocol README (v4 and v3 revisions) and from docs/conformance.md cases 5-8.
#include "protocol/enginepacket.h"

#include <QTest>

using namespace SocketIo::Protocol;
using Type = EnginePacket::Type;
using Error = EngineCodec::Error;
using Packets = QList<EnginePacket>;

namespace SocketIo::Protocol {
// Readable failure messages (found by QTest through argument-dependent lookup).
char *toString(const EnginePacket &p)
{
    const QByteArray data = p.binary ? p.data.toHex(' ') : p.data;
    return qstrdup(
        QByteArray(QByteArray::number(int(p.type)) + (p.binary ? " binary [" : " text [") + data + "]")
            .constData());
}
namespace EngineCodec {
char *toString(Error e)
{
    return qstrdup(QByteArray(QByteArray::number(int(e)) + " (" + errorMessage(e) + ")").constData());
}
} // namespace EngineCodec
} // namespace SocketIo::Protocol

namespace {

EnginePacket text(Type type, const char *data = "")
{
    return EnginePacket::text(type, QByteArray(data));
}
EnginePacket msg(const char *utf8)
{
    return EnginePacket::message(QByteArray(utf8));
}
EnginePacket bin(QByteArray bytes)
{
    return EnginePacket::binaryMessage(std::move(bytes));
}

const QByteArray bytes1234 = QByteArray::fromHex("01020304");

// Hex bytes followed by text, for binary payloads: hexThen("0006ff", "4hello").
QByteArray hexThen(const char *hex, const char *text)
{
    QByteArray out = QByteArray::fromHex(hex);
    out.append(text);
    return out;
}

// The v3 binary payload of the README example: "€" as a string packet, then <01 02 03 04> as
// a binary packet. The README omits the binary packet's type byte; engine.io-parser 2.x
// (encodeBuffer) writes it, so the binary entry is 5 bytes long: 04 01 02 03 04.
const QByteArray readmeBinaryPayloadV3 = QByteArray::fromHex("0004ff34e282ac0105ff0401020304");

} // namespace

Q_DECLARE_METATYPE(SocketIo::Protocol::EnginePacket)
Q_DECLARE_METATYPE(SocketIo::Protocol::EngineCodec::Error)

class tst_EnginePacket : public QObject
{
    Q_OBJECT

private:
    static void comparePackets(const Packets &actual, const Packets &expected);
    static void checkV4Splits(const QByteArray &body, const Packets &whole);
    static void checkLengthPrefixedSplits(const QByteArray &body, const Packets &whole, bool binaryPayload);

private Q_SLOTS:
    void decodeTextFrame_data();
    void decodeTextFrame();
    void decodeBinaryFrame_data();
    void decodeBinaryFrame();
    void encodeFrame_data();
    void encodeFrame();

    void decodePayloadV4_data();
    void decodePayloadV4();
    void decodePayloadV3_data();
    void decodePayloadV3();
    void decodeBinaryPayloadV3_data();
    void decodeBinaryPayloadV3();

    void encodePayload_data();
    void encodePayload();

    void maxPackets();
    void decodeFromViewInsideLargerBuffer();
    void errorMessages();
};

void tst_EnginePacket::comparePackets(const Packets &actual, const Packets &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i)
        QCOMPARE(actual.at(i), expected.at(i));
}

// --- WebSocket frames ----------------------------------------------------------------------

void tst_EnginePacket::decodeTextFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Error>("error");
    QTest::addColumn<EnginePacket>("packet");

    const QByteArray open = R"(0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
                            R"("pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000})";
    QTest::newRow("open handshake (README)") << open << Error::None << text(Type::Open, open.constData() + 1);
    QTest::newRow("close") << QByteArray("1") << Error::None << text(Type::Close);
    QTest::newRow("ping") << QByteArray("2") << Error::None << text(Type::Ping);
    QTest::newRow("ping probe (case 16)") << QByteArray("2probe") << Error::None << text(Type::Ping, "probe");
    QTest::newRow("pong probe (case 16)") << QByteArray("3probe") << Error::None << text(Type::Pong, "probe");
    QTest::newRow("message hello (case 10)") << QByteArray("4hello") << Error::None << msg("hello");
    QTest::newRow("message UTF-8 (README)") << QByteArray("4€") << Error::None << msg("€");
    QTest::newRow("empty message") << QByteArray("4") << Error::None << msg("");
    QTest::newRow("socket.io event") << QByteArray(R"(42["message",1,"2",{"3":[true]}])") << Error::None
                                     << msg(R"(2["message",1,"2",{"3":[true]}])");
    QTest::newRow("record separator is data in a frame") << QByteArray("4a\x1e"
                                                                       "b")
                                                         << Error::None
                                                         << msg("a\x1e"
                                                                "b");
    QTest::newRow("upgrade") << QByteArray("5") << Error::None << text(Type::Upgrade);
    QTest::newRow("noop") << QByteArray("6") << Error::None << text(Type::Noop);

    QTest::newRow("empty frame") << QByteArray() << Error::Empty << EnginePacket();
    QTest::newRow("type 7") << QByteArray("7") << Error::UnknownType << EnginePacket();
    QTest::newRow("type 9 with data") << QByteArray("9hello") << Error::UnknownType << EnginePacket();
    QTest::newRow("malformed abc (case 10)") << QByteArray("abc") << Error::UnknownType << EnginePacket();
    QTest::newRow("base64 not allowed in text frames")
        << QByteArray("bAQIDBA==") << Error::UnknownType << EnginePacket();
    QTest::newRow("leading space") << QByteArray(" 4hello") << Error::UnknownType << EnginePacket();
    QTest::newRow("raw type byte") << QByteArray("\x04hello") << Error::UnknownType << EnginePacket();
    QTest::newRow("slash before digit") << QByteArray("/4") << Error::UnknownType << EnginePacket();
}

void tst_EnginePacket::decodeTextFrame()
{
    QFETCH(QByteArray, frame);
    QFETCH(Error, error);
    QFETCH(EnginePacket, packet);

    const auto result = EngineCodec::decodeTextFrame(frame);
    QCOMPARE(result.error, error);
    QCOMPARE(bool(result), error == Error::None);
    if (!result)
        return;
    QCOMPARE(*result.value, packet);
    // Round trip: encoding gives back the exact frame, for either protocol.
    QCOMPARE(EngineCodec::encodeFrame(packet, 4), frame);
    QCOMPARE(EngineCodec::encodeFrame(packet, 3), frame);

    // Every truncation keeps the type and truncates the data.
    for (qsizetype i = 1; i < frame.size(); ++i) {
        const auto prefix = EngineCodec::decodeTextFrame(QByteArrayView(frame).first(i));
        QVERIFY2(prefix, QByteArray::number(i).constData());
        QCOMPARE(prefix.value->type, packet.type);
        QCOMPARE(prefix.value->data, packet.data.first(i - 1));
    }
}

void tst_EnginePacket::decodeBinaryFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<Error>("error");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("v4 binary [1,2,3,4] (case 10)") << bytes1234 << 4 << Error::None << bytes1234;
    QTest::newRow("v4 empty binary message") << QByteArray() << 4 << Error::None << QByteArray();
    QTest::newRow("v4 first byte is data") << QByteArray("\x04"
                                                         "abc")
                                           << 4 << Error::None
                                           << QByteArray("\x04"
                                                         "abc");
    QTest::newRow("v4 digit text is still binary")
        << QByteArray("4hello") << 4 << Error::None << QByteArray("4hello");
    QTest::newRow("v3 type byte 4 then data")
        << QByteArray::fromHex("0401020304") << 3 << Error::None << bytes1234;
    QTest::newRow("v3 empty binary message") << QByteArray("\x04") << 3 << Error::None << QByteArray();
    QTest::newRow("v3 data with NUL and 0xFF")
        << QByteArray::fromHex("0400ff00") << 3 << Error::None << QByteArray::fromHex("00ff00");

    QTest::newRow("v3 empty frame") << QByteArray() << 3 << Error::Empty << QByteArray();
    QTest::newRow("v3 ASCII digit is not the type byte")
        << QByteArray("4hello") << 3 << Error::UnknownType << QByteArray();
    QTest::newRow("v3 ping type byte") << QByteArray("\x02"
                                                     "probe")
                                       << 3 << Error::UnknownType << QByteArray();
    QTest::newRow("v3 type byte 0xff") << QByteArray("\xff") << 3 << Error::UnknownType << QByteArray();
}

void tst_EnginePacket::decodeBinaryFrame()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, protocol);
    QFETCH(Error, error);
    QFETCH(QByteArray, data);

    const auto result = EngineCodec::decodeBinaryFrame(frame, protocol);
    QCOMPARE(result.error, error);
    if (error != Error::None) {
        QVERIFY(!result);
        return;
    }
    QVERIFY(result);
    QCOMPARE(*result.value, EnginePacket::binaryMessage(data));
    QCOMPARE(EngineCodec::encodeFrame(*result.value, protocol), frame);

    // Truncated frames: v4 keeps the prefix as data; v3 keeps the type byte.
    for (qsizetype i = 1; i < frame.size(); ++i) {
        const auto prefix = EngineCodec::decodeBinaryFrame(QByteArrayView(frame).first(i), protocol);
        QVERIFY(prefix);
        QCOMPARE(prefix.value->data, protocol == 3 ? data.first(i - 1) : data.first(i));
    }
}

void tst_EnginePacket::encodeFrame_data()
{
    QTest::addColumn<EnginePacket>("packet");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<QByteArray>("frame");

    QTest::newRow("v4 message") << msg("hello") << 4 << QByteArray("4hello");
    QTest::newRow("v4 ping probe") << text(Type::Ping, "probe") << 4 << QByteArray("2probe");
    QTest::newRow("v4 binary is raw") << bin(bytes1234) << 4 << bytes1234;
    QTest::newRow("v3 binary gets type byte") << bin(bytes1234) << 3 << QByteArray::fromHex("0401020304");
    QTest::newRow("v3 text message") << msg("€") << 3 << QByteArray("4€");
    // The binary flag only means something for messages.
    QTest::newRow("binary flag on ping is ignored")
        << EnginePacket{ Type::Ping, QByteArray("x"), true } << 4 << QByteArray("2x");
}

void tst_EnginePacket::encodeFrame()
{
    QFETCH(EnginePacket, packet);
    QFETCH(int, protocol);
    QFETCH(QByteArray, frame);
    QCOMPARE(EngineCodec::encodeFrame(packet, protocol), frame);
}

// --- Payload helpers -------------------------------------------------------------------------

// v4 split at every byte boundary. At a separator the two halves decode to the whole; a prefix
// ending in a separator is an empty packet; any other prefix decodes the complete packets and a
// truncated last one (exactly, for text; for base64 a prefix of the bytes or BadBase64).
void tst_EnginePacket::checkV4Splits(const QByteArray &body, const Packets &whole)
{
    qsizetype packetIndex = 0; // packet that contains byte i-1
    qsizetype packetStart = 0;
    for (qsizetype i = 1; i < body.size(); ++i) {
        if (body[i - 1] == '\x1e') {
            ++packetIndex;
            packetStart = i;
        }
        const auto head = EngineCodec::decodePayload(QByteArrayView(body).first(i), 4);
        if (body[i] == '\x1e') {
            const auto tail = EngineCodec::decodePayload(QByteArrayView(body).sliced(i + 1), 4);
            QVERIFY(head && tail);
            comparePackets(*head.value + *tail.value, whole);
        }
        if (packetStart == i) {
            QCOMPARE(head.error, Error::Empty);
            continue;
        }
        const EnginePacket &cut = whole.at(packetIndex);
        if (!cut.binary) {
            QVERIFY(head);
            QCOMPARE(head.value->size(), packetIndex + 1);
            comparePackets(head.value->first(packetIndex), whole.first(packetIndex));
            QCOMPARE(head.value->last(), text(cut.type, cut.data.first(i - packetStart - 1).constData()));
        } else if (head) {
            QCOMPARE(head.value->size(), packetIndex + 1);
            QVERIFY(head.value->last().binary);
            QVERIFY(cut.data.startsWith(head.value->last().data));
        } else {
            QCOMPARE(head.error, Error::BadBase64);
        }
    }
}

// v3 text or binary payloads split at every byte boundary: a prefix ending on an entry boundary
// decodes to the first packets and the rest to the others; any other prefix is BadLength (except
// when the cut splits a UTF-8 sequence, which counts as shorter malformed text).
void tst_EnginePacket::checkLengthPrefixedSplits(const QByteArray &body, const Packets &whole,
                                                 bool binaryPayload)
{
    auto decode = [binaryPayload](QByteArrayView view) {
        return binaryPayload ? EngineCodec::decodeBinaryPayloadV3(view) : EngineCodec::decodePayload(view, 3);
    };
    qsizetype boundaries = 0;
    for (qsizetype i = 1; i < body.size(); ++i) {
        const auto head = decode(QByteArrayView(body).first(i));
        const bool insideUtf8 = !binaryPayload && (uchar(body[i]) & 0xc0) == 0x80;
        if (!head) {
            if (!insideUtf8)
                QCOMPARE(head.error, Error::BadLength);
            continue;
        }
        if (insideUtf8)
            continue;
        ++boundaries;
        const qsizetype k = head.value->size();
        QVERIFY(k <= whole.size());
        comparePackets(*head.value, whole.first(k));
        const auto tail = decode(QByteArrayView(body).sliced(i));
        QVERIFY(tail);
        comparePackets(*tail.value, whole.sliced(k));
    }
    QVERIFY(boundaries >= whole.size() - 1);
}

// --- v4 payloads ---------------------------------------------------------------------------

void tst_EnginePacket::decodePayloadV4_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Error>("error");
    QTest::addColumn<Packets>("packets");

    QTest::newRow("case 5: 4hello") << QByteArray("4hello") << Error::None << Packets{ msg("hello") };
    QTest::newRow("case 6: three messages")
        << QByteArray("4test1\x1e"
                      "4test2\x1e"
                      "4test3")
        << Error::None << Packets{ msg("test1"), msg("test2"), msg("test3") };
    QTest::newRow("case 7: text and base64 binary") << QByteArray("4hello\x1e"
                                                                  "bAQIDBA==")
                                                    << Error::None << Packets{ msg("hello"), bin(bytes1234) };
    QTest::newRow("README: 4€ and binary") << QByteArray("4€\x1e"
                                                         "bAQIDBA==")
                                           << Error::None << Packets{ msg("€"), bin(bytes1234) };
    QTest::newRow("case 11: pong") << QByteArray("3") << Error::None << Packets{ text(Type::Pong) };
    QTest::newRow("case 14: close") << QByteArray("1") << Error::None << Packets{ text(Type::Close) };
    QTest::newRow("noop then ping probe")
        << QByteArray("6\x1e"
                      "2probe")
        << Error::None << Packets{ text(Type::Noop), text(Type::Ping, "probe") };
    QTest::newRow("empty messages") << QByteArray("4\x1e"
                                                  "4")
                                    << Error::None << Packets{ msg(""), msg("") };
    QTest::newRow("empty binary") << QByteArray("b") << Error::None << Packets{ bin({}) };
    QTest::newRow("binary one byte") << QByteArray("bAA==") << Error::None
                                     << Packets{ bin(QByteArray(1, '\0')) };
    QTest::newRow("unpadded base64") << QByteArray("bAQIDBA") << Error::None << Packets{ bin(bytes1234) };
    QTest::newRow("colon is plain data") << QByteArray("42:4") << Error::None << Packets{ msg("2:4") };
    QTest::newRow("v3 length prefix reads as noop")
        << QByteArray("6:4hello") << Error::None << Packets{ text(Type::Noop, ":4hello") };

    QTest::newRow("empty body") << QByteArray() << Error::Empty << Packets{};
    QTest::newRow("only a separator") << QByteArray("\x1e") << Error::Empty << Packets{};
    QTest::newRow("trailing separator") << QByteArray("4a\x1e") << Error::Empty << Packets{};
    QTest::newRow("leading separator") << QByteArray("\x1e"
                                                     "4a")
                                       << Error::Empty << Packets{};
    QTest::newRow("two separators") << QByteArray("4a\x1e\x1e"
                                                  "4b")
                                    << Error::Empty << Packets{};
    QTest::newRow("case 8: abc") << QByteArray("abc") << Error::UnknownType << Packets{};
    QTest::newRow("unknown type after valid packet") << QByteArray("4a\x1e"
                                                                   "7")
                                                     << Error::UnknownType << Packets{};
    QTest::newRow("v3 base64 form in v4") << QByteArray("b4AQIDBA==") << Error::BadBase64 << Packets{};
    QTest::newRow("bad base64 character") << QByteArray("bAQ*DBA==") << Error::BadBase64 << Packets{};
    QTest::newRow("base64url is not base64") << QByteArray("b-_-_") << Error::BadBase64 << Packets{};
    QTest::newRow("base64 with space") << QByteArray("bAQID BA==") << Error::BadBase64 << Packets{};
    QTest::newRow("base64 bad padding") << QByteArray("bAQIDBA=") << Error::BadBase64 << Packets{};
    QTest::newRow("base64 data after padding") << QByteArray("bAQ==AQ==") << Error::BadBase64 << Packets{};
    QTest::newRow("base64 single char") << QByteArray("bA") << Error::BadBase64 << Packets{};
    QTest::newRow("bad base64 after valid packet") << QByteArray("4a\x1e"
                                                                 "b!")
                                                   << Error::BadBase64 << Packets{};
}

void tst_EnginePacket::decodePayloadV4()
{
    QFETCH(QByteArray, body);
    QFETCH(Error, error);
    QFETCH(Packets, packets);

    const auto result = EngineCodec::decodePayload(body, 4);
    QCOMPARE(result.error, error);
    QCOMPARE(bool(result), error == Error::None);
    if (!result)
        return;
    comparePackets(*result.value, packets);

    // Round trip through the encoder (canonical base64 may differ from the input bytes).
    const auto again = EngineCodec::decodePayload(EngineCodec::encodePayload(packets, 4), 4);
    QVERIFY(again);
    comparePackets(*again.value, packets);

    checkV4Splits(body, packets);
}

// --- v3 payloads ---------------------------------------------------------------------------

void tst_EnginePacket::decodePayloadV3_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Error>("error");
    QTest::addColumn<Packets>("packets");

    QTest::newRow("README v3: 6:4hello2:4€")
        << QByteArray("6:4hello2:4€") << Error::None << Packets{ msg("hello"), msg("€") };
    QTest::newRow("README v3: 2:4€10:b4AQIDBA==")
        << QByteArray("2:4€10:b4AQIDBA==") << Error::None << Packets{ msg("€"), bin(bytes1234) };
    QTest::newRow("probe, message, upgrade")
        << QByteArray("6:2probe11:4HelloWorld1:5") << Error::None
        << Packets{ text(Type::Ping, "probe"), msg("HelloWorld"), text(Type::Upgrade) };
    QTest::newRow("surrogate pair counts two units")
        << QByteArray("3:4😀") << Error::None << Packets{ msg("😀") };
    QTest::newRow("mixed widths") << QByteArray("5:4é€😀1:2") << Error::None
                                  << Packets{ msg("é€😀"), text(Type::Ping) };
    QTest::newRow("colon and digits inside data")
        << QByteArray("6:412:34") << Error::None << Packets{ msg("12:34") };
    QTest::newRow("record separator is data") << QByteArray("3:4\x1e"
                                                            "x")
                                              << Error::None
                                              << Packets{ msg("\x1e"
                                                              "x") };
    QTest::newRow("empty list 0:") << QByteArray("0:") << Error::None << Packets{};
    QTest::newRow("empty entries are skipped")
        << QByteArray("0:1:20:") << Error::None << Packets{ text(Type::Ping) };
    QTest::newRow("leading zeros in length")
        << QByteArray("06:4hello") << Error::None << Packets{ msg("hello") };
    QTest::newRow("truncated UTF-8 sequence counts per byte") << QByteArray("3:4\xc3"
                                                                            "a1:6")
                                                              << Error::None
                                                              << Packets{ msg("\xc3"
                                                                              "a"),
                                                                          text(Type::Noop) };
    QTest::newRow("malformed UTF-8 byte counts one") << QByteArray("3:4\xff"
                                                                   "a")
                                                     << Error::None
                                                     << Packets{ msg("\xff"
                                                                     "a") };

    QTest::newRow("empty body") << QByteArray() << Error::Empty << Packets{};
    QTest::newRow("no length") << QByteArray("4hello") << Error::BadLength << Packets{};
    QTest::newRow("empty length") << QByteArray(":4hello") << Error::BadLength << Packets{};
    QTest::newRow("length not a number") << QByteArray("x:4hello") << Error::BadLength << Packets{};
    QTest::newRow("negative length") << QByteArray("-1:4") << Error::BadLength << Packets{};
    QTest::newRow("length past the end") << QByteArray("7:4hello") << Error::BadLength << Packets{};
    QTest::newRow("length too short leaves garbage")
        << QByteArray("2:4hello") << Error::BadLength << Packets{};
    QTest::newRow("UTF-8 bytes are not units") << QByteArray("4:4€") << Error::BadLength << Packets{};
    QTest::newRow("length ends inside surrogate pair") << QByteArray("2:4😀") << Error::BadLength << Packets{};
    QTest::newRow("huge length") << QByteArray("99999999999999999999:4") << Error::BadLength << Packets{};
    QTest::newRow("trailing digits") << QByteArray("1:21") << Error::BadLength << Packets{};
    QTest::newRow("unknown type") << QByteArray("1:7") << Error::UnknownType << Packets{};
    QTest::newRow("b without type") << QByteArray("1:b") << Error::UnknownType << Packets{};
    QTest::newRow("base64 for a ping") << QByteArray("3:b2A") << Error::UnknownType << Packets{};
    QTest::newRow("v4 base64 form in v3") << QByteArray("9:bAQIDBA==") << Error::UnknownType << Packets{};
    QTest::newRow("bad base64") << QByteArray("4:b4!!") << Error::BadBase64 << Packets{};
}

void tst_EnginePacket::decodePayloadV3()
{
    QFETCH(QByteArray, body);
    QFETCH(Error, error);
    QFETCH(Packets, packets);

    const auto result = EngineCodec::decodePayload(body, 3);
    QCOMPARE(result.error, error);
    QCOMPARE(bool(result), error == Error::None);
    if (!result)
        return;
    comparePackets(*result.value, packets);

    const auto again = EngineCodec::decodePayload(EngineCodec::encodePayload(packets, 3), 3);
    QVERIFY(again);
    comparePackets(*again.value, packets);

    checkLengthPrefixedSplits(body, packets, false);
}

void tst_EnginePacket::decodeBinaryPayloadV3_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Error>("error");
    QTest::addColumn<Packets>("packets");

    QTest::newRow("README v3 binary payload")
        << readmeBinaryPayloadV3 << Error::None << Packets{ msg("€"), bin(bytes1234) };
    QTest::newRow("string entry") << hexThen("0006ff", "4hello") << Error::None << Packets{ msg("hello") };
    QTest::newRow("two-digit length")
        << hexThen("000100ff", "4012345678") << Error::None << Packets{ msg("012345678") };
    QTest::newRow("base64 inside a string entry")
        << hexThen("000100ff", "b4AQIDBA==") << Error::None << Packets{ bin(bytes1234) };
    QTest::newRow("binary entry, empty data")
        << QByteArray::fromHex("0101ff04") << Error::None << Packets{ bin({}) };
    QTest::newRow("binary data holding 0xff")
        << QByteArray::fromHex("0103ff04ffff0001ff32") << Error::None
        << Packets{ bin(QByteArray::fromHex("ffff")), text(Type::Ping) };

    QTest::newRow("empty body") << QByteArray() << Error::Empty << Packets{};
    QTest::newRow("unknown entry marker") << QByteArray::fromHex("0201ff32") << Error::BadLength << Packets{};
    QTest::newRow("no 0xff") << QByteArray::fromHex("0001") << Error::BadLength << Packets{};
    QTest::newRow("no length digits") << QByteArray::fromHex("00ff32") << Error::BadLength << Packets{};
    QTest::newRow("length byte above 9") << QByteArray::fromHex("000aff32") << Error::BadLength << Packets{};
    QTest::newRow("ASCII digit as length byte")
        << QByteArray::fromHex("0031ff32") << Error::BadLength << Packets{};
    QTest::newRow("length past the end") << QByteArray::fromHex("0005ff32") << Error::BadLength << Packets{};
    QTest::newRow("empty string entry") << QByteArray::fromHex("0000ff") << Error::Empty << Packets{};
    QTest::newRow("empty binary entry") << QByteArray::fromHex("0100ff") << Error::Empty << Packets{};
    QTest::newRow("binary entry not a message")
        << QByteArray::fromHex("0102ff0201") << Error::UnknownType << Packets{};
    QTest::newRow("string entry unknown type")
        << QByteArray::fromHex("0001ff39") << Error::UnknownType << Packets{};
    QTest::newRow("string entry bad base64") << hexThen("0004ff", "b4!!") << Error::BadBase64 << Packets{};
}

void tst_EnginePacket::decodeBinaryPayloadV3()
{
    QFETCH(QByteArray, body);
    QFETCH(Error, error);
    QFETCH(Packets, packets);

    const auto result = EngineCodec::decodeBinaryPayloadV3(body);
    QCOMPARE(result.error, error);
    QCOMPARE(bool(result), error == Error::None);
    if (!result)
        return;
    comparePackets(*result.value, packets);

    const auto again = EngineCodec::decodeBinaryPayloadV3(EngineCodec::encodeBinaryPayloadV3(packets));
    QVERIFY(again);
    comparePackets(*again.value, packets);

    checkLengthPrefixedSplits(body, packets, true);
}

// --- Encoding: golden payloads, then decoded back ---------------------------------------------

void tst_EnginePacket::encodePayload_data()
{
    QTest::addColumn<Packets>("packets");
    QTest::addColumn<QByteArray>("v4");
    QTest::addColumn<QByteArray>("v3");
    QTest::addColumn<QByteArray>("v3binary");

    QTest::newRow("case 5") << Packets{ msg("hello") } << QByteArray("4hello") << QByteArray("6:4hello")
                            << hexThen("0006ff", "4hello");
    QTest::newRow("case 6") << Packets{ msg("test1"), msg("test2"), msg("test3") }
                            << QByteArray("4test1\x1e"
                                          "4test2\x1e"
                                          "4test3")
                            << QByteArray("6:4test16:4test26:4test3")
                            << QByteArray(hexThen("0006ff", "4test1") + hexThen("0006ff", "4test2")
                                          + hexThen("0006ff", "4test3"));
    QTest::newRow("case 7") << Packets{ msg("hello"), bin(bytes1234) }
                            << QByteArray("4hello\x1e"
                                          "bAQIDBA==")
                            << QByteArray("6:4hello10:b4AQIDBA==")
                            << QByteArray(hexThen("0006ff", "4hello")
                                          + QByteArray::fromHex("0105ff0401020304"));
    QTest::newRow("README example") << Packets{ msg("€"), bin(bytes1234) }
                                    << QByteArray("4€\x1e"
                                                  "bAQIDBA==")
                                    << QByteArray("2:4€10:b4AQIDBA==") << readmeBinaryPayloadV3;
    QTest::newRow("surrogate pair") << Packets{ msg("😀") } << QByteArray("4😀") << QByteArray("3:4😀")
                                    << hexThen("0005ff", "4😀");
    QTest::newRow("control packets") << Packets{ text(Type::Ping, "probe"), text(Type::Upgrade),
                                                 text(Type::Noop) }
                                     << QByteArray("2probe\x1e"
                                                   "5\x1e"
                                                   "6")
                                     << QByteArray("6:2probe1:51:6")
                                     << QByteArray(hexThen("0006ff", "2probe") + hexThen("0001ff", "5")
                                                   + hexThen("0001ff", "6"));
    QTest::newRow("empty binary") << Packets{ bin({}) } << QByteArray("b") << QByteArray("2:b4")
                                  << QByteArray::fromHex("0101ff04");
    QTest::newRow("no packets") << Packets{} << QByteArray() << QByteArray("0:") << QByteArray();
}

void tst_EnginePacket::encodePayload()
{
    QFETCH(Packets, packets);
    QFETCH(QByteArray, v4);
    QFETCH(QByteArray, v3);
    QFETCH(QByteArray, v3binary);

    QCOMPARE(EngineCodec::encodePayload(packets, 4), v4);
    QCOMPARE(EngineCodec::encodePayload(packets, 3), v3);
    QCOMPARE(EngineCodec::encodeBinaryPayloadV3(packets), v3binary);

    const auto v3Decoded = EngineCodec::decodePayload(v3, 3);
    QVERIFY(v3Decoded);
    comparePackets(*v3Decoded.value, packets);
    if (packets.isEmpty()) { // nothing to send is not a valid v4 or binary v3 body
        QCOMPARE(EngineCodec::decodePayload(v4, 4).error, Error::Empty);
        QCOMPARE(EngineCodec::decodeBinaryPayloadV3(v3binary).error, Error::Empty);
        return;
    }
    const auto v4Decoded = EngineCodec::decodePayload(v4, 4);
    QVERIFY(v4Decoded);
    comparePackets(*v4Decoded.value, packets);
    const auto binaryDecoded = EngineCodec::decodeBinaryPayloadV3(v3binary);
    QVERIFY(binaryDecoded);
    comparePackets(*binaryDecoded.value, packets);
}

// --- Limits and odds -----------------------------------------------------------------------

void tst_EnginePacket::maxPackets()
{
    const Packets three{ msg("a"), msg("b"), text(Type::Ping) };
    const QByteArray v4 = EngineCodec::encodePayload(three, 4);
    const QByteArray v3 = EngineCodec::encodePayload(three, 3);
    const QByteArray v3binary = EngineCodec::encodeBinaryPayloadV3(three);

    QVERIFY(EngineCodec::decodePayload(v4, 4, 3));
    QCOMPARE(EngineCodec::decodePayload(v4, 4, 2).error, Error::TooManyPackets);
    QVERIFY(!EngineCodec::decodePayload(v4, 4, 2).value);
    QVERIFY(EngineCodec::decodePayload(v3, 3, 3));
    QCOMPARE(EngineCodec::decodePayload(v3, 3, 2).error, Error::TooManyPackets);
    QVERIFY(EngineCodec::decodeBinaryPayloadV3(v3binary, 3));
    QCOMPARE(EngineCodec::decodeBinaryPayloadV3(v3binary, 2).error, Error::TooManyPackets);

    // Empty v3 entries are not packets.
    QVERIFY(EngineCodec::decodePayload("0:0:0:1:2", 3, 1));

    // A long payload of empty messages stays linear and bounded by the default.
    QByteArray many = "4";
    for (int i = 0; i < 10000; ++i)
        many += "\x1e"
                "4";
    QCOMPARE(EngineCodec::decodePayload(many, 4).error, Error::TooManyPackets);
    QCOMPARE(EngineCodec::decodePayload(many, 4, 10001).value->size(), 10001);
}

// Views into a larger buffer: the decoders must stop at the view's end.
void tst_EnginePacket::decodeFromViewInsideLargerBuffer()
{
    const QByteArray buffer = "xx4hello\x1e"
                              "bAQIDBA=="
                              "4:4abc"
                              "6:4";
    const auto v4 = EngineCodec::decodePayload(QByteArrayView(buffer).sliced(2, 16), 4);
    QVERIFY(v4);
    comparePackets(*v4.value, Packets{ msg("hello"), bin(bytes1234) });

    const auto v3 = EngineCodec::decodePayload(QByteArrayView(buffer).sliced(18, 6), 3);
    QVERIFY(v3);
    comparePackets(*v3.value, Packets{ msg("abc") });
    // "4:4a" when the view ends early, even though the buffer continues.
    QCOMPARE(EngineCodec::decodePayload(QByteArrayView(buffer).sliced(18, 4), 3).error, Error::BadLength);

    const QByteArray binary = readmeBinaryPayloadV3 + QByteArray::fromHex("0002ff34");
    QCOMPARE(
        EngineCodec::decodeBinaryPayloadV3(QByteArrayView(binary).first(readmeBinaryPayloadV3.size() + 3))
            .error,
        Error::BadLength);
}

void tst_EnginePacket::errorMessages()
{
    QCOMPARE(EngineCodec::errorMessage(Error::None), "");
    for (Error e :
         { Error::Empty, Error::UnknownType, Error::BadBase64, Error::BadLength, Error::TooManyPackets })
        QVERIFY(qstrlen(EngineCodec::errorMessage(e)) > 0);
}

QTEST_APPLESS_MAIN(tst_EnginePacket)
#include "tst_enginepacket.moc"
