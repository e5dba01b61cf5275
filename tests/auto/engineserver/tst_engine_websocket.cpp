// SPDX-License-Identifier: MIT
//
// Loopback test of EngineServer over WebSocket and the upgrade from polling: the Engine.IO v4
// conformance cases of docs/conformance.md case 4 (handshake), case 10 (echo, malformed frames),
// case 13 (heartbeat, ping timeout), case 15 (close), case 16 (upgrade, messages across the
// switch) and case 17 (after the upgrade); also the `transports` and `upgradeTimeout` options.

#include "enginefixture.h"

class tst_EngineWebSocket : public EngineFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { EngineFixture::initTestCase(); }
    void cleanup() { EngineFixture::cleanup(); }

    void websocketHandshake(); // case 4
    void websocketHandshakeRefused_data();
    void websocketHandshakeRefused(); // case 4
    void websocketEcho(); // case 10
    void websocketMalformedFrame_data();
    void websocketMalformedFrame(); // case 10
    void websocketHeartbeat(); // case 13
    void websocketPingTimeout(); // case 13
    void websocketClose(); // case 15
    void upgrade(); // case 16
    void upgradeMessageOrder(); // case 16, messages across the switch
    void afterUpgrade(); // case 17
    void transportsOption_data();
    void transportsOption();
    void upgradeTimeout_data();
    void upgradeTimeout();
};

// ---- Case 4 ---------------------------------------------------------------------------------

void tst_EngineWebSocket::websocketHandshake()
{
    QVERIFY(startServer(protocolOptions()));
    WsTestClient ws(wsUrl("EIO=4&transport=websocket"), true);
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const WsFrame first = ws.frames().first();
    QVERIFY(!first.binary);
    QVERIFY2(first.data.startsWith('0'), first.data.constData());
    const QJsonObject open = parseJsonObject(first.data.mid(1));
    QCOMPARE(sortedKeys(open), openPacketKeys());
    const QString sid = open.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(open.value(QLatin1String("upgrades")).toArray(), QJsonArray());
    QCOMPARE(open.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(open.value(QLatin1String("pingTimeout")), QJsonValue(200));
    QCOMPARE(open.value(QLatin1String("maxPayload")), QJsonValue(1000000));

    EngineSession *session = m_server->session(sid);
    QVERIFY(session);
    QCOMPARE(session->transport(), Transport::WebSocket);
    QVERIFY(!session->isUpgraded());
    QCOMPARE(session->protocolVersion(), 4);
    QCOMPARE(m_opened, QStringList({ sid }));
}

void tst_EngineWebSocket::websocketHandshakeRefused_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::newRow("case4 missing EIO") << QByteArray("transport=websocket");
    QTest::newRow("case4 invalid EIO abc") << QByteArray("EIO=abc&transport=websocket");
    QTest::newRow("case4 EIO=3 without allowEIO3") << QByteArray("EIO=3&transport=websocket");
    QTest::newRow("case4 missing transport") << QByteArray("EIO=4");
    QTest::newRow("case4 unknown transport") << QByteArray("EIO=4&transport=flash");
    QTest::newRow("case4 transport=polling over websocket") << QByteArray("EIO=4&transport=polling");
    QTest::newRow("case4 unknown sid") << QByteArray("EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA");
}

void tst_EngineWebSocket::websocketHandshakeRefused()
{
    QFETCH(QByteArray, query);
    QVERIFY(startServer(protocolOptions()));
    WsTestClient ws(wsUrl(query));
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(ws.socket().state(), QAbstractSocket::UnconnectedState, Timeout);
    for (const WsFrame &frame : ws.frames())
        QVERIFY2(!frame.data.startsWith('0'), frame.data.constData()); // never an open packet
    QVERIFY(m_opened.isEmpty());
    QCOMPARE(m_server->sessionCount(), 0);
}

// ---- Case 10 --------------------------------------------------------------------------------

void tst_EngineWebSocket::websocketEcho()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QVERIFY(!ws->frames().at(1).binary);
    QCOMPARE(ws->frames().at(1).data, QByteArray("4hello"));

    const QByteArray bytes("\x01\x02\x03\x04", 4);
    ws->sendBinary(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    QVERIFY(ws->frames().at(2).binary);
    QCOMPARE(ws->frames().at(2).data, bytes);

    const QByteArray utf8("4h\xc3\xa9llo \xf0\x9f\x98\x80");
    ws->sendText(utf8);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 4, Timeout);
    QCOMPARE(ws->frames().at(3).data, utf8);

    // Several messages in a row keep their order.
    for (int i = 0; i < 20; ++i)
        ws->sendText(QByteArray("4n" + QByteArray::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 24, Timeout);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(ws->frames().at(4 + i).data, QByteArray("4n" + QByteArray::number(i)));
    QVERIFY(!ws->hasEnded());
}

