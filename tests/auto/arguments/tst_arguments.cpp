// SPDX-License-Identifier: MIT
// Arguments' fast paths against the code they stand in for (f18e7e2):
//  - encodeEvent/encodeAck write JSON directly; the bytes and attachments must be exactly what
//    the old path gives: toJson(args, &attachments) -> SocketIoCodec::encode (QJsonDocument
//    Compact), whichever way the writer goes (direct or its fallback).
//  - decodeDirect reads plain EVENT/ACK text straight into QVariants; whenever it says yes, the
//    result must be what SocketIoDecoder + fromJson() give for the same text: same kind, nsp,
//    id and type-identical arguments (the event name first, for events). Saying no is always
//    allowed, but the documented plain subset must be taken (rows marked `direct`).
// Rows: spec (golden values for the decoder too), malformed, every prefix / byte deletion of
// the spec rows, writer rows, and a fixed-seed differential property test (no timing).
#include "../../common/argumentsreference.h"
#include "protocol/arguments.h"
#include "protocol/socketiopacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QStringList>
#include <QTemporaryFile>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace SocketIo;
using namespace SocketIo::Protocol;
using Type = SocketIoPacket::Type;

namespace {

// --- Type-identical comparison -----------------------------------------------------------------

using SocketIoTest::describe;
using SocketIoTest::oldEncode;
using SocketIoTest::sameVariant;

QByteArray describe(const QVariantList &list)
{
    return describe(QVariant(list));
}

bool sameList(const QVariantList &a, const QVariantList &b)
{
    return sameVariant(QVariant(a), QVariant(b));
}

// --- The reference decoder and the comparison ------------------------------------------------

struct Reference
{
    bool ok = false; // a complete EVENT or ACK
    bool isAck = false;
    QString nsp;
    qint64 id = -1;
    QVariantList args;
};

Reference referenceDecode(QByteArrayView text)
{
    Reference r;
    SocketIoDecoder decoder;
    if (decoder.addText(text) != SocketIoDecoder::Status::Packet)
        return r;
    const SocketIoPacket p = decoder.takePacket();
    if (p.type != Type::Event && p.type != Type::Ack)
        return r;
    r.ok = true;
    r.isAck = p.type == Type::Ack;
    r.nsp = p.nsp;
    r.id = p.id;
    r.args = Arguments::fromPayload(p.data, p.attachments);
    return r;
}

// Empty when decodeDirect refused the text or agrees with the reference; else what differs.
QByteArray directMismatch(QByteArrayView text, bool *accepted = nullptr)
{
    Arguments::Direct direct;
    // An exact-size copy: reading past the view would be a bug of its own (ASan builds).
    const QByteArray copy = text.toByteArray();
    const bool ok = Arguments::decodeDirect(QByteArrayView(copy.constData(), copy.size()), &direct);
    if (accepted)
        *accepted = ok;
    if (!ok)
        return {};
    const Reference r = referenceDecode(text);
    if (!r.ok)
        return "decodeDirect accepted what the decoder does not give as EVENT/ACK";
    QByteArray why;
    if (r.isAck != direct.isAck)
        why += " kind: " + QByteArray(direct.isAck ? "ack" : "event") + " vs "
            + QByteArray(r.isAck ? "ack" : "event");
    if (r.nsp != direct.nsp)
        why += " nsp: " + direct.nsp.toUtf8() + " vs " + r.nsp.toUtf8();
    if (r.id != direct.id)
        why += " id: " + QByteArray::number(direct.id) + " vs " + QByteArray::number(r.id);
    if (!sameList(r.args, direct.args))
        why += " args: " + describe(direct.args) + " vs " + describe(r.args);
    return why;
}

// --- The old encoder ---------------------------------------------------------------------------

// Empty when encodeEvent/encodeAck give the old bytes and attachments.
QByteArray encodeMismatch(const QString &nsp, const QString *event, qint64 id, const QVariantList &args)
{
    const Arguments::Encoded now =
        event ? Arguments::encodeEvent(nsp, *event, args, id) : Arguments::encodeAck(nsp, id, args);
    const Arguments::Encoded old = oldEncode(nsp, event, id, args);
    QByteArray why;
    if (now.text != old.text)
        why += "text: " + now.text + " vs old " + old.text;
    if (now.attachments != old.attachments)
        why += " attachments differ (" + QByteArray::number(now.attachments.size()) + " vs "
            + QByteArray::number(old.attachments.size()) + ")";
    return why;
}

// --- Value helpers for rows --------------------------------------------------------------------

QVariant S(const char *utf8)
{
    return QVariant(QString::fromUtf8(utf8));
}
QVariant S(const QString &s)
{
    return QVariant(s);
}
QVariant L(qlonglong v)
{
    return QVariant(v);
}
QVariant D(double v)
{
    return QVariant(v);
}
QVariant B(bool v)
{
    return QVariant(v);
}
QVariant N()
{
    return QVariant::fromValue(nullptr);
}
QVariant List(const QVariantList &list)
{
    return QVariant(list);
}
QVariant Map(const QVariantMap &map)
{
    return QVariant(map);
}
// A JSON object as arguments arrive: a QCborMap, members in the given order.
QVariant Obj(std::initializer_list<std::pair<QString, QVariant>> members)
{
    QByteArray json = "{";
    for (const auto &member : members) {
        if (json.size() > 1)
            json += ',';
        Json::Writer writer(json);
        writer.string(member.first);
        json += ':';
        writer.variant(member.second);
    }
    json += '}';
    return QVariant::fromValue(Json::parse(json)->toMap());
}
QString U(const char16_t *s)
{
    return QString::fromUtf16(s);
}

QByteArray nested(const QByteArray &open, const QByteArray &close, int depth)
{
    return open.repeated(depth) + close.repeated(depth);
}

QVariant nestedLists(int depth)
{
    QVariant v = QVariantList();
    for (int i = 1; i < depth; ++i)
        v = QVariantList{ v };
    return v;
}

constexpr double twoTo53 = 9007199254740992.0;

} // namespace

class tst_Arguments : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // First: the sanitizer reports each source location once per process.
    void digitRuns_data();
    void digitRuns();
    void spec_data();
    void spec();
    void malformed_data();
    void malformed();
    void prefixesAndDeletions();
    void writer_data();
    void writer();
    void writerLiteral_data();
    void writerLiteral();
    void roundTrip();
    void longStrings();
    void randomArguments();
    void randomPackets();
};

namespace {

// What `run` writes to stderr (the sanitizer's reports go there).
template<typename F> QByteArray captureStderr(F run)
{
#ifdef Q_OS_UNIX
    QTemporaryFile file;
    if (!file.open())
        qFatal("cannot open a temporary file");
    std::fflush(stderr);
    const int saved = ::dup(2);
    ::dup2(file.handle(), 2);
    run();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    file.seek(0);
    return file.readAll();
#else
    run();
    return {};
#endif
}

} // namespace

