// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: disconnect reasons (each trigger, the reason on both
// sides), closing a connection with two namespaces, limits that close a connection, handlers
// that misbehave, and the reason strings word for word. No conformance case of
// docs/conformance.md.

#include "socketiofixture.h"

namespace {

enum class Trigger {
    ClientLeaves,
    ServerNamespaceDisconnect,
    ServerDisconnectClose,
    ClientClosesWebSocket,
    ClientStopsPonging,
    ServerCloses,
};

} // namespace

Q_DECLARE_METATYPE(Trigger)

class tst_SocketIoDisconnect : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void disconnectReasons_data();
    void disconnectReasons();
    void disconnectCloseWithTwoNamespaces();
    void limitsEnforcedAndReported_data();
    void limitsEnforcedAndReported();
    void misbehavingHandlers_data();
    void misbehavingHandlers();
    void reasonStrings_data();
    void reasonStrings();
};

void tst_SocketIoDisconnect::disconnectReasons_data()
{
    QTest::addColumn<Trigger>("trigger");
    QTest::addColumn<DisconnectReason>("reason");
    QTest::addColumn<QByteArray>("clientSees"); // the frame the client gets, if any
    QTest::addColumn<bool>("connectionSurvives");
    QTest::newRow("client sends 41") << Trigger::ClientLeaves << DisconnectReason::ClientNamespaceDisconnect
                                     << QByteArray() << true;
    QTest::newRow("disconnect(Namespace)")
        << Trigger::ServerNamespaceDisconnect << DisconnectReason::ServerNamespaceDisconnect
        << QByteArray("41") << true;
    QTest::newRow("disconnect(Close)")
        << Trigger::ServerDisconnectClose << DisconnectReason::ServerNamespaceDisconnect << QByteArray("41")
        << false;
    QTest::newRow("WebSocket closed")
        << Trigger::ClientClosesWebSocket << DisconnectReason::TransportClose << QByteArray() << false;
    QTest::newRow("no pong") << Trigger::ClientStopsPonging << DisconnectReason::PingTimeout << QByteArray()
                             << false;
    QTest::newRow("Server::close()") << Trigger::ServerCloses << DisconnectReason::ServerShuttingDown
                                     << QByteArray() << false;
}

void tst_SocketIoDisconnect::disconnectReasons()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(Trigger, trigger);
    QFETCH(DisconnectReason, reason);
    QFETCH(QByteArray, clientSees);
    QFETCH(bool, connectionSurvives);

    Namespace *nsp = m_server->mainNamespace();
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    socket->join(QStringLiteral("room1"));
    QCOMPARE(nsp->roomSize(QStringLiteral("room1")), 1);

    QStringList order;
    QSet<QString> roomsWhileDisconnecting;
    QList<DisconnectReason> reasons;
    connect(socket, &Socket::disconnecting, &context, [&, socket](DisconnectReason why) {
        order.append(QStringLiteral("disconnecting"));
        roomsWhileDisconnecting = socket->rooms();
        reasons.append(why);
    });
    connect(socket, &Socket::disconnected, &context, [&](DisconnectReason why) {
        order.append(QStringLiteral("disconnected"));
        reasons.append(why);
    });
    QSignalSpy nspDisconnected(nsp, &Namespace::socketDisconnected);

    switch (trigger) {
    case Trigger::ClientLeaves:
        client.send("41");
        break;
    case Trigger::ServerNamespaceDisconnect:
        socket->close(DisconnectMode::Namespace);
        break;
    case Trigger::ServerDisconnectClose:
        socket->close(DisconnectMode::Close);
        break;
    case Trigger::ClientClosesWebSocket:
        client.close();
        break;
    case Trigger::ClientStopsPonging:
        client.setAutoPong(false);
        break;
    case Trigger::ServerCloses:
        m_server->close();
        break;
    }

    QTRY_COMPARE_WITH_TIMEOUT(order.size(), 2, Timeout);
    QCOMPARE(order, (QStringList{ QStringLiteral("disconnecting"), QStringLiteral("disconnected") }));
    QCOMPARE(reasons, (QList<DisconnectReason>{ reason, reason }));
    QCOMPARE(roomsWhileDisconnecting, (QSet<QString>{ sid, QStringLiteral("room1") }));
    QCOMPARE(nspDisconnected.count(), 1);
    QCOMPARE(nspDisconnected.at(0).at(0).toString(), sid);
    QCOMPARE(nspDisconnected.at(0).at(1).value<DisconnectReason>(), reason);
    QCOMPARE(nsp->roomSize(QStringLiteral("room1")), 0);
    QCOMPARE(nsp->roomSize(sid), 0);
    QCOMPARE(nsp->socketCount(), 0);

    if (!clientSees.isEmpty())
        QCOMPARE(client.nextText(), clientSees);
    if (connectionSurvives) {
        QVERIFY(!client.isClosed());
        const QString again = connectSocket(client);
        QVERIFY(!again.isEmpty());
        QVERIFY(again != sid);
    } else {
        QVERIFY(client.waitForClosed(Timeout));
    }
}

