// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: events, acks and binary. The conformance cases of
// docs/conformance.md case 26 (event round trip), case 27 (binary event), case 28 (ack),
// case 29 (binary ack) and case 30 (malformed packets), plus a packet that does not fit the
// state; then the server's side: acks answered later, emits with acks (answer, timeout,
// disconnect), binary emits, and the same over long-polling and across an upgrade.

#include "socketiofixture.h"

class tst_SocketIoEvents : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void eventRoundTrip_data();
    void eventRoundTrip(); // case 26
    void binaryEvent_data();
    void binaryEvent(); // case 27
    void ack_data();
    void ack(); // case 28
    void binaryAck_data();
    void binaryAck(); // case 29
    void malformedPacket_data();
    void malformedPacket(); // case 30
    void invalidState_data();
    void invalidState(); // client.ts "invalid state": closes with "forced server close"
    void ackAnsweredLater();
    void serverEmitWithAck_data();
    void serverEmitWithAck();
    void serverEmitAckTimeout();
    void serverEmitAckDisconnected();
    void binaryServerEmit_data();
    void binaryServerEmit();
    void polling();
    void pollingVolatile();
    void upgradeFromPolling();
};

void tst_SocketIoEvents::eventRoundTrip_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("26") << QByteArray(R"(42["message",1,"2",{"3":[true]}])")
                        << QByteArray(R"(42["message-back",1,"2",{"3":[true]}])");
    QTest::newRow("26 /custom") << QByteArray(R"(42/custom,["message",1,"2",{"3":[true]}])")
                                << QByteArray(R"(42/custom,["message-back",1,"2",{"3":[true]}])");
    QTest::newRow("no arguments") << QByteArray(R"(42["message"])") << QByteArray(R"(42["message-back"])");
    QTest::newRow("null and nesting")
        << QByteArray(R"(42["message",null,[1,[2,[3]]],{"a":{"b":null}}])")
        << QByteArray(R"(42["message-back",null,[1,[2,[3]]],{"a":{"b":null}}])");
    QTest::newRow("numbers") << QByteArray(R"(42["message",0,-1,1.5,2147483648])")
                             << QByteArray(R"(42["message-back",0,-1,1.5,2147483648])");
    QTest::newRow("booleans and strings") << QByteArray(R"(42["message",true,false,"","a\"b"])")
                                          << QByteArray(R"(42["message-back",true,false,"","a\"b"])");
    QTest::newRow("placeholder-like object in a text event")
        << QByteArray(R"(42["message",{"_placeholder":true,"num":0}])")
        << QByteArray(R"(42["message-back",{"_placeholder":true,"num":0}])");
    QTest::newRow("unicode") << QByteArray(R"(42["message","héllo ☃ 😀"])")
                             << QByteArray(R"(42["message-back","héllo ☃ 😀"])");
}

void tst_SocketIoEvents::eventRoundTrip()
{
    QFETCH(QByteArray, sent);
    QFETCH(QByteArray, expected);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    client.send(sent);
    QCOMPARE(client.nextText(), expected);
}

void tst_SocketIoEvents::binaryEvent_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("27") << QByteArray("/");
    QTest::newRow("27 /custom") << QByteArray("/custom");
}

void tst_SocketIoEvents::binaryEvent()
{
    QFETCH(QByteArray, nsp);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, nsp).isEmpty());
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("452-" + prefix + "[\"message\"," + Placeholders2 + ']'));
    client.sendBinary(QByteArray::fromHex("010203"));
    client.sendBinary(QByteArray::fromHex("040506"));
    QCOMPARE(client.nextText(), QByteArray("452-" + prefix + "[\"message-back\"," + Placeholders2 + ']'));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("010203"));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("040506"));
}

