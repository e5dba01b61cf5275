// SPDX-License-Identifier: MIT
// What one client can do to the others (issue 15): many rooms, a client that stops reading.

#include "../socketioserver/rawclient.h"
#include "engine/admission_p.h"
#include "socketio/roomset.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/enginesession.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>
#include <SocketIo/socketioglobal.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <algorithm>
#include <memory>
#include <optional>

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

// A WebSocket client that opens a session, joins the main namespace and then never reads again:
// its QTcpSocket takes at most one more byte into its read buffer, so the kernel's buffers fill,
// and then the server's. Speaks the protocol by hand (QWebSocket would keep reading).
class StalledClient
{
public:
    explicit StalledClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    // Handshake, open packet, CONNECT to "/": the socket.io sid, or empty.
    QString connect()
    {
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, Timeout))
            return {};
        m_socket.write("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!readUntil([this] { return m_buffer.contains("\r\n\r\n"); }))
            return {};
        m_buffer.remove(0, m_buffer.indexOf("\r\n\r\n") + 4);
        const QByteArray open = nextFrame();
        if (!open.startsWith('0'))
            return {};
        m_engineSid = QJsonDocument::fromJson(open.mid(1)).object().value(QLatin1String("sid")).toString();
        sendText("40");
        const QByteArray reply = nextFrame();
        if (!reply.startsWith("40{"))
            return {};
        // From now on nothing is read.
        m_socket.setReadBufferSize(1);
        return QJsonDocument::fromJson(reply.mid(2)).object().value(QLatin1String("sid")).toString();
    }
    // Gone with unread data: the server's next write fails (connection reset).
    void abort() { m_socket.abort(); }
    QString engineSid() const { return m_engineSid; }

private:
    template<typename Pred> bool readUntil(Pred done)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return done();
            },
            Timeout);
    }
    // One unfragmented text frame from the server (unmasked, payload under 64 KiB).
    QByteArray nextFrame()
    {
        qsizetype header = 0;
        qsizetype length = 0;
        const auto complete = [&] {
            if (m_buffer.size() < 2)
                return false;
            length = quint8(m_buffer.at(1)) & 0x7f;
            header = 2;
            if (length == 126) {
                if (m_buffer.size() < 4)
                    return false;
                length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
                header = 4;
            }
            return m_buffer.size() >= header + length;
        };
        if (!readUntil(complete))
            return {};
        const QByteArray payload = m_buffer.mid(header, length);
        m_buffer.remove(0, header + length);
        return payload;
    }
    void sendText(const QByteArray &text) // masked, as a client must (text under 126 bytes)
    {
        const char mask[4] = { 1, 2, 3, 4 };
        QByteArray frame;
        frame.append(char(0x81)).append(char(0x80 | text.size())).append(mask, 4);
        for (qsizetype i = 0; i < text.size(); ++i)
            frame.append(char(text.at(i) ^ mask[i % 4]));
        m_socket.write(frame);
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QString m_engineSid;
};

} // namespace

class tst_Limits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void roomSet();
    void roomsAtScale();
    void roomLimit();
    void stalledReaderClosed();
    void volatileDroppedWhileBehind();
    void stalledPollingClientClosed();
    void stalledReaderResets_data();
    void stalledReaderResets();
    void admissionAddressKeys();
    void admissionRateRefills();
    void sessionsPerAddressCapped();
    void handshakeRateLimited();
    void totalSessionsCapped();
    void loopbackExemptByDefault();
    void eventRateDrops();
    void eventRateDisconnects();
    void pendingAcksCapped();
    void namespacesCapped();
    void slowUploadNotCutOff();
    void stalledBodyTimedOut();
    void sendTimeoutWebSocket();
    void sendTimeoutPolling();
    void closingConnectionAborted();

private:
    void start(const ServerOptions &options);
    // A polling handshake: the HTTP status and the body (the open packet, or the refusal).
    std::pair<int, QByteArray> handshake();
    QNetworkAccessManager m_nam;
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

// The container behind a socket's rooms: a flat list while small, a hash set past SmallLimit, the
// same answers as a QSet either way (checked after every step of joins and leaves that cross the
// limit in both directions).
void tst_Limits::roomSet()
{
    RoomSet rooms;
    QSet<QString> model;
    const auto same = [&] {
        if (rooms.size() != model.size() || rooms.toSet() != model || rooms.isEmpty() != model.isEmpty())
            return false;
        const QStringList list = rooms.toList();
        if (QSet<QString>(list.cbegin(), list.cend()) != model || list.size() != model.size())
            return false;
        QSet<QString> seen;
        rooms.forEach([&](const QString &room) { seen.insert(room); });
        return seen == model;
    };
    QVERIFY(same());
    // Up, down and up again across the limit; every room joined twice, left twice.
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 3 * RoomSet::SmallLimit; ++i) {
            const QString room = QStringLiteral("r%1").arg(i);
            QCOMPARE(rooms.insert(room), !model.contains(room));
            model.insert(room);
            QCOMPARE(rooms.insert(room), false);
            QVERIFY(rooms.contains(room));
            QVERIFY(same());
        }
        for (int i = 3 * RoomSet::SmallLimit - 1; i >= round; --i) {
            const QString room = QStringLiteral("r%1").arg(i);
            QCOMPARE(rooms.remove(room), true);
            model.remove(room);
            QCOMPARE(rooms.remove(room), false);
            QVERIFY(!rooms.contains(room));
            QVERIFY(same());
        }
    }
    rooms.clear();
    QVERIFY(rooms.isEmpty() && rooms.toList().isEmpty());
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

