// SPDX-License-Identifier: MIT
//
// Loopback test of what the Socket.IO server tells observers (the inspector): namespace
// signals, snapshots and traffic, the incoming CONNECT with its socket id, the listening state,
// options (defaults, changed while running) and an application's own QTcpServer. No
// conformance case of docs/conformance.md.

#include "socketiofixture.h"

class tst_SocketIoObservers : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void namespaceSignals();
    void optionsDefaults();
    void bindApplicationServer();
    void snapshotAndTraffic();
    void setOptionsWhileRunning();
    void listeningChanged();
    void incomingConnectCarriesSocketId();
};

void tst_SocketIoObservers::namespaceSignals()
{
    Namespace *nsp = m_server->mainNamespace();
    QSignalSpy connected(nsp, &Namespace::socketConnected);
    QSignalSpy disconnected(nsp, &Namespace::socketDisconnected);
    auto a = std::make_unique<RawClient>(m_port);
    RawClient b(m_port);
    const QString sidA = connectSocket(*a);
    const QString sidB = connectSocket(b);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty());
    QVERIFY(sidA != sidB);
    QCOMPARE(connected.count(), 2);
    QCOMPARE(connected.at(0).at(0).value<Socket *>()->id(), sidA);
    QCOMPARE(connected.at(1).at(0).value<Socket *>()->id(), sidB);
    QCOMPARE(nsp->socketCount(), 2);
    QSet<QString> ids;
    for (Socket *socket : nsp->sockets())
        ids.insert(socket->id());
    QCOMPARE(ids, (QSet<QString>{ sidA, sidB }));

    a.reset();
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).toString(), sidA);
    QCOMPARE(disconnected.at(0).at(1).value<DisconnectReason>(), DisconnectReason::TransportClose);
    QCOMPARE(nsp->socketCount(), 1);
    QVERIFY(!nsp->socket(sidA));
    QVERIFY(nsp->socket(sidB));
}

void tst_SocketIoObservers::setOptionsWhileRunning()
{
    // New sessions get the new options; the one already open keeps its own.
    RawClient before(m_port);
    QVERIFY(before.waitForOpen(Timeout));
    QCOMPARE(before.openPacket().value(QLatin1String("pingInterval")).toInt(), 300);

    ServerOptions options = m_server->options();
    options.engine.pingInterval = 1234ms;
    options.engine.pingTimeout = 4321ms;
    options.engine.path = QStringLiteral("/other/");
    options.engine.cors.origins = { QStringLiteral("https://example.org") };
    m_server->setOptions(options);
    QCOMPARE(m_server->options().engine.pingInterval, 1234ms);
    QCOMPARE(m_server->engine()->options().pingTimeout, 4321ms);
    QCOMPARE(m_server->engine()->options().cors.origins, options.engine.cors.origins);
    QVERIFY(m_server->isListening());

    RawClient after(m_port, QByteArrayLiteral("EIO=4&transport=websocket"), QByteArrayLiteral("/other/"));
    QVERIFY(after.waitForOpen(Timeout));
    QCOMPARE(after.openPacket().value(QLatin1String("pingInterval")).toInt(), 1234);
    QCOMPARE(after.openPacket().value(QLatin1String("pingTimeout")).toInt(), 4321);
    // The old path is gone for new clients; the open session still works.
    RawClient oldPath(m_port);
    QVERIFY(oldPath.waitForClosed(Timeout));
    QVERIFY(!connectSocket(before).isEmpty());
    QVERIFY(roundTrip(before));
}

void tst_SocketIoObservers::listeningChanged()
{
    QSignalSpy spy(m_server.get(), &Server::listeningChanged);
    m_server->close();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toBool(), false);
    m_server->close(); // no change, no signal
    QCOMPARE(spy.count(), 0);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toBool(), true);

    // A port in use: no change.
    Server other;
    QSignalSpy otherSpy(&other, &Server::listeningChanged);
    QVERIFY(!other.listen(QHostAddress::LocalHost, m_server->serverPort()));
    QCOMPARE(otherSpy.count(), 0);
    // A QTcpServer of the application's own (bind()) is not the server's listening state.
    QTcpServer tcp;
    QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
    QVERIFY(other.bind(&tcp));
    QVERIFY(!other.isListening());
    QCOMPARE(otherSpy.count(), 0);
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    other.close();
    QCOMPARE(otherSpy.count(), 2);
    QCOMPARE(otherSpy.at(1).at(0).toBool(), false);
}

