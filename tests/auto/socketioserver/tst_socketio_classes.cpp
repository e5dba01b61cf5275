// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: class-based handlers (on_<event> slots), their
// parameter and return types, and binary arguments. No conformance case of docs/conformance.md.

#include "socketiofixture.h"

namespace {

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

} // namespace

class tst_SocketIoClasses : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void classBasedHandlers();
    void classHandlerTypes_data();
    void classHandlerTypes();
    void classHandlerBinary();
};

void tst_SocketIoClasses::classBasedHandlers()
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

void tst_SocketIoClasses::classHandlerTypes_data()
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

void tst_SocketIoClasses::classHandlerTypes()
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

void tst_SocketIoClasses::classHandlerBinary()
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

QTEST_GUILESS_MAIN(tst_SocketIoClasses)

#include "tst_socketio_classes.moc"