void tst_SocketIoEvents::ack_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("28") << QByteArray(R"(42456["message-with-ack",1,"2",{"3":[false]}])")
                        << QByteArray(R"(43456[1,"2",{"3":[false]}])");
    QTest::newRow("28 /custom") << QByteArray(R"(42/custom,456["message-with-ack",1,"2",{"3":[false]}])")
                                << QByteArray(R"(43/custom,456[1,"2",{"3":[false]}])");
    QTest::newRow("ack id 0, no arguments")
        << QByteArray(R"(420["message-with-ack"])") << QByteArray("430[]");
    QTest::newRow("large ack id") << QByteArray(R"(424294967296["message-with-ack","x"])")
                                  << QByteArray(R"(434294967296["x"])");
}

void tst_SocketIoEvents::ack()
{
    QFETCH(QByteArray, sent);
    QFETCH(QByteArray, expected);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client).isEmpty());
    QVERIFY(!connectSocket(client, "/custom").isEmpty());
    client.send(sent);
    QCOMPARE(client.nextText(), expected);
}

void tst_SocketIoEvents::binaryAck_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::newRow("29") << QByteArray("/");
    QTest::newRow("29 /custom") << QByteArray("/custom");
}

void tst_SocketIoEvents::binaryAck()
{
    QFETCH(QByteArray, nsp);
    RawClient client(m_port);
    QVERIFY(!connectSocket(client, nsp).isEmpty());
    const QByteArray prefix = nspPrefix(nsp);
    client.send(QByteArray("452-" + prefix + "789[\"message-with-ack\"," + Placeholders2 + ']'));
    client.sendBinary(QByteArray::fromHex("010203"));
    client.sendBinary(QByteArray::fromHex("040506"));
    QCOMPARE(client.nextText(), QByteArray("462-" + prefix + "789[" + Placeholders2 + ']'));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("010203"));
    QCOMPARE(client.nextBinary(), QByteArray::fromHex("040506"));
}

void tst_SocketIoEvents::malformedPacket_data()
{
    // Frames: "t:<text>" sent as a text frame, "b:<hex>" as a binary frame.
    QTest::addColumn<QByteArrayList>("frames");
    QTest::newRow("30 unknown type 4abc") << QByteArrayList{ "t:4abc" };
    QTest::newRow("30 payload not an array 42{}") << QByteArrayList{ "t:42{}" };
    QTest::newRow("30 invalid ack id 42abc[...]") << QByteArrayList{ R"(t:42abc["message-with-ack",1])" };
    QTest::newRow("30 bad json") << QByteArrayList{ R"(t:42["message",)" };
    QTest::newRow("30 empty array") << QByteArrayList{ "t:42[]" };
    QTest::newRow("30 reserved event name") << QByteArrayList{ R"(t:42["disconnect"])" };
    QTest::newRow("30 object as event name") << QByteArrayList{ R"(t:42[{},1])" };
    QTest::newRow("30 ack payload not an array") << QByteArrayList{ "t:431{}" };
    QTest::newRow("30 disconnect with payload") << QByteArrayList{ R"(t:41{"a":1})" };
    QTest::newRow("30 binary event without count") << QByteArrayList{ R"(t:45["message"])" };
    QTest::newRow("30 binary event with zero attachments") << QByteArrayList{ R"(t:450-["message","x"])" };
    QTest::newRow("30 too many attachments")
        << QByteArrayList{ R"(t:4511-["message",{"_placeholder":true,"num":0}])" };
    QTest::newRow("30 placeholder out of range")
        << QByteArrayList{ R"(t:451-["message",{"_placeholder":true,"num":5}])", "b:01" };
    QTest::newRow("30 binary frame without binary event") << QByteArrayList{ "b:010203" };
    QTest::newRow("30 text while attachments are awaited")
        << QByteArrayList{ R"(t:451-["message",{"_placeholder":true,"num":0}])", R"(t:42["message"])" };
}

