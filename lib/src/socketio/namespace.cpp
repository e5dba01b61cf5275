// SPDX-License-Identifier: MIT
#include "adapter/recoverystore.h"
#include "connection.h"
#include "engine/id_p.h"
#include "logging_p.h"
#include "namespace_p.h"
#include "server_p.h"
#include "socket_p.h"

#include <SocketIo/server.h>

#include <QCborArray>
#include <QCborMap>
#include <QJsonArray>
#include <QJsonObject>
#include <QMetaMethod>
#include <QThread>
#include <QTimer>

namespace SocketIo {

using namespace Protocol;

// --- Next ------------------------------------------------------------------------------------

void Next::operator()() const
{
    if (!d || d->called)
        return;
    d->called = true;
    if (d->nsp && d->socket)
        d->nsp->d->runMiddleware(d->socket, d->index + 1);
}

void Next::reject(const QString &message, const QJsonValue &data) const
{
    if (!d || d->called)
        return;
    d->called = true;
    if (d->nsp && d->socket)
        d->nsp->d->reject(d->socket, message, data);
}

// --- Namespace -------------------------------------------------------------------------------

Namespace::Namespace(const QString &name, Server *server)
    : QObject(server)
    , d(std::make_unique<NamespacePrivate>(this, name, server))
{ }

Namespace::~Namespace()
{
    d->mailbox->close(); // before anything else goes: other threads stop reaching this one
}

QString Namespace::name() const
{
    return d->name;
}

Server *Namespace::server() const
{
    return d->server;
}

void Namespace::use(Middleware middleware)
{
    d->middleware.append(std::move(middleware));
}

void Namespace::addHandler(QObject *handler)
{
    d->handlers.append(handler);
}

QList<Socket *> Namespace::sockets() const
{
    return d->sockets.values();
}

Socket *Namespace::socket(const QString &id) const
{
    return d->sockets.value(id);
}

SocketHandle Namespace::socketHandle(const QString &socketId) const
{
    SocketHandle handle;
    handle.m_mailbox = d->mailbox;
    handle.m_id = socketId;
    return handle;
}

int Namespace::socketCount() const
{
    return int(d->sockets.size());
}

QStringList Namespace::rooms() const
{
    return d->adapter->rooms();
}

int Namespace::roomSize(const QString &room) const
{
    return d->adapter->roomSize(room);
}

void Namespace::allRooms(QObject *context, Adapter::RoomsCallback callback)
{
    if (!callback)
        return;
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    d->adapter->allRooms([guard, hasContext, callback](const QSet<QString> &rooms) {
        callInContext(guard.data(), hasContext, [callback, rooms] { callback(rooms); });
    });
}

RecoveryStats Namespace::recoveryStats() const
{
    RecoveryStats stats;
    if (const RecoveryStore *store = d->usableRecovery()) {
        stats.enabled = true;
        stats.storedPackets = store->packetCount();
        stats.storedBytes = store->byteCount();
        stats.sessions = store->sessionCount();
        stats.droppedPackets = store->droppedCount();
    }
    return stats;
}

Adapter *Namespace::adapter() const
{
    return d->adapter;
}

namespace {
// socket.io's namespace RESERVED_EVENTS, a list of its own: server-side events arrive on the
// other servers' namespace objects, where node's "connect"/"connection"/"new_namespace"
// listeners would take them for their own.
bool refuseServerSideEvent(const QString &event)
{
    if (event != QLatin1String("connect") && event != QLatin1String("connection")
        && event != QLatin1String("new_namespace"))
        return false;
    qCWarning(lcServer).noquote() << "not emitting server-side event" << event << ": a reserved name";
    return true;
}
} // namespace

void Namespace::serverSideEmit(const QString &event, const QVariantList &args)
{
    if (refuseServerSideEvent(event))
        return;
    d->adapter->serverSideEmit(event, args);
}

void Namespace::serverSideEmit(const QString &event, const QVariantList &args, QObject *context,
                               Adapter::ServerSideAckCallback callback)
{
    if (refuseServerSideEvent(event))
        return;
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    d->adapter->serverSideEmitWithAck(
        event, args, [guard, hasContext, callback](bool timedOut, const QVariantList &replies) {
            if (!callback)
                return;
            callInContext(guard.data(), hasContext,
                          [callback, timedOut, replies] { callback(timedOut, replies); });
        });
}

Broadcast Namespace::all() const
{
    Broadcast broadcast;
    broadcast.m_nsp = d->mailbox;
    return broadcast;
}

Broadcast Namespace::to(const QString &room) const
{
    return all().to(room);
}

Broadcast Namespace::to(const QStringList &rooms) const
{
    return all().to(rooms);
}

Broadcast Namespace::except(const QString &room) const
{
    return all().except(room);
}

void Namespace::emitEvent(const QString &event, const QVariantList &args)
{
    all().emitEvent(event, args);
}

// --- NamespacePrivate ------------------------------------------------------------------------

SocketEmitter *socketEmitter(Namespace *nsp)
{
    return NamespacePrivate::get(nsp);
}

NamespacePrivate::NamespacePrivate(Namespace *q, const QString &name, Server *server)
    : q(q)
    , mailbox(std::make_shared<NamespaceMailbox>(q))
    , name(name)
    , server(server)
    , adapter(new InMemoryAdapter(q)) // Server::of() replaces it with its factory's
{ }

NamespacePrivate::~NamespacePrivate() = default;

void NamespacePrivate::setRecovery(const ConnectionStateRecovery &options)
{
    if (!options.enabled) {
        recovery.reset();
        delete std::exchange(recoveryPurge, nullptr);
        return;
    }
    RecoveryStore::Limits limits;
    limits.maxDisconnectionMs = options.maxDisconnectionDuration.count();
    limits.maxPackets = options.maxStoredPackets;
    limits.maxBytes = options.maxStoredBytes;
    skipMiddlewares = options.skipMiddlewares;
    if (recovery) {
        recovery->setLimits(limits);
    } else {
        recovery = std::make_unique<RecoveryStore>(limits);
        recoveryPurge = new QTimer(q);
        QObject::connect(recoveryPurge, &QTimer::timeout, q,
                         [this] { recovery->purge(RecoveryStore::now()); });
    }
    // socket.io checks every minute; a shorter duration is checked as often as it lasts.
    recoveryPurge->start(std::clamp<qint64>(limits.maxDisconnectionMs, 100, 60 * 1000));
    if (!qobject_cast<InMemoryAdapter *>(adapter)) {
        qCWarning(lcServer).noquote() << "connection state recovery is off in namespace" << name
                                      << ": its adapter does not derive from InMemoryAdapter";
    }
}

RecoveryStore *NamespacePrivate::usableRecovery() const
{
    return recovery && qobject_cast<InMemoryAdapter *>(adapter) ? recovery.get() : nullptr;
}

void NamespacePrivate::setAdapter(Adapter *replacement)
{
    if (!replacement || replacement == adapter)
        return;
    replacement->setParent(q);
    {
        const QSignalBlocker blocker(q); // the same memberships, nothing to announce
        for (Socket *socket : std::as_const(sockets))
            replacement->addAll(socket->d->id, socket->d->rooms.toSet());
    }
    delete std::exchange(adapter, replacement);
}

void NamespacePrivate::add(Connection *connection, const QJsonObject &auth)
{
    auto *socket = new Socket(q);
    SocketPrivate *sd = socket->d.get();
    sd->nsp = q;
    sd->connection = connection;
    sd->format = connection->format();
    sd->id = connection->protocol() == 3 ? connection->socketIdFor(name) : generateId();
    const HttpRequest &request = connection->session()->handshake();
    sd->handshake.request = request;
    sd->handshake.auth = auth;
    sd->handshake.time = QDateTime::currentDateTime();
    sd->handshake.issued = sd->handshake.time.toMSecsSinceEpoch();
    sd->handshake.url = QString::fromUtf8(request.target);
    sd->handshake.secure = request.secure;
    sd->handshake.address = ServerPrivate::addressText(request.remoteAddress);
    if (RecoveryStore *store = connection->protocol() != 3 ? usableRecovery() : nullptr) {
        // socket.io's Namespace._createSocket(): a string pid and offset restore a session.
        // Unlike socket.io, a pid without offset does too (its client received no event yet:
        // the replay starts where it connected), see docs/recovery.md.
        const QJsonValue pid = auth.value(QLatin1String("pid"));
        const QJsonValue offset = auth.value(QLatin1String("offset"));
        std::optional<RecoveryStore::Restored> restored;
        if (pid.isString() && (offset.isString() || offset.isUndefined()))
            restored = store->restore(pid.toString(), offset.toString(), RecoveryStore::now());
        if (restored) {
            sd->id = restored->session.sid;
            sd->pid = restored->session.pid;
            sd->recovered = true;
            sd->restoredRooms = std::move(restored->session.rooms);
            sd->data = std::move(restored->session.data);
            sd->missedPackets = std::move(restored->missed);
            qCDebug(lcServer).noquote() << "connection state recovered for socket" << sd->id << "in" << name
                                        << "with" << sd->missedPackets.size() << "missed packets";
        } else {
            sd->pid = generateId();
        }
    }
    connection->socketConnecting(socket);
    if (sd->recovered && skipMiddlewares && connection->isOpen()) {
        doConnect(socket);
        return;
    }
    runMiddleware(socket, 0);
}

void NamespacePrivate::runMiddleware(Socket *socket, int index)
{
    if (removed)
        return; // Server::removeNamespace() has refused the socket already
    Connection *connection = socket->d->connection;
    if (!connection || !connection->isOpen()) {
        socket->deleteLater();
        if (dynamic)
            scheduleCleanup();
        return;
    }
    if (index >= middleware.size()) {
        doConnect(socket);
        return;
    }
    Next next;
    next.d = std::make_shared<Next::State>();
    next.d->nsp = q;
    next.d->socket = socket;
    next.d->index = index;
    middleware.at(index)(socket, next);
}

void NamespacePrivate::reject(Socket *socket, const QString &message, const QJsonValue &data)
{
    qCDebug(lcServer).noquote() << "namespace" << name << "refused socket" << socket->id() << ":" << message;
    if (Connection *connection = socket->d->connection) {
        SocketIoPacket error;
        error.type = SocketIoPacket::Type::ConnectError;
        error.nsp = name;
        if (connection->protocol() == 3) {
            // socket.io 4: err.data || err.message
            const bool falsy = data.isUndefined() || data.isNull() || (data.isBool() && !data.toBool())
                || (data.isDouble() && data.toDouble() == 0)
                || (data.isString() && data.toString().isEmpty());
            error.data = falsy ? QCborValue(message) : QCborValue::fromJsonValue(data);
        } else {
            QCborMap object{ { QStringLiteral("message"), message } };
            if (!data.isUndefined())
                object.insert(QStringLiteral("data"), QCborValue::fromJsonValue(data));
            error.data = object;
        }
        connection->send(error);
        connection->socketRemoved(socket);
    }
    socket->deleteLater();
    if (dynamic && sockets.isEmpty())
        scheduleCleanup();
}

void NamespacePrivate::doConnect(Socket *socket)
{
    SocketPrivate *sd = socket->d.get();
    Connection *connection = sd->connection;
    sockets.insert(sd->id, socket);
    sd->connected = true;
    addToRoom(socket, sd->id);
    SocketIoPacket reply;
    reply.type = SocketIoPacket::Type::Connect;
    reply.nsp = name;
    if (connection->protocol() != 3) {
        QCborMap data{ { QStringLiteral("sid"), sd->id } };
        if (!sd->pid.isEmpty())
            data.insert(QStringLiteral("pid"), sd->pid);
        reply.data = data;
    }
    if (!sd->pid.isEmpty()) {
        // As socket.io: the restored rooms, then the missed packets before the CONNECT reply
        // (socket.io-client buffers them and hands them over before "connect").
        for (const QString &room : std::exchange(sd->restoredRooms, {}))
            addToRoom(socket, room);
        for (const Arguments::Encoded &packet : std::exchange(sd->missedPackets, {}))
            connection->send(packet);
        if (recovery)
            sd->recoveryBase = recovery->lastSeq();
    }
    connection->send(reply);
    connection->socketConnected(socket);
    qCDebug(lcServer).noquote() << "socket" << sd->id << "connected to" << name;
    notifyHandlers("on_connect", socket, {});
    if (sd->connected)
        Q_EMIT q->socketConnected(socket);
}

void NamespacePrivate::remove(Socket *socket)
{
    removeFromAllRooms(socket);
    sockets.remove(socket->d->id);
    if (dynamic && sockets.isEmpty())
        scheduleCleanup();
}

bool NamespacePrivate::isConnecting(const Socket *socket) const
{
    const SocketPrivate *sd = socket->d.get();
    // Its connection still lists it for this namespace: neither refused nor gone.
    return !sd->connected && sd->connection && sd->connection->socket(name) == socket;
}

void NamespacePrivate::scheduleCleanup()
{
    if (cleanupScheduled || removed || !server->d->options.cleanupEmptyChildNamespaces)
        return;
    cleanupScheduled = true;
    // Later: the socket that left is still being taken apart by its caller.
    QMetaObject::invokeMethod(
        q,
        [this] {
            cleanupScheduled = false;
            server->d->cleanupIfEmpty(q);
        },
        Qt::QueuedConnection);
}

bool NamespacePrivate::addToRoom(Socket *socket, const QString &room)
{
    SocketPrivate *sd = socket->d.get();
    if (sd->rooms.contains(room))
        return true;
    // The socket's own id room does not count.
    if (maxRoomsPerSocket > 0 && sd->rooms.size() > maxRoomsPerSocket && room != sd->id) {
        if (!std::exchange(sd->roomLimitLogged, true)) {
            qCWarning(lcServer).noquote()
                << "socket" << sd->id << "in" << name << "refused room" << room << ": already in"
                << maxRoomsPerSocket
                << "rooms (ServerOptions::maxRoomsPerSocket); further refusals are not logged";
        }
        return false;
    }
    sd->rooms.insert(room);
    adapter->addAll(sd->id, { room });
    return true;
}

void NamespacePrivate::removeFromRoom(Socket *socket, const QString &room)
{
    if (!socket->d->rooms.remove(room))
        return;
    adapter->del(socket->d->id, room);
}

void NamespacePrivate::removeFromAllRooms(Socket *socket)
{
    const QStringList joined = std::exchange(socket->d->rooms, {}).toList();
    for (const QString &room : joined)
        adapter->del(socket->d->id, room);
    adapter->delAll(socket->d->id);
}

BroadcastOptions NamespacePrivate::options(const Broadcast &target)
{
    BroadcastOptions opts;
    opts.rooms = target.m_rooms;
    opts.except = target.m_except;
    if (!target.m_exceptSocket.isEmpty())
        opts.except.insert(target.m_exceptSocket); // a socket's own room is its id
    opts.flags.isVolatile = target.m_volatile;
    opts.flags.local = target.m_local;
    opts.flags.timeout = target.m_timeout;
    return opts;
}

QList<Socket *> NamespacePrivate::recipients(const Broadcast &target) const
{
    QList<Socket *> result;
    const BroadcastOptions opts = options(target);
    if (auto *memory = qobject_cast<InMemoryAdapter *>(adapter)) {
        return connectedSockets(memory->matchingSockets(opts));
    }
    const QSet<QString> excluded = [&] {
        QSet<QString> ids;
        for (const QString &room : opts.except) {
            const QSet<QString> members = adapter->sockets({ room });
            ids.unite(members);
        }
        return ids;
    }();
    const QSet<QString> ids = adapter->sockets(opts.rooms);
    for (const QString &id : ids) {
        Socket *socket = sockets.value(id);
        if (socket && socket->d->connected && !excluded.contains(id))
            result.append(socket);
    }
    return result;
}

QList<Socket *> NamespacePrivate::connectedSockets(const QStringList &ids) const
{
    QList<Socket *> result;
    result.reserve(ids.size());
    for (const QString &id : ids) {
        Socket *socket = sockets.value(id);
        if (socket && socket->d->connected)
            result.append(socket);
    }
    return result;
}

void NamespacePrivate::deliver(const QList<Socket *> &targets, const EventPacket &packet, bool isVolatile,
                               Adapter::ClientAckCallback ack)
{
    if (targets.isEmpty())
        return;
    // Encoded once; every recipient gets the same bytes. (A server's connections share its
    // parser, but Engine.IO v3 clients of a msgpack server speak JSON: their own encoding, once.)
    const Arguments::Format format = targets.first()->d->format;
    if (!ack) {
        deliverEncoded(targets, packet, Arguments::encodeEvent(name, packet.event, packet.args, -1, format),
                       format, isVolatile);
        return;
    }
    const qint64 id = nextAckId();
    const Arguments::Encoded encoded = Arguments::encodeEvent(name, packet.event, packet.args, id, format);
    std::optional<Arguments::Encoded> other;
    // One callback shared by every recipient: each pending ack holds a pointer to it (small
    // enough for std::function's inline storage) instead of its own copy of ack.
    const auto shared = std::make_shared<const Adapter::ClientAckCallback>(std::move(ack));
    for (Socket *socket : targets) {
        if (socket->d->refuseAck()) {
            (*shared)(false, {}); // ServerOptions::maxPendingAcks: counted as not answering
            continue;
        }
        socket->d->expectAck(id, nullptr,
                             [shared](AckStatus status, const QVariantList &reply) {
                                 (*shared)(status == AckStatus::Received, reply);
                             },
                             {});
        writeEvent(socket, packet, id, encoded, format, other, isVolatile);
    }
}

void NamespacePrivate::deliverEncoded(const QList<Socket *> &targets, const EventPacket &packet,
                                      const Arguments::Encoded &encoded, Arguments::Format format,
                                      bool isVolatile)
{
    std::optional<Arguments::Encoded> other;
    for (Socket *socket : targets)
        writeEvent(socket, packet, -1, encoded, format, other, isVolatile);
}

void NamespacePrivate::writeEvent(Socket *socket, const EventPacket &packet, qint64 id,
                                  const Arguments::Encoded &encoded, Arguments::Format format,
                                  std::optional<Arguments::Encoded> &other, bool isVolatile)
{
    if (!socket->d->anyOutgoingHandlers.isEmpty())
        socket->d->notifyOutgoing(packet.event, packet.args);
    if (socket->d->format == format) {
        socket->d->write(encoded, isVolatile);
        return;
    }
    if (!other)
        other = Arguments::encodeEvent(name, packet.event, packet.args, id, socket->d->format);
    socket->d->write(*other, isVolatile);
}

void NamespacePrivate::broadcast(const Broadcast &target, const QString &event, const QVariantList &args)
{
    adapter->broadcast({ event, args }, options(target));
}

namespace {
// socket.io's BroadcastOperator.emit() with an ack: every server reports how many clients it
// reached, every client answers (or leaves); done when all servers and all clients are counted.
struct AckCollector
{
    int expectedServers = -1;
    int actualServers = 0;
    qsizetype expectedClients = 0;
    QList<QVariantList> replies;
    bool done = false;
    QPointer<QObject> context;
    bool hasContext = false;
    Broadcast::AcksCallback callback;
    QPointer<QTimer> timer;