namespace {
// Records the lines of one logging category while it lives; every line still goes on to QtTest.
class LogRecorder
{
public:
    explicit LogRecorder(const char *category)
    {
        s_category = category;
        s_lines.clear();
        s_previous = qInstallMessageHandler(record);
    }
    ~LogRecorder() { qInstallMessageHandler(s_previous); }
    bool contains(QLatin1String text) const
    {
        return std::any_of(s_lines.cbegin(), s_lines.cend(),
                           [text](const QString &line) { return line.contains(text); });
    }
    QString text() const { return s_lines.join(QLatin1Char('\n')); }

private:
    static void record(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (context.category && qstrcmp(context.category, s_category) == 0)
            s_lines.append(message);
        if (s_previous)
            s_previous(type, context, message);
    }
    static inline const char *s_category = nullptr;
    static inline QStringList s_lines;
    static inline QtMessageHandler s_previous = nullptr;
};
} // namespace

// Issue 15 defect 2: a room member that stops reading while the room keeps getting messages.
// Its output waits in the server up to EngineOptions::maxSendBufferSize, never more than that
// and one message; then its connection is closed with "send buffer full", in the log and to
// observers, and a bystander in the same room gets every message. (The old code kept
// everything: memory grew without bound.)
void tst_Limits::stalledReaderClosed()
{
    constexpr qint64 Limit = 64 * 1024;
    ServerOptions options;
    options.engine.maxSendBufferSize = Limit;
    options.engine.trimMemoryAfterDroppedBytes = Limit / 2;
    start(options);
    QCOMPARE(EngineOptions().maxSendBufferSize, 4 * 1024 * 1024);
    QCOMPARE(EngineOptions().trimMemoryAfterDroppedBytes, 64 * 1024 * 1024);
    const LogRecorder engineLog("socketio.engine");
    Namespace *nsp = m_server->mainNamespace();
    StalledClient stalled(m_port);
    const QString stalledSid = stalled.connect();
    QVERIFY(!stalledSid.isEmpty());
    RawClient bystander(m_port);
    const QString bystanderSid = connectSocket(bystander);
    QVERIFY(!bystanderSid.isEmpty());
    QVERIFY(nsp->socket(stalledSid)->join(QStringLiteral("feed")));
    QVERIFY(nsp->socket(bystanderSid)->join(QStringLiteral("feed")));
    QPointer<EngineSession> session = m_server->engine()->session(stalled.engineSid());
    QVERIFY(session);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);
    QSignalSpy socketLeft(nsp, &Namespace::socketDisconnected);

    const QString payload(8000, QLatin1Char('x'));
    const qint64 frameSize = 2 + 4 + 8 + payload.size(); // 42["m","..."] and the frame header
    qint64 sent = 0;
    qint64 received = 0;
    qint64 mostWaiting = 0;
    // At most 64 MB: far more than the kernel's socket buffers and the limit together.
    while (sessionClosed.isEmpty() && sent < 8000) {
        for (int i = 0; i < 20; ++i) {
            nsp->to(QStringLiteral("feed")).emitEvent(QStringLiteral("m"), { payload });
            ++sent;
            if (session)
                mostWaiting = std::max(mostWaiting, session->bytesToWrite());
        }
        QCoreApplication::processEvents();
        received += bystander.pendingFrames();
        bystander.clearFrames();
    }
    QCOMPARE(sessionClosed.size(), 1);
    QCOMPARE(sessionClosed.at(0).at(0).toString(), stalled.engineSid());
    QCOMPARE(sessionClosed.at(0).at(1).value<CloseReason>(), CloseReason::SendBufferFull);
    QVERIFY2(sessionClosed.at(0).at(2).toString().contains(QLatin1String("limit 65536")),
             qPrintable(sessionClosed.at(0).at(2).toString()));
    QCOMPARE(closeReasonString(CloseReason::SendBufferFull), QStringLiteral("send buffer full"));
    QVERIFY2(mostWaiting <= Limit + frameSize, qPrintable(QString::number(mostWaiting)));
    QVERIFY(mostWaiting > Limit - frameSize); // it did fill up
    QTRY_COMPARE(socketLeft.size(), 1);
    QCOMPARE(socketLeft.at(0).at(0).toString(), stalledSid);
    QCOMPARE(socketLeft.at(0).at(1).value<DisconnectReason>(), DisconnectReason::SendBufferFull);
    QCOMPARE(disconnectReasonString(DisconnectReason::SendBufferFull), QStringLiteral("send buffer full"));

    // The bystander got everything and is still served.
    QVERIFY(QTest::qWaitFor([&] {
        received += bystander.pendingFrames();
        bystander.clearFrames();
        return received >= sent;
    }));
    QCOMPARE(received, sent);
    bystander.send(R"(421["message-with-ack","ok"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(431["ok"])"));

    // The output it never took is given back to the system: one closure is far below
    // trimMemoryAfterClosures, but it dropped more than trimMemoryAfterDroppedBytes. (200 such
    // readers kept 800 MB until the heap was trimmed for that too.)
    QTRY_VERIFY2(engineLog.contains(QLatin1String("gave freed memory back after 1 closed sessions")),
                 qPrintable(engineLog.text()));
}

