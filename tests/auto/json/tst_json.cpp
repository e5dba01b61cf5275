// SPDX-License-Identifier: MIT
// The JSON reader and writer behind Socket.IO payloads: JSON.parse's grammar and choices,
// JSON.stringify's output, objects in the sender's order (QJsonDocument sorts them).
#include "protocol/json.h"

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace SocketIo::Protocol;

class tst_Json : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keyOrder();
    void duplicateKeys();
    void manyMembersIsLinear();
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
    void numbers_data();
    void numbers();
    void writerNumbers_data();
    void writerNumbers();
    void strings();
    void agreesWithQtOnValidJson_data();
    void agreesWithQtOnValidJson();
    void depthLimit();
};

namespace {
QByteArray write(const QCborValue &v)
{
    QByteArray out;
    Json::Writer writer(out);
    if (!writer.value(v))
        return "<refused>";
    return out;
}
} // namespace

void tst_Json::keyOrder()
{
    const QByteArray text = R"({"token":"t-42","n":7,"nested":{"z":1,"a":[{"y":2,"b":3}]},"alpha":null})";
    const auto value = Json::parse(text);
    QVERIFY(value);
    const QCborMap map = value->toMap();
    QStringList keys;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        keys << it.key().toString();
    QCOMPARE(keys,
             QStringList({ QStringLiteral("token"), QStringLiteral("n"), QStringLiteral("nested"),
                           QStringLiteral("alpha") }));
    QCOMPARE(write(*value), text); // written back as it came
    // Arguments read straight into QVariants keep it too.
    QVariantList args;
    QVERIFY(Json::parseArguments(QByteArray("[" + text + "]"), &args));
    QCOMPARE(args.size(), 1);
    QCOMPARE(args.at(0).typeId(), QMetaType::QCborMap);
    QByteArray out;
    QVERIFY(Json::Writer(out).variant(args.at(0)));
    QCOMPARE(out, text);
    // QVariant conversions still work for handlers that want a QVariantMap.
    QCOMPARE(args.at(0).toMap().value(QStringLiteral("n")).toLongLong(), 7);
}

void tst_Json::duplicateKeys()
{
    // JSON.parse: the first position, the last value.
    QCOMPARE(write(*Json::parse(R"({"a":1,"b":2,"a":3})")), QByteArray(R"({"a":3,"b":2})"));
    QCOMPARE(write(*Json::parse(R"([{"x":{"k":1,"k":{"q":1,"q":2}},"x":0}])")), QByteArray(R"([{"x":0}])"));
    QByteArray many = "{";
    for (int i = 0; i < 20; ++i)
        many += "\"k" + QByteArray::number(i % 10) + "\":" + QByteArray::number(i) + ',';
    many += "\"end\":1}";
    QCOMPARE(
        write(*Json::parse(many)),
        QByteArray(
            R"({"k0":10,"k1":11,"k2":12,"k3":13,"k4":14,"k5":15,"k6":16,"k7":17,"k8":18,"k9":19,"end":1})"));
    // Each repetition costs a pass over its object when the document is done: a bound.
    QByteArray hostile = "{";
    for (int i = 0; i < 1002; ++i)
        hostile += "\"a\":1,";
    hostile += "\"b\":2}";
    QVERIFY(!Json::parse(hostile));
}

void tst_Json::manyMembersIsLinear()
{
    // 100,000 members: QCborMap::insert() would make this quadratic (seconds); the CBOR stream
    // keeps it linear. Checked by doing it at all within the test's time, not by a timer.
    QByteArray text = "{";
    for (int i = 0; i < 100000; ++i)
        text += "\"m" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
    text += "\"last\":true}";
    const auto value = Json::parse(text);
    QVERIFY(value);
    QCOMPARE(value->toMap().size(), 100001);
    QCOMPARE(write(*value), text);
}

