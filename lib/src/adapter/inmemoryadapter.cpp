// SPDX-License-Identifier: MIT
#include "adapter/recoverystore.h"
#include "adapter/socketemitter.h"
#include "socketio/roomset.h"

#include <SocketIo/adapter.h>
#include <SocketIo/namespace.h>

#include <QVarLengthArray>

#include <algorithm>

namespace SocketIo {

// --- ServerSideAck ---------------------------------------------------------------------------

ServerSideAck::ServerSideAck(std::function<void(const QVariant &)> send)
    : d(send ? std::make_shared<std::function<void(const QVariant &)>>(std::move(send)) : nullptr)
{ }

bool ServerSideAck::isRequested() const
{
    return d != nullptr;
}

void ServerSideAck::send(const QVariant &reply) const
{
    if (!d || !*d)
        return;
    const auto f = std::exchange(*d, nullptr); // once
    f(reply);
}

// --- Adapter ---------------------------------------------------------------------------------

Adapter::Adapter(Namespace *nsp)
    : QObject(nsp)
    , m_nsp(nsp)
{ }

Adapter::~Adapter() = default;

Namespace *Adapter::nsp() const
{
    return m_nsp.data();
}

// --- InMemoryAdapter -------------------------------------------------------------------------

class InMemoryAdapterPrivate
{
public:
    // Calls f(id) for each member of room, in either of the two room maps.
    template<typename F> void forEachMember(const QString &room, F f) const
    {
        const auto sit = single.constFind(room);
        if (sit != single.cend()) {
            f(*sit);
            return;
        }
        const auto it = rooms.constFind(room);
        if (it == rooms.cend())
            return;
        for (const QString &id : *it)
            f(id);
    }
    // The connected sockets matching opts, through the namespace's emitter.
    QList<Socket *> resolve(const SocketEmitter *emitter, const BroadcastOptions &opts) const;

