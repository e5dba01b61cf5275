// SPDX-License-Identifier: MIT
// Socket.IO v5 packet codec and binary attachment reassembly. Golden strings come from the
// socket.io-protocol README (v5 "Examples") and docs/conformance.md cases 18-30, written without the
// Engine.IO "4" (message) prefix; error rows follow the decoder of socket.io-parser 4.x.
#include "protocol/json.h"
#include "protocol/socketiopacket.h"

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;
using Error = SocketIoCodec::Error;
using Status = SocketIoDecoder::Status;

namespace SocketIo::Protocol {
// Readable failure messages (found by QTest through argument-dependent lookup).
char *toString(const SocketIoPacket &p)
{
    QByteArray data = "undefined";
    if (!p.data.isUndefined()) {
        data.clear();
        Json::Writer(data).value(p.data);
    }
    QByteArray out = "type " + QByteArray::number(int(p.type)) + " nsp " + p.nsp.toUtf8() + " id "
        + QByteArray::number(p.id) + " data " + data + " attachments [";
    for (const QByteArray &a : p.attachments)
        out += " <" + a.toHex() + '>';
    out += " ]";
    return qstrdup(out.constData());
}
char *toString(SocketIoDecoder::Status s)
{
    static const char *const names[] = { "Packet", "NeedMore", "Error" };
    return qstrdup(names[int(s)]);
}
namespace SocketIoCodec {
char *toString(Error e)
{
    return qstrdup(QByteArray(QByteArray::number(int(e)) + " (" + errorMessage(e) + ")").constData());
}
} // namespace SocketIoCodec
} // namespace SocketIo::Protocol

Q_DECLARE_METATYPE(SocketIo::Protocol::SocketIoPacket)
Q_DECLARE_METATYPE(SocketIo::Protocol::SocketIoPacket::Type)
Q_DECLARE_METATYPE(SocketIo::Protocol::SocketIoCodec::Error)