void tst_Json::accepts_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("scalar string") << QByteArray(R"("x")") << QByteArray(R"("x")");
    QTest::newRow("scalar number") << QByteArray("12") << QByteArray("12");
    QTest::newRow("literals") << QByteArray("[true,false,null]") << QByteArray("[true,false,null]");
    QTest::newRow("white space") << QByteArray(" \t\r\n[ 1 , { \"a\" : [ ] } ]\n")
                                 << QByteArray(R"([1,{"a":[]}])");
    QTest::newRow("empty containers") << QByteArray("[{},[],\"\"]") << QByteArray("[{},[],\"\"]");
    QTest::newRow("escapes") << QByteArray(R"(["\"\\\/\b\f\n\r\t\u0001\u00e9\ud83d\ude00"])")
                             << QByteArray("[\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\xc3\xa9\xf0\x9f\x98\x80\"]");
    QTest::newRow("utf-8") << QByteArray("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]")
                           << QByteArray("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]");
    QTest::newRow("DEL stays raw") << QByteArray("[\"\x7f\"]") << QByteArray("[\"\x7f\"]");
    QTest::newRow("lone surrogate escape becomes U+FFFD")
        << QByteArray(R"(["\ud800x"])") << QByteArray("[\"\xef\xbf\xbdx\"]");
    QTest::newRow("leading U+FEFF kept (QString::fromUtf8 drops it)")
        << QByteArray("[\"\xef\xbb\xbfx\",{\"\xef\xbb\xbfk\":\"\xef\xbb\xbfv\",\"b\":1}]")
        << QByteArray("[\"\xef\xbb\xbfx\",{\"\xef\xbb\xbfk\":\"\xef\xbb\xbfv\",\"b\":1}]");
    QTest::newRow("escaped U+FEFF") << QByteArray(R"(["\ufeff"])") << QByteArray("[\"\xef\xbb\xbf\"]");
    QTest::newRow("tiny number is 0") << QByteArray("[1e-400]") << QByteArray("[0]");
}

void tst_Json::accepts()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, written);
    const auto value = Json::parse(text);
    QVERIFY(value);
    QCOMPARE(write(*value), written);
}

void tst_Json::rejects_data()
{
    QTest::addColumn<QByteArray>("text");
    const char *const rows[] = { "",
                                 "[",
                                 "]",
                                 "[1,]",
                                 "[,1]",
                                 "{\"a\"}",
                                 "{\"a\":}",
                                 "{a:1}",
                                 "{\"a\":1,}",
                                 "[01]",
                                 "[1.]",
                                 "[.5]",
                                 "[1e]",
                                 "[+1]",
                                 "[-]",
                                 "[NaN]",
                                 "[Infinity]",
                                 "[tru]",
                                 "[nul]",
                                 "[\"a\nb\"]",
                                 "[\"\\q\"]",
                                 "[\"\\u12\"]",
                                 "[\"\\u12G4\"]",
                                 "[\"x]",
                                 "[1] [2]",
                                 "[1]x",
                                 "\xef\xbb\xbf[1]" };
    for (const char *row : rows)
        QTest::newRow(QByteArray(row).toPercentEncoding().constData()) << QByteArray(row);
    QTest::newRow("invalid UTF-8 continuation") << QByteArray("[\"\xc3\x28\"]");
    QTest::newRow("overlong UTF-8") << QByteArray("[\"\xc0\xaf\"]");
    QTest::newRow("UTF-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]");
    QTest::newRow("above U+10FFFF") << QByteArray("[\"\xf4\x90\x80\x80\"]");
    QTest::newRow("truncated UTF-8") << QByteArray("[\"\xe2\x82");
    QTest::newRow("nul in string") << QByteArray("[\"a\0b\"]", 7);
    // JSON.parse makes it Infinity, which JSON cannot carry back (Qt's parser refused it too).
    QTest::newRow("number too large for a double") << QByteArray("[1e400]");
}

void tst_Json::rejects()
{
    QFETCH(QByteArray, text);
    QVERIFY(!Json::parse(text));
    QVariantList args;
    QVERIFY(!Json::parseArguments(QByteArray("[" + text + "]"), &args) || text.isEmpty());
}

void tst_Json::numbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("integer");
    QTest::addColumn<double>("value");
    QTest::newRow("0") << QByteArray("0") << true << 0.0;
    QTest::newRow("-0") << QByteArray("-0") << true << 0.0;
    QTest::newRow("whole fraction") << QByteArray("1.0") << true << 1.0;
    QTest::newRow("exponent whole") << QByteArray("2.5e3") << true << 2500.0;
    QTest::newRow("fraction") << QByteArray("0.1") << false << 0.1;
    QTest::newRow("2^53+1 stays exact") << QByteArray("9007199254740993") << true << 9007199254740993.0;
    QTest::newRow("qint64 min") << QByteArray("-9223372036854775808") << true << -9223372036854775808.0;
    QTest::newRow("beyond qint64") << QByteArray("9223372036854775808") << false << 9223372036854775808.0;
    QTest::newRow("1e300") << QByteArray("1e300") << false << 1e300;
}

