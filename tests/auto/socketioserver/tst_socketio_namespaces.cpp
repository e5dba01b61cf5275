// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: joining and leaving namespaces. The conformance cases
// of docs/conformance.md case 18-20 (CONNECT to the main and a custom namespace, with auth),
// case 21 (invalid namespace), case 22 (malformed first packet), case 23 (connect timeout),
// case 24 (leaving the main namespace) and case 25 (leaving a custom namespace, then the main
// one); then dynamic namespaces (by pattern, by filter).

#include "socketiofixture.h"

class tst_SocketIoNamespaces : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void connectNamespace_data();
    void connectNamespace(); // cases 18, 19, 20
    void invalidNamespace_data();
    void invalidNamespace(); // case 21
    void malformedFirstPacket_data();
    void malformedFirstPacket(); // case 22
    void connectTimeout(); // case 23
    void leaveMainNamespace(); // case 24
    void leaveCustomThenMain(); // case 25
    void dynamicNamespaceByPattern();
    void dynamicNamespaceByFilter();
};

void tst_SocketIoNamespaces::connectNamespace_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArray>("auth");
    QTest::newRow("18 main namespace") << QByteArray("/") << QByteArray();
    QTest::newRow("19 main namespace with auth") << QByteArray("/") << QByteArray(R"({"token":"123"})");
    QTest::newRow("20 /custom") << QByteArray("/custom") << QByteArray();
    QTest::newRow("20 /custom with auth") << QByteArray("/custom") << QByteArray(R"({"token":"abc"})");
}

void tst_SocketIoNamespaces::connectNamespace()
{
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArray, auth);
    Namespace *n = m_server->findNamespace(QString::fromLatin1(nsp));
    QVERIFY(n);
    QSignalSpy connected(n, &Namespace::socketConnected);

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("40" + prefix + auth));

    const QByteArray reply = client.nextText();
    QVERIFY2(reply.startsWith(QByteArray("40" + prefix + '{')), reply.constData());
    const QJsonValue payload = parseJson(reply.mid(2 + prefix.size()));
    QVERIFY2(payload.isObject(), reply.constData());
    QCOMPARE(payload.toObject().keys(), QStringList{ QStringLiteral("sid") });
    const QString sid = payload.toObject().value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QVERIFY(sid != client.engineSid());

    QCOMPARE(client.nextText(),
             QByteArray("42" + prefix + "[\"auth\"," + (auth.isEmpty() ? "{}" : auth) + ']'));

    QCOMPARE(connected.count(), 1);
    auto *socket = connected.at(0).at(0).value<Socket *>();
    QVERIFY(socket);
    QCOMPARE(socket->id(), sid);
    QCOMPARE(socket->nsp(), n);
    QVERIFY(socket->isConnected());
    QCOMPARE(socket->engineSessionId(), client.engineSid());
    QCOMPARE(socket->handshake().auth, parseJson(auth.isEmpty() ? QByteArray("{}") : auth).toObject());
    QCOMPARE(n->socket(sid), socket);
    QCOMPARE(n->socketCount(), 1);
}

void tst_SocketIoNamespaces::invalidNamespace_data()
{
    QTest::addColumn<QByteArray>("connect");
    QTest::newRow("21 no trailing comma") << QByteArray("40/random");
    QTest::newRow("21 trailing comma") << QByteArray("40/random,");
    QTest::newRow("21 with auth") << QByteArray(R"(40/random,{"token":"x"})");
}

void tst_SocketIoNamespaces::invalidNamespace()
{
    QFETCH(QByteArray, connect);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(connect);
    QCOMPARE(client.nextText(), QByteArray(R"(44/random,{"message":"Invalid namespace"})"));
    QVERIFY(!m_server->findNamespace(QStringLiteral("/random")));
    // The connection stays open: the client may still join an existing namespace.
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(roundTrip(client));
}

void tst_SocketIoNamespaces::malformedFirstPacket_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::newRow("22 4abc") << QByteArray("4abc");
    QTest::newRow("22 unknown type 7") << QByteArray("47");
    QTest::newRow("22 empty message") << QByteArray("4");
    QTest::newRow("22 connect with bad json") << QByteArray("40{");
    QTest::newRow("22 connect with array payload") << QByteArray("40[1]");
}

void tst_SocketIoNamespaces::malformedFirstPacket()
{
    QFETCH(QByteArray, packet);
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 1, Timeout);
    client.send(packet);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    QCOMPARE(m_server->mainNamespace()->socketCount(), 0);
}