namespace {

const QCborValue undefined;
const QByteArray bytes123 = QByteArray::fromHex("010203");
const QByteArray bytes456 = QByteArray::fromHex("040506");
const QByteArray bytes321 = QByteArray::fromHex("030201");

// Any JSON value, members in document order (tst_json checks the reader against Qt's); test
// data must be valid.
QCborValue json(const QByteArray &text)
{
    const auto value = Json::parse(text);
    if (!value)
        qFatal("bad JSON in test data: %s", text.constData());
    return *value;
}

SocketIoPacket pkt(Type type, const char *nsp = "/", qint64 id = -1, const QCborValue &data = undefined,
                   const QList<QByteArray> &attachments = {})
{
    SocketIoPacket p;
    p.type = type;
    p.nsp = QString::fromUtf8(nsp);
    p.id = id;
    p.data = data;
    p.attachments = attachments;
    return p;
}

SocketIoPacket withoutAttachments(SocketIoPacket p)
{
    p.attachments.clear();
    return p;
}

const char *const twoPlaceholders = R"({"_placeholder":true,"num":0},{"_placeholder":true,"num":1})";

QByteArray concat(const char *a, const char *b, const char *c)
{
    return QByteArray(a) + b + c;
}

// A packet and its canonical text: decode(text) gives the packet (without its attachments,
// whose count it announces) and encode(packet) gives the text.
struct SpecRow
{
    const char *name;
    QByteArray text;
    SocketIoPacket packet;
};

QList<SpecRow> specRows()
{
    const qint64 maxId = std::numeric_limits<qint64>::max();
    return {
        // socket.io-protocol README, v5 "Examples"
        { "README CONNECT main namespace", "0", pkt(Type::Connect) },
        { "README CONNECT /admin", "0/admin,", pkt(Type::Connect, "/admin") },
        { "README CONNECT with payload", R"(0/admin,{"token":"123"})",
          pkt(Type::Connect, "/admin", -1, QCborMap{ { QStringLiteral("token"), QStringLiteral("123") } }) },
        { "README CONNECT_ERROR", R"(4{"message":"Not authorized"})",
          pkt(Type::ConnectError, "/", -1,
              QCborMap{ { QStringLiteral("message"), QStringLiteral("Not authorized") } }) },
        { "README EVENT", R"(2["hello",1])",
          pkt(Type::Event, "/", -1, QCborArray{ QStringLiteral("hello"), 1 }) },
        { "README EVENT with ack id", R"(2/admin,456["project:delete",123])",
          pkt(Type::Event, "/admin", 456, QCborArray{ QStringLiteral("project:delete"), 123 }) },
        { "README ACK", "3/admin,456[]", pkt(Type::Ack, "/admin", 456, QCborArray()) },
        { "README BINARY_EVENT", R"(51-["hello",{"_placeholder":true,"num":0}])",
          pkt(Type::BinaryEvent, "/", -1, json(R"(["hello",{"_placeholder":true,"num":0}])"), { bytes123 }) },
        { "README BINARY_ACK", R"(61-/admin,456[{"_placeholder":true,"num":0}])",
          pkt(Type::BinaryAck, "/admin", 456, json(R"([{"_placeholder":true,"num":0}])"), { bytes321 }) },
        { "README DISCONNECT /admin", "1/admin,", pkt(Type::Disconnect, "/admin") },

        // Socket.IO cases of docs/conformance.md
        { "case 18 CONNECT", "0", pkt(Type::Connect) },
        { "case 18 CONNECT reply", R"(0{"sid":"abc"})",
          pkt(Type::Connect, "/", -1, json(R"({"sid":"abc"})")) },
        { "case 18 auth event", R"(2["auth",{}])", pkt(Type::Event, "/", -1, json(R"(["auth",{}])")) },
        { "case 19 CONNECT with auth", R"(0{"token":"123"})",
          pkt(Type::Connect, "/", -1, json(R"({"token":"123"})")) },
        { "case 20 CONNECT /custom", "0/custom,", pkt(Type::Connect, "/custom") },
        { "case 20 CONNECT /custom with auth", R"(0/custom,{"token":"abc"})",
          pkt(Type::Connect, "/custom", -1, json(R"({"token":"abc"})")) },
        { "case 20 CONNECT reply", R"(0/custom,{"sid":"abc"})",
          pkt(Type::Connect, "/custom", -1, json(R"({"sid":"abc"})")) },
        { "case 20 auth event", R"(2/custom,["auth",{}])",
          pkt(Type::Event, "/custom", -1, json(R"(["auth",{}])")) },
        { "case 21 CONNECT_ERROR reply", R"(4/random,{"message":"Invalid namespace"})",
          pkt(Type::ConnectError, "/random", -1, json(R"({"message":"Invalid namespace"})")) },
        { "case 24 DISCONNECT main namespace", "1", pkt(Type::Disconnect) },
        { "case 25 DISCONNECT /custom", "1/custom,", pkt(Type::Disconnect, "/custom") },
        { "case 25 message", R"(2["message","x"])", pkt(Type::Event, "/", -1, json(R"(["message","x"])")) },
        { "case 25 message-back", R"(2["message-back","x"])",
          pkt(Type::Event, "/", -1, json(R"(["message-back","x"])")) },
        { "case 26 message", R"(2["message",1,"2",{"3":[true]}])",
          pkt(Type::Event, "/", -1,
              QCborArray{ QStringLiteral("message"), 1, QStringLiteral("2"),
                          QCborMap{ { QStringLiteral("3"), QCborArray{ true } } } }) },
        { "case 26 message-back", R"(2["message-back",1,"2",{"3":[true]}])",
          pkt(Type::Event, "/", -1, json(R"(["message-back",1,"2",{"3":[true]}])")) },
        { "case 27 binary message", concat(R"(52-["message",)", twoPlaceholders, "]"),
          pkt(Type::BinaryEvent, "/", -1, json(concat(R"(["message",)", twoPlaceholders, "]")),
              { bytes123, bytes456 }) },
        { "case 27 binary message-back", concat(R"(52-["message-back",)", twoPlaceholders, "]"),
          pkt(Type::BinaryEvent, "/", -1, json(concat(R"(["message-back",)", twoPlaceholders, "]")),
              { bytes123, bytes456 }) },
        { "case 28 message-with-ack", R"(2456["message-with-ack",1,"2",{"3":[false]}])",
          pkt(Type::Event, "/", 456, json(R"(["message-with-ack",1,"2",{"3":[false]}])")) },
        { "case 28 ack", R"(3456[1,"2",{"3":[false]}])",
          pkt(Type::Ack, "/", 456,
              QCborArray{ 1, QStringLiteral("2"),
                          QCborMap{ { QStringLiteral("3"), QCborArray{ false } } } }) },
        { "case 29 binary message-with-ack", concat(R"(52-789["message-with-ack",)", twoPlaceholders, "]"),
          pkt(Type::BinaryEvent, "/", 789, json(concat(R"(["message-with-ack",)", twoPlaceholders, "]")),
              { bytes123, bytes456 }) },
        { "case 29 binary ack", concat("62-789[", twoPlaceholders, "]"),
          pkt(Type::BinaryAck, "/", 789, json(concat("[", twoPlaceholders, "]")), { bytes123, bytes456 }) },

        // More shapes
        { "CONNECT_ERROR string payload", R"(4"Not authorized")",
          pkt(Type::ConnectError, "/", -1, QCborValue(QStringLiteral("Not authorized"))) },
        { "EVENT numeric name", R"(2[1,"x"])", pkt(Type::Event, "/", -1, json(R"([1,"x"])")) },
        { "EVENT ack id 0", R"(20["x"])", pkt(Type::Event, "/", 0, json(R"(["x"])")) },
        { "ACK without id", "3[]", pkt(Type::Ack, "/", -1, QCborArray()) },
        { "ACK largest id", "39223372036854775807[]", pkt(Type::Ack, "/", maxId, QCborArray()) },
        { "EVENT UTF-8 namespace and arguments", "2/ünï €,[\"héllo\",\"€😀\"]",
          pkt(Type::Event, "/ünï €", -1, json("[\"héllo\",\"€😀\"]")) },
        { "namespace with JSON and digit characters", R"(0/a{b["c"1,)", pkt(Type::Connect, R"(/a{b["c"1)") },
        { "EVENT escaped strings", R"(2["q\"b\\s\n\u0001","",","])",
          pkt(Type::Event, "/", -1,
              QCborArray{ QStringLiteral("q\"b\\s\n\x01"), QString(), QStringLiteral(",") }) },
        { "EVENT numbers", R"(2["n",1.5,-2,0,1e+21,9007199254740993,0.1])",
          pkt(Type::Event, "/", -1,
              QCborArray{ QStringLiteral("n"), 1.5, -2, 0, 1e21, qint64(9007199254740993LL), 0.1 }) },
        { "EVENT placeholder in a non-binary event stays JSON", R"(2["x",{"_placeholder":true,"num":5}])",
          pkt(Type::Event, "/", -1, json(R"(["x",{"_placeholder":true,"num":5}])")) },
        { "BINARY_EVENT empty attachment", R"(51-["x",{"_placeholder":true,"num":0}])",
          pkt(Type::BinaryEvent, "/", -1, json(R"(["x",{"_placeholder":true,"num":0}])"), { QByteArray() }) },
        { "BINARY_EVENT nested and reused placeholders",
          R"(52-/admin,7["x",{"a":[{"_placeholder":true,"num":1}],"b":{"_placeholder":true,"num":1}}])",
          pkt(Type::BinaryEvent, "/admin", 7,
              json(R"(["x",{"a":[{"_placeholder":true,"num":1}],"b":{"_placeholder":true,"num":1}}])"),
              { bytes123, bytes456 }) },
        { "BINARY_ACK no placeholder in payload", "61-1[]",
          pkt(Type::BinaryAck, "/", 1, QCborArray(), { bytes123 }) },
    };
}

