// SPDX-License-Identifier: MIT
//
// Loopback test of EngineServer over HTTP long-polling: the Engine.IO v4 conformance cases of
// docs/conformance.md that a polling client sees against the in-process echo server:
// case 1 (handshake), cases 2 and 3 (bad handshakes, unknown sid), cases 5-7 (echo), case 8
// (malformed payload), case 9 (overlapping GETs), cases 11 and 12 (heartbeat, ping timeout),
// case 14 (close).

#include "enginefixture.h"

class tst_EnginePolling : public EngineFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { EngineFixture::initTestCase(); }
    void cleanup() { EngineFixture::cleanup(); }

    void pollingHandshake_data();
    void pollingHandshake(); // case 1
    void badHandshake_data();
    void badHandshake(); // cases 2, 3 (+ unknown sid)
    void pollingEcho_data();
    void pollingEcho(); // cases 5, 6, 7
    void pollingMalformedPayload_data();
    void pollingMalformedPayload(); // case 8
    void pollingOverlappingGets(); // case 9
    void pollingHeartbeat(); // case 11
    void pollingPingTimeout(); // case 12
    void pollingClose(); // case 14
};

// ---- Case 1 ---------------------------------------------------------------------------------

void tst_EnginePolling::pollingHandshake_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("case1 EIO=4 transport=polling") << HandshakeTarget;
    QTest::newRow("case1 with cache buster t=")
        << QByteArray("/engine.io/?EIO=4&transport=polling&t=OxQ3kV1");
    QTest::newRow("case1 parameters reordered") << QByteArray("/engine.io/?transport=polling&EIO=4");
}

void tst_EnginePolling::pollingHandshake()
{
    QFETCH(QByteArray, target);
    QVERIFY(startServer(protocolOptions()));
    QSignalSpy opened(m_server.get(), &EngineServer::sessionOpened);

    const HttpTestResponse r = request("GET", target);
    QCOMPARE(r.status, 200);
    verifyPollingHeaders(r);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(r.body.startsWith('0'), r.body.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body.mid(1), &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    const QJsonObject open = doc.object();
    QCOMPARE(sortedKeys(open), openPacketKeys());
    QVERIFY(open.value(QLatin1String("sid")).isString());
    const QString sid = open.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QCOMPARE(open.value(QLatin1String("upgrades")).toArray(), QJsonArray({ QStringLiteral("websocket") }));
    QCOMPARE(open.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(open.value(QLatin1String("pingTimeout")), QJsonValue(200));
    QCOMPARE(open.value(QLatin1String("maxPayload")), QJsonValue(1000000));

    QCOMPARE(opened.count(), 1);
    EngineSession *session = m_server->session(sid);
    QVERIFY(session);
    QCOMPARE(opened.at(0).at(0).value<EngineSession *>(), session);
    QCOMPARE(session->id(), sid);
    QCOMPARE(session->protocolVersion(), 4);
    QCOMPARE(session->transport(), Transport::Polling);
    QVERIFY(!session->isUpgraded());
    QCOMPARE(session->state(), EngineSession::State::Open);
    QCOMPARE(session->handshake().method, QByteArray("GET"));
    QCOMPARE(session->handshake().query.queryItemValue(QStringLiteral("transport")),
             QStringLiteral("polling"));
    QCOMPARE(session->remoteAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(m_server->sessionCount(), 1);
    QCOMPARE(m_server->sessions(), QList<EngineSession *>({ session }));
}

// ---- Cases 2, 3 -----------------------------------------------------------------------------

void tst_EnginePolling::badHandshake_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");

    const QString unsupported = QStringLiteral("Unsupported protocol version");
    const QString unknownTransport = QStringLiteral("Transport unknown");
    QTest::newRow("case2 missing EIO")
        << QByteArray("GET") << QByteArray("/engine.io/?transport=polling") << 5 << unsupported;
    QTest::newRow("case2 invalid EIO abc")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=abc&transport=polling") << 5 << unsupported;
    QTest::newRow("case2 EIO=3 without allowEIO3")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=3&transport=polling") << 5 << unsupported;
    QTest::newRow("case2 EIO=5") << QByteArray("GET") << QByteArray("/engine.io/?EIO=5&transport=polling")
                                 << 5 << unsupported;
    QTest::newRow("case2 missing transport")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4") << 0 << unknownTransport;
    QTest::newRow("case2 unknown transport")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=flash") << 0 << unknownTransport;
    QTest::newRow("case2 missing EIO and transport")
        << QByteArray("GET") << QByteArray("/engine.io/") << 0 << unknownTransport;
    QTest::newRow("websocket transport without upgrade")
        << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=websocket") << 3
        << QStringLiteral("Bad request");
    QTest::newRow("case3 POST handshake")
        << QByteArray("POST") << HandshakeTarget << 2 << QStringLiteral("Bad handshake method");
    QTest::newRow("case3 PUT handshake")
        << QByteArray("PUT") << HandshakeTarget << 2 << QStringLiteral("Bad handshake method");
    QTest::newRow("unknown sid GET") << QByteArray("GET")
                                     << pollTarget(QStringLiteral("AAAAAAAAAAAAAAAAAAAA")) << 1
                                     << QStringLiteral("Session ID unknown");
    QTest::newRow("unknown sid POST")
        << QByteArray("POST") << pollTarget(QStringLiteral("AAAAAAAAAAAAAAAAAAAA")) << 1
        << QStringLiteral("Session ID unknown");
}

void tst_EnginePolling::badHandshake()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, code);
    QFETCH(QString, message);
    QVERIFY(startServer(protocolOptions()));

    const QByteArray body = method == "GET" ? QByteArray() : QByteArray("4hello");
    const HttpTestResponse r = request(method, target, body);
    verifyEngineError(r, 400, code, message);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_server->sessionCount(), 0);
    QVERIFY(m_opened.isEmpty());
    // Observers hear about refused requests (engine.io's "connection_error").
    QTRY_COMPARE_WITH_TIMEOUT(m_connectionErrors.size(), 1, Timeout);
    QCOMPARE(m_connectionErrors.first().first, code);
}

