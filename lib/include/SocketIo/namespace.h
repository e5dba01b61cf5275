// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/adapter.h>
#include <SocketIo/socket.h>

#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

/// \file
/// \brief Namespace, its Broadcast operator and the middleware's Next.

namespace SocketIo {

class NamespacePrivate;
class Server;

/// \brief Lets a connection middleware decide, now or later: call next() to let the socket in,
/// or reject() to refuse it with a CONNECT_ERROR carrying message and data.
///
/// Copyable; only the first call counts. Call it in the server's thread.
class SOCKETIO_EXPORT Next
{
public:
    /// \brief Lets the socket in: the next middleware runs, or the socket connects.
    void operator()() const;
    /// \brief Refuses the socket with a CONNECT_ERROR `{"message": message, "data": data}`
    /// (no data when undefined).
    void reject(const QString &message, const QJsonValue &data = QJsonValue::Undefined) const;

private:
    friend class NamespacePrivate;
    struct State;
    std::shared_ptr<State> d;
};

/// \brief How a broadcast with acknowledgements ended, as a value: what
/// Broadcast::emitWithAck()'s future holds.
struct SOCKETIO_EXPORT BroadcastAckResult
{
    /// \brief Received: every recipient answered (or left without answering); TimedOut: the
    /// Broadcast::timeout() passed first; Disconnected: the namespace or the server went first.
    AckStatus status = AckStatus::Disconnected;
    /// \brief The replies received, one argument list per client, in their order of arrival
    /// (with TimedOut: those that came in time, as socket.io's err.responses).
    QList<QVariantList> replies;
};

/// A set of recipients in one namespace: rooms to include (none: everyone), rooms to exclude,
/// flags. Cheap to copy; chain to()/except() like socket.io's BroadcastOperator.
///
/// Thread safety: a value that any thread may build, copy and keep, even past its namespace
/// (it then does nothing). emitEvent(), fetchSockets(context, callback), socketsJoin(),
/// socketsLeave() and disconnectSockets() may be called from any thread: from another thread they
/// are queued to the server's thread. fetchSockets() (the Socket* list): the server's thread only.
class SOCKETIO_EXPORT Broadcast
{
public:
    /// \brief The collected acks of a broadcast: every reply received, and whether all came.
    using AcksCallback = std::function<void(SocketIo::AckStatus status, const QList<QVariantList> &replies)>;

    /// \brief Also the members of \a room (the recipients are the union of the rooms).
    Broadcast to(const QString &room) const;
    /// \brief Also the members of each of \a rooms.
    Broadcast to(const QStringList &rooms) const;
    /// \brief The same as to().
    Broadcast in(const QString &room) const { return to(room); }
    /// \brief Not the members of \a room.
    Broadcast except(const QString &room) const;
    /// \brief Not the members of any of \a rooms.
    Broadcast except(const QStringList &rooms) const;
    /// \brief Volatile: dropped for recipients whose transport is not writable.
    Broadcast asVolatile() const;
    /// \brief This server only: the adapter does not forward to other servers.
    Broadcast local() const;
    /// \brief How long emitEvent() with a callback waits for the acks.
    Broadcast timeout(std::chrono::milliseconds timeout) const;

    /// Reserved event names are refused (see Socket::emitEvent()).
    void emitEvent(const QString &event, const QVariantList &args = {}) const;
    /// \brief Every recipient's ack, collected: Received when all answered, TimedOut with those
    /// that did. The callback runs in context's thread.
    void emitEvent(const QString &event, const QVariantList &args, QObject *context,
                   AcksCallback callback) const;
    /// \brief Every recipient's ack as a future (socket.io's BroadcastOperator.emitWithAck()).
    ///
    /// It finishes with Received and one reply per recipient once all answered (a recipient
    /// that leaves without answering is no longer waited for), with TimedOut and the replies
    /// so far once timeout() passed (socket.io rejects with "operation has timed out" and
    /// err.responses), or with Disconnected when the namespace or the server goes first.
    /// Without a timeout() it waits for every recipient (socket.io times out at once). Across
    /// servers (an adapter) the other servers' recipients count too. Any thread; the result is
    /// set in the server's thread (see Socket::emitWithAck()). A reserved event name: a
    /// canceled future.
    QFuture<SocketIo::BroadcastAckResult> emitWithAck(const QString &event,
                                                      const QVariantList &args = {}) const;