// Long digit runs (ack ids, numbers) from the peer: decodeDirect must leave them to the
// decoder without computing anything undefined on the way. The test is built with
// -fsanitize=signed-integer-overflow (recoverable) where the compiler has it; one row per
// place in arguments.cpp that reads digits, as the sanitizer reports a place only once.
void tst_Arguments::digitRuns_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("referenceOk");
    QTest::newRow("ack id 21 digits") << QByteArray("3222222222222222222222[]") << false;
    QTest::newRow("number 20 digits") << QByteArray(R"(2["e",22222222222222222222])") << true;
    QTest::newRow("number 19 digits over qint64") << QByteArray(R"(2["e",-9223372036854775809])") << true;
}

void tst_Arguments::digitRuns()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, referenceOk);

    bool accepted = true;
    QByteArray why;
    const QByteArray report = captureStderr([&] { why = directMismatch(text, &accepted); });
    QVERIFY2(why.isEmpty(), why.constData());
    QCOMPARE(accepted, referenceOk);
    QCOMPARE(referenceDecode(text).ok, referenceOk);
#ifndef SOCKETIO_TEST_OVERFLOW_SANITIZER
    QSKIP("built without -fsanitize=signed-integer-overflow");
#endif
    // f18e7e2 multiplied the whole digit run into a qint64 and checked the 15-digit limit only
    // afterwards (decodeDirect's id loop, JsonReader::number): signed overflow on 19+ digits.
    // Found by fuzz_socketioarguments.
    QVERIFY2(!report.contains("runtime error"), report.constData());
}

// Text -> expected packet. `direct`: the text is in the documented plain subset (ASCII
// strings with the short escapes, integers of up to 15 digits, true/false/null, arrays,
// objects with distinct keys, depth <= 32, an ack with an id, an event with a string name),
// so decodeDirect must take it; other rows it may take or leave, but must agree if it takes.
void tst_Arguments::spec_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("isAck");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<bool>("direct");
    const QString root = QStringLiteral("/");
    const QString admin = QStringLiteral("/admin");

    auto row = [&](const char *name, const QByteArray &text, bool isAck, const QString &nsp, qint64 id,
                   const QVariantList &args, bool direct) {
        QTest::newRow(name) << text << isAck << nsp << id << args << direct;
    };

    // Events and acks, namespaces, ids.
    row("event", R"(2["hello"])", false, root, -1, { S("hello") }, true);
    row("event two args", R"(2["hello","world"])", false, root, -1, { S("hello"), S("world") }, true);
    row("event with id", R"(212["e",1])", false, root, 12, { S("e"), L(1) }, true);
    row("event id 0", R"(20["e"])", false, root, 0, { S("e") }, true);
    row("event id leading zeros", R"(2007["e"])", false, root, 7, { S("e") }, true);
    row("event nsp", R"(2/admin,["e"])", false, admin, -1, { S("e") }, true);
    row("event nsp id", R"(2/admin,7["e",true])", false, admin, 7, { S("e"), B(true) }, true);
    row("event nsp slash", R"(2/,["e"])", false, root, -1, { S("e") }, true);
    row("event nsp non-ascii", "2/\xc3\xb1,[\"e\"]", false, QString::fromUtf8("/\xc3\xb1"), -1, { S("e") },
        true);
    row("event nsp with brackets", R"(2/a[b],1["e"])", false, QStringLiteral("/a[b]"), 1, { S("e") }, true);
    row("event name not reserved", R"(2["Connect"])", false, root, -1, { S("Connect") }, true);
    row("event name empty", R"(2[""])", false, root, -1, { S("") }, true);
    row("event name number", R"(2[1,"x"])", false, root, -1, { L(1), S("x") }, false);
    row("event id 15 digits", R"(2123456789012345["e"])", false, root, 123456789012345, { S("e") }, true);
    row("event id 16 digits", R"(21234567890123456["e"])", false, root, 1234567890123456, { S("e") }, false);
    row("event id int64 max", R"(29223372036854775807["e"])", false, root, std::numeric_limits<qint64>::max(),
        { S("e") }, false);
    row("ack", R"(30["ok"])", true, root, 0, { S("ok") }, true);
    row("ack empty", R"(3/chat,5[])", true, QStringLiteral("/chat"), 5, {}, true);
    row("ack nsp", R"(3/admin,99[1,2])", true, admin, 99, { L(1), L(2) }, true);
    row("ack id 15 digits", R"(3999999999999999[])", true, root, 999999999999999, {}, true);
    row("ack without id", R"(3["x"])", true, root, -1, { S("x") }, false);
    row("ack reserved name is fine", R"(31["connect"])", true, root, 1, { S("connect") }, true);

    // Strings.
    row("escapes", R"(2["e","a\"b\\c\/d\b\f\n\r\t"])", false, root, -1, { S("e"), S("a\"b\\c/d\b\f\n\r\t") },
        true);
    row("escape in name", R"(2["a\nb"])", false, root, -1, { S("a\nb") }, true);
    row("escaped key", R"(2["e",{"k\"\\":1}])", false, root, -1, { S("e"), Obj({ { U(u"k\"\\"), L(1) } }) },
        true);
    row("ascii del", "2[\"e\",\"\x7f\"]", false, root, -1, { S("e"), S("\x7f") }, true);
    row("unicode escapes", R"(2["e","\u00e9\u20AC"])", false, root, -1, { S("e"), S("\xc3\xa9\xe2\x82\xac") },
        false);
    row("escaped nul", R"(2["e","\u0000"])", false, root, -1, { S("e"), S(QString(QChar(0))) }, false);
    row("surrogate pair escape", R"(2["e","\ud83d\ude00"])", false, root, -1,
        { S("e"), S("\xf0\x9f\x98\x80") }, false);
    row("utf-8 two bytes", "2[\"e\",\"\xc3\xa9\"]", false, root, -1, { S("e"), S("\xc3\xa9") }, false);
    row("utf-8 three bytes", "2[\"e\",\"\xe2\x82\xac\"]", false, root, -1, { S("e"), S("\xe2\x82\xac") },
        false);
    row("utf-8 four bytes", "2[\"\xf0\x9f\x98\x80\"]", false, root, -1, { S("\xf0\x9f\x98\x80") }, false);
    row("non-ascii key", "2[\"e\",{\"\xc3\xa9\":1}]", false, root, -1,
        { S("e"), Obj({ { QString::fromUtf8("\xc3\xa9"), L(1) } }) }, false);

    // Numbers.
    row("zero", R"(2["e",0])", false, root, -1, { S("e"), L(0) }, true);
    row("minus zero", R"(2["e",-0])", false, root, -1, { S("e"), L(0) }, true);
    row("small", R"(2["e",1,-1,42])", false, root, -1, { S("e"), L(1), L(-1), L(42) }, true);
    row("15 digits", R"(2["e",999999999999999,-999999999999999])", false, root, -1,
        { S("e"), L(999999999999999), L(-999999999999999) }, true);
    row("16 digits", R"(2["e",9999999999999999])", false, root, -1, { S("e"), L(9999999999999999) }, false);
    row("2^53", R"(2["e",9007199254740992,-9007199254740992])", false, root, -1,
        { S("e"), L(9007199254740992), L(-9007199254740992) }, false);
    row("2^53+1", R"(2["e",9007199254740993])", false, root, -1, { S("e"), L(9007199254740993) }, false);
    row("int64 max", R"(2["e",9223372036854775807])", false, root, -1,
        { S("e"), L(std::numeric_limits<qint64>::max()) }, false);
    row("int64 min", R"(2["e",-9223372036854775808])", false, root, -1,
        { S("e"), L(std::numeric_limits<qint64>::min()) }, false);
    row("above int64", R"(2["e",9223372036854775808])", false, root, -1, { S("e"), D(9223372036854775808.0) },
        false);
    row("fraction", R"(2["e",0.5,-2.25])", false, root, -1, { S("e"), D(0.5), D(-2.25) }, false);
    // Qt keeps a whole number as an integer, however it is written.
    row("whole fraction", R"(2["e",1.0])", false, root, -1, { S("e"), L(1) }, false);
    row("minus zero fraction", R"(2["e",-0.0])", false, root, -1, { S("e"), L(0) }, false);
    row("exponents", R"(2["e",1e3,1E-2,-2.5e+10])", false, root, -1,
        { S("e"), L(1000), D(1e-2), L(-25000000000) }, false);
    row("huge exponent", R"(2["e",1e300])", false, root, -1, { S("e"), D(1e300) }, false);

    // Literals and structure.
    row("literals", R"(2["e",true,false,null])", false, root, -1, { S("e"), B(true), B(false), N() }, true);
    row("nested arrays", R"(31[[1,[2,[3]]],[]])", true, root, 1,
        { List({ L(1), List({ L(2), List({ L(3) }) }) }), List({}) }, true);
    row("nested objects", R"(2["e",{"a":{"b":null,"c":[true]},"d":{}}])", false, root, -1,
        { S("e"),
          Obj({ { QStringLiteral("a"),
                  Obj({ { QStringLiteral("b"), N() }, { QStringLiteral("c"), List({ B(true) }) } }) },
                { QStringLiteral("d"), Obj({}) } }) },
        true);
    row("object keys in document order", R"(2["e",{"b":1,"a":2,"B":3}])", false, root, -1,
        { S("e"),
          Obj({ { QStringLiteral("b"), L(1) },
                { QStringLiteral("a"), L(2) },
                { QStringLiteral("B"), L(3) } }) },
        true);
    row("duplicate keys", R"(2["e",{"a":1,"a":2}])", false, root, -1,
        { S("e"), Obj({ { QStringLiteral("a"), L(2) } }) }, false);
    row("placeholder in plain event", R"(2["e",{"_placeholder":true,"num":0}])", false, root, -1,
        { S("e"), Obj({ { QStringLiteral("_placeholder"), B(true) }, { QStringLiteral("num"), L(0) } }) },
        true);
    row("whitespace", "2[ \"e\" ,\t1 ,\n{ \"a\" :\r[ ] } ]", false, root, -1,
        { S("e"), L(1), Obj({ { QStringLiteral("a"), List({}) } }) }, true);
    row("trailing whitespace", "2[\"e\"] \n", false, root, -1, { S("e") }, true);
    row("leading whitespace", "2 [\"e\"]", false, root, -1, { S("e") }, false);
    row("depth 32", "2[\"e\"," + nested("[", "]", 31) + "]", false, root, -1, { S("e"), nestedLists(31) },
        true);
    row("depth 33", "2[\"e\"," + nested("[", "]", 32) + "]", false, root, -1, { S("e"), nestedLists(32) },
        false);
    row(
        "depth 32 objects",
        "2[\"e\"," + QByteArray("{\"a\":").repeated(31) + "1" + QByteArray("}").repeated(31) + "]", false,
        root, -1,
        [] {
            QVariant v = L(1);
            for (int i = 0; i < 31; ++i)
                v = Obj({ { QStringLiteral("a"), v } });
            return QVariantList{ S("e"), v };
        }(),
        true);
}