// ---- Cases 5, 6, 7 --------------------------------------------------------------------------

void tst_EnginePolling::pollingEcho_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("case5 4hello") << QByteArray("4hello");
    QTest::newRow("case6 three packets") << payload({ "4test1", "4test2", "4test3" });
    QTest::newRow("case7 text and binary") << payload({ "4hello", "bAQIDBA==" });
    QTest::newRow("binary only") << QByteArray("bAQIDBA==");
    QTest::newRow("empty message") << QByteArray("4");
    QTest::newRow("utf-8 text") << QByteArray("4h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
}

void tst_EnginePolling::pollingEcho()
{
    QFETCH(QByteArray, body);
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    const HttpTestResponse posted = post(sid, body);
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));

    const HttpTestResponse polled = get(sid);
    QCOMPARE(polled.status, 200);
    verifyPollingHeaders(polled);
    QCOMPARE(polled.body, body);
}

// ---- Case 8 ---------------------------------------------------------------------------------

void tst_EnginePolling::pollingMalformedPayload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("case8 abc") << QByteArray("abc");
    QTest::newRow("case8 unknown packet type 9") << QByteArray("9hello");
}

void tst_EnginePolling::pollingMalformedPayload()
{
    QFETCH(QByteArray, body);
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient client(m_port);
    client.post(pollTarget(sid), body);
    QTRY_VERIFY_WITH_TIMEOUT(client.responseCount() > 0 || client.isDisconnected(), Timeout);
    // Case 8 (docs/conformance.md): 400, or the connection dropped.
    if (client.responseCount() > 0)
        QCOMPARE(client.response(0).status, 400);

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
    verifyEngineError(get(sid), 400, 1, QStringLiteral("Session ID unknown"));
}

// ---- Case 9 ---------------------------------------------------------------------------------

void tst_EnginePolling::pollingOverlappingGets()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient first(m_port);
    first.get(pollTarget(sid));
    letServerRead(first);
    QCOMPARE(first.responseCount(), 0); // parked: nothing to send yet

    HttpTestClient second(m_port);
    second.get(pollTarget(sid));
    QVERIFY(first.waitForResponses(1));
    QCOMPARE(first.response(0).status, 200);
    QCOMPARE(first.response(0).body, QByteArray("1"));
    QTRY_VERIFY_WITH_TIMEOUT(second.responseCount() > 0 || second.isDisconnected(), Timeout);
    QVERIFY2(second.responseCount() > 0, "the overlapping GET got no response");
    QVERIFY2(second.response(0).status == 400 || second.response(0).status == 500,
             QByteArray::number(second.response(0).status).constData());

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    verifyEngineError(get(sid), 400, 1);
}

// ---- Case 11 --------------------------------------------------------------------------------

void tst_EnginePolling::pollingHeartbeat()
{
    QVERIFY(startServer(protocolOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    for (int round = 1; round <= 3; ++round) {
        const HttpTestResponse ping = get(sid);
        QCOMPARE(ping.status, 200);
        QCOMPARE(ping.body, QByteArray("2"));
        const HttpTestResponse pong = post(sid, "3");
        QCOMPARE(pong.status, 200);
        QCOMPARE(pong.body, QByteArray("ok"));
        QTRY_COMPARE_WITH_TIMEOUT(heartbeat.count(), round, Timeout);
    }
    QVERIFY(session);
    QCOMPARE(session->state(), EngineSession::State::Open);
    QVERIFY(!serverClosed(sid).has_value());
}

// ---- Case 12 --------------------------------------------------------------------------------

void tst_EnginePolling::pollingPingTimeout()
{
    QVERIFY(startServer(protocolOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());
    // No GET, so no pong: the session must time out (interval + timeout after the handshake).
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QVERIFY(sessionClosed(sid).has_value());
    QCOMPARE(sessionClosed(sid)->reason, CloseReason::PingTimeout);
    verifyEngineError(get(sid), 400, 1, QStringLiteral("Session ID unknown"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->sessionCount(), 0, Timeout);
}

// ---- Case 14 --------------------------------------------------------------------------------

void tst_EnginePolling::pollingClose()
{
    QVERIFY(startServer(quietOptions()));
    const QString sid = handshake();
    QVERIFY(!sid.isEmpty());

    HttpTestClient pending(m_port);
    pending.get(pollTarget(sid));
    letServerRead(pending);
    QCOMPARE(pending.responseCount(), 0);

    const HttpTestResponse closePost = post(sid, "1");
    QCOMPARE(closePost.status, 200);
    QCOMPARE(closePost.body, QByteArray("ok"));

    QVERIFY(pending.waitForResponses(1));
    QCOMPARE(pending.response(0).status, 200);
    QCOMPARE(pending.response(0).body, QByteArray("6"));

    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportClose);
    verifyEngineError(get(sid), 400, 1);
}

QTEST_GUILESS_MAIN(tst_EnginePolling)

#include "tst_engine_polling.moc"