void addSpecRows()
{
    for (const SpecRow &row : specRows())
        QTest::newRow(row.name) << row.text << row.packet;
}

} // namespace

class tst_SocketIoPacket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void encode_data();
    void encode();
    void malformed_data();
    void malformed();
    void everyPrefix_data();
    void everyPrefix();
    void roundTrip_data();
    void roundTrip();

    void decoder_data();
    void decoder();
    void decoderTextWhileAwaiting();
    void decoderUnexpectedBinary();
    void decoderTooManyAttachments();
    void decoderAttachmentTooLarge();
    void decoderBadPlaceholder_data();
    void decoderBadPlaceholder();
    void decoderResetAndTake();

    void isPayloadValid_data();
    void isPayloadValid();
    void placeholdersValid_data();
    void placeholdersValid();
    void largeIntegersStayExact();
    void errorMessages();
};

// --- decode -----------------------------------------------------------------------------------

void tst_SocketIoPacket::decode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<SocketIoPacket>("packet");

    addSpecRows();

    // Accepted, though not in the form encode() writes.
    QTest::newRow("case 21 namespace without trailing comma")
        << QByteArray("0/random") << pkt(Type::Connect, "/random");
    QTest::newRow("namespace runs to the end, digits included")
        << QByteArray("0/x1") << pkt(Type::Connect, "/x1");
    QTest::newRow("explicit main namespace")
        << QByteArray(R"(2/,["x"])") << pkt(Type::Event, "/", -1, json(R"(["x"])"));
    QTest::newRow("leading zeros in ack id")
        << QByteArray(R"(2007["x"])") << pkt(Type::Event, "/", 7, json(R"(["x"])"));
    QTest::newRow("leading zero in attachment count")
        << QByteArray(R"(501-["x",{"_placeholder":true,"num":0}])")
        << pkt(Type::BinaryEvent, "/", -1, json(R"(["x",{"_placeholder":true,"num":0}])"), { QByteArray() });
    QTest::newRow("whitespace around payload (JSON.parse skips it)")
        << QByteArray("2 \t[\"x\"]\r\n") << pkt(Type::Event, "/", -1, json(R"(["x"])"));
    QTest::newRow("whitespace around string payload")
        << QByteArray("4 \"no\" ") << pkt(Type::ConnectError, "/", -1, json(R"("no")"));
    // Members stay in the sender's order (JSON.parse); QJsonObject would sort them.
    QTest::newRow("object keys in document order")
        << QByteArray(R"(0{"b":1,"a":2})") << pkt(Type::Connect, "/", -1, json(R"({"b":1,"a":2})"));
}

void tst_SocketIoPacket::decode()
{
    QFETCH(QByteArray, text);
    QFETCH(SocketIoPacket, packet);

    const bool binary = packet.type == Type::BinaryEvent || packet.type == Type::BinaryAck;
    const auto expectedAttachments = int(packet.attachments.size());
    QCOMPARE(expectedAttachments > 0, binary);

    const auto result = SocketIoCodec::decode(text);
    QCOMPARE(result.error, Error::None);
    QVERIFY(result);
    QCOMPARE(*result.packet, withoutAttachments(packet));
    QCOMPARE(result.expectedAttachments, expectedAttachments);

    // The view's end is the frame's end, whatever follows it in memory.
    const QByteArray buffer = text + QByteArrayLiteral("1]}\",x");
    const auto inside = SocketIoCodec::decode(QByteArrayView(buffer).first(text.size()));
    QCOMPARE(inside.error, Error::None);
    QVERIFY(inside);
    QCOMPARE(*inside.packet, *result.packet);
    QCOMPARE(inside.expectedAttachments, expectedAttachments);
}

// --- encode -----------------------------------------------------------------------------------

void tst_SocketIoPacket::encode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<SocketIoPacket>("packet");

    addSpecRows();

    QTest::newRow("integral doubles are written as integers")
        << QByteArray(R"(2["n",1,-3,100000,2.5])")
        << pkt(Type::Event, "/", -1, QCborArray{ QStringLiteral("n"), 1.0, -3.0, 1e5, 2.5 });
    QTest::newRow("empty namespace is the main namespace")
        << QByteArray(R"(2["x"])") << pkt(Type::Event, "", -1, json(R"(["x"])"));
    QTest::newRow("null data is not written (as socket.io-parser)")
        << QByteArray("0/admin,") << pkt(Type::Connect, "/admin", -1, QCborValue(nullptr));
    QTest::newRow("bool payload") << QByteArray("4true")
                                  << pkt(Type::ConnectError, "/", -1, QCborValue(true));
    QTest::newRow("attachment count is the attachment list size")
        << QByteArray("53-[\"x\"]")
        << pkt(Type::BinaryEvent, "/", -1, json(R"(["x"])"), { bytes123, bytes456, bytes321 });
    QTest::newRow("object keys in insertion order (JSON.stringify)")
        << QByteArray(R"(0{"b":1,"a":2})")
        << pkt(Type::Connect, "/", -1, QCborMap{ { QStringLiteral("b"), 1 }, { QStringLiteral("a"), 2 } });
}

