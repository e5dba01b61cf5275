// SPDX-License-Identifier: MIT
//
// Loopback test of EngineServer with Engine.IO v3 clients (allowEIO3, socket.io-client 2.x):
// the v3 handshake, length-prefixed polling payloads, binary payloads, the heartbeat in the
// client's direction and its timeout, WebSocket frames and the upgrade. No conformance case of
// docs/conformance.md (those are v4).

#include "enginefixture.h"

class tst_EngineEio3 : public EngineFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { EngineFixture::initTestCase(); }
    void cleanup() { EngineFixture::cleanup(); }

    void eio3Handshake_data();
    void eio3Handshake();
    void eio3PollingPayloads_data();
    void eio3PollingPayloads();
    void eio3BinaryPayloadPost();
    void eio3Heartbeat_data();
    void eio3Heartbeat();
    void eio3PingTimeout_data();
    void eio3PingTimeout();
    void heartbeatDirection_data();
    void heartbeatDirection();
    void eio3WebSocketFrames();
    void eio3Upgrade();

private:
    void openEio3Session(bool websocket, std::unique_ptr<WsTestClient> *ws, QString *sid);
};

// ---- Engine.IO v3 (allowEIO3) ----------------------------------------------------------------

namespace {

EngineOptions eio3Options(EngineOptions options)
{
    options.allowEIO3 = true;
    return options;
}

QByteArray v3Target(const QString &sid, const QByteArray &extra = {})
{
    QByteArray target = QByteArrayLiteral("/engine.io/?EIO=3&transport=polling");
    if (!sid.isEmpty())
        target += "&sid=" + sid.toUtf8();
    return target + extra;
}

// "<len>:<packet>" entries of a v3 text payload, len counted in UTF-16 code units.
QByteArrayList v3Entries(const QByteArray &payload)
{
    QByteArrayList entries;
    const QString text = QString::fromUtf8(payload);
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype colon = text.indexOf(QLatin1Char(':'), pos);
        if (colon < 0)
            return { "<bad payload: " + payload + '>' };
        bool ok = false;
        const qsizetype length = text.mid(pos, colon - pos).toLongLong(&ok);
        if (!ok || colon + 1 + length > text.size())
            return { "<bad length: " + payload + '>' };
        entries.append(text.mid(colon + 1, length).toUtf8());
        pos = colon + 1 + length;
    }
    return entries;
}

QByteArray v3Payload(const QByteArrayList &packets)
{
    QByteArray out;
    for (const QByteArray &p : packets)
        out += QByteArray::number(QString::fromUtf8(p).size()) + ':' + p;
    return out;
}

} // namespace

// A v3 session over WebSocket (ws set) or polling; its sid in *sid.