    void check()
    {
        if (!done && expectedServers >= 0 && actualServers >= expectedServers
            && replies.size() >= expectedClients)
            finish(AckStatus::Received);
    }
    void finish(AckStatus status)
    {
        if (done)
            return;
        done = true;
        if (timer)
            timer->deleteLater();
        callInContext(context, hasContext,
                      [callback = callback, status, replies = replies] { callback(status, replies); });
    }
};
} // namespace

void NamespacePrivate::broadcastWithAck(const Broadcast &target, const QString &event,
                                        const QVariantList &args, QObject *context,
                                        Broadcast::AcksCallback callback)
{
    auto collector = std::make_shared<AckCollector>();
    collector->context = context;
    collector->hasContext = context != nullptr;
    collector->callback = std::move(callback);
    const BroadcastOptions opts = options(target);
    if (target.m_timeout.count() > 0) {
        collector->timer = new QTimer(q);
        collector->timer->setSingleShot(true);
        QObject::connect(collector->timer, &QTimer::timeout, q,
                         [collector] { collector->finish(AckStatus::TimedOut); });
        collector->timer->start(target.m_timeout);
    }
    adapter->broadcastWithAck(
        { event, args }, opts,
        [collector](int clientCount) {
            collector->expectedClients += clientCount;
            ++collector->actualServers;
            collector->check();
        },
        [collector](bool answered, const QVariantList &reply) {
            if (answered)
                collector->replies.append(reply);
            else
                --collector->expectedClients; // gone: it will never answer
            collector->check();
        });
    if (opts.flags.local) {
        collector->expectedServers = 1;
        collector->check();
    } else {
        adapter->serverCount([collector](int servers) {
            collector->expectedServers = servers;
            collector->check();
        });
    }
}

} // namespace SocketIo