void tst_SocketIoEvents::malformedPacket()
{
    QFETCH(QByteArrayList, frames);
    RawClient offender(m_port);
    RawClient bystander(m_port);
    const QString offenderSid = connectSocket(offender);
    QVERIFY(!offenderSid.isEmpty());
    QVERIFY(!connectSocket(bystander).isEmpty());
    Socket *socket = serverSocket(offenderSid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);

    // Bad input is logged, with the connection and the reason.
    QTest::ignoreMessage(
        QtInfoMsg,
        QRegularExpression(QStringLiteral("^connection %1 from \\S+ sent a malformed packet: .+")
                               .arg(QRegularExpression::escape(offender.engineSid()))));
    for (const QByteArray &frame : frames) {
        if (frame.startsWith("b:"))
            offender.sendBinary(QByteArray::fromHex(frame.mid(2)));
        else
            offender.send(frame.mid(2));
    }
    QVERIFY(offender.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ParseError);

    // Only the offender's connection is closed.
    QVERIFY(!bystander.isClosed());
    QVERIFY(roundTrip(bystander));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
}

void tst_SocketIoEvents::invalidState_data()
{
    QTest::addColumn<QByteArray>("packet");
    QTest::newRow("event for a namespace not joined") << QByteArray(R"(42/custom,["message","x"])");
    QTest::newRow("ack for a namespace not joined") << QByteArray(R"(43/custom,1["x"])");
    QTest::newRow("CONNECT twice") << QByteArray("40");
}

void tst_SocketIoEvents::invalidState()
{
    // socket.io's Client closes the connection ("forced server close") on a well-formed packet
    // that does not fit the state: not a parse error.
    QFETCH(QByteArray, packet);
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QSignalSpy disconnected(socket, &Socket::disconnected);
    client.send(packet);
    QVERIFY(client.waitForClosed(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, Timeout);
    QCOMPARE(disconnected.at(0).at(0).value<DisconnectReason>(), DisconnectReason::ForcedServerClose);
}

void tst_SocketIoEvents::ackAnsweredLater()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QList<Ack> acks;
    socket->on(QStringLiteral("later"), &context, [&acks](const QVariantList &args, const Ack &ack) {
        QCOMPARE(args, QVariantList{ QStringLiteral("q") });
        QVERIFY(ack.isRequested());
        QVERIFY(!ack.isAnswered());
        acks.append(ack);
        QTimer::singleShot(20, [ack] {
            ack.send({ QStringLiteral("done") });
            ack.send({ QStringLiteral("twice") }); // ignored
        });
    });
    socket->on(QStringLiteral("noack"), &context, [&acks](const QVariantList &, const Ack &ack) {
        QVERIFY(!ack.isRequested());
        QCOMPARE(ack.id(), -1);
        ack.send({ QStringLiteral("nobody asked") }); // ignored
        acks.append(ack);
    });

    client.send(R"(4212["later","q"])");
    QCOMPARE(client.nextText(), QByteArray(R"(4312["done"])"));
    QCOMPARE(acks.size(), 1);
    QCOMPARE(acks.first().id(), 12);
    QVERIFY(acks.first().isAnswered());
    client.send(R"(42["noack"])");
    QVERIFY(roundTrip(client)); // nothing in between: no second ack, no unrequested ack
    QCOMPARE(acks.size(), 2);
}

void tst_SocketIoEvents::serverEmitWithAck_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<QByteArrayList>("reply"); // after "43<id>" / "46N-<id>" (with nsp prefix)
    QTest::addColumn<QByteArray>("expectedArgs"); // JSON of the callback's args (binary as hex)
    QTest::newRow("text ack") << QByteArray("/") << QByteArrayList{ R"(t:3|["yes",{"n":1}])" }
                              << QByteArray(R"(["yes",{"n":1}])");
    QTest::newRow("text ack /custom")
        << QByteArray("/custom") << QByteArrayList{ R"(t:3|[])" } << QByteArray("[]");
    QTest::newRow("binary ack") << QByteArray("/")
                                << QByteArrayList{ R"(t:61-|[{"_placeholder":true,"num":0},"t"])", "b:0a0b" }
                                << QByteArray(R"(["bin:0a0b","t"])");
}