void tst_EngineEio3::openEio3Session(bool websocket, std::unique_ptr<WsTestClient> *ws, QString *sid)
{
    if (websocket) {
        *ws = std::make_unique<WsTestClient>(wsUrl("EIO=3&transport=websocket"));
        QTRY_VERIFY_WITH_TIMEOUT(!(*ws)->frames().isEmpty() || (*ws)->hasEnded(), Timeout);
        QVERIFY(!(*ws)->frames().isEmpty());
        *sid = parseJsonObject((*ws)->frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    } else {
        const HttpTestResponse open = request("GET", v3Target({}));
        *sid = parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    }
    QVERIFY(!sid->isEmpty());
}

void tst_EngineEio3::eio3Handshake_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineEio3::eio3Handshake()
{
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QByteArray open;
    std::unique_ptr<WsTestClient> ws;
    if (websocket) {
        ws = std::make_unique<WsTestClient>(wsUrl("EIO=3&transport=websocket"));
        QTRY_VERIFY_WITH_TIMEOUT(!ws->frames().isEmpty() || ws->hasEnded(), Timeout);
        QVERIFY(!ws->frames().isEmpty());
        open = ws->frames().first().data;
    } else {
        const HttpTestResponse r = request("GET", v3Target({}));
        QCOMPARE(r.status, 200);
        verifyPollingHeaders(r);
        const QByteArrayList entries = v3Entries(r.body);
        QCOMPARE(entries.size(), 1); // the open packet alone, length-prefixed
        open = entries.first();
    }
    QVERIFY2(open.startsWith('0'), open.constData());
    const QJsonObject object = parseJsonObject(open.mid(1));
    QCOMPARE(sortedKeys(object), openPacketKeys()); // engine.io 6 sends maxPayload to v3 too
    QCOMPARE(object.value(QLatin1String("pingInterval")), QJsonValue(300));
    QCOMPARE(object.value(QLatin1String("pingTimeout")), QJsonValue(200));
    EngineSession *session = m_server->session(object.value(QLatin1String("sid")).toString());
    QVERIFY(session);
    QCOMPARE(session->protocolVersion(), 3);
    QCOMPARE(session->transport(), websocket ? Transport::WebSocket : Transport::Polling);

    // Only EIO=3 selects v3 (a deviation: engine.io takes anything but 4 as v3).
    verifyEngineError(request("GET", "/engine.io/?transport=polling"), 400, 5);
    verifyEngineError(request("GET", "/engine.io/?EIO=abc&transport=polling"), 400, 5);
}

void tst_EngineEio3::eio3PollingPayloads_data()
{
    QTest::addColumn<QByteArray>("post"); // a v3 text payload
    QTest::addColumn<QByteArray>("getQuery"); // extra query of the GET
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("expected"); // the GET's body

    QTest::newRow("text, UTF-16 lengths")
        << v3Payload({ "4hello", "4€", "4😀" }) << QByteArray() << QByteArray("text/plain; charset=UTF-8")
        << QByteArray("6:4hello2:4€3:4😀");
    QTest::newRow("binary as b4 base64 with b64=1")
        << QByteArray("10:b4AQIDBA==") << QByteArray("&b64=1") << QByteArray("text/plain; charset=UTF-8")
        << QByteArray("10:b4AQIDBA==");
    QTest::newRow("binary as a v3 binary payload without b64")
        << v3Payload({ "4€", "b4AQIDBA==" }) << QByteArray() << QByteArray("application/octet-stream")
        << QByteArray::fromHex("0004ff34e282ac0105ff0401020304");
}

void tst_EngineEio3::eio3PollingPayloads()
{
    QFETCH(QByteArray, post);
    QFETCH(QByteArray, getQuery);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, expected);
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}, getQuery));
    QCOMPARE(open.status, 200);
    const QString sid =
        parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());

    const HttpTestResponse posted =
        request("POST", v3Target(sid, getQuery), post, { { "Content-Type", "text/plain;charset=UTF-8" } });
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, QByteArray("ok"));
    const HttpTestResponse echoed = request("GET", v3Target(sid, getQuery));
    QCOMPARE(echoed.status, 200);
    QCOMPARE(echoed.header("content-type"), contentType);
    QCOMPARE(echoed.body, expected);
}

void tst_EngineEio3::eio3BinaryPayloadPost()
{
    // A client with XHR2 POSTs binary data as a v3 binary payload (application/octet-stream).
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}));
    const QString sid =
        parseJsonObject(v3Entries(open.body).value(0).mid(1)).value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QSignalSpy binary(m_server->session(sid), &EngineSession::binaryMessageReceived);
    QSignalSpy text(m_server->session(sid), &EngineSession::textMessageReceived);
    const HttpTestResponse posted =
        request("POST", v3Target(sid), QByteArray::fromHex("0004ff34e282ac0105ff0401020304"),
                { { "Content-Type", "application/octet-stream" } });
    QCOMPARE(posted.status, 200);
    QCOMPARE(text.count(), 1);
    QCOMPARE(text.at(0).at(0).toByteArray(), QByteArray("€"));
    QCOMPARE(binary.count(), 1);
    QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("\x01\x02\x03\x04", 4));
}