void tst_SocketIoPacket::encode()
{
    QFETCH(QByteArray, text);
    QFETCH(SocketIoPacket, packet);

    QCOMPARE(SocketIoCodec::encode(packet), text);
}

// --- malformed --------------------------------------------------------------------------------

void tst_SocketIoPacket::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("maxAttachments");
    QTest::addColumn<Error>("error");

    const auto row = [](const char *name, const QByteArray &text, Error error, int maxAttachments = 10) {
        QTest::newRow(name) << text << maxAttachments << error;
    };

    row("empty", QByteArray(), Error::Empty);

    row("type 7", "7", Error::UnknownType);
    row("type 9 with payload", R"(9["x"])", Error::UnknownType);
    row("letters abc (cases 22 and 30: 4abc)", "abc", Error::UnknownType);
    row("namespace first", R"(/admin,2["x"])", Error::UnknownType);
    row("leading space", R"( 2["x"])", Error::UnknownType);
    row("negative sign", "-1", Error::UnknownType);
    row("raw type byte", QByteArray("\x02[\"x\"]"), Error::UnknownType);

    row("BINARY_EVENT without count", R"(5["a",{"_placeholder":true,"num":0}])", Error::BadAttachmentCount);
    row("BINARY_EVENT count not a number", R"(5x-["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT empty count", R"(5-["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT count zero", R"(50-["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT count without dash", R"(51["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT count at the end", "51", Error::BadAttachmentCount);
    row("BINARY_EVENT alone", "5", Error::BadAttachmentCount);
    row("BINARY_EVENT space in count", R"(5 1-["a"])", Error::BadAttachmentCount);
    row("BINARY_ACK letters", "6abc", Error::BadAttachmentCount);
    row("BINARY_EVENT 11 attachments, limit 10", R"(511-["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT 3 attachments, limit 2", R"(53-["a"])", Error::BadAttachmentCount, 2);
    row("BINARY_EVENT count overflows", R"(599999999999999999999999999-["a"])", Error::BadAttachmentCount);
    row("BINARY_EVENT limit 0", R"(51-["a"])", Error::BadAttachmentCount, 0);
    row("BINARY_EVENT negative limit", R"(51-["a"])", Error::BadAttachmentCount, -1);

    row("id on CONNECT", "0123{}", Error::BadAckId);
    row("id on DISCONNECT", "1/admin,1", Error::BadAckId);
    row("id on CONNECT_ERROR", R"(4/x,1{"message":"m"})", Error::BadAckId);
    row("ack id overflows int64", R"(29223372036854775808["x"])", Error::BadAckId);
    row("absurdly long ack id", "2" + QByteArray(100000, '7') + R"(["x"])", Error::BadAckId);

    row("bad JSON after namespace", R"(2/admin,{"a")", Error::BadJson);
    row("truncated array", R"(2/admin,["x")", Error::BadJson);
    row("letters before payload (case 30: 42abc[...])", R"(2abc["message-with-ack",1])", Error::BadJson);
    row("namespace without slash", R"(2admin,["x"])", Error::BadJson);
    row("extra bracket", R"(2["x"]])", Error::BadJson);
    row("two values", R"(2["x"],["y"])", Error::BadJson);
    row("two scalar values", R"(4"a","b")", Error::BadJson);
    row("garbage after payload", R"(0/admin,{"a":1}x)", Error::BadJson);
    row("missing value", R"(0/admin,{"token":})", Error::BadJson);
    row("invalid UTF-8 in string", "2[\"\xff\"]", Error::BadJson);
    row("only whitespace after namespace", "0/admin, ", Error::BadJson);
    row("bare word", "4hello", Error::BadJson);
    row("number out of range", "3[1e400]", Error::BadJson);
    row("deep nesting", "3" + QByteArray(100000, '['), Error::BadJson);

    row("EVENT object payload (case 30: 42{})", "2{}", Error::InvalidPayload);
    row("EVENT empty array", "2[]", Error::InvalidPayload);
    row("EVENT without payload", "2", Error::InvalidPayload);
    row("EVENT without payload after id", "2/admin,12", Error::InvalidPayload);
    row("EVENT string payload", R"(2"x")", Error::InvalidPayload);
    row("EVENT null name", "2[null]", Error::InvalidPayload);
    row("EVENT bool name", "2[true]", Error::InvalidPayload);
    row("EVENT array name", R"(2[["x"]])", Error::InvalidPayload);
    row("EVENT object name", "2[{}]", Error::InvalidPayload);
    row("EVENT reserved connect", R"(2["connect"])", Error::InvalidPayload);
    row("EVENT reserved connect_error", R"(2["connect_error",1])", Error::InvalidPayload);
    row("EVENT reserved disconnect", R"(2["disconnect"])", Error::InvalidPayload);
    row("EVENT reserved disconnecting", R"(2["disconnecting"])", Error::InvalidPayload);
    row("EVENT reserved newListener", R"(2["newListener"])", Error::InvalidPayload);
    row("EVENT reserved removeListener", R"(2["removeListener"])", Error::InvalidPayload);
    row("DISCONNECT with payload", "1/admin,{}", Error::InvalidPayload);
    row("DISCONNECT with array", "1[]", Error::InvalidPayload);
    row("CONNECT string payload", R"(0"str")", Error::InvalidPayload);
    row("CONNECT array payload", "0[]", Error::InvalidPayload);
    row("CONNECT null payload", "0null", Error::InvalidPayload);
    row("CONNECT number payload", "0 1", Error::InvalidPayload);
    row("ACK object payload", "3456{}", Error::InvalidPayload);
    row("ACK string payload", R"(3456"x")", Error::InvalidPayload);
    row("ACK without payload", "3456", Error::InvalidPayload);
    row("CONNECT_ERROR without payload", "4", Error::InvalidPayload);
    row("CONNECT_ERROR array payload", R"(4["x"])", Error::InvalidPayload);
    row("CONNECT_ERROR null payload", "4null", Error::InvalidPayload);
    row("BINARY_EVENT object payload", "51-{}", Error::InvalidPayload);
    row("BINARY_EVENT empty array", "51-[]", Error::InvalidPayload);
    row("BINARY_EVENT without payload", "51-", Error::InvalidPayload);
    row("BINARY_EVENT reserved name", R"(51-["disconnect",{"_placeholder":true,"num":0}])",
        Error::InvalidPayload);
    row("BINARY_ACK object payload", "61-1{}", Error::InvalidPayload);
}

void tst_SocketIoPacket::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(int, maxAttachments);
    QFETCH(Error, error);

    const auto result = SocketIoCodec::decode(text, maxAttachments);
    QCOMPARE(result.error, error);
    QVERIFY(!result);
    QCOMPARE(result.expectedAttachments, 0);

    const QByteArray buffer = text + QByteArrayLiteral("]}\"");
    QCOMPARE(SocketIoCodec::decode(QByteArrayView(buffer).first(text.size()), maxAttachments).error, error);
}

// --- every prefix -----------------------------------------------------------------------------
// decode() takes whole frames, so a split frame cannot be fed in pieces. Instead: every proper
// prefix of a frame must be refused or decode to a different packet, except that dropping a
// namespace's trailing ',' changes nothing (case 21: "40/random").

void tst_SocketIoPacket::everyPrefix_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<SocketIoPacket>("packet");
    addSpecRows();
}

void tst_SocketIoPacket::everyPrefix()
{
    QFETCH(QByteArray, text);
    QFETCH(SocketIoPacket, packet);

    const SocketIoPacket whole = withoutAttachments(packet);
    for (qsizetype n = 0; n < text.size(); ++n) {
        // An exact-size copy, so a read past the end would be caught by sanitizers.
        const QByteArray prefix(text.constData(), n);
        const auto result = SocketIoCodec::decode(prefix);
        QCOMPARE(bool(result), result.error == Error::None);
        if (!result)
            continue;
        if (n == text.size() - 1 && text.endsWith(',')) {
            QCOMPARE(*result.packet, whole);
            continue;
        }
        if (*result.packet == whole)
            QFAIL(qPrintable(
                QStringLiteral("prefix %1 decodes to the whole packet").arg(QString::fromUtf8(prefix))));
    }
}

// --- round trip -------------------------------------------------------------------------------
// encode, then the decoder (text frame plus attachments) gives the same packet back, and
// encoding that again gives the same text.

void tst_SocketIoPacket::roundTrip_data()
{
    QTest::addColumn<QByteArray>("text"); // unused here; shared with the spec rows
    QTest::addColumn<SocketIoPacket>("packet");

    addSpecRows();

    QCborArray tenPlaceholders{ QStringLiteral("ten") };
    QList<QByteArray> tenAttachments;
    for (int i = 0; i < 10; ++i) {
        tenPlaceholders.append(
            QCborMap{ { QStringLiteral("_placeholder"), true }, { QStringLiteral("num"), 9 - i } });
        tenAttachments.append(QByteArray(i * 100, char(i)));
    }
    QTest::newRow("ten attachments") << QByteArray()
                                     << pkt(Type::BinaryEvent, "/custom", 3, tenPlaceholders, tenAttachments);

    QString allAscii;
    for (int c = 0; c < 128; ++c)
        allAscii.append(QChar(c));
    QTest::newRow("every ASCII character in a string")
        << QByteArray()
        << pkt(Type::Event, "/", -1, QCborArray{ allAscii, QCborMap{ { allAscii, allAscii } } });
    QTest::newRow("CONNECT_ERROR string with quotes")
        << QByteArray() << pkt(Type::ConnectError, "/a", -1, QCborValue(QStringLiteral("\"quoted\", 1")));
    QTest::newRow("numbers") << QByteArray()
                             << pkt(Type::Ack, "/", 1,
                                    QCborArray{ 0.1, 1.0 / 3, 1e-7, -1e300, 5e-324,
                                                qint64(9007199254740993LL),
                                                std::numeric_limits<qint64>::max(),
                                                std::numeric_limits<qint64>::min() });
    QTest::newRow("nested")
        << QByteArray()
        << pkt(Type::Event, "/", 12,
               json(R"([1,{"a":[[[{"b":null}]]],"c":{"d":{"e":[true,false,"",{}]}}},[]])"));
    QTest::newRow("namespace with punctuation")
        << QByteArray() << pkt(Type::Connect, "/a-b_c.d/e?f=1&g=2", -1, json("{}"));
}

void tst_SocketIoPacket::roundTrip()
{
    QFETCH(SocketIoPacket, packet);

    const QByteArray text = SocketIoCodec::encode(packet);
    SocketIoDecoder decoder;
    const bool binary = !packet.attachments.isEmpty();
    QCOMPARE(decoder.addText(text), binary ? Status::NeedMore : Status::Packet);
    for (qsizetype i = 0; i < packet.attachments.size(); ++i) {
        const bool last = i == packet.attachments.size() - 1;
        QCOMPARE(decoder.addBinary(packet.attachments.at(i)), last ? Status::Packet : Status::NeedMore);
    }
    QCOMPARE(decoder.error(), Error::None);
    const SocketIoPacket decoded = decoder.takePacket();
    QCOMPARE(decoded, packet);
    QCOMPARE(SocketIoCodec::encode(decoded), text);
}

// --- SocketIoDecoder --------------------------------------------------------------------------

void tst_SocketIoPacket::decoder_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<SocketIoPacket>("packet");
    addSpecRows();
}

// Every spec frame through one decoder, its attachments as the binary frames that follow;
// the same decoder takes the next frame after a packet.
void tst_SocketIoPacket::decoder()
{
    QFETCH(QByteArray, text);
    QFETCH(SocketIoPacket, packet);

    SocketIoDecoder decoder;
    for (int round = 0; round < 2; ++round) {
        const bool binary = !packet.attachments.isEmpty();
        QCOMPARE(decoder.addText(text), binary ? Status::NeedMore : Status::Packet);
        QCOMPARE(decoder.isAwaitingAttachments(), binary);
        for (qsizetype i = 0; i < packet.attachments.size(); ++i) {
            const bool last = i == packet.attachments.size() - 1;
            QCOMPARE(decoder.addBinary(packet.attachments.at(i)), last ? Status::Packet : Status::NeedMore);
            QCOMPARE(decoder.isAwaitingAttachments(), !last);
        }
        QCOMPARE(decoder.error(), Error::None);
        QCOMPARE(decoder.takePacket(), packet);
    }
}

void tst_SocketIoPacket::decoderTextWhileAwaiting()
{
    SocketIoDecoder decoder;
    QCOMPARE(decoder.addText(concat(R"(52-["message",)", twoPlaceholders, "]")), Status::NeedMore);
    QCOMPARE(decoder.addBinary(bytes123), Status::NeedMore);
    // socket.io-parser: "got plaintext data when reconstructing a packet".
    QCOMPARE(decoder.addText(R"(2["message","x"])"), Status::Error);
    QCOMPARE(decoder.error(), Error::BadAttachmentCount);
    QVERIFY(!decoder.isAwaitingAttachments());
    // The pending packet is gone; the decoder is idle again.
    QCOMPARE(decoder.addBinary(bytes456), Status::Error);
    QCOMPARE(decoder.error(), Error::UnexpectedBinary);
    QCOMPARE(decoder.addText(R"(2["message","x"])"), Status::Packet);
    QCOMPARE(decoder.error(), Error::None);
    QCOMPARE(decoder.takePacket(), pkt(Type::Event, "/", -1, json(R"(["message","x"])")));
}

void tst_SocketIoPacket::decoderUnexpectedBinary()
{
    SocketIoDecoder decoder;
    QCOMPARE(decoder.addBinary(bytes123), Status::Error);
    QCOMPARE(decoder.error(), Error::UnexpectedBinary);

    // One attachment more than announced.
    QCOMPARE(decoder.addText(R"(61-5[{"_placeholder":true,"num":0}])"), Status::NeedMore);
    QCOMPARE(decoder.addBinary(bytes123), Status::Packet);
    QCOMPARE(decoder.addBinary(bytes456), Status::Error);
    QCOMPARE(decoder.error(), Error::UnexpectedBinary);

    // After a plain packet, too.
    QCOMPARE(decoder.addText(R"(2["x"])"), Status::Packet);
    QCOMPARE(decoder.addBinary(QByteArray()), Status::Error);
    QCOMPARE(decoder.error(), Error::UnexpectedBinary);

    // A malformed text frame is reported as such.
    QCOMPARE(decoder.addText("2{}"), Status::Error);
    QCOMPARE(decoder.error(), Error::InvalidPayload);
}

void tst_SocketIoPacket::decoderTooManyAttachments()
{
    SocketIoDecoder byDefault;
    QCOMPARE(byDefault.addText(R"(510-["x"])"), Status::NeedMore);
    byDefault.reset();
    QCOMPARE(byDefault.addText(R"(511-["x"])"), Status::Error);
    QCOMPARE(byDefault.error(), Error::TooManyAttachments);
    QVERIFY(!byDefault.isAwaitingAttachments());
    QCOMPARE(byDefault.addText(R"(5123456789012345678901234567890-["x"])"), Status::Error);
    QCOMPARE(byDefault.error(), Error::TooManyAttachments);
    // Not a count at all stays a bad count.
    QCOMPARE(byDefault.addText(R"(5x-["x"])"), Status::Error);
    QCOMPARE(byDefault.error(), Error::BadAttachmentCount);

    SocketIoDecoder::Limits limits;
    limits.maxAttachments = 2;
    SocketIoDecoder two(limits);
    QCOMPARE(two.addText(R"(63-[])"), Status::Error);
    QCOMPARE(two.error(), Error::TooManyAttachments);
    QCOMPARE(two.addText(R"(62-[])"), Status::NeedMore);
}

void tst_SocketIoPacket::decoderAttachmentTooLarge()
{
    SocketIoDecoder::Limits limits;
    limits.maxAttachmentBytes = 10;
    SocketIoDecoder decoder(limits);

    // Exactly at the limit.
    QCOMPARE(decoder.addText(concat("62-[", twoPlaceholders, "]")), Status::NeedMore);
    QCOMPARE(decoder.addBinary(QByteArray(6, 'a')), Status::NeedMore);
    QCOMPARE(decoder.addBinary(QByteArray(4, 'b')), Status::Packet);
    QCOMPARE(decoder.takePacket().attachments, QList<QByteArray>({ QByteArray(6, 'a'), QByteArray(4, 'b') }));

    // The limit is per packet, not per decoder: one byte over.
    QCOMPARE(decoder.addText(concat("62-[", twoPlaceholders, "]")), Status::NeedMore);
    QCOMPARE(decoder.addBinary(QByteArray(6, 'a')), Status::NeedMore);
    QCOMPARE(decoder.addBinary(QByteArray(5, 'b')), Status::Error);
    QCOMPARE(decoder.error(), Error::AttachmentTooLarge);
    QVERIFY(!decoder.isAwaitingAttachments());

    // A single attachment above the limit.
    QCOMPARE(decoder.addText(R"(61-[{"_placeholder":true,"num":0}])"), Status::NeedMore);
    QCOMPARE(decoder.addBinary(QByteArray(11, 'c')), Status::Error);
    QCOMPARE(decoder.error(), Error::AttachmentTooLarge);
}

void tst_SocketIoPacket::decoderBadPlaceholder_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");

    QTest::newRow("num in range") << QByteArray(R"(51-["x",{"_placeholder":true,"num":0}])") << true;
    QTest::newRow("num out of range") << QByteArray(R"(51-["x",{"_placeholder":true,"num":1}])") << false;
    QTest::newRow("num negative") << QByteArray(R"(51-["x",{"_placeholder":true,"num":-1}])") << false;
    QTest::newRow("num missing") << QByteArray(R"(51-["x",{"_placeholder":true}])") << false;
    QTest::newRow("num not an integer") << QByteArray(R"(52-["x",{"_placeholder":true,"num":0.5}])") << false;
    QTest::newRow("num a string") << QByteArray(R"(51-["x",{"_placeholder":true,"num":"0"}])") << false;
    QTest::newRow("deep, out of range")
        << QByteArray(R"(62-7[{"a":[[{"_placeholder":true,"num":2}]]}])") << false;
    QTest::newRow("_placeholder false is plain JSON")
        << QByteArray(R"(51-["x",{"_placeholder":false,"num":9}])") << true;
}

