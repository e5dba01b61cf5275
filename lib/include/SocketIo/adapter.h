// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/socketioglobal.h>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QVariant>

#include <chrono>
#include <functional>
#include <memory>

/// \file
/// \brief The adapter seam: Adapter, InMemoryAdapter and the values they exchange.

namespace SocketIo {

class InMemoryAdapterPrivate;
class Namespace;
class Socket;

/// \brief socket.io-adapter's BroadcastFlags.
struct SOCKETIO_EXPORT BroadcastFlags
{
    /// \brief Dropped for recipients whose transport is not writable (Broadcast::asVolatile()).
    bool isVolatile = false;
    /// \brief socket.io's compress flag; kept for parity (see EmitOptions::compress).
    bool compress = true;
    bool local = false; ///< this server only: never forwarded to other nodes
    std::chrono::milliseconds timeout{ 0 }; ///< broadcasts with acks
};

/// \brief socket.io-adapter's BroadcastOptions: the rooms to include (none: everyone), the
/// rooms to exclude (a socket's own id is a room), flags.
struct SOCKETIO_EXPORT BroadcastOptions
{
    /// \brief The rooms to include; none: every socket of the namespace.
    QSet<QString> rooms;
    /// \brief The rooms to exclude (a socket's own id is a room).
    QSet<QString> except;
    /// \brief The flags.
    BroadcastFlags flags;
};

/// \brief The only packet socket.io broadcasts: an event with its arguments (QByteArray
/// anywhere in args is binary).
struct SOCKETIO_EXPORT EventPacket
{
    /// \brief The event name.
    QString event;
    /// \brief Its arguments.
    QVariantList args;
};

/// \brief A socket as fetchSockets() reports it, on this server or on another node. A value.
struct SOCKETIO_EXPORT RemoteSocket
{
    /// \brief The socket id.
    QString id;
    /// \brief Its rooms, its own id room included.
    QSet<QString> rooms;
    /// \brief Its free-form data (Socket::data()).
    QVariantMap data;
    QVariantMap handshake; ///< socket.io's handshake object (headers, query, auth, address, ...)
    bool local = false; ///< on this server (Namespace::socket(id) finds it)
};

/// \brief The reply to a server-side event, when the emitting server asked for one: send() once.
///
/// A copyable value; copies share the answer (only the first send() counts).
class SOCKETIO_EXPORT ServerSideAck
{
public:
    /// \brief An ack nobody asked for: isRequested() is false and send() does nothing.
    ServerSideAck() = default;
    /// \brief An ack that calls \a send with the reply (adapters build these).
    explicit ServerSideAck(std::function<void(const QVariant &reply)> send);
    /// \brief Whether the emitting server asked for a reply.
    bool isRequested() const;
    /// \brief Replies; only the first call counts.
    void send(const QVariant &reply = {}) const;

private:
    std::shared_ptr<std::function<void(const QVariant &)>> d;
};

/// \brief socket.io's Adapter: the room registry of one namespace and the operations that may
/// cross servers (broadcasts, fetchSockets, socketsJoin/Leave, disconnectSockets, server-side
/// emits).
///
/// The library uses InMemoryAdapter (one process); Server::setAdapterFactory() installs another
/// (SocketIo::RedisAdapter in SocketIoRedis shares rooms and broadcasts between servers).
/// Owned by its namespace. Everything runs in the server's thread.
class SOCKETIO_EXPORT Adapter : public QObject
{
    Q_OBJECT
public:
    /// \brief How many clients one server delivered a broadcast with acks to.
    using ClientCountCallback = std::function<void(int clientCount)>;
    /// \brief One client's ack; answered is false when that client left without answering.
    using ClientAckCallback = std::function<void(bool answered, const QVariantList &reply)>;
    /// \brief The sockets fetchSockets() found.
    using FetchCallback = std::function<void(const QList<SocketIo::RemoteSocket> &sockets)>;
    /// \brief The rooms allRooms() found.
    using RoomsCallback = std::function<void(const QSet<QString> &rooms)>;
    /// \brief How many servers share the namespace.
    using ServerCountCallback = std::function<void(int servers)>;
    /// \brief Replies of the other servers to a server-side emit; timedOut if some did not
    /// answer in time.
    using ServerSideAckCallback = std::function<void(bool timedOut, const QVariantList &replies)>;

    /// \brief An adapter for \a nsp, which becomes its parent.
    explicit Adapter(Namespace *nsp);
    /// \brief Destroys the adapter (its namespace does, or setAdapterFactory() replacing it).
    ~Adapter() override;

    /// \brief The namespace this adapter serves (null once it is gone).
    Namespace *nsp() const;

    /// \brief Room registry (socket ids, this server only): \a socketId joins \a rooms.
    virtual void addAll(const QString &socketId, const QSet<QString> &rooms) = 0;
    /// \brief Room registry: \a socketId leaves \a room.
    virtual void del(const QString &socketId, const QString &room) = 0;
    /// \brief Room registry: \a socketId leaves every room.
    virtual void delAll(const QString &socketId) = 0;
    /// \brief Room registry: the sockets in any of \a rooms (none: all).
    virtual QSet<QString> sockets(const QSet<QString> &rooms) const = 0; // none: all
    /// \brief Room registry: the rooms of \a socketId.
    virtual QSet<QString> socketRooms(const QString &socketId) const = 0;
    /// \brief Room registry: every room with a member.
    virtual QStringList rooms() const = 0;
    /// \brief Room registry: the number of members of \a room.
    virtual int roomSize(const QString &room) const = 0;