// Volatile messages to a client that is behind (more than a quarter of the limit waiting) are
// dropped and counted; reliable ones wait, up to the limit.
void tst_Limits::volatileDroppedWhileBehind()
{
    constexpr qint64 Limit = 64 * 1024;
    ServerOptions options;
    options.engine.maxSendBufferSize = Limit;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    StalledClient stalled(m_port);
    const QString stalledSid = stalled.connect();
    QVERIFY(!stalledSid.isEmpty());
    RawClient bystander(m_port);
    const QString bystanderSid = connectSocket(bystander);
    QVERIFY(!bystanderSid.isEmpty());
    Socket *socket = nsp->socket(stalledSid);
    QVERIFY(socket->join(QStringLiteral("feed")));
    QVERIFY(nsp->socket(bystanderSid)->join(QStringLiteral("feed")));
    QPointer<EngineSession> session = m_server->engine()->session(stalled.engineSid());
    QVERIFY(session);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);

    // Reliable messages until more than a quarter of the limit waits in the server once the
    // kernel has taken its share: the first volatile probe dropped says so.
    const QString payload(4000, QLatin1Char('x'));
    for (int i = 0; i < 16000 && session->droppedVolatileCount() == 0; ++i) {
        socket->emitEvent(QStringLiteral("m"), { payload });
        QCoreApplication::processEvents();
        socket->emitEvent(QStringLiteral("probe"), {}, EmitOptions{ true });
    }
    QCOMPARE(session->droppedVolatileCount(), 1);
    const qint64 waiting = session->bytesToWrite();
    QVERIFY2(waiting > Limit / 4 && waiting <= Limit / 2, qPrintable(QString::number(waiting)));
    QVERIFY(!session->isWritable());

    // Behind: volatile emits to it are dropped, to the room and to the socket; the bystander gets
    // the room's.
    bystander.clearFrames();
    for (int i = 0; i < 10; ++i) {
        nsp->to(QStringLiteral("feed")).asVolatile().emitEvent(QStringLiteral("v"), { payload });
        socket->emitEvent(QStringLiteral("v"), { payload }, EmitOptions{ true });
    }
    QCOMPARE(session->droppedVolatileCount(), 21);
    QCOMPARE(session->bytesToWrite(), waiting);
    QVERIFY(bystander.waitForFrames(10, Timeout));
    QVERIFY(sessionClosed.isEmpty());

    // Reliable ones still wait, up to the limit; the one beyond closes the session.
    qint64 mostWaiting = waiting;
    int sent = 0;
    while (session && session->state() == EngineSession::State::Open && sent < 100) {
        socket->emitEvent(QStringLiteral("m"), { payload });
        ++sent;
        mostWaiting = std::max(mostWaiting, session->bytesToWrite());
    }
    QVERIFY(mostWaiting <= Limit);
    QVERIFY(mostWaiting > Limit - 2 * payload.size());
    QVERIFY(sent < 100);
    QTRY_COMPARE(sessionClosed.size(), 1);
    QCOMPARE(sessionClosed.at(0).at(1).value<CloseReason>(), CloseReason::SendBufferFull);
    bystander.clearFrames();
    bystander.send(R"(421["message-with-ack","ok"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(431["ok"])"));
}