void tst_SocketIoObservers::incomingConnectCarriesSocketId()
{
    // Nothing in the server tells the id before the CONNECT is handled: the incoming event is
    // reported with the id of the socket it created, before the server's answer.
    Namespace *custom = m_server->of(QStringLiteral("/custom"));
    QList<TrafficEvent> events;
    connect(m_server.get(), &Server::trafficObserved, this,
            [&events](const TrafficEvent &event) { events.append(event); });
    RawClient client(m_port);
    const QString id = connectSocket(client, "/custom");
    QVERIFY(!id.isEmpty());
    QCOMPARE(custom->socketCount(), 1);
    // A namespace that does not exist: the CONNECT is reported without an id.
    client.send("40/nowhere,");
    QVERIFY(client.nextText().startsWith("44/nowhere,"));

    auto indexOf = [&events](SocketIoPacketType type, TrafficEvent::Direction direction, const QString &nsp) {
        for (int i = 0; i < events.size(); ++i) {
            if (events.at(i).socketIoType == type && events.at(i).direction == direction
                && events.at(i).nsp == nsp)
                return i;
        }
        return -1;
    };
    const int in =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/custom"));
    const int out =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Outgoing, QStringLiteral("/custom"));
    QVERIFY(in >= 0 && out >= 0);
    QCOMPARE(events.at(in).socketId, id);
    QCOMPARE(events.at(out).socketId, id);
    QVERIFY(in < out); // still in wire order
    QCOMPARE(events.at(in).sessionId, events.at(out).sessionId);
    const int refused =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/nowhere"));
    const int error = indexOf(SocketIoPacketType::ConnectError, TrafficEvent::Direction::Outgoing,
                              QStringLiteral("/nowhere"));
    QVERIFY(refused >= 0 && error >= 0);
    QVERIFY(refused < error);
    QVERIFY(events.at(refused).socketId.isEmpty());

    // With a middleware that answers later, the CONNECT is still reported at once with its id.
    std::optional<Next> pending;
    QString pendingId;
    m_server->mainNamespace()->use([&](Socket *socket, const Next &next) {
        pendingId = socket->id();
        pending = next;
    });
    events.clear();
    client.send("40");
    QTRY_VERIFY_WITH_TIMEOUT(pending.has_value(), Timeout);
    const int held =
        indexOf(SocketIoPacketType::Connect, TrafficEvent::Direction::Incoming, QStringLiteral("/"));
    QVERIFY(held >= 0);
    QCOMPARE(events.at(held).socketId, pendingId);
    (*pending)();
    QVERIFY(client.nextText().startsWith(QByteArray("40{\"sid\":\"" + pendingId.toLatin1())));
}

void tst_SocketIoObservers::optionsDefaults()
{
    // socket.io 4.8 / engine.io 6 defaults, in the value type and on the wire.
    const ServerOptions options;
    QCOMPARE(options.engine.path, QStringLiteral("/socket.io/"));
    QCOMPARE(options.engine.pingInterval, 25000ms);
    QCOMPARE(options.engine.pingTimeout, 20000ms);
    QCOMPARE(options.engine.upgradeTimeout, 10000ms);
    QCOMPARE(options.engine.maxHttpBufferSize, qint64(1000000));
    QCOMPARE(options.engine.transports, Transport::Polling | Transport::WebSocket);
    QVERIFY(options.engine.allowUpgrades);
    QVERIFY(!options.engine.allowEIO3);
    QVERIFY(!options.engine.cors.isEnabled());
    QVERIFY(!options.engine.cookie.has_value());
    QVERIFY(options.engine.httpCompression);
    QCOMPARE(options.engine.httpCompressionThreshold, qint64(1024));
    QCOMPARE(options.connectTimeout, 45000ms);
    QCOMPARE(options.maxAttachments, 10);
    QCOMPARE(EngineOptions().path, QStringLiteral("/engine.io/"));

    Server server;
    QCOMPARE(server.options().engine.path, QStringLiteral("/socket.io/"));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    QVERIFY(client.waitForOpen(Timeout));
    QCOMPARE(client.openPacket().value(QLatin1String("pingInterval")), QJsonValue(25000));
    QCOMPARE(client.openPacket().value(QLatin1String("pingTimeout")), QJsonValue(20000));
    QCOMPARE(client.openPacket().value(QLatin1String("maxPayload")), QJsonValue(1000000));
    // EIO=3 is refused by default.
    RawClient v3(server.serverPort(), "EIO=3&transport=websocket");
    QVERIFY(v3.waitForClosed(Timeout));
    QVERIFY(v3.openPacket().isEmpty());
}