    QHash<QString, QSet<QString>> rooms; // room -> socket ids (rooms that have had two or more)
    // room -> its socket id, for rooms with one member (every socket's own-id room): a
    // one-entry QSet costs a kilobyte or more
    QHash<QString, QString> single;
    // socket id -> rooms (small inline while a socket is in a few, a hash set past that)
    QHash<QString, RoomSet> sids;
};

InMemoryAdapter::InMemoryAdapter(Namespace *nsp)
    : Adapter(nsp)
    , d(std::make_unique<InMemoryAdapterPrivate>())
{ }

InMemoryAdapter::~InMemoryAdapter() = default;

void InMemoryAdapter::addAll(const QString &socketId, const QSet<QString> &rooms)
{
    RoomSet &joined = d->sids[socketId];
    for (const QString &room : rooms) {
        if (!joined.insert(room))
            continue;
        bool created = false;
        const auto mit = d->rooms.find(room);
        if (mit != d->rooms.end()) {
            created = mit->isEmpty();
            mit->insert(socketId);
        } else {
            const auto sit = d->single.find(room);
            if (sit == d->single.end()) {
                created = true;
                d->single.insert(room, socketId);
            } else if (*sit != socketId) {
                d->rooms.insert(room, QSet<QString>{ *sit, socketId });
                d->single.erase(sit);
            }
        }
        if (Namespace *ns = nsp()) {
            if (created)
                Q_EMIT ns->roomCreated(room);
            Q_EMIT ns->roomJoined(room, socketId);
        }
    }
}

void InMemoryAdapter::del(const QString &socketId, const QString &room)
{
    const auto sit = d->sids.find(socketId);
    if (sit != d->sids.end()) {
        sit->remove(room);
        if (sit->isEmpty())
            d->sids.erase(sit);
    }
    bool deleted = false;
    const auto single = d->single.find(room);
    if (single != d->single.end()) {
        if (*single != socketId)
            return;
        d->single.erase(single);
        deleted = true;
    } else {
        const auto it = d->rooms.find(room);
        if (it == d->rooms.end() || !it->remove(socketId))
            return;
        deleted = it->isEmpty();
        if (deleted)
            d->rooms.erase(it);
    }
    if (Namespace *ns = nsp()) {
        Q_EMIT ns->roomLeft(room, socketId);
        if (deleted)
            Q_EMIT ns->roomDeleted(room);
    }
}

void InMemoryAdapter::delAll(const QString &socketId)
{
    const QStringList joined = d->sids.value(socketId).toList();
    for (const QString &room : joined)
        del(socketId, room);
    d->sids.remove(socketId);
}

QSet<QString> InMemoryAdapter::sockets(const QSet<QString> &rooms) const
{
    BroadcastOptions opts;
    opts.rooms = rooms;
    const QStringList ids = matchingSockets(opts);
    return QSet<QString>(ids.cbegin(), ids.cend());
}

QSet<QString> InMemoryAdapter::socketRooms(const QString &socketId) const
{
    const auto it = d->sids.constFind(socketId);
    if (it == d->sids.cend())
        return {};
    return it->toSet();
}

QStringList InMemoryAdapter::rooms() const
{
    QStringList result = d->rooms.keys();
    result.reserve(result.size() + d->single.size());
    for (auto it = d->single.cbegin(); it != d->single.cend(); ++it)
        result.append(it.key());
    return result;
}

int InMemoryAdapter::roomSize(const QString &room) const
{
    if (d->single.contains(room))
        return 1;
    return int(d->rooms.value(room).size());
}

bool InMemoryAdapter::hasRoom(const QString &room) const
{
    return d->single.contains(room) || d->rooms.contains(room);
}

QStringList InMemoryAdapter::matchingSockets(const BroadcastOptions &opts) const
{
    QSet<QString> excluded;
    for (const QString &room : opts.except)
        d->forEachMember(room, [&](const QString &id) { excluded.insert(id); });
    QStringList result;
    if (opts.rooms.isEmpty()) {
        result.reserve(d->sids.size());
        for (auto it = d->sids.cbegin(); it != d->sids.cend(); ++it) {
            if (!excluded.contains(it.key()))
                result.append(it.key());
        }
    } else if (opts.rooms.size() == 1) {
        d->forEachMember(*opts.rooms.cbegin(), [&](const QString &id) {
            if (!excluded.contains(id))
                result.append(id);
        });
    } else {
        QSet<QString> seen;
        for (const QString &room : opts.rooms) {
            d->forEachMember(room, [&](const QString &id) {
                if (!excluded.contains(id) && !seen.contains(id)) {
                    seen.insert(id);
                    result.append(id);
                }
            });
        }
    }
    return result;
}

namespace {

QVariantMap handshakeMap(const Handshake &handshake)
{
    QVariantMap headers;
    for (const auto &header : handshake.request.headers)
        headers.insert(QString::fromLatin1(header.first).toLower(), QString::fromUtf8(header.second));
    QVariantMap query;
    const auto items = handshake.request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items)
        query.insert(item.first, item.second);
    return {
        { QStringLiteral("headers"), headers },
        { QStringLiteral("time"), handshake.time.toString(Qt::RFC2822Date) },
        { QStringLiteral("address"), handshake.address },
        { QStringLiteral("xdomain"), !handshake.request.header("origin").isEmpty() },
        { QStringLiteral("secure"), handshake.secure },
        { QStringLiteral("issued"), handshake.issued },
        { QStringLiteral("url"), handshake.url },
        { QStringLiteral("query"), query },
        { QStringLiteral("auth"), handshake.auth.toVariantMap() },
    };
}

} // namespace

// matchingSockets() and NamespacePrivate::connectedSockets() in one pass, without building
// the list of ids: the exclusions become pointers, and a broadcast to everyone walks the
// namespace's sockets instead of looking each id up.
QList<Socket *> InMemoryAdapterPrivate::resolve(const SocketEmitter *emitter,
                                                const BroadcastOptions &opts) const
{
    if (!emitter)
        return {};
    const QHash<QString, Socket *> &sockets = emitter->emitterSockets();
    QVarLengthArray<Socket *, 8> excluded; // usually a sender's own room: one socket
    for (const QString &room : opts.except) {
        forEachMember(room, [&](const QString &id) {
            if (Socket *socket = sockets.value(id))
                excluded.append(socket);
        });
    }
    QSet<Socket *> excludedSet;
    const bool useSet = excluded.size() > 16;
    if (useSet)
        excludedSet = QSet<Socket *>(excluded.cbegin(), excluded.cend());
    const auto isExcluded = [&](Socket *socket) {
        return useSet ? excludedSet.contains(socket)
                      : std::find(excluded.cbegin(), excluded.cend(), socket) != excluded.cend();
    };
    QList<Socket *> result;
    if (opts.rooms.isEmpty()) {
        // Everyone connected here, walking the namespace's sockets (no lookup per id).
        result.reserve(sockets.size());
        for (auto it = sockets.cbegin(); it != sockets.cend(); ++it) {
            Socket *socket = it.value();
            // No lookup in sids: a connected socket is in its own id room until it has left
            // the namespace (as in socket.io, whose delAll() empties sids last).
            if (!socket->isConnected() || isExcluded(socket))
                continue;
            result.append(socket);
        }
        return result;
    }
    const bool several = opts.rooms.size() > 1;
    QSet<Socket *> seen;
    for (const QString &room : opts.rooms) {
        if (!several) {
            const auto it = rooms.constFind(room);
            if (it != rooms.cend())
                result.reserve(it->size());
        }
        forEachMember(room, [&](const QString &id) {
            Socket *socket = sockets.value(id);
            if (!socket || !socket->isConnected() || isExcluded(socket))
                return;
            if (several) {
                if (seen.contains(socket))
                    return;
                seen.insert(socket);
            }
            result.append(socket);
        });
    }
    return result;
}

