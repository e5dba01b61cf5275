// SPDX-License-Identifier: MIT
// The public JSON functions: what a UI or a command-line client uses to turn typed JSON into
// arguments and back, with objects in the order they were written.
#include <SocketIo/json.h>

#include <QCborMap>
#include <QTest>

class tst_JsonApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsOrder_data();
    void roundTripKeepsOrder();
    void types();
    void invalid();
    void binary();
};

void tst_JsonApi::roundTripKeepsOrder_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("object") << QByteArray(R"({"token":"t-42","n":7,"a":{"z":[1,{"y":null,"b":true}]}})");
    QTest::newRow("array") << QByteArray(R"([{"b":1,"a":2},"x",1.5,false])");
    QTest::newRow("string") << QByteArray(R"("h\u00e9\n")");
}

void tst_JsonApi::roundTripKeepsOrder()
{
    QFETCH(QByteArray, json);
    bool ok = false;
    const QVariant value = SocketIo::parseJsonArgument(json, &ok);
    QVERIFY(ok);
    const QByteArray written = SocketIo::toJson(value);
    // Escapes written as JSON.stringify does: \u00e9 becomes the character itself.
    QCOMPARE(SocketIo::toJson(SocketIo::parseJsonArgument(written)), written);
    if (json.startsWith('{') || json.startsWith('['))
        QCOMPARE(written, json);
}

void tst_JsonApi::types()
{
    QCOMPARE(SocketIo::parseJsonArgument("12").typeId(), QMetaType::LongLong);
    QCOMPARE(SocketIo::parseJsonArgument("1.25").typeId(), QMetaType::Double);
    QCOMPARE(SocketIo::parseJsonArgument("null").typeId(), QMetaType::Nullptr);
    QCOMPARE(SocketIo::parseJsonArgument("[]").typeId(), QMetaType::QVariantList);
    const QVariant object = SocketIo::parseJsonArgument(R"({"b":1,"a":2})");
    QCOMPARE(object.typeId(), QMetaType::QCborMap);
    QCOMPARE(object.toMap().value(QStringLiteral("a")).toInt(), 2); // toMap() still works
    // A QVariantMap is written with its keys sorted (it has no other order).
    QCOMPARE(SocketIo::toJson(QVariantMap{ { QStringLiteral("b"), 1 }, { QStringLiteral("a"), 2 } }),
             QByteArray(R"({"a":2,"b":1})"));
}

void tst_JsonApi::invalid()
{
    for (const char *text : { "", "{", "[1,]", "{'a':1}", "tru", "\"a\nb\"", "1 2" }) {
        bool ok = true;
        const QVariant value = SocketIo::parseJsonArgument(text, &ok);
        QVERIFY2(!ok, text);
        QVERIFY(!value.isValid());
    }
}

void tst_JsonApi::binary()
{
    QCOMPARE(SocketIo::toJson(QVariantList{ QByteArray("\x01\x02", 2), QStringLiteral("x") }),
             QByteArray(R"([{"$binary":"AQI="},"x"])"));
}

QTEST_GUILESS_MAIN(tst_JsonApi)
#include "tst_jsonapi.moc"