void tst_SocketIoObservers::bindApplicationServer()
{
    // Server::bind(): the application's own QTcpServer carries Socket.IO.
    QTcpServer tcp;
    QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
    Server server;
    serveEcho(server.mainNamespace());
    QVERIFY(server.bind(&tcp));
    RawClient client(tcp.serverPort());
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(roundTrip(client));
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
}

void tst_SocketIoObservers::snapshotAndTraffic()
{
    // For the inspector: values describing namespaces, sockets and rooms, and every packet with
    // its Socket.IO fields (namespace, socket, event, ack id, payload).
    QList<TrafficEvent> events;
    connect(m_server.get(), &Server::trafficObserved, this,
            [&events](const TrafficEvent &event) { events.append(event); });
    RawClient client(m_port, "EIO=4&transport=websocket&x=1");
    const QString mainId = connectSocket(client);
    const QString customId = connectSocket(client, "/custom", R"({"token":"abc"})");
    QVERIFY(!mainId.isEmpty() && !customId.isEmpty());
    Socket *custom = serverSocket(customId, QStringLiteral("/custom"));
    custom->join(QStringLiteral("room1"));
    custom->setData({ { QStringLiteral("k"), 1 } });

    const QList<NamespaceSnapshot> all = m_server->snapshot();
    const auto findNsp = [&all](const QString &name) {
        return std::find_if(all.cbegin(), all.cend(),
                            [&name](const NamespaceSnapshot &n) { return n.name == name; });
    };
    QVERIFY(findNsp(QStringLiteral("/")) != all.cend());
    const auto nsp = findNsp(QStringLiteral("/custom"));
    QVERIFY(nsp != all.cend());
    QCOMPARE(nsp->sockets.size(), 1);
    const SocketSnapshot &snap = nsp->sockets.first();
    QCOMPARE(snap.id, customId);
    QCOMPARE(snap.nsp, QStringLiteral("/custom"));
    QCOMPARE(snap.engineSessionId, client.engineSid());
    QCOMPARE(snap.transport, Transport::WebSocket);
    QStringList expectedRooms{ customId, QStringLiteral("room1") };
    expectedRooms.sort();
    QCOMPARE(snap.rooms, expectedRooms);
    QCOMPARE(snap.auth, (QJsonObject{ { QStringLiteral("token"), QStringLiteral("abc") } }));
    QVERIFY2(snap.query.contains(QLatin1String("x=1")), qPrintable(snap.query));
    QCOMPARE(snap.data.value(QStringLiteral("k")).toInt(), 1);
    QCOMPARE(nsp->rooms.value(QStringLiteral("room1")), QStringList{ customId });
    QCOMPARE(m_server->socketSnapshot(custom).id, customId);

    events.clear();
    client.send(R"(42/custom,5["message-with-ack",1,"two"])");
    QCOMPARE(client.nextText(), QByteArray(R"(43/custom,5[1,"two"])"));
    const auto in = std::find_if(events.cbegin(), events.cend(), [](const TrafficEvent &e) {
        return e.direction == TrafficEvent::Direction::Incoming
            && e.socketIoType == SocketIoPacketType::Event;
    });
    QVERIFY(in != events.cend());
    QCOMPARE(in->nsp, QStringLiteral("/custom"));
    QCOMPARE(in->socketId, customId);
    QCOMPARE(in->event, QStringLiteral("message-with-ack"));
    QCOMPARE(in->ackId, 5);
    QCOMPARE(in->payload, parseJson(R"(["message-with-ack",1,"two"])"));
    QCOMPARE(in->sessionId, client.engineSid());
    const auto out = std::find_if(events.cbegin(), events.cend(), [](const TrafficEvent &e) {
        return e.direction == TrafficEvent::Direction::Outgoing && e.socketIoType == SocketIoPacketType::Ack;
    });
    QVERIFY(out != events.cend());
    QCOMPARE(out->socketId, customId);
    QCOMPARE(out->ackId, 5);
    QCOMPARE(out->payload, parseJson(R"([1,"two"])"));
    QVERIFY(in < out);
}

QTEST_GUILESS_MAIN(tst_SocketIoObservers)

#include "tst_socketio_observers.moc"