void tst_Arguments::spec()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, isAck);
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QVariantList, args);
    QFETCH(bool, direct);

    // The reference itself (these rows document it).
    const Reference r = referenceDecode(text);
    QVERIFY(r.ok);
    QCOMPARE(r.isAck, isAck);
    QCOMPARE(r.nsp, nsp);
    QCOMPARE(r.id, id);
    QVERIFY2(sameList(r.args, args),
             QByteArray(describe(r.args) + " vs expected " + describe(args)).constData());

    bool accepted = false;
    const QByteArray why = directMismatch(text, &accepted);
    QVERIFY2(why.isEmpty(), why.constData());
    if (direct)
        QVERIFY2(accepted, "decodeDirect refused a packet of its documented plain subset");
}

// Text the decoder rejects (or takes as something else than a plain EVENT/ACK, or takes in a
// way decodeDirect leaves alone): decodeDirect must say no, or agree.
void tst_Arguments::malformed_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("referenceOk"); // what the decoder does with it (documents the row)

    auto row = [](const char *name, const QByteArray &text, bool referenceOk) {
        QTest::newRow(name) << text << referenceOk;
    };
    // Truncated JSON.
    row("empty", "", false);
    row("type only", "2", false);
    row("open", "2[", false);
    row("name open", R"(2["e)", false);
    row("name open escape", R"(2["e\)", false);
    row("name no close", R"(2["e")", false);
    row("comma", R"(2["e",)", false);
    row("number", R"(2["e",1)", false);
    row("object open", R"(2["e",{)", false);
    row("object key", R"(2["e",{"a")", false);
    row("object colon", R"(2["e",{"a":)", false);
    row("object value", R"(2["e",{"a":1)", false);
    row("object comma", R"(2["e",{"a":1,)", false);
    row("object closed only", R"(2["e",{"a":1})", false);
    row("nested open", R"(2["e",[[[)", false);
    row("literal cut", R"(2["e",tru)", false);
    row("nsp no comma", "2/admin", false);
    row("nsp no payload", "2/admin,", false);
    row("nsp id no payload", "2/admin,1", false);
    row("id no payload", "21", false);
    // Bad escapes and strings.
    row("escape u short", R"(2["e","\u12"])", false);
    row("escape u bad hex", R"(2["e","\uZZZZ"])", false);
    row("escape u cut", R"(2["e","\u00)", false);
    // JSON.parse's grammar, stricter than Qt's parser was.
    row("raw newline", "2[\"e\",\"a\nb\"]", false);
    row("raw control", "2[\"e\",\"a\x01b\"]", false);
    row("unknown escape", R"(2["e","\q"])", false);
    row("raw nul", QByteArray("2[\"e\",\"a\0b\"]", 10), false);
    row("invalid utf-8", "2[\"e\",\"\xff\"]", false);
    row("overlong utf-8", "2[\"e\",\"\xc0\xaf\"]", false);
    row("utf-8 surrogate", "2[\"e\",\"\xed\xa0\x80\"]", false);
    row("escaped key cut", R"(2["e",{"a\)", false);
    row("single quotes", R"(2["e",'x'])", false);
    // Lone surrogates via \u (Qt keeps them; decodeDirect leaves \u to the decoder).
    row("lone high surrogate", R"(2["e","\ud800"])", true);
    row("lone low surrogate", R"(2["e","\udc00x"])", true);
    row("high then letter", R"(2["e","\ud800\u0041"])", true);
    row("reversed pair", R"(2["e","\ude00\ud83d"])", true);
    row("lone surrogate name", R"(2["\ud800"])", true);
    // Numbers.
    row("leading zero", R"(2["e",01])", false);
    row("minus only", R"(2["e",-])", false);
    row("dot end", R"(2["e",1.])", false);
    row("dot start", R"(2["e",.5])", false);
    row("exponent empty", R"(2["e",1e])", false);
    row("plus", R"(2["e",+1])", false);
    row("hex", R"(2["e",0x10])", false);
    row("NaN", R"(2["e",NaN])", false);
    row("Infinity", R"(2["e",Infinity])", false);
    row("minus minus", R"(2["e",--1])", false);
    // Literals.
    row("True", R"(2["e",True])", false);
    row("nul", R"(2["e",nul])", false);
    row("truex", R"(2["e",truex])", false);
    row("nullnull", R"(2["e",null null])", false);
    // Structure.
    row("trailing comma", R"(2["e",])", false);
    row("leading comma", R"(2[,"e"])", false);
    row("double comma", R"(2["e",,1])", false);
    row("missing comma", R"(2["e" 1])", false);
    row("missing colon", R"(2["e",{"a" 1}])", false);
    row("bare key", R"(2["e",{a:1}])", false);
    row("object trailing comma", R"(2["e",{"a":1,}])", false);
    row("number key", R"(2["e",{1:2}])", false);
    row("mismatched close", R"(2["e",{"a":1]])", false);
    row("mismatched close 2", R"(2["e",[1}])", false);
    // Trailing garbage.
    row("garbage", R"(2["e"]x)", false);
    row("extra close", R"(2["e"]])", false);
    row("second array", R"(2["e"][])", false);
    row("garbage nul", QByteArray("2[\"e\"]\0", 7), false);
    row("garbage after space", R"(2["e"] 1)", false);
    // Deep nesting beyond the limits (decodeDirect: 32; Qt: 1024).
    row("depth 100", "2[\"e\"," + nested("[", "]", 99) + "]", true);
    row("depth 1100", "2[\"e\"," + nested("[", "]", 1099) + "]", false);
    row("depth 1100 objects",
        "2[\"e\"," + QByteArray("{\"a\":").repeated(1099) + "1" + QByteArray("}").repeated(1099) + "]",
        false);
    // Wrong shapes.
    row("event object", R"(2{"a":1})", false);
    row("event string", R"(2"e")", false);
    row("event empty array", "2[]", false);
    row("event null name", "2[null]", false);
    row("event bool name", "2[true]", false);
    row("event array name", R"(2[["e"]])", false);
    row("event object name", R"(2[{"a":1}])", false);
    row("reserved connect", R"(2["connect"])", false);
    row("reserved connect_error", R"(2["connect_error"])", false);
    row("reserved disconnect", R"(2["disconnect"])", false);
    row("reserved disconnecting", R"(2["disconnecting"])", false);
    row("reserved newListener", R"(2["newListener"])", false);
    row("reserved removeListener", R"(2["removeListener"])", false);
    row("ack object", R"(31{"a":1})", false);
    row("ack string", R"(31"x")", false);
    row("ack number", "311", false); // id 311, no payload
    // Ids.
    row("id overflow", R"(299999999999999999999["e"])", false);
    row("id 19 digits nsp", R"(3/a,9999999999999999999[])", false);
    row("number 19 digits", R"(2["e",9999999999999999999])", true);
    row("number 40 digits", "2[\"e\",-" + QByteArray(40, '7') + "]", true);
    row("number 400 digits (beyond a double)", "2[\"e\"," + QByteArray(400, '1') + "]", false);
    row("id then garbage", R"(21x["e"])", false);
    row("nsp then garbage", R"(2/admin,x["e"])", false);
    // Binary packet types and attachment counts.
    row("binary event", R"(51-["e",{"_placeholder":true,"num":0}])", false);
    row("binary ack", R"(61-0[{"_placeholder":true,"num":0}])", false);
    row("binary event no placeholder", R"(51-["e"])", false);
    row("binary zero count", R"(50-["e"])", false);
    row("binary no count", R"(5-["e"])", false);
    row("binary no dash", R"(51["e"])", false);
    row("binary too many", R"(511-["e"])", false);
    row("attachment count on event", R"(21-["e"])", false);
    row("attachment count on ack", R"(31-0[])", false);
    // Other types.
    row("connect", "0", false);
    row("connect nsp", R"(0/admin,{"token":"x"})", false);
    row("disconnect", "1", false);
    row("connect error", R"(4{"message":"x"})", false);
    row("type 7", R"(7["e"])", false);
    row("type letter", R"(x["e"])", false);
}