// Over polling, the packets waiting for the next GET count against the same limit.
void tst_Limits::stalledPollingClientClosed()
{
    constexpr qint64 Limit = 64 * 1024;
    ServerOptions options;
    options.engine.maxSendBufferSize = Limit;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntil([](const QByteArray &p) { return p.startsWith("40{"); }));
    QCOMPARE(nsp->socketCount(), 1);
    Socket *socket = nsp->sockets().first();
    QPointer<EngineSession> session = m_server->engine()->session(QString::fromLatin1(client.sid()));
    QVERIFY(session);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);
    QSignalSpy socketLeft(nsp, &Namespace::socketDisconnected);

    // No GET comes: everything waits in the session.
    const QString payload(1000, QLatin1Char('x'));
    qint64 mostWaiting = 0;
    int sent = 0;
    while (session && session->state() == EngineSession::State::Open && sent < 1000) {
        nsp->emitEvent(QStringLiteral("m"), { payload });
        ++sent;
        mostWaiting = std::max(mostWaiting, session->bytesToWrite());
        QVERIFY(session->isWritable() == false); // no GET parked: volatile ones are dropped
    }
    QVERIFY(sent < 1000);
    QVERIFY(mostWaiting <= Limit);
    QVERIFY(mostWaiting > Limit - 2 * payload.size());
    QTRY_COMPARE(sessionClosed.size(), 1);
    QCOMPARE(sessionClosed.at(0).at(1).value<CloseReason>(), CloseReason::SendBufferFull);
    QTRY_COMPARE(socketLeft.size(), 1);
    QCOMPARE(socketLeft.at(0).at(1).value<DisconnectReason>(), DisconnectReason::SendBufferFull);
    Q_UNUSED(socket)
}

void tst_Limits::stalledReaderResets_data()
{
    QTest::addColumn<bool>("isVolatile");
    QTest::newRow("reliable") << false;
    QTest::newRow("volatile") << true;
}

// A client that is behind and then resets its connection: handing its output to the kernel
// (which the limit does before counting) fails and closes the session from inside the write.
// The emit that caused it returns normally, the session is closed once, the bystander is served.
void tst_Limits::stalledReaderResets()
{
    QFETCH(bool, isVolatile);
    constexpr qint64 Limit = 64 * 1024;
    ServerOptions options;
    options.engine.maxSendBufferSize = Limit;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    StalledClient stalled(m_port);
    const QString stalledSid = stalled.connect();
    QVERIFY(!stalledSid.isEmpty());
    RawClient bystander(m_port);
    const QString bystanderSid = connectSocket(bystander);
    QVERIFY(!bystanderSid.isEmpty());
    QPointer<Socket> socket = nsp->socket(stalledSid);
    QPointer<EngineSession> session = m_server->engine()->session(stalled.engineSid());
    QVERIFY(socket && session);
    const QString payload(4000, QLatin1Char('x'));
    for (int i = 0; i < 16000 && session->droppedVolatileCount() == 0; ++i) {
        socket->emitEvent(QStringLiteral("m"), { payload });
        QCoreApplication::processEvents();
        socket->emitEvent(QStringLiteral("probe"), {}, EmitOptions{ true });
    }
    QCOMPARE(session->droppedVolatileCount(), 1);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);

    stalled.abort(); // the server has not seen it yet: no event loop turn until the emits
    for (int i = 0; i < 100 && session && session->state() == EngineSession::State::Open; ++i)
        socket->emitEvent(QStringLiteral("m"), { payload }, EmitOptions{ isVolatile });
    // Reliable: the flush before counting fails and closes it. Volatile: dropped without a
    // flush (nothing went out since the last try); the event loop sees the reset.
    if (!isVolatile)
        QVERIFY(!session || session->state() != EngineSession::State::Open);
    QTRY_COMPARE(sessionClosed.size(), 1);
    QTRY_VERIFY(!socket);
    bystander.send(R"(421["message-with-ack","ok"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(431["ok"])"));
}

