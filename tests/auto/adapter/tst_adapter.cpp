// SPDX-License-Identifier: MIT
// The adapter seam (socket.io's Adapter): everything a namespace does with rooms and broadcasts
// goes through the adapter its server's factory made; InMemoryAdapter is the default; a
// replacement takes the memberships over; a broadcast with acks waits for every server the
// adapter counts. Real sockets over WebSocket (RawClient), no Redis.
#include "../socketioserver/rawclient.h"

#include <SocketIo/adapter.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace SocketIo;

namespace {

// Records what the namespace asks for, delivers locally like the default, and pretends to be
// one of `servers` servers (the others answer when the test says so).
class RecordingAdapter : public InMemoryAdapter
{
public:
    explicit RecordingAdapter(Namespace *nsp)
        : InMemoryAdapter(nsp)
    { }
    void addAll(const QString &id, const QSet<QString> &rooms) override
    {
        calls.append(QStringLiteral("addAll %1")
                         .arg(QStringList(rooms.cbegin(), rooms.cend()).join(QLatin1Char(','))));
        InMemoryAdapter::addAll(id, rooms);
    }
    void del(const QString &id, const QString &room) override
    {
        calls.append(QStringLiteral("del ") + room);
        InMemoryAdapter::del(id, room);
    }
    void broadcast(const EventPacket &packet, const BroadcastOptions &opts) override
    {
        calls.append(QStringLiteral("broadcast ") + packet.event);
        lastOptions = opts;
        InMemoryAdapter::broadcast(packet, opts);
    }
    void broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                          ClientCountCallback clientCount, ClientAckCallback ack) override
    {
        calls.append(QStringLiteral("broadcastWithAck ") + packet.event);
        remoteClientCount = clientCount;
        remoteAck = ack;
        InMemoryAdapter::broadcastWithAck(packet, opts, clientCount,
                                          [this, ack](bool answered, const QVariantList &reply) {
                                              ++localAcks;
                                              ack(answered, reply);
                                          });
    }
    void addSockets(const BroadcastOptions &opts, const QStringList &rooms) override
    {
        calls.append(QStringLiteral("addSockets ") + rooms.join(QLatin1Char(',')));
        lastOptions = opts;
        InMemoryAdapter::addSockets(opts, rooms);
    }
    void delSockets(const BroadcastOptions &opts, const QStringList &rooms) override
    {
        calls.append(QStringLiteral("delSockets ") + rooms.join(QLatin1Char(',')));
        InMemoryAdapter::delSockets(opts, rooms);
    }
    void disconnectSockets(const BroadcastOptions &opts, bool close) override
    {
        calls.append(QStringLiteral("disconnectSockets %1").arg(close));
        InMemoryAdapter::disconnectSockets(opts, close);
    }
    void fetchSockets(const BroadcastOptions &opts, FetchCallback callback) override
    {
        calls.append(QStringLiteral("fetchSockets"));
        InMemoryAdapter::fetchSockets(opts, [callback](QList<RemoteSocket> sockets) {
            RemoteSocket remote;
            remote.id = QStringLiteral("remote-1");
            sockets.append(remote);
            callback(sockets);
        });
    }
    void serverSideEmit(const QString &event, const QVariantList &args) override
    {
        calls.append(QStringLiteral("serverSideEmit %1 %2").arg(event).arg(args.size()));
    }
    void serverCount(ServerCountCallback callback) override { callback(servers); }

    QStringList calls;
    BroadcastOptions lastOptions;
    int servers = 1;
    int localAcks = 0;
    ClientCountCallback remoteClientCount;
    ClientAckCallback remoteAck;
};

// A client connected to the main namespace; its socket on the server.
struct Client
{
    std::unique_ptr<RawClient> raw;
    Socket *socket = nullptr;
};

Client connectClient(Server &io)
{
    Client client;
    QSignalSpy connected(io.mainNamespace(), &Namespace::socketConnected);
    client.raw = std::make_unique<RawClient>(io.serverPort());
    if (!client.raw->waitForOpen())
        return client;
    client.raw->send("40");
    if (!connected.wait(5000) && connected.isEmpty())
        return client;
    client.socket = connected.first().first().value<Socket *>();
    client.raw->nextText(); // 40{"sid":...}
    return client;
}

} // namespace

