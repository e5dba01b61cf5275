// SPDX-License-Identifier: MIT
// What one client can do to the others (issue 15): many rooms, a client that stops reading.

#include "../socketioserver/rawclient.h"

#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>
#include <SocketIo/socketioglobal.h>

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

constexpr int Timeout = 5000;

// "join-many" [prefix, count] joins prefix0 .. prefix<count-1> one call at a time, as a client
// sending count join events would; "leave-many" leaves them; "message-with-ack" echoes.
void serve(Namespace *nsp)
{
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        QObject::connect(socket, &Socket::eventReceived, socket,
                         [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                             if (event == QLatin1String("message-with-ack")) {
                                 ack.send(args);
                             } else if (event == QLatin1String("join-many") && args.size() == 2) {
                                 const QString prefix = args.at(0).toString();
                                 const int count = args.at(1).toInt();
                                 int refused = 0;
                                 for (int i = 0; i < count; ++i)
                                     refused += socket->join(prefix + QString::number(i)) ? 0 : 1;
                                 ack.send({ refused });
                             } else if (event == QLatin1String("leave-many") && args.size() == 2) {
                                 const QString prefix = args.at(0).toString();
                                 const int count = args.at(1).toInt();
                                 for (int i = 0; i < count; ++i)
                                     socket->leave(prefix + QString::number(i));
                                 ack.send({});
                             }
                         });
    });
}

} // namespace

class tst_Limits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void roomsAtScale();
    void roomLimit();

private:
    void start(const ServerOptions &options);
    QString connectSocket(RawClient &client);

    std::unique_ptr<Server> m_server;
    quint16 m_port = 0;
};

void tst_Limits::init()
{
    ServerOptions options;
    options.maxRoomsPerSocket = 3;
    start(options);
}

void tst_Limits::cleanup()
{
    m_server.reset();
}

void tst_Limits::start(const ServerOptions &options)
{
    m_server = std::make_unique<Server>(options);
    serve(m_server->mainNamespace());
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
}

QString tst_Limits::connectSocket(RawClient &client)
{
    if (!client.waitForOpen(Timeout))
        return {};
    client.send("40");
    const QByteArray reply = client.nextText();
    if (!reply.startsWith("40{\"sid\":\""))
        return {};
    return QString::fromLatin1(reply.mid(10, reply.size() - 12));
}

// Issue 15 defect 1: a socket's rooms were a list searched on every join and leave, so one client
// joining tens of thousands of rooms froze the event loop for everyone (40,000 rooms: 6 s; 80,000:
// 37.5 s). Now each join and leave is O(1): 50,000 joins and leaves are done well before the
// bystander's ack is due (QTRY's 5 s; the old code needed about ten times that). The speed itself
// is measured by bench/rooms, not here.
void tst_Limits::roomsAtScale()
{
    constexpr int Rooms = 50000;
    ServerOptions options;
    options.maxRoomsPerSocket = 0; // no limit
    start(options);
    RawClient a(m_port);
    RawClient bystander(m_port);
    const QString sidA = connectSocket(a);
    QVERIFY(!sidA.isEmpty());
    QVERIFY(!connectSocket(bystander).isEmpty());
    Namespace *nsp = m_server->mainNamespace();

    a.send(QByteArray("421[\"join-many\",\"r\"," + QByteArray::number(Rooms) + ']'));
    bystander.send(R"(427["message-with-ack","still here"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(437["still here"])"));
    QCOMPARE(a.nextText(), QByteArray("431[0]"));
    Socket *socket = nsp->socket(sidA);
    QVERIFY(socket);
    QCOMPARE(socket->rooms().size(), Rooms + 1);
    QVERIFY(socket->rooms().contains(QStringLiteral("r0")));
    QVERIFY(socket->rooms().contains(QStringLiteral("r49999")));
    QCOMPARE(nsp->roomSize(QStringLiteral("r25000")), 1);
    QCOMPARE(nsp->rooms().size(), Rooms + 2); // and the two socket id rooms

    // A broadcast to one of them reaches the socket once.
    nsp->to(QStringList{ QStringLiteral("r7"), QStringLiteral("r8") }).emitEvent(QStringLiteral("hi"));
    QCOMPARE(a.nextText(), QByteArray(R"(42["hi"])"));

    a.send(QByteArray("422[\"leave-many\",\"r\"," + QByteArray::number(Rooms) + ']'));
    bystander.send(R"(428["message-with-ack","still here"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(438["still here"])"));
    QCOMPARE(a.nextText(), QByteArray("432[]"));
    QCOMPARE(socket->rooms(), QSet<QString>{ sidA });
    QCOMPARE(nsp->rooms().size(), 2);

    // Joined again and dropped at once when the client goes.
    a.send(QByteArray("423[\"join-many\",\"s\"," + QByteArray::number(Rooms) + ']'));
    QCOMPARE(a.nextText(), QByteArray("433[0]"));
    QSignalSpy left(nsp, &Namespace::socketDisconnected);
    a.close();
    QVERIFY(left.wait(Timeout));
    QCOMPARE(nsp->rooms().size(), 1);
}