void tst_EngineEio3::eio3Heartbeat_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineEio3::eio3Heartbeat()
{
    // v3: the client pings (with optional data), the server answers with a pong carrying the
    // same data, and never pings itself.
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QList<TrafficEvent> traffic;
    connect(m_server.get(), &EngineServer::trafficObserved, this,
            [&traffic](const TrafficEvent &event) { traffic.append(event); });
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    openEio3Session(websocket, &ws, &sid);
    if (QTest::currentTestFailed())
        return;
    QPointer<EngineSession> session = m_server->session(sid);
    QVERIFY(session);
    QSignalSpy heartbeat(session.data(), &EngineSession::heartbeat);

    // Five pings, more than pingInterval + pingTimeout apart in total only if the machine is
    // slow; the point is that each gets its pong and nothing else is sent.
    for (int round = 1; round <= 5; ++round) {
        const QByteArray data = round == 1 ? QByteArray("probe-ish") : QByteArray();
        if (websocket) {
            ws->sendText("2" + data);
            QTRY_VERIFY_WITH_TIMEOUT(ws->frames().size() == round + 1 || ws->hasEnded(), Timeout);
            QCOMPARE(ws->frames().last().data, "3" + data);
        } else {
            QCOMPARE(request("POST", v3Target(sid), v3Payload({ "2" + data })).status, 200);
            const HttpTestResponse pong = request("GET", v3Target(sid));
            QCOMPARE(pong.status, 200);
            QCOMPARE(v3Entries(pong.body), QByteArrayList({ "3" + data }));
        }
        QTRY_COMPARE_WITH_TIMEOUT(heartbeat.count(), round, Timeout);
    }
    QVERIFY(session);
    QCOMPARE(session->state(), EngineSession::State::Open);
    for (const TrafficEvent &e : std::as_const(traffic)) {
        if (e.direction == TrafficEvent::Direction::Outgoing)
            QVERIFY2(e.type != EnginePacketType::Ping, "the server pinged a v3 client");
    }
}

void tst_EngineEio3::eio3PingTimeout_data()
{
    QTest::addColumn<bool>("websocket");
    QTest::newRow("polling") << false;
    QTest::newRow("websocket") << true;
}

void tst_EngineEio3::eio3PingTimeout()
{
    // A v3 client that stops pinging is closed after pingInterval + pingTimeout, without ever
    // being pinged.
    QFETCH(bool, websocket);
    QVERIFY(startServer(eio3Options(protocolOptions())));
    QString sid;
    std::unique_ptr<WsTestClient> ws;
    openEio3Session(websocket, &ws, &sid);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::PingTimeout);
    QCOMPARE(serverClosed(sid)->description, QStringLiteral("no heartbeat within 500 ms"));
    if (websocket) {
        QTRY_VERIFY_WITH_TIMEOUT(ws->hasEnded(), Timeout);
        QCOMPARE(ws->pings(), 0);
        QCOMPARE(ws->frames().size(), 1); // the open packet only
    } else {
        verifyEngineError(request("GET", v3Target(sid)), 400, 1, QStringLiteral("Session ID unknown"));
    }
}

void tst_EngineEio3::heartbeatDirection_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("v3 client sends pong") << QByteArray("EIO=3&transport=websocket") << QByteArray("3");
    QTest::newRow("v4 client sends ping") << QByteArray("EIO=4&transport=websocket") << QByteArray("2");
}

void tst_EngineEio3::heartbeatDirection()
{
    // engine.io: "invalid heartbeat direction" is a transport error.
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, frame);
    QVERIFY(startServer(eio3Options(quietOptions())));
    WsTestClient ws(wsUrl(query));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const QString sid =
        parseJsonObject(ws.frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    ws.sendText(frame);
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::TransportError);
    QCOMPARE(serverClosed(sid)->description, QStringLiteral("invalid heartbeat direction"));
    QTRY_VERIFY_WITH_TIMEOUT(ws.hasEnded(), Timeout);
}