std::pair<int, QByteArray> tst_Limits::handshake()
{
    QNetworkReply *reply = m_nam.get(QNetworkRequest(
        QUrl(QStringLiteral("http://127.0.0.1:%1/socket.io/?EIO=4&transport=polling").arg(m_port))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(Timeout))
        return { -1, {} };
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return { status, body };
}

// Clients are counted per IPv4 address and per IPv6 /64 (one host usually has a whole prefix).
void tst_Limits::admissionAddressKeys()
{
    const auto key = [](const char *address) {
        return Admission::addressKey(QHostAddress(QLatin1String(address)));
    };
    QCOMPARE(key("192.0.2.7"), QStringLiteral("192.0.2.7"));
    QCOMPARE(key("::ffff:192.0.2.7"), key("192.0.2.7"));
    QCOMPARE(key("2001:db8::1"), key("2001:db8::ffff:2"));
    QVERIFY(key("2001:db8::1") != key("2001:db8:0:1::1"));
    QCOMPARE(key("2001:db8:1:2:3:4:5:6"), QStringLiteral("2001:db8:1:2::/64"));
}

// The handshake bucket on a clock of our own: a burst, then one more per 1/rate seconds.
void tst_Limits::admissionRateRefills()
{
    ConnectionLimits limits;
    limits.maxSessionsPerAddress = 0;
    limits.handshakesPerSecondPerAddress = 10;
    limits.handshakeBurstSeconds = 0.5; // 5 at once
    Admission admission;
    const QHostAddress client(QStringLiteral("198.51.100.1"));
    const QHostAddress other(QStringLiteral("198.51.100.2"));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(admission.admit(limits, client, 0, 1000), Admission::Verdict::Admitted);
    QCOMPARE(admission.admit(limits, client, 0, 1000), Admission::Verdict::HandshakeRate);
    QCOMPARE(admission.admit(limits, other, 0, 1000), Admission::Verdict::Admitted); // its own bucket
    QCOMPARE(admission.admit(limits, client, 0, 1099), Admission::Verdict::HandshakeRate);
    QCOMPARE(admission.admit(limits, client, 0, 1100), Admission::Verdict::Admitted); // 100 ms: one more
    QCOMPARE(admission.admit(limits, client, 0, 1100), Admission::Verdict::HandshakeRate);
    QCOMPARE(admission.admit(limits, client, 0, 60000), Admission::Verdict::Admitted); // full again
    // Loopback is exempt unless asked.
    const QHostAddress local(QHostAddress::LocalHost);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(admission.admit(limits, local, 0, 2000), Admission::Verdict::Admitted);
    limits.limitLoopback = true;
    int refused = 0;
    for (int i = 0; i < 50; ++i)
        refused += admission.admit(limits, local, 0, 2000) == Admission::Verdict::HandshakeRate;
    QCOMPARE(refused, 45);
}

void tst_Limits::sessionsPerAddressCapped()
{
    ServerOptions options;
    options.engine.limits.maxSessionsPerAddress = 3;
    options.engine.limits.limitLoopback = true; // the test's clients are local
    start(options);
    QStringList sids;
    for (int i = 0; i < 3; ++i) {
        const auto [status, body] = handshake();
        QCOMPARE(status, 200);
        QVERIFY(body.startsWith("0{\"sid\""));
        sids.append(QJsonDocument::fromJson(body.mid(1)).object().value(QLatin1String("sid")).toString());
    }
    const auto [status, body] = handshake();
    QCOMPARE(status, 403);
    QCOMPARE(body, QByteArray(R"({"code":4,"message":"too many sessions from this address"})"));
    // A WebSocket handshake is refused alike.
    QWebSocket ws;
    QSignalSpy wsError(&ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket").arg(m_port)));
    QVERIFY(wsError.wait(Timeout));
    QCOMPARE(m_server->engine()->refusedHandshakeCount(), 2);
    QCOMPARE(m_server->engine()->sessionCount(), 3);
    // A session that ends frees its place.
    QSignalSpy closed(m_server->engine(), &EngineServer::sessionClosed);
    m_server->engine()->session(sids.first())->close();
    // The close packet goes out with the session's next poll.
    QNetworkReply *poll = m_nam.get(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/socket.io/?EIO=4&transport=polling&sid=%2")
                                 .arg(m_port)
                                 .arg(sids.first()))));
    QTRY_COMPARE(closed.count(), 1);
    poll->deleteLater();
    QCOMPARE(handshake().first, 200);
}

void tst_Limits::handshakeRateLimited()
{
    ServerOptions options;
    options.engine.limits.maxSessionsPerAddress = 0;
    options.engine.limits.handshakesPerSecondPerAddress = 1; // a burst of 3, then one a second
    options.engine.limits.handshakeBurstSeconds = 3;
    options.engine.limits.limitLoopback = true;
    start(options);
    int accepted = 0;
    QByteArray refusal;
    for (int i = 0; i < 6; ++i) {
        const auto [status, body] = handshake();
        if (status == 200)
            ++accepted;
        else
            refusal = body;
    }
    // A slow machine may see the bucket refill by one or two while the six go out.
    QVERIFY2(accepted >= 3 && accepted < 6, QByteArray::number(accepted).constData());
    QCOMPARE(refusal, QByteArray(R"({"code":4,"message":"too many handshakes from this address"})"));
}

void tst_Limits::totalSessionsCapped()
{
    ServerOptions options;
    options.engine.limits.maxSessions = 2;
    start(options);
    QCOMPARE(handshake().first, 200);
    QCOMPARE(handshake().first, 200);
    const auto [status, body] = handshake();
    QCOMPARE(status, 403);
    QCOMPARE(body, QByteArray(R"({"code":4,"message":"too many sessions"})"));
}

// The defaults do not limit local clients (tests, tools, a proxy on this host).
void tst_Limits::loopbackExemptByDefault()
{
    ServerOptions options;
    options.engine.limits.maxSessionsPerAddress = 2;
    options.engine.limits.handshakesPerSecondPerAddress = 1;
    start(options);
    QCOMPARE(ConnectionLimits().limitLoopback, false);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(handshake().first, 200);
    QCOMPARE(m_server->engine()->refusedHandshakeCount(), 0);
}

