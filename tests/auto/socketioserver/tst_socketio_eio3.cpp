// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server with Engine.IO v3 clients (allowEIO3, socket.io-client
// 2.x): the implicit main-namespace connect, invalid namespaces, middleware errors and the
// connect timeout. No conformance case of docs/conformance.md (those are v4 clients).

#include "socketiofixture.h"

class tst_SocketIoEio3 : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void eio3Connect_data();
    void eio3Connect();
    void eio3InvalidNamespace();
    void eio3MiddlewareRejects_data();
    void eio3MiddlewareRejects();
    void eio3ConnectTimeout();
};

// ---- Engine.IO v3 clients (allowEIO3) -------------------------------------------------------

namespace {

// An echo server that also takes Engine.IO v3 clients, with heartbeats far away (a v3 client
// must ping; the raw client does not).
std::unique_ptr<Server> startEio3Server(std::chrono::milliseconds connectTimeout = 60000ms)
{
    ServerOptions options;
    options.engine.allowEIO3 = true;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    options.connectTimeout = connectTimeout;
    auto server = std::make_unique<Server>(options);
    serveEcho(server->mainNamespace());
    serveEcho(server->of(QStringLiteral("/custom")));
    if (!server->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    return server;
}

const QByteArray Eio3Query = QByteArrayLiteral("EIO=3&transport=websocket");

} // namespace

void tst_SocketIoEio3::eio3Connect_data()
{
    QTest::addColumn<QByteArray>("connect"); // what the client sends; empty: nothing (main namespace)
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArray>("auth"); // JSON of the `auth` event

    QTest::newRow("main namespace, implicit") << QByteArray() << QByteArray("/") << QByteArray("{}");
    QTest::newRow("custom, no query")
        << QByteArray("40/custom,") << QByteArray("/custom") << QByteArray("{}");
    QTest::newRow("custom, query as auth") << QByteArray("40/custom?token=abc&n=1,") << QByteArray("/custom")
                                           << QByteArray(R"({"n":"1","token":"abc"})");
    QTest::newRow("custom, repeated key and encoded values")
        << QByteArray("40/custom?a=1&a=2&b=x%20y+z&flag,") << QByteArray("/custom")
        << QByteArray(R"({"a":["1","2"],"b":"x y z","flag":""})");
    QTest::newRow("custom, no comma after the query")
        << QByteArray("40/custom?token=abc") << QByteArray("/custom") << QByteArray(R"({"token":"abc"})");
}

void tst_SocketIoEio3::eio3Connect()
{
    // socket.io 4 with a v3 client: the main namespace is joined without a CONNECT and answered
    // with a bare "40"; a namespace CONNECT carries a query, which is the handshake auth; the
    // socket ids are the ones socket.io-client 2.x derives from the engine id.
    QFETCH(QByteArray, connect);
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArray, auth);
    const auto server = startEio3Server();
    QVERIFY(server);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40")); // main, no payload
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    if (!connect.isEmpty()) {
        client.send(connect);
        QCOMPARE(client.nextText(), QByteArray("40" + nspPrefix(nsp))); // no {"sid":...} for v3
        QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + "[\"auth\"," + auth + ']'));
    }
    Namespace *n = server->findNamespace(QString::fromUtf8(nsp));
    QVERIFY(n);
    QCOMPARE(n->socketCount(), 1);
    const QString expectedId =
        nsp == "/" ? client.engineSid() : QString::fromUtf8(nsp) + QLatin1Char('#') + client.engineSid();
    Socket *socket = n->socket(expectedId);
    QVERIFY2(socket, qPrintable(n->sockets().first()->id()));
    QCOMPARE(socket->handshake().auth, QJsonDocument::fromJson(auth).object());
    QCOMPARE(socket->engineSessionId(), client.engineSid());

    // Later packets name the namespace without the query.
    client.send("42" + nspPrefix(nsp) + R"(["message","x"])");
    QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + R"(["message-back","x"])"));
    // A room named after the id reaches the socket, as 2.x apps expect of socket.id.
    client.send("42" + nspPrefix(nsp) + R"(["to-room",")" + expectedId.toUtf8() + R"(","me"])");
    QCOMPARE(client.nextText(), QByteArray("42" + nspPrefix(nsp) + R"(["me"])"));
}

void tst_SocketIoEio3::eio3InvalidNamespace()
{
    // socket.io 4 sends v3 clients the same object as v4 clients (2.x emits it as `error`).
    const auto server = startEio3Server();
    QVERIFY(server);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    client.send("40/random?token=1,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/random,{"message":"Invalid namespace"})"));
    QVERIFY(!server->findNamespace(QStringLiteral("/random?token=1")));
    QVERIFY(roundTrip(client)); // the connection stays
}

void tst_SocketIoEio3::eio3MiddlewareRejects_data()
{
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<QByteArray>("payload");
    // socket.io 4 sends a v3 client `err.data || err.message`.
    QTest::newRow("no data") << QJsonValue(QJsonValue::Undefined) << QByteArray(R"("not allowed")");
    QTest::newRow("null data") << QJsonValue(QJsonValue::Null) << QByteArray(R"("not allowed")");
    QTest::newRow("false data") << QJsonValue(false) << QByteArray(R"("not allowed")");
    QTest::newRow("zero data") << QJsonValue(0) << QByteArray(R"("not allowed")");
    QTest::newRow("empty string data") << QJsonValue(QString()) << QByteArray(R"("not allowed")");
    QTest::newRow("string data") << QJsonValue(QStringLiteral("why")) << QByteArray(R"("why")");
    QTest::newRow("object data") << QJsonValue(QJsonObject{ { QStringLiteral("code"), 42 } })
                                 << QByteArray(R"({"code":42})");
    QTest::newRow("true data") << QJsonValue(true) << QByteArray("true");
}

void tst_SocketIoEio3::eio3MiddlewareRejects()
{
    QFETCH(QJsonValue, data);
    QFETCH(QByteArray, payload);
    const auto server = startEio3Server();
    QVERIFY(server);
    server->of(QStringLiteral("/custom"))->use([data](Socket *, const Next &next) {
        next.reject(QStringLiteral("not allowed"), data);
    });
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray("40"));
    QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
    client.send("40/custom?x=1,");
    QCOMPARE(client.nextText(), QByteArray("44/custom," + payload));
    QCOMPARE(server->findNamespace(QStringLiteral("/custom"))->socketCount(), 0);
    QVERIFY(roundTrip(client));
}

void tst_SocketIoEio3::eio3ConnectTimeout()
{
    // The connect timeout applies to v3 clients too: refused by the main namespace's middleware,
    // a connection that joins nothing else is closed.
    const auto server = startEio3Server(300ms);
    QVERIFY(server);
    server->use([](Socket *, const Next &next) { next.reject(QStringLiteral("go away")); });
    QSignalSpy closed(server->engine(), &EngineServer::sessionClosed);
    RawClient client(server->serverPort(), Eio3Query);
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.nextText(), QByteArray(R"(44"go away")"));
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, Timeout);
    QCOMPARE(closed.at(0).at(0).toString(), client.engineSid());
}

QTEST_GUILESS_MAIN(tst_SocketIoEio3)

#include "tst_socketio_eio3.moc"