void tst_SocketIoPacket::decoderBadPlaceholder()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);

    SocketIoDecoder decoder;
    // Checked as soon as the text frame arrives: the count is known then.
    QCOMPARE(decoder.addText(text), valid ? Status::NeedMore : Status::Error);
    QCOMPARE(decoder.error(), valid ? Error::None : Error::BadPlaceholder);
    QCOMPARE(decoder.isAwaitingAttachments(), valid);
    // decode() alone does not look at placeholders.
    QVERIFY(SocketIoCodec::decode(text));
}

void tst_SocketIoPacket::decoderResetAndTake()
{
    SocketIoDecoder decoder;
    QCOMPARE(decoder.takePacket(), SocketIoPacket());

    QCOMPARE(decoder.addText(R"(51-["x",{"_placeholder":true,"num":0}])"), Status::NeedMore);
    QVERIFY(decoder.isAwaitingAttachments());
    decoder.reset();
    QVERIFY(!decoder.isAwaitingAttachments());
    QCOMPARE(decoder.error(), Error::None);
    QCOMPARE(decoder.addBinary(bytes123), Status::Error);
    QCOMPARE(decoder.error(), Error::UnexpectedBinary);

    QCOMPARE(decoder.addText("1/admin,"), Status::Packet);
    QCOMPARE(decoder.takePacket(), pkt(Type::Disconnect, "/admin"));
    QCOMPARE(decoder.takePacket(), SocketIoPacket()); // taken once

    // An untaken packet is dropped by the next frame.
    QCOMPARE(decoder.addText("0"), Status::Packet);
    QCOMPARE(decoder.addText("0/custom,"), Status::Packet);
    QCOMPARE(decoder.takePacket(), pkt(Type::Connect, "/custom"));
}

