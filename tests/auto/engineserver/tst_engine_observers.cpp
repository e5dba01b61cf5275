// SPDX-License-Identifier: MIT
//
// Loopback test of what EngineServer tells its observers: the traffic events, and the close
// reasons and signal order of sessionClosed/EngineSession::closed when a session or the whole
// server is closed (ForcedClose, ForcedServerClose). No conformance case of docs/conformance.md.

#include "enginefixture.h"

class tst_EngineObservers : public EngineFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { EngineFixture::initTestCase(); }
    void cleanup() { EngineFixture::cleanup(); }

    void trafficEvents();
    void sessionClose_data();
    void sessionClose(); // ForcedClose
    void serverClose(); // ForcedServerClose
};

// ---- Observers and close reasons ------------------------------------------------------------

void tst_EngineObservers::trafficEvents()
{
    QVERIFY(startServer(quietOptions()));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    const qint64 start = QDateTime::currentMSecsSinceEpoch();

    using Dir = TrafficEvent::Direction;
    auto eventsOf = [&](const QString &sid) {
        QList<TrafficEvent> events;
        for (const TrafficEvent &e : std::as_const(traffic)) {
            if (e.sessionId == sid)
                events.append(e);
        }
        return events;
    };
    auto indexOf = [](const QList<TrafficEvent> &events, Dir direction, EnginePacketType type, bool binary,
                      const QByteArray &data) -> qsizetype {
        for (qsizetype i = 0; i < events.size(); ++i) {
            const TrafficEvent &e = events.at(i);
            if (e.direction == direction && e.type == type && e.binary == binary && e.data == data)
                return i;
        }
        return -1;
    };
    const QByteArray bytes("\x01\x02\x03\x04", 4);

    // Polling
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(post(sid, payload({ "4hello", "bAQIDBA==" })).status, 200);
    QCOMPARE(get(sid).body, payload({ "4hello", "bAQIDBA==" }));
    QTRY_VERIFY_WITH_TIMEOUT(eventsOf(sid).size() >= 5, Timeout);
    QList<TrafficEvent> events = eventsOf(sid);
    const TrafficEvent open = events.first();
    QCOMPARE(open.direction, Dir::Outgoing);
    QCOMPARE(open.type, EnginePacketType::Open);
    QCOMPARE(open.transport, Transport::Polling);
    QVERIFY(open.data.contains(sid.toUtf8()));
    const qsizetype inText = indexOf(events, Dir::Incoming, EnginePacketType::Message, false, "hello");
    const qsizetype inBinary = indexOf(events, Dir::Incoming, EnginePacketType::Message, true, bytes);
    const qsizetype outText = indexOf(events, Dir::Outgoing, EnginePacketType::Message, false, "hello");
    const qsizetype outBinary = indexOf(events, Dir::Outgoing, EnginePacketType::Message, true, bytes);
    QVERIFY(inText > 0);
    QVERIFY(inBinary > inText);
    QVERIFY(outText > inText);
    QVERIFY(outBinary > outText);
    QCOMPARE(events.at(inText).size, 6); // "4hello"
    QCOMPARE(events.at(outText).size, 6);
    for (const TrafficEvent &e : std::as_const(events)) {
        QCOMPARE(e.transport, Transport::Polling);
        QVERIFY(e.timestampMs >= start);
        QVERIFY(e.timestampMs <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(e.size > 0);
    }

    // WebSocket
    std::unique_ptr<WsTestClient> ws;
    QString wsSid;
    openWebSocket(&ws, &wsSid);
    if (QTest::currentTestFailed())
        return;
    ws->sendText("4hi");
    ws->sendBinary(bytes);
    QTRY_COMPARE_WITH_TIMEOUT(ws->frames().size(), 3, Timeout);
    ws->sendText("1");
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(wsSid).has_value(), Timeout);
    events = eventsOf(wsSid);
    QVERIFY(events.size() >= 6);
    QCOMPARE(events.first().type, EnginePacketType::Open);
    QCOMPARE(events.first().direction, Dir::Outgoing);
    const qsizetype wsInText = indexOf(events, Dir::Incoming, EnginePacketType::Message, false, "hi");
    const qsizetype wsOutText = indexOf(events, Dir::Outgoing, EnginePacketType::Message, false, "hi");
    const qsizetype wsInBinary = indexOf(events, Dir::Incoming, EnginePacketType::Message, true, bytes);
    const qsizetype wsOutBinary = indexOf(events, Dir::Outgoing, EnginePacketType::Message, true, bytes);
    QVERIFY(wsInText > 0);
    QVERIFY(wsOutText > wsInText);
    QVERIFY(wsInBinary > wsInText);
    QVERIFY(wsOutBinary > wsOutText);
    QCOMPARE(events.at(wsInText).size, 3); // "4hi"
    QCOMPARE(events.at(wsInBinary).size, 4);
    QCOMPARE(events.last().direction, Dir::Incoming);
    QCOMPARE(events.last().type, EnginePacketType::Close);
    for (const TrafficEvent &e : std::as_const(events))
        QCOMPARE(e.transport, Transport::WebSocket);
}