// 30 events at once against 10 a second with a bucket of 10: about 10 answered, the rest
// dropped; the connection and the other sockets stay.
void tst_Limits::eventRateDrops()
{
    ServerOptions options;
    options.eventRate.eventsPerSecond = 10;
    options.eventRate.burstSeconds = 1;
    start(options);
    QCOMPARE(ServerOptions().eventRate.eventsPerSecond, 0.0); // off by default
    RawClient flooder(m_port);
    RawClient bystander(m_port);
    const QString sid = connectSocket(flooder);
    QVERIFY(!sid.isEmpty());
    QVERIFY(!connectSocket(bystander).isEmpty());
    for (int i = 0; i < 30; ++i)
        flooder.send(QByteArray("42") + QByteArray::number(i) + R"(["message-with-ack",)"
                     + QByteArray::number(i) + "]");
    bystander.send(R"(4299["message-with-ack","still here"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(4399["still here"])"));
    Socket *socket = m_server->mainNamespace()->socket(sid);
    QVERIFY(socket);
    // Every event is either answered or dropped.
    QTRY_COMPARE(flooder.pendingFrames() + socket->droppedEventCount(), 30);
    const int answered = flooder.pendingFrames();
    // A slow machine may refill the bucket by one or two during the flood.
    QVERIFY2(answered >= 10 && answered <= 12, QByteArray::number(answered).constData());
    for (int i = 0; i < answered; ++i) // the first ones, in order
        QCOMPARE(flooder.nextText(),
                 QByteArray("43") + QByteArray::number(i) + "[" + QByteArray::number(i) + "]");
    QVERIFY(socket->isConnected());
}

void tst_Limits::eventRateDisconnects()
{
    ServerOptions options;
    options.eventRate.eventsPerSecond = 5;
    options.eventRate.burstSeconds = 1;
    options.eventRate.action = EventRateLimit::Action::Disconnect;
    start(options);
    RawClient flooder(m_port);
    const QString sid = connectSocket(flooder);
    QVERIFY(!sid.isEmpty());
    QSignalSpy disconnected(m_server->mainNamespace(), &Namespace::socketDisconnected);
    for (int i = 0; i < 20; ++i)
        flooder.send(QByteArray(R"(42["message",)") + QByteArray::number(i) + "]");
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), sid);
    QCOMPARE(disconnected.at(0).at(1).value<DisconnectReason>(), DisconnectReason::ServerNamespaceDisconnect);
}

// ServerOptions::maxPendingAcks: a client that never answers holds at most the cap; beyond it an
// emit with an ack is not sent and its callback gets AckStatus::Refused; once it answers one,
// the next goes out again. A broadcast with acks counts a socket at its cap as not answering.
void tst_Limits::pendingAcksCapped()
{
    QCOMPARE(ServerOptions().maxPendingAcks, 1000);
    ServerOptions options;
    options.maxPendingAcks = 3;
    start(options);
    RawClient client(m_port);
    const QString sid = connectSocket(client);
    QVERIFY(!sid.isEmpty());
    Socket *socket = m_server->mainNamespace()->socket(sid);
    QVERIFY(socket);
    // Shared with the callbacks: those still pending are called (Disconnected) at cleanup.
    struct Results
    {
        QList<AckStatus> statuses = QList<AckStatus>(6, AckStatus::Received);
        QList<bool> called = QList<bool>(6, false);
    };
    const auto results = std::make_shared<Results>();
    const auto expect = [results](int i) {
        return [results, i](AckStatus status, const QVariantList &) {
            results->statuses[i] = status;
            results->called[i] = true;
        };
    };
    const QList<bool> &called = results->called;
    const QList<AckStatus> &statuses = results->statuses;
    for (int i = 0; i < 5; ++i)
        socket->emitEvent(QStringLiteral("question"), { i }, this, expect(i));
    QTRY_VERIFY(called.at(3) && called.at(4));
    QCOMPARE(statuses.at(3), AckStatus::Refused);
    QCOMPARE(statuses.at(4), AckStatus::Refused);
    QVERIFY(!called.at(0) && !called.at(1) && !called.at(2));
    QCOMPARE(socket->refusedAckCount(), 2);
    // Only the first three went out.
    QList<QByteArray> ids;
    for (int i = 0; i < 3; ++i) {
        const QByteArray frame = client.nextText();
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral(R"(^42(\d+)\["question",%1\]$)").arg(i))
                .match(QString::fromUtf8(frame));
        QVERIFY2(match.hasMatch(), frame.constData());
        ids.append(match.captured(1).toLatin1());
    }
    // A broadcast with acks: this socket is at its cap, so it counts as not answering at once.
    const auto broadcast = std::make_shared<std::optional<QList<QVariantList>>>();
    m_server->mainNamespace()->all().emitEvent(
        QStringLiteral("question"), { 9 }, this,
        [broadcast](AckStatus, const QList<QVariantList> &replies) { *broadcast = replies; });
    QTRY_VERIFY(broadcast->has_value());
    QVERIFY((*broadcast)->isEmpty());
    QCOMPARE(socket->refusedAckCount(), 3);
    // One answer frees a place.
    client.send("43" + ids.at(0) + "[\"yes\"]");
    QTRY_VERIFY(called.at(0));
    QCOMPARE(statuses.at(0), AckStatus::Received);
    socket->emitEvent(QStringLiteral("question"), { 5 }, this, expect(5));
    const QByteArray frame = client.nextText();
    QVERIFY2(frame.endsWith("[\"question\",5]"), frame.constData());
    client.send("43" + frame.mid(2, frame.indexOf('[') - 2) + "[]");
    QTRY_VERIFY(called.at(5));
    QCOMPARE(statuses.at(5), AckStatus::Received);
    QCOMPARE(socket->refusedAckCount(), 3);
}