void tst_SocketIoEvents::serverEmitWithAck()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    QFETCH(QByteArray, nsp);
    QFETCH(QByteArrayList, reply);
    QFETCH(QByteArray, expectedArgs);
    RawClient client(m_port);
    const QString sid = connectSocket(client, nsp);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid, QString::fromLatin1(nsp));
    QVERIFY(socket);

    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QVariantList got;
    socket->emitEvent(QStringLiteral("question"), { 42, QStringLiteral("x") }, &context,
                      [&](AckStatus s, const QVariantList &args) {
                          ++calls;
                          status = s;
                          got = args;
                      });
    const QByteArray prefix = nspPrefix(nsp);
    const QByteArray event = client.nextText();
    const QRegularExpression re(QStringLiteral("^42%1(\\d+)\\[\"question\",42,\"x\"\\]$")
                                    .arg(QRegularExpression::escape(QString::fromLatin1(prefix))));
    const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
    QVERIFY2(match.hasMatch(), event.constData());
    const QByteArray id = match.captured(1).toLatin1();

    for (const QByteArray &frame : reply) {
        if (frame.startsWith("b:")) {
            client.sendBinary(QByteArray::fromHex(frame.mid(2)));
            continue;
        }
        // "3|payload" -> "43<nsp,><id>payload"; "61-|payload" -> "461-<nsp,><id>payload"
        const QList<QByteArray> parts = frame.mid(2).split('|');
        client.send(QByteArray('4' + parts.at(0) + prefix + id + parts.at(1)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::Received);
    QVariantList normalized;
    for (const QVariant &arg : std::as_const(got)) {
        if (arg.typeId() == QMetaType::QByteArray)
            normalized.append(
                QString(QStringLiteral("bin:") + QString::fromLatin1(arg.toByteArray().toHex())));
        else
            normalized.append(arg);
    }
    QCOMPARE(toJson(normalized), parseJson(expectedArgs));
    QVERIFY(roundTrip(client, nsp));
    QCOMPARE(calls, 1);
}

void tst_SocketIoEvents::serverEmitAckTimeout()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QList<AckStatus> statuses;
    EmitOptions options;
    options.ackTimeout = 100ms;
    socket->emitEvent(
        QStringLiteral("question"), {}, &context,
        [&](AckStatus s, const QVariantList &args) {
            statuses.append(s);
            QVERIFY(args.isEmpty());
        },
        options);
    const QByteArray event = client.nextText();
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral(R"(^42(\d+)\["question"\]$)")).match(QString::fromUtf8(event));
    QVERIFY2(match.hasMatch(), event.constData());
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, Timeout);
    QCOMPARE(statuses.first(), AckStatus::TimedOut);

    // A late answer is ignored: still exactly one call.
    client.send(QByteArray("43" + match.captured(1).toLatin1() + "[\"late\"]"));
    QVERIFY(roundTrip(client));
    QCOMPARE(statuses.size(), 1);
    // And leaving later does not report it again.
    socket->close(DisconnectMode::Namespace);
    QCOMPARE(client.nextText(), QByteArray("41"));
    QCOMPARE(statuses.size(), 1);
}

void tst_SocketIoEvents::serverEmitAckDisconnected()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);

    QList<AckStatus> statuses;
    socket->emitEvent(QStringLiteral("question"), {}, &context,
                      [&](AckStatus s, const QVariantList &) { statuses.append(s); });
    QVERIFY(client.nextText().startsWith("42"));
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, Timeout);
    QCOMPARE(statuses.first(), AckStatus::Disconnected);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->engine()->sessionCount(), 0, Timeout);
    QCOMPARE(statuses.size(), 1);
}