    /// \brief This server's matching sockets (owned by their namespace; server's thread only).
    QList<Socket *> fetchSockets() const;
    /// \brief The matching sockets of every server sharing the adapter, as values; callback
    /// runs in context's thread once all answered or the adapter's request timed out.
    void fetchSockets(QObject *context, Adapter::FetchCallback callback) const;
    /// \brief The matching sockets join \a rooms, on every server sharing the adapter (unless
    /// local()).
    void socketsJoin(const QStringList &rooms) const;
    /// \brief The matching sockets leave \a rooms, on every server sharing the adapter (unless
    /// local()).
    void socketsLeave(const QStringList &rooms) const;
    /// \brief The matching sockets are disconnected, on every server sharing the adapter (unless
    /// local()).
    void disconnectSockets(DisconnectMode mode = DisconnectMode::Namespace) const;

private:
    friend class Namespace;
    friend class Socket;
    friend class NamespacePrivate;
    Namespace *nsp() const; // the server's thread only
    std::shared_ptr<NamespaceMailbox> m_nsp; // how any thread reaches the namespace
    QSet<QString> m_rooms;
    QSet<QString> m_except;
    QString m_exceptSocket; // socket.broadcast: everyone but the sender
    bool m_volatile = false;
    bool m_local = false;
    std::chrono::milliseconds m_timeout{ 0 };
};

/// \brief The state of a namespace's connection state recovery store
/// (ServerOptions::connectionStateRecovery), as a value.
struct SOCKETIO_EXPORT RecoveryStats
{
    bool enabled = false; ///< recovery is on for this namespace (and its adapter supports it)
    qint64 storedPackets = 0; ///< packets that may be replayed
    qint64 storedBytes = 0; ///< their encoded size (payload bytes, see docs/recovery.md)
    qint64 sessions = 0; ///< disconnected sessions waiting to be recovered
    qint64 droppedPackets = 0; ///< dropped early, over maxStoredPackets or maxStoredBytes
};

/// A namespace (socket.io's Namespace): its sockets, rooms, middleware and broadcasts. Owned by
/// the Server, deleted with it.
///
/// Thread safety: name(), all(), to(), in(), except(), emitEvent() and socketHandle() may be
/// called from any thread while the Server exists (what they return stays safe to use after it
/// is gone). Everything else: the server's thread only.
class SOCKETIO_EXPORT Namespace : public QObject
{
    Q_OBJECT
public:
    /// \brief A connection middleware: decides about \a socket through \a next, now or later.
    using Middleware = std::function<void(SocketIo::Socket *socket, const SocketIo::Next &next)>;

    /// \brief Destroys the namespace; the server does it.
    ~Namespace() override;

    /// \brief The namespace's name, e.g. "/" or "/chat".
    QString name() const;
    /// \brief The server that owns this namespace.
    Server *server() const;

    /// \brief Adds a connection middleware, run in order for each new socket before
    /// socketConnected().
    void use(Middleware middleware);

    /// \brief Registers a QObject whose slots named on_<event> handle that event for every
    /// socket of this namespace.
    ///
    /// The QObject must outlive the namespace or unregister by being deleted. Arguments are
    /// converted to the slot's parameter types; a first parameter of type SocketIo::Socket*
    /// receives the socket; a non-void return value becomes the ack.
    /// on_connect(SocketIo::Socket*) and on_disconnect(SocketIo::Socket*, QString) are called too.
    void addHandler(QObject *handler);

