// SPDX-License-Identifier: MIT
#include "socketio/namespace_p.h"
#include "socketio/socket_p.h"

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

namespace {

// Calls f(id) for each member of room, in either of the two room maps.
template<typename F>
void forEachMember(const QHash<QString, QSet<QString>> &rooms, const QHash<QString, QString> &single,
                   const QString &room, F f)
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

} // namespace

InMemoryAdapter::InMemoryAdapter(Namespace *nsp)
    : Adapter(nsp)
{ }

InMemoryAdapter::~InMemoryAdapter() = default;

void InMemoryAdapter::addAll(const QString &socketId, const QSet<QString> &rooms)
{
    QStringList &joined = m_sids[socketId];
    for (const QString &room : rooms) {
        if (joined.contains(room))
            continue;
        joined.append(room);
        bool created = false;
        const auto mit = m_rooms.find(room);
        if (mit != m_rooms.end()) {
            created = mit->isEmpty();
            mit->insert(socketId);
        } else {
            const auto sit = m_single.find(room);
            if (sit == m_single.end()) {
                created = true;
                m_single.insert(room, socketId);
            } else if (*sit != socketId) {
                m_rooms.insert(room, QSet<QString>{ *sit, socketId });
                m_single.erase(sit);
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
    const auto sit = m_sids.find(socketId);
    if (sit != m_sids.end()) {
        sit->removeOne(room);
        if (sit->isEmpty())
            m_sids.erase(sit);
    }
    bool deleted = false;
    const auto single = m_single.find(room);
    if (single != m_single.end()) {
        if (*single != socketId)
            return;
        m_single.erase(single);
        deleted = true;
    } else {
        const auto it = m_rooms.find(room);
        if (it == m_rooms.end() || !it->remove(socketId))
            return;
        deleted = it->isEmpty();
        if (deleted)
            m_rooms.erase(it);
    }
    if (Namespace *ns = nsp()) {
        Q_EMIT ns->roomLeft(room, socketId);
        if (deleted)
            Q_EMIT ns->roomDeleted(room);
    }
}

void InMemoryAdapter::delAll(const QString &socketId)
{
    const QStringList joined = m_sids.value(socketId);
    for (const QString &room : joined)
        del(socketId, room);
    m_sids.remove(socketId);
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
    const auto it = m_sids.constFind(socketId);
    if (it == m_sids.cend())
        return {};
    return QSet<QString>(it->cbegin(), it->cend());
}

QStringList InMemoryAdapter::rooms() const
{
    QStringList result = m_rooms.keys();
    result.reserve(result.size() + m_single.size());
    for (auto it = m_single.cbegin(); it != m_single.cend(); ++it)
        result.append(it.key());
    return result;
}

int InMemoryAdapter::roomSize(const QString &room) const
{
    if (m_single.contains(room))
        return 1;
    return int(m_rooms.value(room).size());
}

bool InMemoryAdapter::hasRoom(const QString &room) const
{
    return m_single.contains(room) || m_rooms.contains(room);
}

QStringList InMemoryAdapter::matchingSockets(const BroadcastOptions &opts) const
{
    QSet<QString> excluded;
    for (const QString &room : opts.except)
        forEachMember(m_rooms, m_single, room, [&](const QString &id) { excluded.insert(id); });
    QStringList result;
    if (opts.rooms.isEmpty()) {
        result.reserve(m_sids.size());
        for (auto it = m_sids.cbegin(); it != m_sids.cend(); ++it) {
            if (!excluded.contains(it.key()))
                result.append(it.key());
        }
    } else if (opts.rooms.size() == 1) {
        forEachMember(m_rooms, m_single, *opts.rooms.cbegin(), [&](const QString &id) {
            if (!excluded.contains(id))
                result.append(id);
        });
    } else {
        QSet<QString> seen;
        for (const QString &room : opts.rooms) {
            forEachMember(m_rooms, m_single, room, [&](const QString &id) {
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
QList<Socket *> InMemoryAdapter::resolve(const BroadcastOptions &opts) const
{
    Namespace *ns = nsp();
    if (!ns)
        return {};
    const QHash<QString, Socket *> &sockets = ns->d->sockets;
    QVarLengthArray<Socket *, 8> excluded; // usually a sender's own room: one socket
    for (const QString &room : opts.except) {
        forEachMember(m_rooms, m_single, room, [&](const QString &id) {
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
        // Everyone in a room here (m_sids): a socket with rooms of its own always is.
        result.reserve(sockets.size());
        for (auto it = sockets.cbegin(); it != sockets.cend(); ++it) {
            Socket *socket = it.value();
            const SocketPrivate *sd = socket->d.get();
            if (!sd->connected || (sd->rooms.isEmpty() && !m_sids.contains(it.key())) || isExcluded(socket))
                continue;
            result.append(socket);
        }
        return result;
    }
    const bool several = opts.rooms.size() > 1;
    QSet<Socket *> seen;
    for (const QString &room : opts.rooms) {
        if (!several) {
            const auto it = m_rooms.constFind(room);
            if (it != m_rooms.cend())
                result.reserve(it->size());
        }
        forEachMember(m_rooms, m_single, room, [&](const QString &id) {
            Socket *socket = sockets.value(id);
            if (!socket || !socket->d->connected || isExcluded(socket))
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
    const auto sockets = resolve(opts);
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
    if (Namespace *ns = nsp())
        ns->d->deliver(resolve(opts), packet, opts.flags.isVolatile);
}

void InMemoryAdapter::broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                                       ClientCountCallback clientCount, ClientAckCallback ack)
{
    const QList<Socket *> targets = resolve(opts);
    if (clientCount)
        clientCount(int(targets.size()));
    if (Namespace *ns = nsp())
        ns->d->deliver(
            targets, packet, opts.flags.isVolatile, ack ? ack : [](bool, const QVariantList &) {});
}

void InMemoryAdapter::fetchSockets(const BroadcastOptions &opts, FetchCallback callback)
{
    if (callback)
        callback(localSockets(opts));
}

void InMemoryAdapter::addSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    const auto sockets = resolve(opts);
    for (Socket *socket : sockets)
        socket->join(rooms);
}

void InMemoryAdapter::delSockets(const BroadcastOptions &opts, const QStringList &rooms)
{
    const auto sockets = resolve(opts);
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
