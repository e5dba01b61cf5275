// SPDX-License-Identifier: MIT
//
// Loopback test of the Socket.IO server: rooms, broadcasting (to rooms, except, volatile), the
// bulk operations (fetchSockets, socketsJoin/Leave, disconnectSockets) and broadcasts with acks.
// No conformance case of docs/conformance.md.

#include "socketiofixture.h"

class tst_SocketIoRooms : public SocketIoFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SocketIoFixture::initTestCase(); }
    void init() { SocketIoFixture::init(); }
    void cleanup() { SocketIoFixture::cleanup(); }

    void rooms();
    void broadcasting();
    void fetchAndBulkOperations();
    void broadcastWithAcks();
    void broadcastWithAcksTimeout();
};

void tst_SocketIoRooms::rooms()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    RawClient a(m_port);
    RawClient b(m_port);
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty());
    Socket *sa = serverSocket(sidA);
    Socket *sb = serverSocket(sidB);
    QVERIFY(sa && sb);

    QStringList log;
    const auto label = [&](const QString &id) {
        return id == sidA ? QStringLiteral("A") : id == sidB ? QStringLiteral("B") : id;
    };
    connect(nsp, &Namespace::roomCreated, &context,
            [&](const QString &room) { log.append(QStringLiteral("created:") + room); });
    connect(nsp, &Namespace::roomDeleted, &context,
            [&](const QString &room) { log.append(QStringLiteral("deleted:") + room); });
    connect(nsp, &Namespace::roomJoined, &context, [&](const QString &room, const QString &id) {
        log.append(QStringLiteral("joined:") + room + QLatin1Char(':') + label(id));
    });
    connect(nsp, &Namespace::roomLeft, &context, [&](const QString &room, const QString &id) {
        log.append(QStringLiteral("left:") + room + QLatin1Char(':') + label(id));
    });

    sa->join(QStringLiteral("r"));
    sb->join(QStringList{ QStringLiteral("r"), QStringLiteral("s") });
    sa->join(QStringLiteral("r")); // already in: nothing
    QCOMPARE(nsp->roomSize(QStringLiteral("r")), 2);
    QCOMPARE(nsp->roomSize(QStringLiteral("s")), 1);
    QCOMPARE(nsp->roomSize(QStringLiteral("none")), 0);
    QStringList rooms = nsp->rooms();
    rooms.sort();
    QStringList expectedRooms{ QStringLiteral("r"), QStringLiteral("s"), sidA, sidB };
    expectedRooms.sort();
    QCOMPARE(rooms, expectedRooms);
    QCOMPARE(sa->rooms(), (QSet<QString>{ sidA, QStringLiteral("r") }));
    QCOMPARE(sb->rooms(), (QSet<QString>{ sidB, QStringLiteral("r"), QStringLiteral("s") }));

    sa->leave(QStringLiteral("r"));
    sb->leave(QStringLiteral("r"));
    sb->leave(QStringLiteral("nope")); // not in it: nothing
    QCOMPARE(nsp->roomSize(QStringLiteral("r")), 0);
    QVERIFY(!nsp->rooms().contains(QStringLiteral("r")));
    QCOMPARE(sa->rooms(), QSet<QString>{ sidA });

    // Through the echo server's join/leave events.
    a.send(R"(42["join","c"])");
    QTRY_COMPARE_WITH_TIMEOUT(nsp->roomSize(QStringLiteral("c")), 1, Timeout);
    a.send(R"(42["leave","c"])");
    QTRY_COMPARE_WITH_TIMEOUT(nsp->roomSize(QStringLiteral("c")), 0, Timeout);

    QCOMPARE(log,
             (QStringList{
                 QStringLiteral("created:r"),
                 QStringLiteral("joined:r:A"),
                 QStringLiteral("joined:r:B"),
                 QStringLiteral("created:s"),
                 QStringLiteral("joined:s:B"),
                 QStringLiteral("left:r:A"),
                 QStringLiteral("left:r:B"),
                 QStringLiteral("deleted:r"),
                 QStringLiteral("created:c"),
                 QStringLiteral("joined:c:A"),
                 QStringLiteral("left:c:A"),
                 QStringLiteral("deleted:c"),
             }));
}