void tst_EngineWebSocket::websocketMalformedFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("case10 abc") << QByteArray("abc");
    QTest::newRow("unknown packet type 9") << QByteArray("9hello");
    QTest::newRow("empty text frame") << QByteArray("");
}

void tst_EngineWebSocket::websocketMalformedFrame()
{
    QFETCH(QByteArray, frame);
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText(frame);
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
    QCOMPARE(ws->frames().size(), 1); // only the open packet
}

// ---- Case 13 --------------------------------------------------------------------------------

void tst_EngineWebSocket::websocketHeartbeat()
{
    QVERIFY(startServer(protocolOptions()));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid, /*autoPong=*/true);
    if (QTest::currentTestFailed())
        return;
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    QTRY_VERIFY_WITH_TIMEOUT(ws->pings() >= 3 || ws->hasEnded(), Timeout);
    QVERIFY(!ws->hasEnded());
    QTRY_VERIFY_WITH_TIMEOUT(heartbeat.count() >= 3, Timeout);
    QVERIFY(session);
    QVERIFY(!serverClosed(sid).has_value());

    int pingsOut = 0;
    int pongsIn = 0;
    for (const TrafficEvent &e : std::as_const(traffic)) {
        if (e.sessionId != sid)
            continue;
        QCOMPARE(e.transport, Transport::WebSocket);
        if (e.type == EnginePacketType::Ping && e.direction == TrafficEvent::Direction::Outgoing)
            ++pingsOut;
        if (e.type == EnginePacketType::Pong && e.direction == TrafficEvent::Direction::Incoming)
            ++pongsIn;
    }
    QVERIFY(pingsOut >= 3);
    QVERIFY(pongsIn >= 3);

    // The connection still carries messages.
    const qsizetype before = ws->frames().size();
    ws->sendText("4still here");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), before + 1, Timeout);
    QCOMPARE(ws->frames().last().data, QByteArray("4still here"));
}

void tst_EngineWebSocket::websocketPingTimeout()
{
    QVERIFY(startServer(protocolOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid, /*autoPong=*/false);
    if (QTest::currentTestFailed())
        return;
    // The server pings, gets no pong, and closes the socket.
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QCOMPARE(ws->pings(), 1);
    QCOMPARE(ws->textFrames().last(), QByteArray("2"));
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(ws->socket().state(), QAbstractSocket::UnconnectedState, Timeout);
}

// ---- Case 15 --------------------------------------------------------------------------------

void tst_EngineWebSocket::websocketClose()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    openWebSocket(&ws, &sid);
    if (QTest::currentTestFailed())
        return;
    ws->sendText("1");
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportClose);
    QCOMPARE(m_server->session(sid), nullptr);
}

// ---- Case 16 --------------------------------------------------------------------------------

void tst_EngineWebSocket::upgrade()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    upgradeSession(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->textFrames(), QByteArrayList({ "3probe", "4hello" }));
    ws->sendBinary(QByteArray("\x01\x02\x03\x04", 4));
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    QVERIFY(ws->frames().at(2).binary);
    QCOMPARE(ws->frames().at(2).data, QByteArray("\x01\x02\x03\x04", 4));
    QVERIFY(!serverClosed(sid).has_value());
}

void tst_EngineWebSocket::upgradeMessageOrder()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    int sent = 0;
    auto sendBatch = [&] {
        for (int i = 0; i < 3; ++i)
            session->sendText(QByteArray("m" + QByteArray::number(++sent)));
    };

    Poller poller(m_port, sid);
    poller.start();
    sendBatch(); // plain polling
    QTRY_VERIFY_WITH_TIMEOUT(poller.packets.size() >= 3 || poller.isFinished(), Timeout);

    WsTestClient ws(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    QVERIFY(ws.isConnected());
    sendBatch(); // WebSocket open, not probed yet

    ws.sendText("2probe");
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QCOMPARE(ws.frames().first().data, QByteArray("3probe"));
    sendBatch(); // upgrading: polling still carries messages

    // Like engine.io-client: stop polling, wait for the outstanding GET, then send "5".
    poller.pause();
    QTRY_VERIFY_WITH_TIMEOUT(poller.isIdle(), Timeout);
    sendBatch(); // no GET waiting, upgrade not complete
    ws.sendText("5");
    sendBatch(); // "5" is on its way but not processed yet
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    sendBatch(); // upgraded

    QByteArrayList expected;
    for (int i = 1; i <= sent; ++i)
        expected.append(QByteArray("4m" + QByteArray::number(i)));
    auto received = [&] {
        QByteArrayList all = poller.packets;
        for (qsizetype i = 1; i < ws.frames().size(); ++i)
            all.append(ws.frames().at(i).binary ? QByteArray("<binary>" + ws.frames().at(i).data)
                                                : ws.frames().at(i).data);
        return all;
    };
    QTRY_VERIFY_WITH_TIMEOUT(received().size() >= expected.size() || ws.hasEnded(), Timeout);
    QCOMPARE(received(), expected); // each exactly once, in order, across the switch
    QVERIFY(poller.packets.size() >= 3); // the first batch went over polling
    QVERIFY(ws.frames().size() >= 4); // 3probe + at least the last batch over WebSocket
    for (int status : std::as_const(poller.statuses))
        QCOMPARE(status, 200);
    QVERIFY(!poller.droppedConnection);
    QVERIFY(!ws.hasEnded());
    QVERIFY(!serverClosed(sid).has_value());
}