void tst_Arguments::malformed()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, referenceOk);

    const Reference r = referenceDecode(text);
    // Rows marked referenceOk are accepted by the decoder outside the plain subset
    // (raw control characters, lone surrogates, deep nesting, ...); the others are rejected.
    QCOMPARE(r.ok, referenceOk);

    bool accepted = false;
    const QByteArray why = directMismatch(text, &accepted);
    QVERIFY2(why.isEmpty(), why.constData());
    if (!r.ok)
        QVERIFY(!accepted);
}

// Byte-split feeding does not apply to decodeDirect (one whole frame per call), so every
// prefix of every spec and malformed row, and every one-byte deletion, goes through it: the
// answer is no, or the decoder's.
void tst_Arguments::prefixesAndDeletions()
{
    QList<QByteArray> texts;
    // Representative texts of the rows above (plain, deferred, binary, depth limits).
    texts << R"(2["hello","world"])"
          << R"(2/admin,7["e",true,{"a":[1,-2,null]}])"
          << R"(3/chat,5[{"k\"\\":"a\nb"},[[[]]],false])"
          << R"(212["e",999999999999999,-0,0])"
          << R"(2["e",{"a":1,"b":{"c":[true,false,null,"\/"]}}])"
          << "2[ \"e\" ,\t1 ,\n{ \"a\" :\r[ ] } ] \n"
          << R"(2["e",{"a":1,"a":2}])"
          << R"(2["e","\u00e9",1.5,1e3])"
          << R"(2["connect"])"
          << R"(31-0[{"_placeholder":true,"num":0}])"
          << R"(51-["e",{"_placeholder":true,"num":0}])"
          << "2[\"e\"," + nested("[", "]", 31) + "]"
          << "2[\"e\"," + nested("[", "]", 32) + "]";
    int checked = 0;
    int accepted = 0;
    for (const QByteArray &text : std::as_const(texts)) {
        QList<QByteArray> variants;
        for (qsizetype n = 0; n <= text.size(); ++n)
            variants << text.left(n);
        for (qsizetype i = 0; i < text.size(); ++i)
            variants << QByteArray(text).remove(i, 1);
        for (const QByteArray &v : std::as_const(variants)) {
            bool ok = false;
            const QByteArray why = directMismatch(v, &ok);
            QVERIFY2(why.isEmpty(), QByteArray(v + ": " + why).constData());
            ++checked;
            accepted += ok;
        }
    }
    // The full texts of the plain rows are among them: the check did something.
    QVERIFY(accepted >= 8);
    qInfo("%d prefixes/deletions checked, %d taken directly", checked, accepted);
}