void tst_Json::numbers()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, integer);
    QFETCH(double, value);
    const auto v = Json::parse(text);
    QVERIFY(v);
    QCOMPARE(v->isInteger(), integer);
    QCOMPARE(v->toDouble(), value);
}

void tst_Json::writerNumbers_data()
{
    // ECMAScript Number#toString, as JSON.stringify writes numbers.
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("0.1") << 0.1 << QByteArray("0.1");
    QTest::newRow("1/3") << 1.0 / 3 << QByteArray("0.3333333333333333");
    QTest::newRow("1.5") << 1.5 << QByteArray("1.5");
    QTest::newRow("-2.25") << -2.25 << QByteArray("-2.25");
    QTest::newRow("whole") << 42.0 << QByteArray("42");
    QTest::newRow("-0") << -0.0 << QByteArray("0");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("1e20 plain") << 1e20 << QByteArray("100000000000000000000");
    QTest::newRow("1.5e-7") << 1.5e-7 << QByteArray("1.5e-7");
    QTest::newRow("0.000001 plain") << 0.000001 << QByteArray("0.000001");
    QTest::newRow("123456.789") << 123456.789 << QByteArray("123456.789");
    QTest::newRow("-1e300") << -1e300 << QByteArray("-1e+300");
    QTest::newRow("5e-324") << 5e-324 << QByteArray("5e-324");
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << QByteArray("null");
    QTest::newRow("Infinity") << std::numeric_limits<double>::infinity() << QByteArray("null");
}

void tst_Json::writerNumbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QByteArray out;
    Json::Writer(out).number(value);
    QCOMPARE(out, text);
    if (std::isfinite(value))
        QCOMPARE(Json::parse(out)->toDouble(), value == 0 ? 0.0 : value);
}

void tst_Json::strings()
{
    QByteArray out;
    Json::Writer writer(out);
    const QString s = QString::fromUtf16(u"a\"\\\n\x01\x7f\u00e9\U0001F600") + QChar(0xd800)
        + QChar(0xdc00 + 1) + QChar(0xdc00);
    writer.string(s);
    // A valid pair as UTF-8; the lone low surrogate escaped, as well-formed JSON.stringify does.
    QCOMPARE(out, QByteArray("\"a\\\"\\\\\\n\\u0001\x7f\xc3\xa9\xf0\x9f\x98\x80\xf0\x90\x80\x81\\udc00\""));
}

void tst_Json::agreesWithQtOnValidJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("mixed") << QByteArray(R"({"b":[1,2.5,"x",{"c":null}],"a":true,"é":"ü"})");
    QTest::newRow("numbers") << QByteArray(R"([0,-1,1e3,0.5,-2.5e-3,123456789012345])");
    QTest::newRow("escapes") << QByteArray(R"(["\u0000\u001f\"\\/","\ud83d\ude00"])");
    QTest::newRow("deep") << QByteArray(R"([[[[{"a":[[{"b":{}}]]}]]]])");
}

void tst_Json::agreesWithQtOnValidJson()
{
    // Same values as Qt's parser (whose objects are sorted: compared as QJsonValues).
    QFETCH(QByteArray, text);
    const auto ours = Json::parse(text);
    QVERIFY(ours);
    const QJsonDocument qt = QJsonDocument::fromJson(text);
    QVERIFY(!qt.isNull());
    QCOMPARE(ours->toJsonValue(), qt.isObject() ? QJsonValue(qt.object()) : QJsonValue(qt.array()));
}

void tst_Json::depthLimit()
{
    const QByteArray ok =
        QByteArray(QByteArray(Json::defaultMaxDepth, '[') + QByteArray(Json::defaultMaxDepth, ']'));
    QVERIFY(Json::parse(ok));
    const QByteArray deep =
        QByteArray(QByteArray(Json::defaultMaxDepth + 1, '[') + QByteArray(Json::defaultMaxDepth + 1, ']'));
    QVERIFY(!Json::parse(deep));
    // 10,000 levels (which crash node's JSON.parse): refused, no stack overflow.
    QVERIFY(!Json::parse(QByteArray(QByteArray(10000, '[') + QByteArray(10000, ']'))));
    QVERIFY(!Json::parse(QByteArray(10000, '{')));
}

QTEST_APPLESS_MAIN(tst_Json)
#include "tst_json.moc"