void tst_SocketIoRooms::broadcasting()
{
    Namespace *nsp = m_server->mainNamespace();
    Namespace *custom = m_server->of(QStringLiteral("/custom"));
    RawClient a(m_port);
    RawClient b(m_port);
    RawClient c(m_port);
    RawClient d(m_port); // only in /custom
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    const QString sidC = connectSocket(c);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty() && !sidC.isEmpty());
    QVERIFY(!connectSocket(d, "/custom").isEmpty());
    Socket *sa = serverSocket(sidA);
    Socket *sb = serverSocket(sidB);
    QVERIFY(sa && sb);
    sa->join(QStringLiteral("r1"));
    sb->join(QStringList{ QStringLiteral("r1"), QStringLiteral("r2") });

    // After each broadcast the namespace emits "end" to everyone: what a client got before its
    // "end" is exactly what the broadcast delivered to it.
    const QByteArray end = QByteArrayLiteral(R"(42["end"])");
    const auto check = [&](const QByteArrayList &forA, const QByteArrayList &forB,
                           const QByteArrayList &forC) {
        nsp->emitEvent(QStringLiteral("end"));
        custom->emitEvent(QStringLiteral("end"));
        const QByteArrayList gotA = a.textsUntil(end);
        const QByteArrayList gotB = b.textsUntil(end);
        const QByteArrayList gotC = c.textsUntil(end);
        const QByteArrayList gotD = d.textsUntil(QByteArrayLiteral(R"(42/custom,["end"])"));
        bool ok = true;
        if (gotA != forA || gotB != forB || gotC != forC) {
            qWarning() << "A:" << gotA << "expected" << forA;
            qWarning() << "B:" << gotB << "expected" << forB;
            qWarning() << "C:" << gotC << "expected" << forC;
            ok = false;
        }
        if (!gotD.isEmpty()) {
            qWarning() << "D (/custom only) got" << gotD;
            ok = false;
        }
        return ok;
    };

    nsp->to(QStringLiteral("r1")).emitEvent(QStringLiteral("t1"), { 1 });
    QVERIFY(check({ R"(42["t1",1])" }, { R"(42["t1",1])" }, {}));

    nsp->except(QStringLiteral("r2")).emitEvent(QStringLiteral("t2"));
    QVERIFY(check({ R"(42["t2"])" }, {}, { R"(42["t2"])" }));

    // A socket in both rooms gets it once.
    nsp->to(QStringList{ QStringLiteral("r1"), QStringLiteral("r2") }).emitEvent(QStringLiteral("t3"));
    QVERIFY(check({ R"(42["t3"])" }, { R"(42["t3"])" }, {}));

    nsp->in(QStringLiteral("r1")).to(QStringLiteral("r2")).emitEvent(QStringLiteral("t3b"));
    QVERIFY(check({ R"(42["t3b"])" }, { R"(42["t3b"])" }, {}));

    sa->broadcast().emitEvent(QStringLiteral("t4"), { QStringLiteral("x") });
    QVERIFY(check({}, { R"(42["t4","x"])" }, { R"(42["t4","x"])" }));

    sa->to(QStringLiteral("r1")).emitEvent(QStringLiteral("t5"));
    QVERIFY(check({}, { R"(42["t5"])" }, {}));

    nsp->to(QStringLiteral("r1")).except(QStringLiteral("r2")).emitEvent(QStringLiteral("t6"));
    QVERIFY(check({ R"(42["t6"])" }, {}, {}));

    sa->except(QStringLiteral("r2")).emitEvent(QStringLiteral("t6b"));
    QVERIFY(check({}, {}, { R"(42["t6b"])" }));

    nsp->to(QStringLiteral("nobody")).emitEvent(QStringLiteral("t6c"));
    QVERIFY(check({}, {}, {}));

    m_server->emitEvent(QStringLiteral("t6d"));
    QVERIFY(check({ R"(42["t6d"])" }, { R"(42["t6d"])" }, { R"(42["t6d"])" }));

    // The echo server's to-room (sender included) and broadcast (sender excluded), from a client.
    a.send(R"(42["to-room","r1","t7",7])");
    QCOMPARE(b.nextText(), QByteArray(R"(42["t7",7])"));
    QVERIFY(check({ R"(42["t7",7])" }, {}, {}));

    a.send(R"(42["broadcast","t8","y"])");
    QCOMPARE(c.nextText(), QByteArray(R"(42["t8","y"])"));
    QVERIFY(check({}, { R"(42["t8","y"])" }, {}));

    // Volatile broadcasts still reach writable WebSocket clients.
    nsp->all().asVolatile().emitEvent(QStringLiteral("t9"));
    QVERIFY(check({ R"(42["t9"])" }, { R"(42["t9"])" }, { R"(42["t9"])" }));
}