    /// \brief This server's sockets in the namespace (owned by the namespace).
    QList<Socket *> sockets() const;
    /// The connected socket with that id (owned by this namespace), or null.
    Socket *socket(const QString &id) const;
    /// A handle on the socket with that id, for any thread (see SocketHandle); not checked.
    SocketHandle socketHandle(const QString &socketId) const;
    /// \brief The number of sockets on this server.
    int socketCount() const;
    /// \brief This server's rooms with a member (socket id rooms included).
    QStringList rooms() const; // this server's rooms with a member (socket id rooms included)
    /// \brief The number of this server's sockets in \a room.
    int roomSize(const QString &room) const;
    /// \brief Rooms of every server sharing the adapter; callback runs in context's thread.
    void allRooms(QObject *context, Adapter::RoomsCallback callback);

    /// \brief Connection state recovery's store, in numbers (server's thread).
    RecoveryStats recoveryStats() const;

    /// \brief The room registry and the operations that may cross servers
    /// (Server::setAdapterFactory()). Owned by the namespace.
    Adapter *adapter() const;

    /// To this namespace on the other servers sharing the adapter (socket.io's serverSideEmit);
    /// they get serverSideEventReceived(). With a callback: their replies, once all answered or
    /// the adapter's request timeout passed. socket.io's namespace-reserved names (connect,
    /// connection, new_namespace) are refused with a warning.
    void serverSideEmit(const QString &event, const QVariantList &args = {});
    /// \brief With a callback: their replies, once all answered or the adapter's request
    /// timeout passed; it runs in context's thread.
    void serverSideEmit(const QString &event, const QVariantList &args, QObject *context,
                        Adapter::ServerSideAckCallback callback);

    /// \brief Everyone in \a room.
    Broadcast to(const QString &room) const;
    /// \brief Everyone in any of \a rooms.
    Broadcast to(const QStringList &rooms) const;
    /// \brief The same as to().
    Broadcast in(const QString &room) const { return to(room); }
    /// \brief Everyone but the members of \a room.
    Broadcast except(const QString &room) const;
    /// \brief Everyone in the namespace.
    Broadcast all() const;
    /// To every socket of the namespace; reserved event names are refused (Socket::emitEvent()).
    void emitEvent(const QString &event, const QVariantList &args = {});

    /// \brief This server's sockets (all().fetchSockets()).
    QList<Socket *> fetchSockets() const { return all().fetchSockets(); }
    /// \brief Every socket joins \a rooms, on every server sharing the adapter.
    void socketsJoin(const QStringList &rooms) { all().socketsJoin(rooms); }
    /// \brief Every socket leaves \a rooms, on every server sharing the adapter.
    void socketsLeave(const QStringList &rooms) { all().socketsLeave(rooms); }
    /// \brief Every socket is disconnected, on every server sharing the adapter.
    void disconnectSockets(DisconnectMode mode = DisconnectMode::Namespace) { all().disconnectSockets(mode); }

Q_SIGNALS:
    /// \brief A socket passed the middleware and joined the namespace (owned by the namespace;
    /// valid until its Socket::disconnected()).
    void socketConnected(SocketIo::Socket *socket);
    /// \brief A socket left the namespace (after its Socket::disconnected()).
    void socketDisconnected(const QString &socketId, SocketIo::DisconnectReason reason);
    /// \brief A room got its first member on this server.
    void roomCreated(const QString &room);
    /// \brief A room lost its last member on this server.
    void roomDeleted(const QString &room);
    /// \brief A socket joined a room.
    void roomJoined(const QString &room, const QString &socketId);
    /// \brief A socket left a room.
    void roomLeft(const QString &room, const QString &socketId);
    /// \brief Another server's serverSideEmit(); answer through ack when ack.isRequested().
    void serverSideEventReceived(const QString &event, const QVariantList &args,
                                 const SocketIo::ServerSideAck &ack);

private:
    friend class NamespacePrivate;
    friend class Server;
    friend class ServerPrivate;
    friend class Broadcast;
    friend class Socket;
    friend class SocketPrivate;
    friend class Connection;
    friend class Next;
    Namespace(const QString &name, Server *server);
    const std::unique_ptr<NamespacePrivate> d;
};

} // namespace SocketIo