void tst_EngineObservers::sessionClose_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineObservers::sessionClose()
{
    QFETCH(bool, websocket);
    QVERIFY(startServer(quietOptions()));
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    std::unique_ptr<Poller> poller;
    if (websocket) {
        openWebSocket(&ws, &sid);
        if (QTest::currentTestFailed())
            return;
    } else {
        sid = handshake();
        QVERIFY(!sid.isEmpty());
        poller = std::make_unique<Poller>(m_port, sid);
        poller->start();
    }
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy closedSpy(session.data(), &EngineSession::closed);

    // Flushes what is queued, then closes.
    session->sendText(QByteArrayLiteral("bye"));
    session->close();
    if (websocket) {
        QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
        QByteArrayList frames = ws->textFrames();
        if (!frames.isEmpty() && frames.last() == "1")
            frames.removeLast(); // an optional close packet before the close frame
        QCOMPARE(frames.mid(1), QByteArrayList({ "4bye" }));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(poller->isFinished(), Timeout);
        QCOMPARE(poller->packets, QByteArrayList({ "4bye", "1" }));
        // The close packet comes alone, after the queue drained (engine.io waits for "drain"):
        // socket.io-client would otherwise handle it before a DISCONNECT in the same payload.
        QCOMPARE(poller->bodies.last(), QByteArray("1"));
    }

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ForcedClose);
    QCOMPARE(closedSpy.count(), 1);
    QCOMPARE(closedSpy.at(0).at(0).value<CloseReason>(), CloseReason::ForcedClose);
    // The session's closed() comes before the server's sessionClosed().
    QCOMPARE(m_closeOrder,
             QStringList({ QStringLiteral("session:") + sid, QStringLiteral("server:") + sid }));
    QTRY_VERIFY_WITH_TIMEOUT(session.isNull(), Timeout); // deleted later by the server
    QCOMPARE(m_server->sessionCount(), 0);
    if (!websocket)
        verifyEngineError(get(sid), 400, 1);
}

void tst_EngineObservers::serverClose()
{
    QVERIFY(startServer(quietOptions()));
    std::unique_ptr<WsTestClient> ws;
    QString wsSid;
    openWebSocket(&ws, &wsSid);
    if (QTest::currentTestFailed())
        return;
    const QString pollingSid = handshake();
    QVERIFY(!pollingSid.isEmpty());
    Poller poller(m_port, pollingSid);
    poller.start();
    QCOMPARE(m_server->sessionCount(), 2);

    m_server->close();
    QVERIFY(!m_server->isListening());
    QTRY_COMPARE_WITH_TIMEOUT(m_serverClosed.size(), 2, Timeout);
    QCOMPARE(serverClosed(wsSid)->reason, CloseReason::ForcedServerClose);
    QCOMPARE(serverClosed(pollingSid)->reason, CloseReason::ForcedServerClose);
    QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(poller.isFinished(), Timeout); // a close packet or the connection ended
    QTRY_COMPARE_WITH_TIMEOUT(m_server->sessionCount(), 0, Timeout);

    // No longer listening.
    HttpTestClient late(m_port);
    late.get(HandshakeTarget);
    QVERIFY(late.waitForDisconnected());
    QCOMPARE(late.responseCount(), 0);
}

QTEST_GUILESS_MAIN(tst_EngineObservers)

#include "tst_engine_observers.moc"