// Arguments -> encodeEvent (and encodeAck, when `event` is null) must give the old bytes.
void tst_Arguments::writer_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QVariantList>("args");
    const QString root = QStringLiteral("/");

    auto row = [&](const char *name, const QVariantList &args, const QString &nsp = QStringLiteral("/"),
                   qint64 id = -1) {
        QTest::newRow(name) << nsp << id << args;
    };

    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    row("empty", {});
    row("plain string", { S("hello world") });
    row("control characters", { S(controls) });
    row("quote backslash slash del", { S("\"\\/\x7f") });
    row("latin-1", { S("\xc3\xa9\xc3\xbf") });
    row("bmp", { S("\xe2\x82\xac\xe4\xb8\xad") });
    row("surrogate pair", { S("\xf0\x9f\x98\x80") });
    row("lone high surrogate", { S(U(u"a\xd800z")) });
    row("lone low surrogate", { S(U(u"\xdc00")) });
    row("reversed pair", { S(U(u"\xde00\xd83d")) });
    row("non-character fdd0", { S(U(u"\xfdd0")) });
    row("non-character fffe", { S(U(u"\xfffe")) });
    row("non-character ffff", { S(U(u"\xffff")) });
    row("replacement char", { S(U(u"\xfffd")) });
    row("U+07FF U+0800", { S(U(u"\x07ff\x0800")) });
    row("int",
        { QVariant(0), QVariant(std::numeric_limits<int>::min()),
          QVariant(std::numeric_limits<int>::max()) });
    row("longlong", { L(std::numeric_limits<qint64>::min()), L(std::numeric_limits<qint64>::max()), L(-1) });
    row("longlong 2^53 +-1",
        { L(9007199254740991), L(9007199254740992), L(9007199254740993), L(-9007199254740993) });
    row("double 0.1", { D(0.1) });
    row("double fractions", { D(1.5), D(-2.25), D(123456789.125), D(1.0 / 3) });
    row("double 1e300", { D(1e300), D(-1e300) });
    row("double tiny", { D(1e-300), D(5e-324), D(1e-7), D(0.000001) });
    row("double max", { D(std::numeric_limits<double>::max()), D(std::numeric_limits<double>::lowest()) });
    row("double zero", { D(0.0) });
    row("double minus zero", { D(-0.0) });
    row("double NaN", { D(std::numeric_limits<double>::quiet_NaN()) });
    row("double inf",
        { D(std::numeric_limits<double>::infinity()), D(-std::numeric_limits<double>::infinity()) });
    row("double whole", { D(1.0), D(-7.0), D(1e15) });
    row("double 2^53-1", { D(twoTo53 - 1), D(-(twoTo53 - 1)) });
    row("double 2^53", { D(twoTo53) });
    row("double -2^53", { D(-twoTo53) });
    row("double 2^53+2", { D(twoTo53 + 2) });
    row("double -2^53-2", { D(-twoTo53 - 2) });
    row("double 1e16", { D(1e16) });
    row("double 1e17", { D(1e17) });
    row("double 1e20 1e21 1e22", { D(1e20), D(1e21), D(1e22) });
    row("double 2^63", { D(9223372036854775808.0), D(-9223372036854775808.0) });
    row("double 2^64", { D(18446744073709551616.0) });
    row("bool", { B(true), B(false) });
    row("null", { N() });
    row("invalid", { QVariant() });
    row("map key order",
        { Map({ { QStringLiteral("b"), L(1) },
                { QStringLiteral("a"), L(2) },
                { QStringLiteral("B"), L(3) },
                { QStringLiteral("_"), L(4) },
                { QStringLiteral("aa"), L(5) },
                { QString(), L(6) },
                { QString::fromUtf8("\xc3\xa9"), L(7) },
                { QString::fromUtf8("\xe2\x82\xac"), L(8) },
                { QStringLiteral("z"), L(9) } }) });
    row("map escaped keys", { Map({ { QStringLiteral("a\"b"), N() }, { QStringLiteral("\n"), B(true) } }) });
    row("map surrogate key",
        { Map({ { QString::fromUtf8("\xf0\x9f\x98\x80"), L(1) },
                { U(u"\xffff"), L(2) },
                { QStringLiteral("a"), L(3) } }) });
    row("bytearray", { QVariant(QByteArray("\x01\x02", 2)) });
    row("bytearray empty", { QVariant(QByteArray()) });
    row("bytearrays nested",
        { QVariant(QByteArray("a")),
          List({ QVariant(QByteArray("b")),
                 Map({ { QStringLiteral("z"), QVariant(QByteArray("c")) },
                       { QStringLiteral("a"), QVariant(QByteArray("d")) } }) }),
          QVariant(QByteArray("e")) });
    row("bytearray nsp id", { S("x"), QVariant(QByteArray("bin")) }, QStringLiteral("/admin"), 42);
    row("bytearray then fallback",
        { QVariant(QByteArray("a")), QVariantHash{ { QStringLiteral("k"), QVariant(QByteArray("b")) } } });
    row("bytearray then surrogate",
        { QVariant(QByteArray("a")), S(U(u"\xd800")), QVariant(QByteArray("b")) });
    row("nested",
        { List({ List({ List({ L(1), Map({ { QStringLiteral("x"), List({ N(), B(false) }) } }) }) }) }) });
    row("deep", { nestedLists(200) });
    row("stringlist",
        { QVariant(
            QStringList{ QStringLiteral("a"), QStringLiteral("\t"), QString::fromUtf8("\xc3\xa9") }) });
    row("stringlist surrogate", { QVariant(QStringList{ QStringLiteral("a"), U(u"\xdbff") }) });
    row("variant hash",
        { QVariant(QVariantHash{ { QStringLiteral("b"), L(1) }, { QStringLiteral("a"), D(0.5) } }) });
    row("json value",
        { QVariant(QJsonValue(1.5)), QVariant(QJsonValue(QStringLiteral("s"))), QVariant(QJsonValue()) });
    row("json object",
        { QVariant(QJsonObject{ { QStringLiteral("a"), 1 }, { QStringLiteral("b"), QJsonArray{ true } } }) });
    row("json array", { QVariant(QJsonArray{ 1, QStringLiteral("x"), QJsonValue::Null }) });
    row("json document", { QVariant(QJsonDocument(QJsonArray{ 1 })) });
    row("uint float", { QVariant(4000000000u), QVariant(1.5f), QVariant(quint64(18446744073709551615ull)) });
    row("short char", { QVariant::fromValue(short(-3)), QVariant::fromValue(QChar(u'x')) });
    row("nsp empty", { S("x") }, QString());
    row("nsp root id 0", { S("x") }, root, 0);
    row("nsp non-ascii", { S("x") }, QString::fromUtf8("/\xc3\xb1"), 12345678901234);
    row("nsp surrogate", { S("x") }, U(u"/\xd83d\xde00"), 1);
}