// ServerOptions::maxNamespaces: a client's CONNECT to a dynamic namespace beyond the cap gets
// CONNECT_ERROR "Too many namespaces"; existing namespaces and Server::of() still work.
void tst_Limits::namespacesCapped()
{
    QCOMPARE(ServerOptions().maxNamespaces, 10000);
    ServerOptions options;
    options.maxNamespaces = 3;
    start(options);
    m_server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-")));
    RawClient client(m_port);
    QVERIFY(client.waitForOpen(Timeout));
    client.send("40/dyn-1,");
    QVERIFY(client.nextText().startsWith("40/dyn-1,{\"sid\""));
    client.send("40/dyn-2,");
    QVERIFY(client.nextText().startsWith("40/dyn-2,{\"sid\""));
    QCOMPARE(m_server->namespaces().size(), 3);
    client.send("40/dyn-3,");
    QCOMPARE(client.nextText(), QByteArray(R"(44/dyn-3,{"message":"Too many namespaces"})"));
    QCOMPARE(m_server->refusedNamespaceCount(), 1);
    QVERIFY(!m_server->findNamespace(QStringLiteral("/dyn-3")));
    client.send("40/other,"); // no rule: the usual answer, not counted
    QCOMPARE(client.nextText(), QByteArray(R"(44/other,{"message":"Invalid namespace"})"));
    QCOMPARE(m_server->refusedNamespaceCount(), 1);
    // What exists stays reachable, and the application may still create namespaces.
    RawClient other(m_port);
    QVERIFY(other.waitForOpen(Timeout));
    other.send("40/dyn-1,");
    QVERIFY(other.nextText().startsWith("40/dyn-1,{\"sid\""));
    QVERIFY(m_server->of(QStringLiteral("/app")));
    QCOMPARE(m_server->namespaces().size(), 4);
}

namespace {
// A raw HTTP connection: what it sends is up to the test; the response is read whole.
class RawHttp
{
public:
    explicit RawHttp(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               Timeout);
    }
    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // The status of the response once it is in (its head), 0 until then.
    int status()
    {
        m_buffer += m_socket.readAll();
        if (!m_buffer.startsWith("HTTP/1.1 ") || !m_buffer.contains("\r\n\r\n"))
            return 0;
        return m_buffer.mid(9, 3).toInt();
    }
    QByteArray received() const { return m_buffer; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};
} // namespace

