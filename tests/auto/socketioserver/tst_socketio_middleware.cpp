// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: the handshake a socket sees, namespace middleware
// (accepting, rejecting, answering later, never answering before the connect timeout), socket
// middleware and catch-all listeners, and the client address in the handshake. No conformance
// case of docs/conformance.md.

#include "socketiofixture.h"

class tst_SocketIoMiddleware : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void handshake();
    void middlewareAccepts();
    void middlewareRejects_data();
    void middlewareRejects();
    void middlewareAnswersLater_data();
    void middlewareAnswersLater();
    void socketMiddlewareAndCatchAll();
    void connectTimeoutWhileMiddlewarePending();
    void ipv4MappedAddressAsIpv4();
};

void tst_SocketIoMiddleware::handshake()
{
    RawClient client(m_port, "EIO=4&transport=websocket&foo=bar");
    const QString sid = connectSocket(client, "/", R"({"token":"t"})");
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    const Handshake &hs = socket->handshake();
    QCOMPARE(hs.auth, (QJsonObject{ { QStringLiteral("token"), QStringLiteral("t") } }));
    QVERIFY2(hs.url.startsWith(QLatin1String("/socket.io/?")), qPrintable(hs.url));
    QVERIFY2(hs.url.contains(QLatin1String("foo=bar")), qPrintable(hs.url));
    QVERIFY(hs.time.isValid());
    QVERIFY(!hs.secure);
    QVERIFY2(hs.address.contains(QLatin1String("127.0.0.1")), qPrintable(hs.address));
    QCOMPARE(socket->transport(), Transport::WebSocket);
    QCOMPARE(socket->rooms(), QSet<QString>{ sid });
    QVERIFY(socket->id() != socket->engineSessionId());
    QCOMPARE(hs.request.query.queryItemValue(QStringLiteral("foo")), QStringLiteral("bar"));
    QCOMPARE(hs.request.query.queryItemValue(QStringLiteral("EIO")), QStringLiteral("4"));
    const auto host = std::find_if(hs.request.headers.cbegin(), hs.request.headers.cend(), [](const auto &h) {
        return h.first.compare("host", Qt::CaseInsensitive) == 0;
    });
    QVERIFY(host != hs.request.headers.cend());
    QCOMPARE(host->second, QByteArray("127.0.0.1:" + QByteArray::number(m_port)));
    QCOMPARE(hs.issued, hs.time.toMSecsSinceEpoch());
    QVERIFY(hs.issued > 0);

    socket->setData({ { QStringLiteral("user"), QStringLiteral("alice") } });
    QCOMPARE(socket->data().value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
}

void tst_SocketIoMiddleware::middlewareAccepts()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    QStringList log;
    nsp->use([&log](Socket *socket, const Next &next) {
        log.append(QStringLiteral("m1:") + socket->handshake().auth.value(QLatin1String("token")).toString()
                   + QLatin1Char(':') + socket->id());
        next();
    });
    nsp->use([&log](Socket *, const Next &next) {
        log.append(QStringLiteral("m2"));
        next();
    });
    connect(nsp, &Namespace::socketConnected, &context,
            [&log](Socket *socket) { log.append(QStringLiteral("connected:") + socket->id()); });

    RawClient client(m_port);
    const QString sid = connectSocket(client, "/", R"({"token":"tok"})");
    QVERIFY(!sid.isEmpty());
    QCOMPARE(log,
             (QStringList{ QStringLiteral("m1:tok:") + sid, QStringLiteral("m2"),
                           QStringLiteral("connected:") + sid }));
    QVERIFY(roundTrip(client));
}

void tst_SocketIoMiddleware::middlewareRejects_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("data"); // JSON, empty: none
    QTest::newRow("message and data") << QByteArray("/") << QStringLiteral("not authorized")
                                      << QByteArray(R"({"code":401,"hint":"token"})");
    QTest::newRow("message only") << QByteArray("/") << QStringLiteral("nope") << QByteArray();
    QTest::newRow("string data") << QByteArray("/") << QStringLiteral("nope") << QByteArray(R"("just text")");
    QTest::newRow("/custom, message and data")
        << QByteArray("/custom") << QStringLiteral("not authorized") << QByteArray(R"({"code":401})");
}

void tst_SocketIoMiddleware::middlewareRejects()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QString, message);
    QFETCH(QByteArray, data);
    Namespace *n = m_server->of(QString::fromLatin1(nsp));
    const QJsonValue dataValue = data.isEmpty() ? QJsonValue(QJsonValue::Undefined) : parseJson(data);
    n->use([message, dataValue](Socket *socket, const Next &next) {
        if (socket->handshake().auth.value(QLatin1String("token")) == QLatin1String("secret"))
            next();
        else
            next.reject(message, dataValue);
    });
    QSignalSpy connected(n, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(QByteArray("40" + nspPrefix(nsp)));
    const QByteArray reply = client.nextText();
    const QByteArray prefix = QByteArray("44" + nspPrefix(nsp));
    QVERIFY2(reply.startsWith(prefix), reply.constData());
    QJsonObject expected{ { QStringLiteral("message"), message } };
    if (!data.isEmpty())
        expected.insert(QStringLiteral("data"), dataValue);
    QCOMPARE(parseJson(reply.mid(prefix.size())), QJsonValue(expected));
    if (data.isEmpty())
        QCOMPARE(reply, QByteArray(prefix + R"({"message":")" + message.toUtf8() + "\"}"));
    QCOMPARE(connected.count(), 0);
    QCOMPARE(n->socketCount(), 0);

    // The connection stays open: the client may try again.
    QVERIFY(!connectSocket(client, nsp, R"({"token":"secret"})").isEmpty());
    QCOMPARE(connected.count(), 1);
}

