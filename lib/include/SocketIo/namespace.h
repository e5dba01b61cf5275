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

namespace SocketIo {

class NamespacePrivate;
class Server;

// Lets a connection middleware decide, now or later: call next() to let the socket in, or
// reject() to refuse it with a CONNECT_ERROR carrying message and data. Copyable; only the
// first call counts.
class SOCKETIO_EXPORT Next
{
public:
    void operator()() const;
    void reject(const QString &message, const QJsonValue &data = QJsonValue::Undefined) const;

private:
    friend class NamespacePrivate;
    struct State;
    std::shared_ptr<State> d;
};

// A set of recipients in one namespace: rooms to include (none: everyone), rooms to exclude,
// flags. Cheap to copy; chain to()/except() like socket.io's BroadcastOperator.
//
// Thread safety: a value that any thread may build, copy and keep, even past its namespace
// (it then does nothing). emitEvent(), fetchSockets(context, callback), socketsJoin(),
// socketsLeave() and disconnectSockets() may be called from any thread: from another thread they
// are queued to the server's thread. fetchSockets() (the Socket* list): the server's thread only.
class SOCKETIO_EXPORT Broadcast
{
public:
    using AcksCallback = std::function<void(SocketIo::AckStatus status, const QList<QVariantList> &replies)>;

    Broadcast to(const QString &room) const;
    Broadcast to(const QStringList &rooms) const;
    Broadcast in(const QString &room) const { return to(room); }
    Broadcast except(const QString &room) const;
    Broadcast except(const QStringList &rooms) const;
    Broadcast asVolatile() const;
    // This server only: the adapter does not forward to other servers.
    Broadcast local() const;
    Broadcast timeout(std::chrono::milliseconds timeout) const;

    // Reserved event names are refused (see Socket::emitEvent()).
    void emitEvent(const QString &event, const QVariantList &args = {}) const;
    // Every recipient's ack, collected: Received when all answered, TimedOut with those that did.
    void emitEvent(const QString &event, const QVariantList &args, QObject *context,
                   AcksCallback callback) const;

    // This server's matching sockets.
    QList<Socket *> fetchSockets() const;
    // The matching sockets of every server sharing the adapter; callback runs in context's
    // thread once all answered or the adapter's request timed out.
    void fetchSockets(QObject *context, Adapter::FetchCallback callback) const;
    // On every server sharing the adapter (unless local()).
    void socketsJoin(const QStringList &rooms) const;
    void socketsLeave(const QStringList &rooms) const;
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

// A namespace (socket.io's Namespace): its sockets, rooms, middleware and broadcasts. Owned by
// the Server, deleted with it.
//
// Thread safety: name(), all(), to(), in(), except(), emitEvent() and socketHandle() may be
// called from any thread while the Server exists (what they return stays safe to use after it
// is gone). Everything else: the server's thread only.
class SOCKETIO_EXPORT Namespace : public QObject
{
    Q_OBJECT
public:
    using Middleware = std::function<void(SocketIo::Socket *socket, const SocketIo::Next &next)>;

    ~Namespace() override;

    QString name() const;
    Server *server() const;

    // Connection middleware, run in order for each new socket before socketConnected().
    void use(Middleware middleware);

    // Registers a QObject whose slots named on_<event> handle that event for every socket of
    // this namespace (the QObject must outlive the namespace or unregister by being deleted).
    // Arguments are converted to the slot's parameter types; a first parameter of type
    // SocketIo::Socket* receives the socket; a non-void return value becomes the ack.
    // on_connect(SocketIo::Socket*) and on_disconnect(SocketIo::Socket*, QString) are called too.
    void addHandler(QObject *handler);

    QList<Socket *> sockets() const;
    // The connected socket with that id (owned by this namespace), or null.
    Socket *socket(const QString &id) const;
    // A handle on the socket with that id, for any thread (see SocketHandle); not checked.
    SocketHandle socketHandle(const QString &socketId) const;
    int socketCount() const;
    QStringList rooms() const; // this server's rooms with a member (socket id rooms included)
    int roomSize(const QString &room) const;
    // Rooms of every server sharing the adapter.
    void allRooms(QObject *context, Adapter::RoomsCallback callback);

    // The room registry and the operations that may cross servers (Server::setAdapterFactory()).
    Adapter *adapter() const;

    // To this namespace on the other servers sharing the adapter (socket.io's serverSideEmit);
    // they get serverSideEventReceived(). With a callback: their replies, once all answered or
    // the adapter's request timeout passed. socket.io's namespace-reserved names (connect,
    // connection, new_namespace) are refused with a warning.
    void serverSideEmit(const QString &event, const QVariantList &args = {});
    void serverSideEmit(const QString &event, const QVariantList &args, QObject *context,
                        Adapter::ServerSideAckCallback callback);

    Broadcast to(const QString &room) const;
    Broadcast to(const QStringList &rooms) const;
    Broadcast in(const QString &room) const { return to(room); }
    Broadcast except(const QString &room) const;
    Broadcast all() const;
    // To every socket of the namespace; reserved event names are refused (Socket::emitEvent()).
    void emitEvent(const QString &event, const QVariantList &args = {});

    QList<Socket *> fetchSockets() const { return all().fetchSockets(); }
    void socketsJoin(const QStringList &rooms) { all().socketsJoin(rooms); }
    void socketsLeave(const QStringList &rooms) { all().socketsLeave(rooms); }
    void disconnectSockets(DisconnectMode mode = DisconnectMode::Namespace) { all().disconnectSockets(mode); }

Q_SIGNALS:
    void socketConnected(SocketIo::Socket *socket);
    void socketDisconnected(const QString &socketId, SocketIo::DisconnectReason reason);
    void roomCreated(const QString &room);
    void roomDeleted(const QString &room);
    void roomJoined(const QString &room, const QString &socketId);
    void roomLeft(const QString &room, const QString &socketId);
    // Another server's serverSideEmit(); answer through ack when ack.isRequested().
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
    friend class InMemoryAdapter;
    Namespace(const QString &name, Server *server);
    const std::unique_ptr<NamespacePrivate> d;
};

} // namespace SocketIo