void tst_Arguments::writer()
{
    QFETCH(QString, nsp);
    QFETCH(qint64, id);
    QFETCH(QVariantList, args);

    const QString names[] = { QStringLiteral("event"), QString(), QString::fromUtf8("\xc3\xa9v\n\"nt"),
                              U(u"\xd83d\xde00"), U(u"\xd800") };
    for (const QString &name : names) {
        const QByteArray why = encodeMismatch(nsp, &name, id, args);
        QVERIFY2(why.isEmpty(), QByteArray("event " + name.toUtf8() + ": " + why).constData());
    }
    const QByteArray why = encodeMismatch(nsp, nullptr, id < 0 ? 0 : id, args);
    QVERIFY2(why.isEmpty(), QByteArray("ack: " + why).constData());
}

// A few exact texts, so the comparison above is not only "new == old" (pins Qt's output).
void tst_Arguments::writerLiteral_data()
{
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("escapes") << QVariantList{ S("\x01\x1f\"\\/\b\f\n\r\t\x7f") }
                             << QByteArray(R"(2["e","\u0001\u001f\"\\/\b\f\n\r\t)") + "\x7f\"]";
    QTest::newRow("numbers") << QVariantList{ L(-5), QVariant(7), D(0.1), D(1.5e300), D(-3.0), D(qQNaN()) }
                             << QByteArray(R"(2["e",-5,7,0.1,1.5e+300,-3,null])");
    QTest::newRow("map") << QVariantList{
        Map({ { QStringLiteral("b"), B(true) }, { QStringLiteral("a"), N() } })
    } << QByteArray(R"(2["e",{"a":null,"b":true}])");
    QTest::newRow("binary") << QVariantList{
        QVariant(QByteArray("x")), List({ QVariant(QByteArray("y")) })
    } << QByteArray(R"(52-["e",{"_placeholder":true,"num":0},[{"_placeholder":true,"num":1}]])");
    QTest::newRow("utf-8") << QVariantList{ S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") }
                           << QByteArray("2[\"e\",\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]");
}

void tst_Arguments::writerLiteral()
{
    QFETCH(QVariantList, args);
    QFETCH(QByteArray, expected);
    QCOMPARE(Arguments::encodeEvent(QStringLiteral("/"), QStringLiteral("e"), args).text, expected);
    QCOMPARE(oldEncode(QStringLiteral("/"), nullptr, -1, {}).text, QByteArray("3[]"));
}

// What the writer writes for plain arguments, the reader takes back as the decoder does.
void tst_Arguments::roundTrip()
{
    const QVariantList args = { S("a\"b\n"), L(-12), B(true), N(),
                                Obj({ { QStringLiteral("k"), List({ L(1), S("x") }) } }) };
    const Arguments::Encoded event =
        Arguments::encodeEvent(QStringLiteral("/admin"), QStringLiteral("ev"), args, 77);
    Arguments::Direct direct;
    QVERIFY(Arguments::decodeDirect(event.text, &direct));
    QVERIFY(!direct.isAck);
    QCOMPARE(direct.nsp, QStringLiteral("/admin"));
    QCOMPARE(direct.id, 77);
    QVERIFY2(sameList(direct.args, QVariantList{ S("ev") } + args), describe(direct.args).constData());
    QVERIFY(directMismatch(event.text).isEmpty());

    const Arguments::Encoded ack = Arguments::encodeAck(QStringLiteral("/"), 5, args);
    Arguments::Direct direct2;
    QVERIFY(Arguments::decodeDirect(ack.text, &direct2));
    QVERIFY(direct2.isAck);
    QCOMPARE(direct2.nsp, QStringLiteral("/"));
    QCOMPARE(direct2.id, 5);
    QVERIFY2(sameList(direct2.args, args), describe(direct2.args).constData());
}

// The string fast paths work on blocks (8 UTF-16 units written, 16 bytes read): every unit that
// needs care at every position of runs around those sizes, written and read back against Qt.
void tst_Arguments::longStrings()
{
    static const char16_t units[] = { u'"', u'\\', u'/', u'\n', u'\t', 0x00,   0x1f,   u' ',   u'~',
                                      0x7f, 0x80,  0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0xd800, 0xffff };
    int directReads = 0;
    for (int length = 1; length <= 40; ++length) {
        for (int pos = 0; pos < length; ++pos) {
            for (const char16_t unit : units) {
                QString s(length, QLatin1Char('x'));
                s[pos] = QChar(unit);
                const QVariantList args = { S(s), S("tail") };
                const QByteArray where = "length " + QByteArray::number(length) + ", unit "
                    + QByteArray::number(unit, 16) + " at " + QByteArray::number(pos) + ": ";
                const QByteArray encodeWhy = encodeMismatch(QStringLiteral("/"), nullptr, 1, args);
                QVERIFY2(encodeWhy.isEmpty(), QByteArray(where + encodeWhy).constData());
                const QByteArray text = oldEncode(QStringLiteral("/"), nullptr, 1, args).text;
                bool accepted = false;
                const QByteArray decodeWhy = directMismatch(text, &accepted);
                QVERIFY2(decodeWhy.isEmpty(), QByteArray(where + decodeWhy).constData());
                // The reader takes every valid string (JSON.parse's grammar).
                QVERIFY2(accepted, QByteArray(where + "refused").constData());
                directReads += accepted;
            }
        }
    }
    QVERIFY(directReads > 5000);
}

namespace {

// --- Random arguments (fixed seed) -------------------------------------------------------------

class Gen
{
public:
    explicit Gen(quint32 seed)
        : m_rng(seed)
    { }

    quint32 below(quint32 n) { return m_rng.bounded(n); }
    bool chance(quint32 percent) { return below(100) < percent; }

    QString string()
    {
        static const char16_t pool[] = { u'a',   u'z',   u'A',   u' ',   u'"',   u'\\',  u'/',   u'\n',
                                         u'\t',  0x00,   0x01,   0x1f,   0x7f,   0x80,   0xe9,   0xff,
                                         0x7ff,  0x800,  0x20ac, 0xfdd0, 0xfdef, 0xfffd, 0xfffe, 0xffff,
                                         0xd800, 0xdbff, 0xdc00, 0xdfff, u'0',   u'{' };
        QString s;
        const quint32 n = below(9);
        for (quint32 i = 0; i < n; ++i) {
            if (chance(8)) { // a valid pair
                s += QChar(char16_t(0xd800 + below(0x400)));
                s += QChar(char16_t(0xdc00 + below(0x400)));
            } else if (chance(50)) {
                s += QChar(char16_t(0x20 + below(0x5f)));
            } else if (chance(10)) {
                s += QChar(char16_t(below(0x10000)));
            } else {
                s += QChar(pool[below(sizeof pool / sizeof *pool)]);
            }
        }
        return s;
    }

    // ASCII-only strings most of the time, so the direct writer is used and not only its fallback.
    QString plainString()
    {
        if (chance(70)) {
            QString s;
            const quint32 n = below(7);
            for (quint32 i = 0; i < n; ++i)
                s += QChar(char16_t(chance(90) ? 0x20 + below(0x5f) : below(0x20)));
            return s;
        }
        return string();
    }

    double number()
    {
        switch (below(10)) {
        case 0:
            return m_rng.generateDouble() * std::pow(10.0, int(below(40)) - 20);
        case 1:
            return -double(below(1000000));
        case 2: { // around +-2^53
            const double d = twoTo53 + double(int(below(9)) - 4);
            return chance(50) ? d : -d;
        }
        case 3: { // any bit pattern: NaN, inf, subnormals
            const quint64 bits = m_rng.generate64();
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return d;
        }
        case 4:
            return std::pow(10.0, int(below(60)) - 30) * (chance(50) ? 1 : -1);
        case 5:
            return std::ldexp(1.0, int(below(130)) - 10) * (chance(50) ? 1 : -1);
        case 6: {
            static const double specials[] = { 0.0,
                                               -0.0,
                                               0.1,
                                               0.2,
                                               0.3,
                                               1e21,
                                               1e-7,
                                               5e-324,
                                               qQNaN(),
                                               qInf(),
                                               -qInf(),
                                               std::numeric_limits<double>::max(),
                                               9007199254740993.0,
                                               1e16,
                                               1e17 };
            return specials[below(sizeof specials / sizeof *specials)];
        }
        case 7:
            return double(qint64(m_rng.generate64()) >> below(64));
        default:
            return double(int(below(2000)) - 1000) / double(1 + below(64));
        }
    }

    QVariant value(int depth)
    {
        const quint32 pick = below(depth > 0 ? 100 : 70);
        if (pick < 15)
            return plainString();
        if (pick < 25)
            return L(qint64(m_rng.generate64()) >> below(64));
        if (pick < 30)
            return QVariant(int(m_rng.generate()));
        if (pick < 45)
            return D(number());
        if (pick < 50)
            return B(chance(50));
        if (pick < 54)
            return chance(50) ? N() : QVariant();
        if (pick < 60)
            return QVariant(QByteArray(int(below(4)), 'x'));
        if (pick < 63)
            return QVariant(QStringList{ plainString(), plainString() });
        if (pick < 65)
            return QVariant(QJsonValue(number()));
        if (pick < 66)
            return QVariant(float(number()));
        if (pick < 67)
            return QVariant(quint32(m_rng.generate()));
        if (pick < 70)
            return QVariant(QVariantHash{ { plainString(), value(0) } });
        if (pick < 85) {
            QVariantList list;
            const quint32 n = below(4);
            for (quint32 i = 0; i < n; ++i)
                list << value(depth - 1);
            return list;
        }
        QVariantMap map;
        const quint32 n = below(4);
        for (quint32 i = 0; i < n; ++i)
            map.insert(plainString(), value(depth - 1));
        return map;
    }

    QVariantList args()
    {
        QVariantList list;
        const quint32 n = below(5);
        for (quint32 i = 0; i < n; ++i)
            list << value(3);
        return list;
    }

    QString nsp()
    {
        static const char *const pool[] = { "/", "/", "/", "", "/admin", "/a,b", "/\xc3\xb1", "/x/y" };
        return QString::fromUtf8(pool[below(sizeof pool / sizeof *pool)]);
    }

    qint64 id()
    {
        switch (below(4)) {
        case 0:
            return -1;
        case 1:
            return below(100);
        case 2:
            return qint64(m_rng.generate64() >> 1) >> below(63);
        default:
            return 999999999999999 + int(below(3)) - 1;
        }
    }

    QByteArray mutate(QByteArray text)
    {
        static const char *const tokens[] = { "[",
                                              "]",
                                              "{",
                                              "}",
                                              "\"",
                                              "\\",
                                              ",",
                                              ":",
                                              "-",
                                              ".",
                                              "e",
                                              "E",
                                              "+",
                                              "0",
                                              "1",
                                              "9",
                                              " ",
                                              "\n",
                                              "true",
                                              "null",
                                              "fals",
                                              "\\u",
                                              "\\ud800",
                                              "\\u00e9",
                                              "1e5",
                                              "0.5",
                                              "01",
                                              "9007199254740993",
                                              "1234567890123456",
                                              "\"connect\"",
                                              "/",
                                              "/admin,",
                                              "\xc3\xa9",
                                              "\xff",
                                              "\x01",
                                              "\x7f",
                                              "{\"a\":1}",
                                              "\"a\":",
                                              "[[",
                                              "]]",
                                              "\"\"" };
        const quint32 ops = 1 + below(3);
        for (quint32 k = 0; k < ops; ++k) {
            const qsizetype pos = text.isEmpty() ? 0 : qsizetype(below(quint32(text.size() + 1)));
            switch (below(7)) {
            case 0: // flip a byte
                if (pos < text.size())
                    text[pos] = char(below(256));
                break;
            case 1: // insert a token
                text.insert(pos, tokens[below(sizeof tokens / sizeof *tokens)]);
                break;
            case 2: // replace a byte with a token
                if (pos < text.size())
                    text.replace(pos, 1, tokens[below(sizeof tokens / sizeof *tokens)]);
                break;
            case 3: // delete a run
                text.remove(pos, 1 + below(3));
                break;
            case 4: // truncate
                text.truncate(pos);
                break;
            case 5: // duplicate a slice
                text.insert(pos, text.mid(pos, below(8)));
                break;
            default: // change the type
                if (!text.isEmpty())
                    text[0] = "0123456x"[below(8)];
                break;
            }
        }
        return text;
    }

    // JSON text made up directly (not by Qt's writer): spacing, 16+ digit numbers, escapes.
    QByteArray jsonValue(int depth)
    {
        switch (below(depth > 0 ? 11 : 8)) {
        case 0: {
            QByteArray s = "\"";
            const quint32 n = below(6);
            for (quint32 i = 0; i < n; ++i) {
                static const char *const parts[] = {
                    "a",   "Z",   " ",       "\\\"",    "\\\\",           "\\/",      "\\b", "\\f", "\\n",
                    "\\r", "\\t", "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9", "~"
                };
                s += parts[below(sizeof parts / sizeof *parts)];
            }
            return s + '"';
        }
        case 1:
            return QByteArray::number(qint64(m_rng.generate64()) >> below(64));
        case 2: {
            QByteArray digits = chance(30) ? "-" : "";
            const quint32 n = 1 + below(18);
            digits += char('1' + below(9));
            for (quint32 i = 1; i < n; ++i)
                digits += char('0' + below(10));
            return digits;
        }
        case 3:
            return QByteArray::number(number(), 'g', 17);
        case 4:
            return "true";
        case 5:
            return "false";
        case 6:
            return "null";
        case 7:
            return chance(50) ? "0" : "-0";
        case 8:
        case 9: {
            QByteArray out = "[";
            const quint32 n = below(4);
            for (quint32 i = 0; i < n; ++i)
                out += (i ? "," : "") + space() + jsonValue(depth - 1) + space();
            return out + ']';
        }
        default: {
            QByteArray out = "{";
            const quint32 n = below(4);
            for (quint32 i = 0; i < n; ++i) {
                const QByteArray key =
                    chance(70) ? "\"" + QByteArray(1, char('a' + below(4))) + "\"" : jsonValue(0);
                out += (i ? "," : "") + space() + key + space() + ':' + space() + jsonValue(depth - 1);
            }
            return out + '}';
        }
        }
    }

    QByteArray space()
    {
        static const char *const spaces[] = { "", "", "", "", " ", "\t", "\n ", "\r" };
        return spaces[below(sizeof spaces / sizeof *spaces)];
    }

    QByteArray packet()
    {
        QByteArray head;
        switch (below(4)) {
        case 0:
            head = "2";
            break;
        case 1:
            head = "3";
            break;
        case 2:
            head = "2/admin,";
            break;
        default:
            head = "3/x,";
            break;
        }
        if (head[0] == '3' || chance(40))
            head += QByteArray::number(qint64(below(1000000)) * (chance(20) ? 1000000000 : 1));
        QByteArray body = "[";
        if (head[0] == '2')
            body += chance(90) ? "\"ev\"" : jsonValue(0);
        const quint32 n = below(4);
        for (quint32 i = 0; i < n; ++i)
            body += (i || head[0] == '2' ? "," : "") + space() + jsonValue(3) + space();
        return head + body + ']' + (chance(10) ? space() : QByteArray());
    }

private:
    QRandomGenerator m_rng;
};

} // namespace

void tst_Arguments::randomArguments()
{
    Gen gen(20261126);
    int binary = 0;
    for (int i = 0; i < 20000; ++i) {
        const QVariantList args = gen.args();
        const QString nsp = gen.nsp();
        const qint64 id = gen.id();
        const QString event = gen.chance(80) ? gen.plainString() : gen.string();
        QByteArray why = encodeMismatch(nsp, &event, id, args);
        if (why.isEmpty())
            why = encodeMismatch(nsp, nullptr, id < 0 ? 0 : id, args);
        QVERIFY2(why.isEmpty(),
                 QByteArray("case " + QByteArray::number(i) + ", args " + describe(args) + ": " + why)
                     .constData());
        binary += !Arguments::encodeEvent(nsp, event, args, id).attachments.isEmpty();
    }
    QVERIFY(binary > 1000);
}

void tst_Arguments::randomPackets()
{
    Gen gen(5);
    int accepted = 0;
    int referenceOk = 0;
    int total = 0;
    auto check = [&](const QByteArray &text) {
        bool ok = false;
        const QByteArray why = directMismatch(text, &ok);
        ++total;
        accepted += ok;
        referenceOk += referenceDecode(text).ok;
        if (!why.isEmpty())
            QTest::qFail(
                QByteArray("text " + text.toPercentEncoding(" []{}\",:/\\") + ": " + why).constData(),
                __FILE__, __LINE__);
        return why.isEmpty();
    };
    for (int i = 0; i < 20000; ++i) {
        // Half from the old encoder (real packets, binary ones too), half made up directly.
        QByteArray text;
        if (gen.chance(50)) {
            const QString event = gen.plainString();
            const QVariantList args = gen.args();
            text = gen.chance(70) ? oldEncode(gen.nsp(), &event, gen.id(), args).text
                                  : oldEncode(gen.nsp(), nullptr, qMax<qint64>(gen.id(), 0), args).text;
        } else {
            text = gen.packet();
        }
        if (!check(text))
            return;
        if (!check(gen.mutate(text)))
            return;
    }
    qInfo("%d packets: decoder took %d as EVENT/ACK, decodeDirect %d", total, referenceOk, accepted);
    // Not vacuous: a good share is taken directly, and the mutations reach rejections.
    QVERIFY(accepted > total / 10);
    QVERIFY(referenceOk < total - total / 10);
}

QTEST_APPLESS_MAIN(tst_Arguments)
#include "tst_arguments.moc"