class tst_Adapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultIsInMemory();
    void namespaceGoesThroughTheAdapter();
    void replacementTakesMembershipsOver();
    void nullFactoryFallsBack();
    void acksWaitForEveryServer();
};

void tst_Adapter::defaultIsInMemory()
{
    Server io;
    QVERIFY(qobject_cast<InMemoryAdapter *>(io.mainNamespace()->adapter()));
    QVERIFY(qobject_cast<InMemoryAdapter *>(io.of(QStringLiteral("/other"))->adapter()));
}

void tst_Adapter::namespaceGoesThroughTheAdapter()
{
    Server io;
    QList<QPointer<RecordingAdapter>> made;
    io.setAdapterFactory([&made](Namespace *nsp) {
        auto *adapter = new RecordingAdapter(nsp);
        made.append(adapter);
        return adapter;
    });
    QCOMPARE(made.size(), 1); // the main namespace, which existed already
    QVERIFY(io.listen(QHostAddress::LocalHost));
    auto *adapter = made.first().data();
    QCOMPARE(io.mainNamespace()->adapter(), adapter);

    Client a = connectClient(io);
    Client b = connectClient(io);
    QVERIFY(a.socket && b.socket);
    QVERIFY(adapter->calls.contains(QStringLiteral("addAll ") + a.socket->id())); // its own room
    a.socket->join(QStringLiteral("r"));
    QVERIFY(adapter->calls.contains(QStringLiteral("addAll r")));
    QCOMPARE(io.mainNamespace()->roomSize(QStringLiteral("r")), 1);
    QCOMPARE(adapter->socketRooms(a.socket->id()), (QSet<QString>{ a.socket->id(), QStringLiteral("r") }));

    io.mainNamespace()
        ->to(QStringLiteral("r"))
        .except(QStringLiteral("x"))
        .asVolatile()
        .emitEvent(QStringLiteral("e1"), { 1 });
    QCOMPARE(adapter->calls.last(), QStringLiteral("broadcast e1"));
    QCOMPARE(adapter->lastOptions.rooms, QSet<QString>{ QStringLiteral("r") });
    QCOMPARE(adapter->lastOptions.except, QSet<QString>{ QStringLiteral("x") });
    QVERIFY(adapter->lastOptions.flags.isVolatile);
    QVERIFY(!adapter->lastOptions.flags.local);
    QCOMPARE(a.raw->nextText(), QByteArray(R"(42["e1",1])")); // delivered by the base class

    b.socket->broadcast().local().emitEvent(QStringLiteral("e2"));
    QCOMPARE(adapter->lastOptions.except, QSet<QString>{ b.socket->id() }); // the sender's own room
    QVERIFY(adapter->lastOptions.flags.local);
    QCOMPARE(a.raw->nextText(), QByteArray(R"(42["e2"])"));

    io.mainNamespace()->in(QStringLiteral("r")).socketsJoin({ QStringLiteral("s") });
    QVERIFY(adapter->calls.contains(QStringLiteral("addSockets s"))); // then joins/leaves per socket
    QVERIFY(a.socket->rooms().contains(QStringLiteral("s")));
    QVERIFY(!b.socket->rooms().contains(QStringLiteral("s")));
    io.mainNamespace()->in(QStringLiteral("s")).socketsLeave({ QStringLiteral("r") });
    QVERIFY(adapter->calls.contains(QStringLiteral("delSockets r"))); // then joins/leaves per socket
    QVERIFY(!a.socket->rooms().contains(QStringLiteral("r")));

    QList<RemoteSocket> fetched;
    io.mainNamespace()
        ->in(QStringLiteral("s"))
        .fetchSockets(nullptr, [&fetched](const QList<RemoteSocket> &sockets) { fetched = sockets; });
    QCOMPARE(fetched.size(), 2);
    QCOMPARE(fetched.at(0).id, a.socket->id());
    QVERIFY(fetched.at(0).local);
    QCOMPARE(fetched.at(1).id, QStringLiteral("remote-1"));

    io.serverSideEmit(QStringLiteral("hello"), { 1, 2 });
    QCOMPARE(adapter->calls.last(), QStringLiteral("serverSideEmit hello 2"));

    QPointer<Socket> gone = b.socket;
    const QString bId = b.socket->id();
    io.mainNamespace()->in(b.socket->id()).disconnectSockets();
    QVERIFY(adapter->calls.contains(QStringLiteral("disconnectSockets 0"))); // then joins/leaves per socket
    QVERIFY(QTest::qWaitFor([&gone] { return !gone; }));
    QVERIFY(adapter->socketRooms(bId).isEmpty());

    // A namespace created later gets its adapter from the factory too.
    Namespace *other = io.of(QStringLiteral("/other"));
    QCOMPARE(made.size(), 2);
    QCOMPARE(other->adapter(), made.last().data());
}