    /// \brief Delivers \a packet to the sockets matching \a opts. An adapter for several
    /// servers forwards this and the operations below unless opts.flags.local.
    virtual void broadcast(const EventPacket &packet, const BroadcastOptions &opts) = 0;
    /// \brief A broadcast that asks every recipient for an ack: clientCount is called once per
    /// server that delivered (with its recipient count), ack once per client reply.
    virtual void broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                                  ClientCountCallback clientCount, ClientAckCallback ack) = 0;
    /// \brief The sockets matching \a opts, as values, from every server.
    virtual void fetchSockets(const BroadcastOptions &opts, FetchCallback callback) = 0;
    /// \brief The sockets matching \a opts join \a rooms.
    virtual void addSockets(const BroadcastOptions &opts, const QStringList &rooms) = 0;
    /// \brief The sockets matching \a opts leave \a rooms.
    virtual void delSockets(const BroadcastOptions &opts, const QStringList &rooms) = 0;
    /// \brief The sockets matching \a opts are disconnected; \a close closes their connections.
    virtual void disconnectSockets(const BroadcastOptions &opts, bool close) = 0;
    /// \brief The rooms of every server.
    virtual void allRooms(RoomsCallback callback) = 0;
    /// \brief To the same namespace on the other servers (never to this one).
    virtual void serverSideEmit(const QString &event, const QVariantList &args) = 0;
    /// \brief The same, collecting the other servers' replies.
    virtual void serverSideEmitWithAck(const QString &event, const QVariantList &args,
                                       ServerSideAckCallback callback) = 0;
    /// \brief How many servers share this namespace (1: this one alone).
    virtual void serverCount(ServerCountCallback callback) = 0;

private:
    QPointer<Namespace> m_nsp;
};

/// \brief The default adapter: rooms in this process (socket.io-adapter's in-memory adapter).
///
/// Other adapters derive from it and call its methods for local delivery. Its server-side
/// emits reach nobody (serverSideEmitWithAck() answers at once with no replies) and
/// serverCount() is 1.
///
/// Joining, leaving and looking up a room or a socket's rooms are amortised O(1), however
/// many rooms a socket is in.
class SOCKETIO_EXPORT InMemoryAdapter : public Adapter
{
    Q_OBJECT
public:
    /// \brief An adapter for \a nsp, which becomes its parent.
    explicit InMemoryAdapter(Namespace *nsp);
    /// \brief Destroys the adapter.
    ~InMemoryAdapter() override;

    void addAll(const QString &socketId, const QSet<QString> &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QSet<QString> sockets(const QSet<QString> &rooms) const override;
    QSet<QString> socketRooms(const QString &socketId) const override;
    QStringList rooms() const override;
    int roomSize(const QString &room) const override;
    /// \brief Whether \a room has a member on this server.
    bool hasRoom(const QString &room) const;

    void broadcast(const EventPacket &packet, const BroadcastOptions &opts) override;
    void broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                          ClientCountCallback clientCount, ClientAckCallback ack) override;
    void fetchSockets(const BroadcastOptions &opts, FetchCallback callback) override;
    void addSockets(const BroadcastOptions &opts, const QStringList &rooms) override;
    void delSockets(const BroadcastOptions &opts, const QStringList &rooms) override;
    void disconnectSockets(const BroadcastOptions &opts, bool close) override;
    void allRooms(RoomsCallback callback) override;
    void serverSideEmit(const QString &event, const QVariantList &args) override;
    void serverSideEmitWithAck(const QString &event, const QVariantList &args,
                               ServerSideAckCallback callback) override;
    void serverCount(ServerCountCallback callback) override;

    /// \brief Forgets the namespace's connection state recovery store: disconnected sessions
    /// and stored packets; every offset handed out so far becomes unrecoverable. For adapters
    /// that missed messages of other servers (the Redis adapter, when it loses Redis), so that
    /// no client is told "recovered" with a gap.
    void resetRecovery();

    /// \brief Local socket ids matching opts (rooms, except), in no particular order.
    QStringList matchingSockets(const BroadcastOptions &opts) const;
    /// \brief Local sockets matching opts, as values.
    QList<RemoteSocket> localSockets(const BroadcastOptions &opts) const;

private:
    // The room registry (socket.io-adapter's rooms and sids maps), behind a d-pointer. It sees
    // the namespace only through a seam of its own: its sockets, and one packet delivered to
    // some of them.
    const std::unique_ptr<InMemoryAdapterPrivate> d;
};

/// \brief Creates the adapter of each namespace (socket.io's `adapter` option); see
/// Server::setAdapterFactory().
using AdapterFactory = std::function<SocketIo::Adapter *(SocketIo::Namespace *nsp)>;

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::ServerSideAck)
