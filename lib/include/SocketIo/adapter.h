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

namespace SocketIo {

class InMemoryAdapterPrivate;
class Namespace;
class Socket;

// socket.io-adapter's BroadcastFlags.
struct SOCKETIO_EXPORT BroadcastFlags
{
    bool isVolatile = false;
    bool compress = true;
    bool local = false; // this server only: never forwarded to other nodes
    std::chrono::milliseconds timeout{ 0 }; // broadcasts with acks
};

// socket.io-adapter's BroadcastOptions: the rooms to include (none: everyone), the rooms to
// exclude (a socket's own id is a room), flags.
struct SOCKETIO_EXPORT BroadcastOptions
{
    QSet<QString> rooms;
    QSet<QString> except;
    BroadcastFlags flags;
};

// The only packet socket.io broadcasts: an event with its arguments (QByteArray anywhere in
// args is binary).
struct SOCKETIO_EXPORT EventPacket
{
    QString event;
    QVariantList args;
};

// A socket as fetchSockets() reports it, on this server or on another node.
struct SOCKETIO_EXPORT RemoteSocket
{
    QString id;
    QSet<QString> rooms;
    QVariantMap data;
    QVariantMap handshake; // socket.io's handshake object (headers, query, auth, address, ...)
    bool local = false; // on this server (Namespace::socket(id) finds it)
};

// The reply to a server-side event, when the emitting server asked for one: send() once.
class SOCKETIO_EXPORT ServerSideAck
{
public:
    ServerSideAck() = default;
    explicit ServerSideAck(std::function<void(const QVariant &reply)> send);
    bool isRequested() const;
    void send(const QVariant &reply = {}) const;

private:
    std::shared_ptr<std::function<void(const QVariant &)>> d;
};

// socket.io's Adapter: the room registry of one namespace and the operations that may cross
// servers (broadcasts, fetchSockets, socketsJoin/Leave, disconnectSockets, server-side emits).
// The library uses InMemoryAdapter (one process); Server::setAdapterFactory() installs another
// (SocketIo::RedisAdapter in SocketIoRedis shares rooms and broadcasts between servers).
// Everything runs in the server's thread.
class SOCKETIO_EXPORT Adapter : public QObject
{
    Q_OBJECT
public:
    using ClientCountCallback = std::function<void(int clientCount)>;
    // One client's ack; answered is false when that client left without answering.
    using ClientAckCallback = std::function<void(bool answered, const QVariantList &reply)>;
    using FetchCallback = std::function<void(const QList<SocketIo::RemoteSocket> &sockets)>;
    using RoomsCallback = std::function<void(const QSet<QString> &rooms)>;
    using ServerCountCallback = std::function<void(int servers)>;
    // Replies of the other servers to a server-side emit; timedOut if some did not answer in time.
    using ServerSideAckCallback = std::function<void(bool timedOut, const QVariantList &replies)>;

    explicit Adapter(Namespace *nsp);
    ~Adapter() override;

    Namespace *nsp() const;

    // The room registry (socket ids, this server only).
    virtual void addAll(const QString &socketId, const QSet<QString> &rooms) = 0;
    virtual void del(const QString &socketId, const QString &room) = 0;
    virtual void delAll(const QString &socketId) = 0;
    virtual QSet<QString> sockets(const QSet<QString> &rooms) const = 0; // none: all
    virtual QSet<QString> socketRooms(const QString &socketId) const = 0;
    virtual QStringList rooms() const = 0;
    virtual int roomSize(const QString &room) const = 0;

    // Operations; an adapter for several servers forwards them unless opts.flags.local.
    virtual void broadcast(const EventPacket &packet, const BroadcastOptions &opts) = 0;
    // clientCount is called once per server that delivered (with its recipient count), ack
    // once per client reply.
    virtual void broadcastWithAck(const EventPacket &packet, const BroadcastOptions &opts,
                                  ClientCountCallback clientCount, ClientAckCallback ack) = 0;
    virtual void fetchSockets(const BroadcastOptions &opts, FetchCallback callback) = 0;
    virtual void addSockets(const BroadcastOptions &opts, const QStringList &rooms) = 0;
    virtual void delSockets(const BroadcastOptions &opts, const QStringList &rooms) = 0;
    virtual void disconnectSockets(const BroadcastOptions &opts, bool close) = 0;
    virtual void allRooms(RoomsCallback callback) = 0;
    // To the same namespace on the other servers (never to this one).
    virtual void serverSideEmit(const QString &event, const QVariantList &args) = 0;
    virtual void serverSideEmitWithAck(const QString &event, const QVariantList &args,
                                       ServerSideAckCallback callback) = 0;
    // How many servers share this namespace (1: this one alone).
    virtual void serverCount(ServerCountCallback callback) = 0;

private:
    QPointer<Namespace> m_nsp;
};

// The default adapter: rooms in this process (socket.io-adapter's in-memory adapter). Other
// adapters derive from it and call its methods for local delivery. Joining, leaving and looking
// up a room or a socket's rooms are amortised O(1), however many rooms a socket is in.
class SOCKETIO_EXPORT InMemoryAdapter : public Adapter
{
    Q_OBJECT
public:
    explicit InMemoryAdapter(Namespace *nsp);
    ~InMemoryAdapter() override;

    void addAll(const QString &socketId, const QSet<QString> &rooms) override;
    void del(const QString &socketId, const QString &room) override;
    void delAll(const QString &socketId) override;
    QSet<QString> sockets(const QSet<QString> &rooms) const override;
    QSet<QString> socketRooms(const QString &socketId) const override;
    QStringList rooms() const override;
    int roomSize(const QString &room) const override;
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

    // Local socket ids matching opts (rooms, except), in no particular order.
    QStringList matchingSockets(const BroadcastOptions &opts) const;
    // Local sockets matching opts, as values.
    QList<RemoteSocket> localSockets(const BroadcastOptions &opts) const;

private:
    // The room registry (socket.io-adapter's rooms and sids maps), behind a d-pointer. It sees
    // the namespace only through a seam of its own: its sockets, and one packet delivered to
    // some of them.
    const std::unique_ptr<InMemoryAdapterPrivate> d;
};

// Creates the adapter of each namespace (socket.io's `adapter` option).
using AdapterFactory = std::function<SocketIo::Adapter *(SocketIo::Namespace *nsp)>;

} // namespace SocketIo

Q_DECLARE_METATYPE(SocketIo::ServerSideAck)