void tst_EngineEio3::eio3WebSocketFrames()
{
    // v3 binary frames start with the packet type as a byte (4): the echo keeps it.
    QVERIFY(startServer(eio3Options(quietOptions())));
    WsTestClient ws(wsUrl("EIO=3&transport=websocket"));
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QVERIFY(!ws.frames().isEmpty());
    const QString sid =
        parseJsonObject(ws.frames().first().data.mid(1)).value(QLatin1String("sid")).toString();
    QSignalSpy binary(m_server->session(sid), &EngineSession::binaryMessageReceived);
    ws.sendText("4héllo");
    ws.sendBinary(QByteArray("\x04\x01\x02\x03", 4));
    QTRY_VERIFY_WITH_TIMEOUT(ws.frames().size() == 3 || ws.hasEnded(), Timeout);
    QCOMPARE(ws.frames().at(1).data, QByteArray("4héllo"));
    QVERIFY(ws.frames().at(2).binary);
    QCOMPARE(ws.frames().at(2).data, QByteArray("\x04\x01\x02\x03", 4));
    QCOMPARE(binary.count(), 1);
    QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("\x01\x02\x03", 3));
    // A binary frame without the message type byte is a parse error.
    ws.sendBinary(QByteArray("\x02\x01", 2));
    QTRY_VERIFY_WITH_TIMEOUT(serverClosed(sid).has_value(), Timeout);
    QCOMPARE(serverClosed(sid)->reason, CloseReason::ParseError);
}

void tst_EngineEio3::eio3Upgrade()
{
    // engine.io-client 3.x: polling, then a WebSocket with the sid, 2probe -> 3probe, a noop for
    // the waiting GET (in the v3 payload format), 5; then messages over the WebSocket.
    QVERIFY(startServer(eio3Options(quietOptions())));
    const HttpTestResponse open = request("GET", v3Target({}, "&b64=1"));
    const QJsonObject object = parseJsonObject(v3Entries(open.body).value(0).mid(1));
    QCOMPARE(object.value(QLatin1String("upgrades")).toArray(), QJsonArray({ QStringLiteral("websocket") }));
    const QString sid = object.value(QLatin1String("sid")).toString();
    QVERIFY(!sid.isEmpty());
    QPointer<EngineSession> session = m_server->session(sid);
    QSignalSpy upgraded(session.data(), &EngineSession::upgraded);

    WsTestClient ws(wsUrl("EIO=3&transport=websocket&sid=" + sid.toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(ws.isConnected() || ws.hasEnded(), Timeout);
    ws.sendText("2probe");
    QTRY_VERIFY_WITH_TIMEOUT(!ws.frames().isEmpty() || ws.hasEnded(), Timeout);
    QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe" }));
    const HttpTestResponse noop = request("GET", v3Target(sid, "&b64=1"));
    QCOMPARE(noop.status, 200);
    QCOMPARE(noop.body, QByteArray("1:6"));
    ws.sendText("5");
    QTRY_COMPARE_WITH_TIMEOUT(upgraded.count(), 1, Timeout);
    ws.sendText("4after");
    ws.sendText("2");
    QTRY_VERIFY_WITH_TIMEOUT(ws.frames().size() == 3 || ws.hasEnded(), Timeout);
    QCOMPARE(ws.textFrames(), QByteArrayList({ "3probe", "4after", "3" }));
    QVERIFY(session);
    QCOMPARE(session->protocolVersion(), 3);
    verifyEngineError(request("GET", v3Target(sid)), 400, 3, QStringLiteral("Bad request"));
}

QTEST_GUILESS_MAIN(tst_EngineEio3)

#include "tst_engine_eio3.moc"