void tst_SocketIoEvents::binaryServerEmit_data()
{
    QTest::addColumn<QByteArray>("nsp");
    QTest::addColumn<bool>("viaNamespace");
    QTest::addColumn<QVariantList>("args");
    QTest::addColumn<QByteArray>("expectedText");
    QTest::addColumn<QByteArrayList>("expectedBinaries");
    const QByteArray bin1 = QByteArray::fromHex("010203");
    const QByteArray bin2 = QByteArray::fromHex("ff00");
    QTest::newRow("one attachment") << QByteArray("/") << false << QVariantList{ bin1, QStringLiteral("t") }
                                    << QByteArray(R"(451-["bin",{"_placeholder":true,"num":0},"t"])")
                                    << QByteArrayList{ bin1 };
    QTest::newRow("nested in an object")
        << QByteArray("/") << false
        << QVariantList{ QVariantMap{ { QStringLiteral("file"), bin1 },
                                      { QStringLiteral("name"), QStringLiteral("f") } } }
        << QByteArray(R"(451-["bin",{"file":{"_placeholder":true,"num":0},"name":"f"}])")
        << QByteArrayList{ bin1 };
    QTest::newRow("two in a list") << QByteArray("/") << false << QVariantList{ QVariantList{ bin1, bin2 } }
                                   << QByteArray("452-[\"bin\",[" + Placeholders2 + "]]")
                                   << QByteArrayList{ bin1, bin2 };
    QTest::newRow("empty attachment")
        << QByteArray("/") << false << QVariantList{ QByteArray("") }
        << QByteArray(R"(451-["bin",{"_placeholder":true,"num":0}])") << QByteArrayList{ QByteArray() };
    QTest::newRow("/custom") << QByteArray("/custom") << false << QVariantList{ bin1 }
                             << QByteArray(R"(451-/custom,["bin",{"_placeholder":true,"num":0}])")
                             << QByteArrayList{ bin1 };
    QTest::newRow("namespace broadcast")
        << QByteArray("/") << true << QVariantList{ bin1, bin2 }
        << QByteArray("452-[\"bin\"," + Placeholders2 + ']') << QByteArrayList{ bin1, bin2 };
    QTest::newRow("namespace broadcast /custom")
        << QByteArray("/custom") << true << QVariantList{ bin2 }
        << QByteArray(R"(451-/custom,["bin",{"_placeholder":true,"num":0}])") << QByteArrayList{ bin2 };
}

void tst_SocketIoEvents::binaryServerEmit()
{
    QFETCH(QByteArray, nsp);
    QFETCH(bool, viaNamespace);
    QFETCH(QVariantList, args);
    QFETCH(QByteArray, expectedText);
    QFETCH(QByteArrayList, expectedBinaries);
    RawClient client(m_port);
    const QString sid = connectSocket(client, nsp);
    QVERIFY(!sid.isEmpty());
    if (viaNamespace) {
        m_server->of(QString::fromLatin1(nsp))->emitEvent(QStringLiteral("bin"), args);
    } else {
        Socket *socket = serverSocket(sid, QString::fromLatin1(nsp));
        QVERIFY(socket);
        socket->emitEvent(QStringLiteral("bin"), args);
    }
    QCOMPARE(client.nextText(), expectedText);
    for (const QByteArray &binary : expectedBinaries)
        QCOMPARE(client.nextBinary(), binary);
    QVERIFY(roundTrip(client, nsp));
}