// The cap on rooms per socket (ServerOptions::maxRoomsPerSocket): a join beyond it is refused,
// logged once for the socket, and nothing else changes.
void tst_Limits::roomLimit()
{
    QCOMPARE(ServerOptions().maxRoomsPerSocket, 10000);
    RawClient a(m_port);
    RawClient b(m_port);
    const QString sidA = connectSocket(a);
    const QString sidB = connectSocket(b);
    QVERIFY(!sidA.isEmpty() && !sidB.isEmpty());
    Namespace *nsp = m_server->mainNamespace();
    Socket *sa = nsp->socket(sidA);
    Socket *sb = nsp->socket(sidB);
    QVERIFY(sa && sb);

    QVERIFY(sa->join(QStringList{ QStringLiteral("r1"), QStringLiteral("r2") }));
    QVERIFY(sa->join(QStringLiteral("r3")));
    QVERIFY(sa->join(QStringLiteral("r3"))); // already in: fine
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral("^socket %1 in / refused room r4 : already in 3 rooms").arg(sidA)));
    QVERIFY(!sa->join(QStringLiteral("r4")));
    // Once per socket: a second refusal is not logged again.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("refused room")));
    QVERIFY(!sa->join(QStringList{ QStringLiteral("r5"), QStringLiteral("r1") }));
    QCOMPARE(sa->rooms(),
             (QSet<QString>{ sidA, QStringLiteral("r1"), QStringLiteral("r2"), QStringLiteral("r3") }));
    QCOMPARE(nsp->roomSize(QStringLiteral("r4")), 0);

    // The client's own joins are refused the same way; its connection is untouched.
    a.send(R"(421["join-many","x",5])");
    QCOMPARE(a.nextText(), QByteArray("431[5]"));
    nsp->to(QStringLiteral("r2")).emitEvent(QStringLiteral("to-r2"));
    QCOMPARE(a.nextText(), QByteArray(R"(42["to-r2"])"));

    // Leaving makes room again; other sockets have their own count.
    sa->leave(QStringLiteral("r1"));
    QVERIFY(sa->join(QStringLiteral("r4")));
    QVERIFY(sb->join(QStringList{ QStringLiteral("r1"), QStringLiteral("r2"), QStringLiteral("r3") }));
    QCOMPARE(nsp->roomSize(QStringLiteral("r2")), 2);

    // socketsJoin() goes through the same check (b's first refusal is logged, a's not again).
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("^socket %1 in / refused room all").arg(sidB)));
    nsp->socketsJoin({ QStringLiteral("all") });
    QVERIFY(!sa->rooms().contains(QStringLiteral("all")));
    QVERIFY(!sb->rooms().contains(QStringLiteral("all")));

    // A new limit applies to joins from now on.
    ServerOptions options = m_server->options();
    options.maxRoomsPerSocket = 0;
    m_server->setOptions(options);
    QVERIFY(sb->join(QStringLiteral("all")));
    b.send(R"(427["message-with-ack",1])");
    QCOMPARE(b.nextText(), QByteArray("437[1]"));
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