// --- payload rules ----------------------------------------------------------------------------

void tst_SocketIoPacket::isPayloadValid_data()
{
    QTest::addColumn<Type>("type");
    QTest::addColumn<QCborValue>("data");
    QTest::addColumn<bool>("valid");

    const auto row = [](const char *name, Type type, const QCborValue &data, bool valid) {
        QTest::newRow(name) << type << data << valid;
    };
    row("CONNECT none", Type::Connect, undefined, true);
    row("CONNECT object", Type::Connect, json("{}"), true);
    row("CONNECT array", Type::Connect, json("[]"), false);
    row("CONNECT string", Type::Connect, json(R"("s")"), false);
    row("CONNECT null", Type::Connect, json("null"), false);
    row("CONNECT number", Type::Connect, json("1"), false);
    row("CONNECT bool", Type::Connect, json("true"), false);
    row("DISCONNECT none", Type::Disconnect, undefined, true);
    row("DISCONNECT object", Type::Disconnect, json("{}"), false);
    row("DISCONNECT null", Type::Disconnect, json("null"), false);
    row("CONNECT_ERROR object", Type::ConnectError, json(R"({"message":"m"})"), true);
    row("CONNECT_ERROR string", Type::ConnectError, json(R"("m")"), true);
    row("CONNECT_ERROR none", Type::ConnectError, undefined, false);
    row("CONNECT_ERROR array", Type::ConnectError, json("[]"), false);
    row("CONNECT_ERROR number", Type::ConnectError, json("1"), false);
    row("EVENT string name", Type::Event, json(R"(["x"])"), true);
    row("EVENT string name and args", Type::Event, json(R"(["x",1,{}])"), true);
    row("EVENT number name", Type::Event, json("[1]"), true);
    row("EVENT fractional number name", Type::Event, json("[1.5]"), true);
    row("EVENT empty name", Type::Event, json(R"([""])"), true);
    row("EVENT near-reserved Connect", Type::Event, json(R"(["Connect"])"), true);
    row("EVENT near-reserved disconnected", Type::Event, json(R"(["disconnected"])"), true);
    row("EVENT near-reserved connect + space", Type::Event, json(R"(["connect "])"), true);
    row("EVENT reserved connect", Type::Event, json(R"(["connect"])"), false);
    row("EVENT reserved removeListener", Type::Event, json(R"(["removeListener",1])"), false);
    row("EVENT empty array", Type::Event, json("[]"), false);
    row("EVENT object", Type::Event, json("{}"), false);
    row("EVENT none", Type::Event, undefined, false);
    row("EVENT null name", Type::Event, json("[null]"), false);
    row("EVENT bool name", Type::Event, json("[false]"), false);
    row("EVENT string", Type::Event, json(R"("x")"), false);
    row("BINARY_EVENT string name", Type::BinaryEvent, json(R"(["x"])"), true);
    row("BINARY_EVENT reserved newListener", Type::BinaryEvent, json(R"(["newListener"])"), false);
    row("BINARY_EVENT empty array", Type::BinaryEvent, json("[]"), false);
    row("ACK empty array", Type::Ack, json("[]"), true);
    row("ACK array", Type::Ack, json(R"([null,"connect"])"), true);
    row("ACK object", Type::Ack, json("{}"), false);
    row("ACK none", Type::Ack, undefined, false);
    row("ACK string", Type::Ack, json(R"("x")"), false);
    row("BINARY_ACK empty array", Type::BinaryAck, json("[]"), true);
    row("BINARY_ACK object", Type::BinaryAck, json("{}"), false);
}