// EngineOptions::headersTimeout is for the head only: an upload whose body is still coming when
// the head's deadline has passed is not cut off (it was, 408, when one timeout covered both).
// No clock: a second connection that sends half a head, later, gets its 408 first.
void tst_Limits::slowUploadNotCutOff()
{
    QCOMPARE(EngineOptions().bodyTimeout, 30000ms);
    QCOMPARE(EngineOptions().minBodyRate, 500);
    ServerOptions options;
    options.engine.headersTimeout = 200ms;
    options.engine.bodyTimeout = 60000ms; // far away
    options.engine.minBodyRate = 0;
    start(options);
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    const QByteArray body = "40";
    RawHttp upload(m_port);
    QVERIFY(upload.waitConnected());
    upload.write("POST " + client.target()
                 + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                   "Content-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body.left(1));
    RawHttp canary(m_port);
    QVERIFY(canary.waitConnected());
    canary.write("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n");
    QTRY_COMPARE(canary.status(), 408);
    QCOMPARE(upload.status(), 0); // its head's deadline has passed too, but its body is coming
    upload.write(body.mid(1));
    QTRY_COMPARE(upload.status(), 200);
    QVERIFY(upload.received().endsWith("ok"));
    QVERIFY(client.pollUntil([](const QByteArray &p) { return p.startsWith("40{"); }));
}

// A body that stops coming: 408 after EngineOptions::bodyTimeout without the minimum progress,
// long before the head's timeout.
void tst_Limits::stalledBodyTimedOut()
{
    ServerOptions options;
    options.engine.headersTimeout = 600000ms;
    options.engine.bodyTimeout = 200ms;
    options.engine.minBodyRate = 1000; // 200 bytes per period
    start(options);
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    RawHttp upload(m_port);
    QVERIFY(upload.waitConnected());
    upload.write("POST " + client.target()
                 + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                   "Content-Length: 1000\r\n\r\n"
                 + QByteArray(50, '4'));
    QTRY_COMPARE(upload.status(), 408);
}

// A WebSocket client that reads nothing (and has no send buffer cap to hit): once its output
// stops moving, the session closes after EngineOptions::sendTimeout with "send timeout", in the
// log and to observers. (Before, it stayed, with its output, as long as it answered pings.)
void tst_Limits::sendTimeoutWebSocket()
{
    QCOMPARE(EngineOptions().sendTimeout, 30000ms);
    ServerOptions options;
    options.engine.maxSendBufferSize = 0;
    options.engine.sendTimeout = 300ms;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    StalledClient stalled(m_port);
    const QString stalledSid = stalled.connect();
    QVERIFY(!stalledSid.isEmpty());
    RawClient bystander(m_port);
    QVERIFY(!connectSocket(bystander).isEmpty());
    Socket *socket = nsp->socket(stalledSid);
    QVERIFY(socket);
    QPointer<EngineSession> session = m_server->engine()->session(stalled.engineSid());
    QVERIFY(session);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);
    QSignalSpy socketLeft(nsp, &Namespace::socketDisconnected);
    const QString payload(8000, QLatin1Char('x'));
    // Until the kernel's buffers (megabytes on loopback) are full and output stays in the server.
    constexpr qint64 Waiting = 24 * 1024 * 1024;
    for (int i = 0; i < 1000 && sessionClosed.isEmpty(); ++i) {
        for (int j = 0; j < 20; ++j)
            socket->emitEvent(QStringLiteral("m"), { payload });
        QCoreApplication::processEvents();
        if (session->bytesToWrite() > Waiting)
            break;
    }
    QVERIFY(!session || session->bytesToWrite() > Waiting || !sessionClosed.isEmpty());
    QTRY_COMPARE(sessionClosed.size(), 1);
    QCOMPARE(sessionClosed.at(0).at(0).toString(), stalled.engineSid());
    QCOMPARE(sessionClosed.at(0).at(1).value<CloseReason>(), CloseReason::SendTimeout);
    QVERIFY2(sessionClosed.at(0).at(2).toString().contains(QLatin1String("sendTimeout")),
             qPrintable(sessionClosed.at(0).at(2).toString()));
    QCOMPARE(closeReasonString(CloseReason::SendTimeout), QStringLiteral("send timeout"));
    QTRY_COMPARE(socketLeft.size(), 1);
    QCOMPARE(socketLeft.at(0).at(1).value<DisconnectReason>(), DisconnectReason::SendTimeout);
    QCOMPARE(disconnectReasonString(DisconnectReason::SendTimeout), QStringLiteral("send timeout"));
    // The bystander, which reads, is still served.
    bystander.send(R"(421["message-with-ack","ok"])");
    QCOMPARE(bystander.nextText(), QByteArray(R"(431["ok"])"));
}

// Over polling: packets wait for a GET that does not come (the ping timeout is far away).
void tst_Limits::sendTimeoutPolling()
{
    ServerOptions options;
    options.engine.sendTimeout = 300ms;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntil([](const QByteArray &p) { return p.startsWith("40{"); }));
    QPointer<EngineSession> session = m_server->engine()->session(QString::fromLatin1(client.sid()));
    QVERIFY(session);
    QSignalSpy sessionClosed(m_server->engine(), &EngineServer::sessionClosed);
    QSignalSpy socketLeft(nsp, &Namespace::socketDisconnected);
    nsp->emitEvent(QStringLiteral("m"), { 1 });
    QTRY_COMPARE(sessionClosed.size(), 1);
    QCOMPARE(sessionClosed.at(0).at(1).value<CloseReason>(), CloseReason::SendTimeout);
    QTRY_COMPARE(socketLeft.size(), 1);
    QCOMPARE(socketLeft.at(0).at(1).value<DisconnectReason>(), DisconnectReason::SendTimeout);
}

// A polling response the client does not read, on a connection that is closing (its keep-alive
// time is over): aborted after EngineOptions::sendTimeout without progress, with a log line.
// (QTcpSocket::disconnectFromHost() waits for the output to drain: it waited forever.)
void tst_Limits::closingConnectionAborted()
{
    ServerOptions options;
    options.engine.maxSendBufferSize = 0;
    options.engine.sendTimeout = 300ms;
    options.engine.keepAliveTimeout = 100ms;
    start(options);
    Namespace *nsp = m_server->mainNamespace();
    PollingClient client(m_port);
    QVERIFY(client.handshake());
    QCOMPARE(client.post("40"), 200);
    QVERIFY(client.pollUntil([](const QByteArray &p) { return p.startsWith("40{"); }));
    // Far more than the kernel's buffers take, waiting for the next poll.
    const QString payload(10000, QLatin1Char('x'));
    for (int i = 0; i < 3000; ++i)
        nsp->emitEvent(QStringLiteral("m"), { payload });
    const LogRecorder httpLog("socketio.http");
    QTcpSocket poll;
    poll.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(poll.waitForConnected(Timeout));
    poll.setReadBufferSize(1); // reads (almost) nothing of the answer
    poll.write("GET " + client.target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(httpLog.contains(QLatin1String("(sendTimeout)")), Timeout);
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