QList<RemoteSocket> InMemoryAdapter::localSockets(const BroadcastOptions &opts) const
{
    QList<RemoteSocket> result;
    const auto sockets = d->resolve(socketEmitter(nsp()), opts);
    for (Socket *socket : sockets) {
        RemoteSocket value;
        value.id = socket->id();
        value.rooms = socket->rooms();
        value.data = socket->data();
        value.handshake = handshakeMap(socket->handshake());
        value.local = true;
        result.append(value);
    }
    return result;
}

void InMemoryAdapter::broadcast(const EventPacket &packet, const BroadcastOptions &opts)
{
    SocketEmitter *emitter = socketEmitter(nsp());
    if (!emitter)
        return;
    // Connection state recovery (socket.io-adapter's SessionAwareAdapter): an event that is
    // neither volatile nor with an ack (broadcastWithAck) is stored with its offset as last
    // argument, encoded once for the store and every recipient.
    RecoveryStore *store = opts.flags.isVolatile ? nullptr : emitter->recoveryStore();
    if (!store) {
        emitter->deliver(d->resolve(emitter, opts), packet, opts.flags.isVolatile);
        return;
    }
    EventPacket stored{ packet.event, packet.args };
    stored.args.append(store->nextOffset());
    const Arguments::Format format = emitter->storeFormat();
    const Arguments::Encoded encoded =
        Arguments::encodeEvent(nsp()->name(), stored.event, stored.args, -1, format);
    store->append(encoded, opts.rooms, opts.except, RecoveryStore::now());
    emitter->deliverEncoded(d->resolve(emitter, opts), stored, encoded, format, false);
}

void InMemoryAdapter::resetRecovery()
{
    if (SocketEmitter *emitter = socketEmitter(nsp())) {
        if (RecoveryStore *store = emitter->recoveryStore())
            store->reset();
    }
}

void InMemoryAdapter::broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                                       ClientCountCallback clientCount, ClientAckCallback ack)
{
    SocketEmitter *emitter = socketEmitter(nsp());
    const QList<Socket *> targets = d->resolve(emitter, opts);
    if (clientCount)
        clientCount(int(targets.size()));
    if (emitter)
        emitter->deliver(
            targets, packet, opts.flags.isVolatile, ack ? ack : [](bool, const QVariantList &) {});
}

void InMemoryAdapter::fetchSockets(const BroadcastOptions &opts, FetchCallback callback)
{
    if (callback)
        callback(localSockets(opts));
}

void InMemoryAdapter::addSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    const auto sockets = d->resolve(socketEmitter(nsp()), opts);
    for (Socket *socket : sockets)
        socket->join(rooms);
}

void InMemoryAdapter::delSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    const auto sockets = d->resolve(socketEmitter(nsp()), opts);
    for (Socket *socket : sockets) {
        for (const QString &room : rooms)
            socket->leave(room);
    }
}

void InMemoryAdapter::disconnectSockets(const BroadcastOptions &opts, bool close)
{
    const auto ids = matchingSockets(opts);
    for (const QString &id : ids) {
        // Looked up again: disconnecting one may take others of the same connection along.
        if (Socket *socket = nsp() ? nsp()->socket(id) : nullptr)
            socket->close(close ? DisconnectMode::Close : DisconnectMode::Namespace);
    }
}

void InMemoryAdapter::allRooms(RoomsCallback callback)
{
    if (callback) {
        const QStringList list = rooms();
        callback(QSet<QString>(list.cbegin(), list.cend()));
    }
}

void InMemoryAdapter::serverSideEmit(const QString &, const QVariantList &)
{
    // One server: nobody else to tell.
}

void InMemoryAdapter::serverSideEmitWithAck(const QString &, const QVariantList &,
                                            ServerSideAckCallback callback)
{
    if (callback)
        callback(false, {});
}

void InMemoryAdapter::serverCount(ServerCountCallback callback)
{
    if (callback)
        callback(1);
}

} // namespace SocketIo