void tst_SocketIoPacket::isPayloadValid()
{
    QFETCH(Type, type);
    QFETCH(QCborValue, data);
    QFETCH(bool, valid);

    QCOMPARE(SocketIoCodec::isPayloadValid(type, data), valid);
}

void tst_SocketIoPacket::placeholdersValid_data()
{
    QTest::addColumn<QCborValue>("data");
    QTest::addColumn<int>("attachmentCount");
    QTest::addColumn<bool>("valid");

    const auto row = [](const char *name, const char *data, int count, bool valid) {
        QTest::newRow(name) << json(data) << count << valid;
    };
    row("no placeholders", R"(["x",1,{"a":[true]}])", 0, true);
    row("scalar", R"("x")", 0, true);
    row("num 0 of 1", R"(["x",{"_placeholder":true,"num":0}])", 1, true);
    row("num 0 of 0", R"(["x",{"_placeholder":true,"num":0}])", 0, false);
    row("num 1 of 1", R"(["x",{"_placeholder":true,"num":1}])", 1, false);
    row("num 9 of 10", R"([{"_placeholder":true,"num":9}])", 10, true);
    row("num 10 of 10", R"([{"_placeholder":true,"num":10}])", 10, false);
    row("num -1", R"([{"_placeholder":true,"num":-1}])", 1, false);
    row("num 0.5", R"([{"_placeholder":true,"num":0.5}])", 2, false);
    row("num 1.0 is an integer", R"([{"_placeholder":true,"num":1.0}])", 2, true);
    row("num 1e300", R"([{"_placeholder":true,"num":1e300}])", 2, false);
    row("num string", R"([{"_placeholder":true,"num":"0"}])", 1, false);
    row("num null", R"([{"_placeholder":true,"num":null}])", 1, false);
    row("num missing", R"([{"_placeholder":true}])", 1, false);
    row("extra keys are ignored", R"([{"_placeholder":true,"num":0,"x":1}])", 1, true);
    row("placeholder replaces its whole object",
        R"([{"_placeholder":true,"num":0,"x":{"_placeholder":true,"num":9}}])", 1, true);
    row("_placeholder false is plain JSON", R"([{"_placeholder":false,"num":9}])", 1, true);
    row("_placeholder string is plain JSON", R"([{"_placeholder":"true","num":9}])", 1, true);
    row("_placeholder 1 is plain JSON", R"([{"_placeholder":1,"num":9}])", 1, true);
    row("nested in object, valid", R"({"a":{"b":[{"_placeholder":true,"num":1}]}})", 2, true);
    row("nested in object, out of range", R"({"a":{"b":[{"_placeholder":true,"num":2}]}})", 2, false);
    row("second one bad", R"([{"_placeholder":true,"num":0},{"_placeholder":true,"num":3}])", 2, false);
    row("object is the placeholder", R"({"_placeholder":true,"num":0})", 1, true);
}