void tst_SocketIoMiddleware::middlewareAnswersLater_data()
{
    QTest::addColumn<QString>("outcome");
    QTest::newRow("accepts later") << QStringLiteral("accept");
    QTest::newRow("rejects later") << QStringLiteral("reject");
    QTest::newRow("client gone before the answer") << QStringLiteral("gone");
}

void tst_SocketIoMiddleware::middlewareAnswersLater()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QString, outcome);
    Namespace *nsp = m_server->mainNamespace();
    std::optional<Next> pending;
    nsp->use([&pending](Socket *, const Next &next) { pending = next; });
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    QSignalSpy disconnected(nsp, &Namespace::socketDisconnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    QCOMPARE(client.pendingFrames(), 0);

    if (outcome == QLatin1String("accept")) {
        QTimer::singleShot(20, &context, [&pending] { (*pending)(); });
        const QByteArray reply = client.nextText();
        QVERIFY2(reply.startsWith("40{\"sid\":\""), reply.constData());
        QCOMPARE(client.nextText(), QByteArray(R"(42["auth",{}])"));
        QCOMPARE(connected.count(), 1);
        (*pending)(); // only the first call counts
        (*pending).reject(QStringLiteral("late"));
        QVERIFY(roundTrip(client));
        QCOMPARE(connected.count(), 1);
    } else if (outcome == QLatin1String("reject")) {
        QTimer::singleShot(20, &context, [&pending] { pending->reject(QStringLiteral("later, no")); });
        QCOMPARE(client.nextText(), QByteArray(R"(44{"message":"later, no"})"));
        QCOMPARE(connected.count(), 0);
        QVERIFY(!client.isClosed());
    } else {
        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
        (*pending)();
        QTest::qWait(0);
        QCOMPARE(connected.count(), 0);
        QCOMPARE(disconnected.count(), 0);
        QCOMPARE(nsp->socketCount(), 0);
    }
}

void tst_SocketIoMiddleware::socketMiddlewareAndCatchAll()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QStringList log;
    QStringList any;
    QStringList outgoing;
    socket->use([&log](const QString &event, QVariantList &args) {
        log.append(QStringLiteral("middleware:") + event);
        if (event == QLatin1String("blocked"))
            return false;
        if (event == QLatin1String("message") && args.value(0) == QStringLiteral("x"))
            args.append(QStringLiteral("added"));
        return true;
    });
    socket->onAny(&context, [&any](const QString &event, const QVariantList &args) {
        any.append(event + QLatin1Char('/') + QString::number(args.size()));
    });
    socket->onAnyOutgoing(&context, [&outgoing](const QString &event, const QVariantList &args) {
        outgoing.append(event + QLatin1Char('/') + QString::number(args.size()));
    });
    socket->on(QStringLiteral("message"), &context, [&log](const QVariantList &args, const Ack &) {
        log.append(QStringLiteral("on:message/") + QString::number(args.size()));
    });
    socket->on(QStringLiteral("blocked"), &context,
               [&log](const QVariantList &, const Ack &) { log.append(QStringLiteral("on:blocked")); });

    client.send(R"(42["blocked",1])");
    client.send(R"(42["message","x"])");
    // The echo server's eventReceived handler sees the middleware's change too.
    QCOMPARE(client.nextText(), QByteArray(R"(42["message-back","x","added"])"));
    QCOMPARE(log,
             (QStringList{ QStringLiteral("middleware:blocked"), QStringLiteral("middleware:message"),
                           QStringLiteral("on:message/2") }));
    QVERIFY2(any.contains(QStringLiteral("message/2")), qPrintable(any.join(QLatin1Char(' '))));
    QCOMPARE(outgoing, QStringList{ QStringLiteral("message-back/2") });

    // Reserved event names are never emitted.
    socket->emitEvent(QStringLiteral("disconnect"));
    socket->emitEvent(QStringLiteral("connect"), { 1 });
    QVERIFY(roundTrip(client));
}

void tst_SocketIoMiddleware::connectTimeoutWhileMiddlewarePending()
{
    // socket.io counts a namespace as joined only once its middleware let the socket in: a
    // middleware that never answers does not keep the connection open past connectTimeout.
    Namespace *nsp = m_server->mainNamespace();
    std::optional<Next> pending;
    nsp->use([&pending](Socket *, const Next &next) { pending = next; });
    QSignalSpy connected(nsp, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    (*pending)(); // too late: nothing happens
    QCOMPARE(connected.count(), 0);
    QCOMPARE(nsp->socketCount(), 0);
}

void tst_SocketIoMiddleware::ipv4MappedAddressAsIpv4()
{
    // A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; the handshake says a.b.c.d.
    Server server;
    QVERIFY(server.listen(QHostAddress::Any, 0));
    QSignalSpy connected(server.mainNamespace(), &Namespace::socketConnected);
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40");
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, Timeout);
    const auto *socket = connected.first().at(0).value<Socket *>();
    const QHostAddress peer = socket->handshake().request.remoteAddress;
    bool isV4 = false;
    peer.toIPv4Address(&isV4);
    QVERIFY(isV4);
    QCOMPARE(peer.protocol(), QAbstractSocket::IPv6Protocol); // the mapped form underneath
    QCOMPARE(socket->handshake().address, QStringLiteral("127.0.0.1"));
    QCOMPARE(server.snapshot().first().sockets.first().remoteAddress, QStringLiteral("127.0.0.1"));
}

QTEST_GUILESS_MAIN(tst_SocketIoMiddleware)

#include "tst_socketio_middleware.moc"