void tst_SocketIoEvents::polling()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntil([](const QByteArray &packet) { return packet.startsWith("40"); }));
    const QByteArray reply = client.packets().first();
    const QJsonObject object = parseJson(reply.mid(2)).toObject();
    QCOMPARE(object.keys(), QStringList{ QStringLiteral("sid") });
    const QString sid = object.value(QLatin1String("sid")).toString();
    QVERIFY(sid.toLatin1() != client.sid());
    QVERIFY(client.pollUntilPacket(R"(42["auth",{}])"));
    Socket *socket = serverSocket(sid);
    QVERIFY(socket);
    QCOMPARE(socket->transport(), Transport::Polling);

    QCOMPARE(client.post(R"(421["message-with-ack","p"])"), 200);
    QVERIFY(client.pollUntilPacket(R"(431["p"])"));
    QCOMPARE(client.post(R"(42["message","q"])"), 200);
    QVERIFY(client.pollUntilPacket(R"(42["message-back","q"])"));

    // Server -> client with an ack.
    int calls = 0;
    QVariantList got;
    socket->emitEvent(QStringLiteral("ask"), { 1 }, &context,
                      [&](AckStatus status, const QVariantList &args) {
                          ++calls;
                          QCOMPARE(status, AckStatus::Received);
                          got = args;
                      });
    QByteArray id;
    QVERIFY(client.pollUntil([&id](const QByteArray &packet) {
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral(R"(^42(\d+)\["ask",1\]$)")).match(QString::fromUtf8(packet));
        if (match.hasMatch())
            id = match.captured(1).toLatin1();
        return match.hasMatch();
    }));
    QCOMPARE(client.post(QByteArray("43" + id + "[\"ok\"]")), 200);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(got, QVariantList{ QStringLiteral("ok") });

    // Binary travels as "b" + base64 in polling.
    socket->emitEvent(QStringLiteral("bin"), { QByteArray::fromHex("01020304") });
    QVERIFY(client.pollUntilPacket(R"(451-["bin",{"_placeholder":true,"num":0}])"));
    QVERIFY(client.pollUntilPacket("bAQIDBA=="));
}

void tst_SocketIoEvents::pollingVolatile()
{
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntilPacket(R"(42["auth",{}])"));
    QCOMPARE(m_server->mainNamespace()->socketCount(), 1);
    Socket *socket = m_server->mainNamespace()->sockets().first();

    // No GET is waiting: the transport is not writable, volatile packets are dropped.
    EmitOptions isVolatile;
    isVolatile.isVolatile = true;
    socket->emitEvent(QStringLiteral("dropped"), { 1 }, isVolatile);
    m_server->mainNamespace()->all().asVolatile().emitEvent(QStringLiteral("dropped"), { 2 });
    socket->emitEvent(QStringLiteral("kept"));
    QVERIFY(client.pollUntilPacket(R"(42["kept"])"));
    for (const QByteArray &packet : client.packets())
        QVERIFY2(!packet.contains("dropped"), packet.constData());
}

void tst_SocketIoEvents::upgradeFromPolling()
{
    // What socket.io-client does by default: CONNECT over polling, then upgrade to WebSocket.
    PollingClient polling(m_port);
    QVERIFY(polling.handshake());
    QCOMPARE(polling.post("40"), 200);
    QVERIFY(polling.pollUntilPacket(R"(42["auth",{}])"));
    Socket *socket = m_server->mainNamespace()->sockets().value(0);
    QVERIFY(socket);
    QCOMPARE(socket->transport(), Transport::Polling);

    RawClient ws(m_port, QByteArray("EIO=4&transport=websocket&sid=" + polling.sid()));
    QVERIFY(ws.waitForConnected(Timeout));
    ws.send("2probe");
    QCOMPARE(ws.nextText(), QByteArray("3probe"));
    ws.send("5");
    QVERIFY(roundTrip(ws));
    QCOMPARE(socket->transport(), Transport::WebSocket);
    socket->emitEvent(QStringLiteral("over-ws"), { QByteArray::fromHex("0102") });
    QCOMPARE(ws.nextText(), QByteArray(R"(451-["over-ws",{"_placeholder":true,"num":0}])"));
    QCOMPARE(ws.nextBinary(), QByteArray::fromHex("0102"));
}

QTEST_GUILESS_MAIN(tst_SocketIoEvents)

#include "tst_socketio_events.moc"