void tst_SocketIoPacket::placeholdersValid()
{
    QFETCH(QCborValue, data);
    QFETCH(int, attachmentCount);
    QFETCH(bool, valid);

    QCOMPARE(SocketIoCodec::placeholdersValid(data, attachmentCount), valid);
}

void tst_SocketIoPacket::largeIntegersStayExact()
{
    // Beyond 2^53 a double would round; Qt keeps the integer, and so does the round trip.
    const auto result = SocketIoCodec::decode(R"(2["n",9007199254740993,-9223372036854775807])");
    QVERIFY(result);
    const QCborArray args = result.packet->data.toArray();
    QCOMPARE(args.at(1).toInteger(), Q_INT64_C(9007199254740993));
    QCOMPARE(args.at(2).toInteger(), Q_INT64_C(-9223372036854775807));
    QCOMPARE(SocketIoCodec::encode(*result.packet),
             QByteArray(R"(2["n",9007199254740993,-9223372036854775807])"));
}

void tst_SocketIoPacket::errorMessages()
{
    QCOMPARE(SocketIoCodec::errorMessage(Error::None), "");
    QSet<QByteArray> seen;
    for (int e = int(Error::Empty); e <= int(Error::BadPlaceholder); ++e) {
        const QByteArray message = SocketIoCodec::errorMessage(Error(e));
        QVERIFY2(!message.isEmpty(), QByteArray::number(e).constData());
        QVERIFY2(!seen.contains(message), message.constData());
        seen.insert(message);
    }
    QCOMPARE(seen.size(), 11);
}

QTEST_APPLESS_MAIN(tst_SocketIoPacket)
#include "tst_socketiopacket.moc"