void tst_SocketIoDisconnect::disconnectCloseWithTwoNamespaces()
{
    RawClient client(m_port);
    const QString mainSid = connectSocket(client);
    const QString customSid = connectSocket(client, "/custom");
    QVERIFY(!mainSid.isEmpty() && !customSid.isEmpty());
    Socket *mainSocket = serverSocket(mainSid);
    Socket *customSocket = serverSocket(customSid, QStringLiteral("/custom"));
    QVERIFY(mainSocket && customSocket);
    QSignalSpy mainDisconnected(mainSocket, &Socket::disconnected);
    QSignalSpy customDisconnected(customSocket, &Socket::disconnected);

    // socket.disconnect(true): every socket of the connection leaves, then it closes.
    mainSocket->close(DisconnectMode::Close);
    QByteArrayList got{ client.nextText(), client.nextText() };
    std::sort(got.begin(), got.end());
    QCOMPARE(got, (QByteArrayList{ "41", "41/custom," }));
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(mainDisconnected.count(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(customDisconnected.count(), 1, Timeout);
    QCOMPARE(mainDisconnected.at(0).at(0).value<DisconnectReason>(),
             DisconnectReason::ServerNamespaceDisconnect);
    QCOMPARE(customDisconnected.at(0).at(0).value<DisconnectReason>(),
             DisconnectReason::ServerNamespaceDisconnect);
}

void tst_SocketIoDisconnect::limitsEnforcedAndReported_data()
{
    QTest::addColumn<QByteArrayList>("frames"); // "t:<text>" or "b:<size>" (that many bytes)
    QTest::addColumn<DisconnectReason>("reason");
    QTest::addColumn<QString>("log"); // a regular expression for the log line
    const auto ph = [](int n) {
        return QByteArray(R"({"_placeholder":true,"num":)" + QByteArray::number(n) + '}');
    };
    QTest::newRow("more attachments than maxAttachments (2)")
        << QByteArrayList{ R"(t:453-["message",)" + ph(0) + ',' + ph(1) + ',' + ph(2) + ']' }
        << DisconnectReason::ParseError << QStringLiteral("sent a malformed packet: too many attachments");
    QTest::newRow("attachments over maxHttpBufferSize (200) in sum")
        << QByteArrayList{ R"(t:452-["message",)" + ph(0) + ',' + ph(1) + ']', "b:120", "b:120" }
        << DisconnectReason::ParseError << QStringLiteral("sent a malformed packet: attachments too large");
    QTest::newRow("one message over maxHttpBufferSize (200)")
        << QByteArrayList{ R"(t:42["message",")" + QByteArray(250, 'x') + "\"]" }
        << DisconnectReason::TransportError
        << QStringLiteral("transport error: message larger than maxHttpBufferSize \\(200 bytes\\)");
}

void tst_SocketIoDisconnect::limitsEnforcedAndReported()
{
    // A limit closes the offending connection only, with a reason and a log line.
    QFETCH(QByteArrayList, frames);
    QFETCH(DisconnectReason, reason);
    QFETCH(QString, log);
    ServerOptions options;
    options.engine.maxHttpBufferSize = 200;
    options.engine.pingInterval = 60000ms;
    options.engine.pingTimeout = 60000ms;
    options.maxAttachments = 2;
    Server server(options);
    serveEcho(server.mainNamespace());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient offender(server.serverPort());
    RawClient bystander(server.serverPort());
    QVERIFY(!connectSocket(bystander).isEmpty());
    const QString id = connectSocket(offender);
    QVERIFY(!id.isEmpty());
    QSignalSpy disconnected(server.mainNamespace()->socket(id), &Socket::disconnected);

    QTest::ignoreMessage(
        QtInfoMsg,
        QRegularExpression(QRegularExpression::escape(offender.engineSid()) + QLatin1String(".*") + log));
    for (const QByteArray &frame : std::as_const(frames)) {
        if (frame.startsWith("b:"))
            offender.sendBinary(QByteArray(frame.mid(2).toInt(), '\x01'));
        else
            offender.send(frame.mid(2));
    }
    QVERIFY(offender.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), reason);
    QVERIFY(roundTrip(bystander));
    QCOMPARE(server.mainNamespace()->socketCount(), 1);
}