void tst_SocketIoRooms::fetchAndBulkOperations()
{
    Namespace *nsp = m_server->mainNamespace();
    RawClient a(m_port);
    RawClient b(m_port);
    RawClient c(m_port);
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    const QString sidC = connectSocket(c);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty() && !sidC.isEmpty());
    const auto ids = [](const QList<Socket *> &sockets) {
        QSet<QString> set;
        for (Socket *socket : sockets)
            set.insert(socket->id());
        return set;
    };

    QCOMPARE(ids(nsp->fetchSockets()), (QSet<QString>{ sidA, sidB, sidC }));
    QCOMPARE(ids(nsp->in(sidB).fetchSockets()), QSet<QString>{ sidB });

    nsp->socketsJoin({ QStringLiteral("x"), QStringLiteral("y") });
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 3);
    QCOMPARE(nsp->roomSize(QStringLiteral("y")), 3);
    QCOMPARE(ids(nsp->in(QStringLiteral("x")).fetchSockets()), (QSet<QString>{ sidA, sidB, sidC }));

    nsp->in(QStringLiteral("y")).except(sidA).socketsLeave({ QStringLiteral("y") });
    QCOMPARE(ids(nsp->in(QStringLiteral("y")).fetchSockets()), QSet<QString>{ sidA });
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 3);

    nsp->in(sidC).socketsJoin({ QStringLiteral("z") });
    QCOMPARE(ids(nsp->in(QStringLiteral("z")).fetchSockets()), QSet<QString>{ sidC });

    // disconnectSockets() on a room: those clients get a DISCONNECT, their connection stays.
    nsp->in(QStringLiteral("y")).disconnectSockets();
    QCOMPARE(a.nextText(), QByteArray("41"));
    QCOMPARE(ids(nsp->fetchSockets()), (QSet<QString>{ sidB, sidC }));
    QVERIFY(!a.isClosed());

    // disconnectSockets(Close): DISCONNECT, then the connection closes.
    nsp->disconnectSockets(DisconnectMode::Close);
    QCOMPARE(b.nextText(), QByteArray("41"));
    QCOMPARE(c.nextText(), QByteArray("41"));
    QVERIFY(b.waitForClosed(Timeout));
    QVERIFY(c.waitForClosed(Timeout));
    QCOMPARE(nsp->socketCount(), 0);
    QCOMPARE(nsp->roomSize(QStringLiteral("x")), 0);
    QVERIFY(!a.isClosed());
}

void tst_SocketIoRooms::broadcastWithAcks()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_port));
        QVERIFY(!connectSocket(*clients.back()).isEmpty());
    }
    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QList<QVariantList> replies;
    nsp->all().timeout(5s).emitEvent(QStringLiteral("poll"), { 1 }, &context,
                                     [&](AckStatus s, const QList<QVariantList> &r) {
                                         ++calls;
                                         status = s;
                                         replies = r;
                                     });
    const QRegularExpression re(QStringLiteral(R"(^42(\d+)\["poll",1\]$)"));
    for (int i = 0; i < 3; ++i) {
        const QByteArray event = clients[i]->nextText();
        const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
        QVERIFY2(match.hasMatch(), event.constData());
        clients[i]->send(
            QByteArray("43" + match.captured(1).toLatin1() + "[\"c" + QByteArray::number(i) + "\"]"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::Received);
    QStringList answers;
    for (const QVariantList &reply : std::as_const(replies)) {
        QCOMPARE(reply.size(), 1);
        answers.append(reply.first().toString());
    }
    answers.sort();
    QCOMPARE(answers, (QStringList{ QStringLiteral("c0"), QStringLiteral("c1"), QStringLiteral("c2") }));
    for (auto &client : clients)
        QVERIFY(roundTrip(*client));
    QCOMPARE(calls, 1);
}

void tst_SocketIoRooms::broadcastWithAcksTimeout()
{
    QObject context; // receiver of callbacks that use locals: gone with them
    Namespace *nsp = m_server->mainNamespace();
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<RawClient>(m_port));
        QVERIFY(!connectSocket(*clients.back()).isEmpty());
    }
    int calls = 0;
    AckStatus status = AckStatus::Disconnected;
    QList<QVariantList> replies;
    nsp->all().timeout(300ms).emitEvent(QStringLiteral("poll"), {}, &context,
                                        [&](AckStatus s, const QList<QVariantList> &r) {
                                            ++calls;
                                            status = s;
                                            replies = r;
                                        });
    const QRegularExpression re(QStringLiteral(R"(^42(\d+)\["poll"\]$)"));
    QByteArray silentId;
    for (int i = 0; i < 3; ++i) {
        const QByteArray event = clients[i]->nextText();
        const QRegularExpressionMatch match = re.match(QString::fromUtf8(event));
        QVERIFY2(match.hasMatch(), event.constData());
        if (i == 2) {
            silentId = match.captured(1).toLatin1(); // this one does not answer in time
            continue;
        }
        clients[i]->send(QByteArray("43" + match.captured(1).toLatin1() + "[" + QByteArray::number(i) + "]"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, Timeout);
    QCOMPARE(status, AckStatus::TimedOut);
    QList<int> answers;
    for (const QVariantList &reply : std::as_const(replies))
        answers.append(reply.value(0).toInt());
    std::sort(answers.begin(), answers.end());
    QCOMPARE(answers, (QList<int>{ 0, 1 }));

    clients[2]->send(QByteArray("43" + silentId + "[2]")); // too late
    QVERIFY(roundTrip(*clients[2]));
    QCOMPARE(calls, 1);
}

QTEST_GUILESS_MAIN(tst_SocketIoRooms)

#include "tst_socketio_rooms.moc"