// ---- Case 17 --------------------------------------------------------------------------------

void tst_EngineWebSocket::afterUpgrade()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString sid;
    upgradeSession(&ws, &sid);
    if (QTest::currentTestFailed())
        return;

    // Polling requests for an upgraded session are refused (engine.io: transport mismatch).
    verifyEngineError(get(sid), 400, 3, QStringLiteral("Bad request"));
    verifyEngineError(post(sid, "4hello"), 400, 3, QStringLiteral("Bad request"));

    // A second WebSocket with the same sid is closed.
    WsTestClient second(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(second.hasEnded(), Timeout);
    QCOMPARE(second.frames().size(), 0);

    // The first keeps working.
    ws->sendText("4hello");
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 2, Timeout);
    QCOMPARE(ws->frames().at(1).data, QByteArray("4hello"));
    QVERIFY(!ws->hasEnded());
    QVERIFY(m_server->session(sid));
    QVERIFY(!serverClosed(sid).has_value());
    QCOMPARE(m_server->sessionCount(), 1);
}

// ---- Transport options ----------------------------------------------------------------------

void tst_EngineWebSocket::transportsOption_data()
{
    QTest::addColumn<bool>("polling");
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling only") << true << false;
    QTest::newRow("websocket only") << false << true;
}

void tst_EngineWebSocket::transportsOption()
{
    // The `transports` option: a transport that is not allowed is refused ("Transport unknown"),
    // and polling offers no upgrade when WebSocket is off.
    QFETCH(bool, polling);
    QFETCH(bool, websocket);
    EngineOptions options = quietOptions();
    options.transports = {};
    if (polling)
        options.transports |= Transport::Polling;
    if (websocket)
        options.transports |= Transport::WebSocket;
    QVERIFY(startServer(options));

    const HttpTestResponse r = request("GET", HandshakeTarget);
    if (polling) {
        QCOMPARE(r.status, 200);
        QCOMPARE(parseJsonObject(r.body.mid(1)).value(QLatin1String("upgrades")).toArray(), QJsonArray());
    } else {
        verifyEngineError(r, 400, 0, QStringLiteral("Transport unknown"));
    }
    WsTestClient ws(wsUrl("EIO=4&transport=websocket"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    if (websocket) {
        QVERIFY(!ws.frames().isEmpty());
        QVERIFY(ws.frames().first().data.startsWith('0'));
    } else {
        QVERIFY(ws.frames().isEmpty());
        QVERIFY(!ws.isConnected());
    }
}

void tst_EngineWebSocket::upgradeTimeout_data()
{
    QTest::addColumn<bool>("probe"); // the client sends 2probe but never 5
    QTest::newRow("no probe") << false;
    QTest::newRow("probe, no upgrade packet") << true;
}

void tst_EngineWebSocket::upgradeTimeout()
{
    // upgradeTimeout: a WebSocket that does not complete the upgrade in time is closed; the
    // session goes on over polling.
    QFETCH(bool, probe);
    EngineOptions options = quietOptions();
    options.upgradeTimeout = 200ms;
    QVERIFY(startServer(options));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);
    WsTestClient ws(wsUrl("EIO=4&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    QVERIFY(ws.isConnected());
    if (probe) {
        ws.sendText("2probe");
        QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
        QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe" }));
    }
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
    QVERIFY(session);
    QCOMPARE(upgraded.count(), 0);
    QCOMPARE(session->transport(), Transport::Polling);
    QCOMPARE(session->state(), EngineSession::State::Open);
    // Polling still carries messages.
    QCOMPARE(post(sid, "4still polling").status, 200);
    const HttpTestResponse echoed = get(sid);
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.body, QByteArray("4still polling"));
}

QTEST_GUILESS_MAIN(tst_EngineWebSocket)

#include "tst_engine_websocket.moc"