void tst_Adapter::replacementTakesMembershipsOver()
{
    Server io;
    QVERIFY(io.listen(QHostAddress::LocalHost));
    Client a = connectClient(io);
    QVERIFY(a.socket);
    a.socket->join(QStringLiteral("r"));
    QPointer<Adapter> old = io.mainNamespace()->adapter();
    QSignalSpy created(io.mainNamespace(), &Namespace::roomCreated);
    QSignalSpy joined(io.mainNamespace(), &Namespace::roomJoined);
    RecordingAdapter *replacement = nullptr;
    io.setAdapterFactory([&replacement](Namespace *nsp) { return replacement = new RecordingAdapter(nsp); });
    QVERIFY(!old); // deleted
    QCOMPARE(io.mainNamespace()->adapter(), replacement);
    QCOMPARE(replacement->socketRooms(a.socket->id()),
             (QSet<QString>{ a.socket->id(), QStringLiteral("r") }));
    QCOMPARE(created.size(), 0); // nothing new happened to the rooms
    QCOMPARE(joined.size(), 0);
    io.mainNamespace()->to(QStringLiteral("r")).emitEvent(QStringLiteral("still"));
    QCOMPARE(a.raw->nextText(), QByteArray(R"(42["still"])"));
    const auto snapshot = io.snapshot();
    QCOMPARE(snapshot.first().rooms.value(QStringLiteral("r")), QStringList{ a.socket->id() });
}

void tst_Adapter::nullFactoryFallsBack()
{
    Server io;
    io.setAdapterFactory([](Namespace *) -> Adapter * { return nullptr; });
    QVERIFY(qobject_cast<InMemoryAdapter *>(io.mainNamespace()->adapter()));
    QVERIFY(qobject_cast<InMemoryAdapter *>(io.of(QStringLiteral("/x"))->adapter()));
}

void tst_Adapter::acksWaitForEveryServer()
{
    Server io;
    RecordingAdapter *adapter = nullptr;
    io.setAdapterFactory([&adapter](Namespace *nsp) { return adapter = new RecordingAdapter(nsp); });
    adapter->servers = 2;
    QVERIFY(io.listen(QHostAddress::LocalHost));
    Client a = connectClient(io);
    QVERIFY(a.socket);
    bool done = false;
    AckStatus status = AckStatus::Disconnected;
    QList<QVariantList> replies;
    io.mainNamespace()->all().emitEvent(QStringLiteral("q"), {}, nullptr,
                                        [&](AckStatus s, const QList<QVariantList> &r) {
                                            done = true;
                                            status = s;
                                            replies = r;
                                        });
    QCOMPARE(a.raw->nextText(), QByteArray(R"(420["q"])"));
    a.raw->send(R"(430["local"])");
    // The local client answered; the other server has not reported yet.
    QVERIFY(QTest::qWaitFor([&] { return adapter->localAcks == 1; }));
    QVERIFY(!done);
    adapter->remoteClientCount(1); // the other server reached one client
    QVERIFY(!done);
    adapter->remoteAck(true, { QStringLiteral("remote") });
    QVERIFY(done);
    QCOMPARE(status, AckStatus::Received);
    QCOMPARE(replies.size(), 2);
    QVERIFY(replies.contains(QVariantList{ QStringLiteral("local") }));
    QVERIFY(replies.contains(QVariantList{ QStringLiteral("remote") }));
}

QTEST_MAIN(tst_Adapter)
#include "tst_adapter.moc"