void tst_SocketIoDisconnect::misbehavingHandlers_data()
{
    QTest::addColumn<QString>("behaviour");
    QTest::newRow("disconnects itself in the handler, then acks, emits, joins")
        << QStringLiteral("disconnect");
    QTest::newRow("closes the connection in the handler, then acks and emits") << QStringLiteral("close");
    QTest::newRow("disconnects again and emits while disconnecting") << QStringLiteral("reenter");
    QTest::newRow("keeps the ack and the socket pointer, answers after it is gone") << QStringLiteral("late");
    QTest::newRow("disconnects every socket of the namespace from a handler") << QStringLiteral("all");
}

void tst_SocketIoDisconnect::misbehavingHandlers()
{
    // What a careless handler does to its own socket must not take the server down: the other
    // clients keep being served.
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QString, behaviour);
    Namespace *nsp = m_server->of(QStringLiteral("/rough"));
    std::optional<Ack> keptAck;
    QPointer<Socket> keptSocket;
    connect(nsp, &Namespace::socketConnected, &context, [&, nsp](Socket *socket) {
        connect(socket, &Socket::disconnecting, socket, [socket, behaviour] {
            if (behaviour == QLatin1String("reenter")) {
                socket->close(DisconnectMode::Close);
                socket->emitEvent(QStringLiteral("while-disconnecting"));
                socket->join(QStringLiteral("late-room"));
            }
        });
        socket->on(QStringLiteral("bad"), socket, [&, socket, nsp](const QVariantList &, const Ack &ack) {
            if (behaviour == QLatin1String("disconnect") || behaviour == QLatin1String("reenter")) {
                socket->close(DisconnectMode::Namespace);
                ack.send({ 1 });
                socket->emitEvent(QStringLiteral("after"));
                socket->join(QStringLiteral("after-room"));
                socket->leave(QStringLiteral("after-room"));
            } else if (behaviour == QLatin1String("close")) {
                socket->close(DisconnectMode::Close);
                ack.send({ 1 });
                socket->emitEvent(QStringLiteral("after"));
                socket->close(DisconnectMode::Close);
            } else if (behaviour == QLatin1String("late")) {
                keptAck = ack;
                keptSocket = socket;
            } else if (behaviour == QLatin1String("all")) {
                nsp->disconnectSockets(DisconnectMode::Close);
                ack.send({ 1 });
            }
        });
    });
    RawClient bystander(m_port);
    QVERIFY(!connectSocket(bystander).isEmpty());
    RawClient offender(m_port);
    QVERIFY(!connectSocket(offender, "/rough", {}, false).isEmpty());
    QSignalSpy gone(nsp, &Namespace::socketDisconnected);
    offender.send(R"(42/rough,1["bad"])");
    if (behaviour == QLatin1String("late")) {
        offender.close();
        QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(keptSocket.isNull(), Timeout); // deleted after disconnected()
        QVERIFY(keptAck.has_value());
        keptAck->send({ QStringLiteral("too late") }); // its socket is gone: ignored
        QVERIFY(!keptAck->isAnswered());
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(gone.count(), 1, Timeout);
        // What the offender got after its "bad" event: the DISCONNECT, and nothing its handler
        // emitted afterwards. When the connection survives, a CONNECT to the main namespace
        // marks the end (the server writes in order).
        const bool survives = behaviour == QLatin1String("disconnect");
        if (survives)
            offender.send("40");
        QByteArrayList seen;
        for (;;) {
            const QByteArray frame = offender.nextText();
            if (frame == "<closed>" || frame == "<timeout>" || frame.startsWith("40{"))
                break;
            seen.append(frame);
        }
        QCOMPARE(seen.value(0), QByteArray("41/rough,"));
        QVERIFY2(!seen.join(' ').contains("after") && !seen.join(' ').contains("while-disconnecting"),
                 seen.join(' ').constData());
        QCOMPARE(offender.isClosed(), !survives);
    }
    QCOMPARE(nsp->socketCount(), 0);
    QVERIFY(roundTrip(bystander));
    QVERIFY(!bystander.isClosed());
}