void tst_SocketIoNamespaces::connectTimeout()
{
    // A client that joined a namespace in time is not affected by the timer.
    RawClient joined(m_port);
    QVERIFY(!connectSocket(joined).isEmpty());

    RawClient idle(m_port); // answers pings: only the connect timeout can close it
    QVERIFY(idle.waitForOpen(Timeout));
    QVERIFY(idle.waitForClosed(Timeout));

    QVERIFY(!joined.isClosed());
    QVERIFY(roundTrip(joined));
}

void tst_SocketIoNamespaces::leaveMainNamespace()
{
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);

    client.setQueuePings(true);
    client.send("41");
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ClientNamespaceDisconnect);

    // The Engine.IO connection stays open; only pings arrive.
    const int pings = client.pingCount();
    QTRY_VERIFY_WITH_TIMEOUT(client.pingCount() >= pings + 2, Timeout);
    QVERIFY(!client.isClosed());
    QVERIFY(client.pendingFrames() >= 2);
    for (const RawFrame &frame : client.frames()) {
        QVERIFY(!frame.binary);
        QCOMPARE(frame.data, QByteArray("2"));
    }
    QCOMPARE(m_server->mainNamespace()->socketCount(), 0);
    QCOMPARE(m_server->engine()->sessionCount(), 1);
}

void tst_SocketIoNamespaces::leaveCustomThenMain()
{
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    const QString customSid = connectSocket(client, "/custom");
    QVERIFY(!customSid.isEmpty());
    QCOMPARE(m_server->of(QStringLiteral("/custom"))->socketCount(), 1);

    client.send("41/custom,");
    QTRY_COMPARE_WITH_TIMEOUT(m_server->of(QStringLiteral("/custom"))->socketCount(), 0, Timeout);
    client.send(R"(42["message","x"])");
    QCOMPARE(client.nextText(), QByteArray(R"(42["message-back","x"])"));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
}

void tst_SocketIoNamespaces::dynamicNamespaceByPattern()
{
    QSignalSpy created(m_server.get(), &Server::namespaceCreated);
    connect(m_server.get(), &Server::namespaceCreated, this, [](Namespace *nsp) { serveEcho(nsp); });
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-\\d+$")));

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/dyn-x,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/dyn-x,{"message":"Invalid namespace"})"));
    QCOMPARE(created.count(), 0);

    const QString sid = connectSocket(client, "/dyn-1"); // serveEcho ran on the new namespace
    QVERIFY(!sid.isEmpty());
    QCOMPARE(created.count(), 1);
    auto *nsp = created.at(0).at(0).value<Namespace *>();
    QVERIFY(nsp);
    QCOMPARE(nsp->name(), QStringLiteral("/dyn-1"));
    QCOMPARE(m_server->findNamespace(QStringLiteral("/dyn-1")), nsp);
    QVERIFY(nsp->socket(sid));
    client.send(R"(42/dyn-1,["message","d"])");
    QCOMPARE(client.nextText(), QByteArray(R"(42/dyn-1,["message-back","d"])"));

    // A second client joins the now existing namespace: no new namespace.
    RawClient other(m_port);
    QVERIFY(!connectSocket(other, "/dyn-1").isEmpty());
    QCOMPARE(created.count(), 1);
    QCOMPARE(nsp->socketCount(), 2);
}

void tst_SocketIoNamespaces::dynamicNamespaceByFilter()
{
    QSignalSpy created(m_server.get(), &Server::namespaceCreated);
    connect(m_server.get(), &Server::namespaceCreated, this, [](Namespace *nsp) { serveEcho(nsp); });
    QStringList asked;
    m_server->addDynamicNamespace([&asked](const QString &name, const QJsonObject &auth) {
        asked.append(name);
        return name.startsWith(QLatin1String("/team-"))
            && auth.value(QLatin1String("key")) == QLatin1String("ok");
    });

    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send(R"(40/team-b,{"key":"no"})");
    QCOMPARE(client.nextText(), QByteArray(R"(44/team-b,{"message":"Invalid namespace"})"));
    QCOMPARE(created.count(), 0);
    QVERIFY(!m_server->findNamespace(QStringLiteral("/team-b")));

    QVERIFY(!connectSocket(client, "/team-a", R"({"key":"ok"})").isEmpty());
    QCOMPARE(created.count(), 1);
    QCOMPARE(created.at(0).at(0).value<Namespace *>()->name(), QStringLiteral("/team-a"));
    QCOMPARE(asked, (QStringList{ QStringLiteral("/team-b"), QStringLiteral("/team-a") }));

    // Existing namespaces are not asked about.
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    QCOMPARE(asked.size(), 2);
}

QTEST_GUILESS_MAIN(tst_SocketIoNamespaces)

#include "tst_socketio_namespaces.moc"