void tst_SocketIoDisconnect::reasonStrings_data()
{
    // socket.io 4.8's disconnect reasons and engine.io 6's close reasons, word for word.
    QTest::addColumn<int>("reason");
    QTest::addColumn<bool>("engine"); // a CloseReason, else a DisconnectReason
    QTest::addColumn<QString>("text");
    const auto sio = [](DisconnectReason r, const char *text) {
        QTest::newRow(text) << int(r) << false << QString::fromLatin1(text);
    };
    sio(DisconnectReason::ServerNamespaceDisconnect, "server namespace disconnect");
    sio(DisconnectReason::ClientNamespaceDisconnect, "client namespace disconnect");
    sio(DisconnectReason::ServerShuttingDown, "server shutting down");
    sio(DisconnectReason::PingTimeout, "ping timeout");
    sio(DisconnectReason::TransportClose, "transport close");
    sio(DisconnectReason::TransportError, "transport error");
    sio(DisconnectReason::ParseError, "parse error");
    sio(DisconnectReason::ForcedClose, "forced close");
    sio(DisconnectReason::ForcedServerClose, "forced server close");
    const auto eio = [](CloseReason r, const char *text) {
        QTest::newRow(QByteArray(QByteArray("engine ") + text).constData())
            << int(r) << true << QString::fromLatin1(text);
    };
    eio(CloseReason::TransportClose, "transport close");
    eio(CloseReason::TransportError, "transport error");
    eio(CloseReason::PingTimeout, "ping timeout");
    eio(CloseReason::ParseError, "parse error");
    eio(CloseReason::ForcedClose, "forced close");
    eio(CloseReason::ForcedServerClose, "forced server close");
}

void tst_SocketIoDisconnect::reasonStrings()
{
    QFETCH(int, reason);
    QFETCH(bool, engine);
    QFETCH(QString, text);
    QCOMPARE(engine ? closeReasonString(CloseReason(reason))
                    : disconnectReasonString(DisconnectReason(reason)),
             text);
}

QTEST_GUILESS_MAIN(tst_SocketIoDisconnect)

#include "tst_socketio_disconnect.moc"
