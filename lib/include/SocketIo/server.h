// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineoptions.h>
#include <SocketIo/namespace.h>
#include <SocketIo/snapshot.h>
#include <SocketIo/traffic.h>

#include <QHostAddress>
#include <QObject>
#include <QRegularExpression>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

/// \file
/// \brief Server: the Socket.IO server, and its ServerOptions.

namespace SocketIo {

class EngineServer;
class ServerPrivate;

/// \brief How many events one socket may send: a token bucket per socket (ServerOptions::eventRate).
///
/// Off by default: a sensible rate depends on the application (a game sends 60 updates a second,
/// a chat one a minute), and dropping a legitimate event is a bug of its own; the per-connection
/// output cap and the HTTP limits already bound what one client costs. Not in socket.io.
struct SOCKETIO_EXPORT EventRateLimit
{
    /// \brief What happens to an event over the rate.
    enum class Action {
        Drop, ///< the event is dropped (its ack never answered) and counted
        Disconnect, ///< the client is disconnected ("io server disconnect", every namespace)
    };
    double eventsPerSecond = 0; ///< sustained rate per socket; 0: no limit
    double burstSeconds = 2; ///< the bucket holds this many seconds' worth of events
    Action action = Action::Drop; ///< over the rate
};

/// \brief Connection state recovery (socket.io 4.6+'s `connectionStateRecovery`), off by default.
///
/// A client that loses its connection for a while (a phone switching networks, a laptop lid)
/// comes back with the same socket id, rooms and data, and receives the events it missed, in
/// order; Socket::isRecovered() tells. The CONNECT reply then carries a private session id
/// (`pid`), every replayable event (emits and broadcasts without ack, not volatile) carries its
/// offset as last argument, and socket.io-client 4.6+ (or ClientSocket) reconnects with
/// `{"pid":...,"offset":...}`. The store of missed packets is bounded by age, count and bytes
/// (Namespace::recoveryStats()). Works with InMemoryAdapter and adapters derived from it (the
/// Redis adapter: see docs/recovery.md); with other adapters it stays off. Not in socket.io:
/// maxStoredPackets and maxStoredBytes.
struct SOCKETIO_EXPORT ConnectionStateRecovery
{
    bool enabled = false; ///< off: no pid, no offsets, nothing stored (no cost per packet)
    /// \brief How long a disconnected session can be recovered (socket.io's default: 2 min).
    std::chrono::milliseconds maxDisconnectionDuration{ 2 * 60 * 1000 };
    /// \brief A recovered socket skips the namespace's middleware (socket.io's default: true).
    bool skipMiddlewares = true;
    /// \brief Packets kept per namespace (0: no limit); beyond it the oldest are dropped
    /// (counted in RecoveryStats::droppedPackets), making older offsets unrecoverable.
    qint64 maxStoredPackets = 100000;
    /// \brief Encoded bytes kept per namespace (0: no limit), the same way.
    qint64 maxStoredBytes = 32 * 1024 * 1024;
};

/// \brief Socket.IO server options with the reference's defaults (socket.io 4.8), and limits the
/// reference does not have (maxRoomsPerSocket, engine.maxSendBufferSize) with defaults meant for
/// a public server.
struct SOCKETIO_EXPORT ServerOptions
{
    /// \brief The defaults; engine.path is "/socket.io/".
    ServerOptions(); // engine.path is "/socket.io/"

    /// \brief The Engine.IO server's options (path, ping timings, CORS, transports, limits).
    EngineOptions engine;
    std::chrono::milliseconds connectTimeout{ 45000 }; ///< a connection must join a namespace within
    int maxAttachments = 10; ///< binary attachments per packet
    /// Rooms one socket may join besides its own id room (0: no limit, as in socket.io). A join
    /// beyond is refused: Socket::join() returns false and a warning is logged once per socket.
    int maxRoomsPerSocket = 10000;
    /// \brief Events per socket (off by default); over it events are dropped or the client
    /// disconnected, with a warning once per socket (Socket::droppedEventCount()).
    EventRateLimit eventRate;
    /// \brief Acks one socket may await at once (Socket::emitEvent() with a callback, broadcasts
    /// with acks); 0: no limit, as in socket.io. An emit beyond is not sent: its callback gets
    /// AckStatus::Refused (a broadcast counts that socket as not answering), counted in
    /// Socket::refusedAckCount() and logged once per socket.
    int maxPendingAcks = 1000;
    /// \brief Namespaces in all (the application's own included) beyond which a client's CONNECT
    /// cannot create a dynamic namespace: it gets CONNECT_ERROR "Too many namespaces", counted in
    /// Server::refusedNamespaceCount() and logged (at most a line a second). Server::of() is never
    /// refused. 0: no limit, as in socket.io.
    int maxNamespaces = 10000;
    /// \brief Connection state recovery (off by default), see ConnectionStateRecovery.
    ConnectionStateRecovery connectionStateRecovery;
    /// \brief Removes a dynamic namespace (one created for a client by addDynamicNamespace())
    /// once its last socket has left, as socket.io's option of that name: without it dynamic
    /// namespaces accumulate. Checked in the next event-loop turn after the last socket left
    /// (or was refused by the middleware), and only if no client is still in its middleware.
    /// The next client that asks for the name creates it again (Server::namespaceCreated()).
    bool cleanupEmptyChildNamespaces = false;
    /// \brief The packet encoding of every namespace (socket.io's `parser`): Parser::Json, or
    /// Parser::MsgPack for clients configured with npm socket.io-msgpack-parser. Engine.IO v3
    /// clients (EngineOptions::allowEio3) always speak JSON.
    Parser parser = Parser::Json;
};

/// A Socket.IO v5 server (socket.io's Server) on an Engine.IO server: listen(), then handle
/// Namespace::socketConnected on of("/") or any other namespace.
///
/// Thread safety: create and use it in one thread. From other threads: emitEvent(),
/// mainNamespace(), what Namespace allows there, Broadcast and SocketHandle values.
class SOCKETIO_EXPORT Server : public QObject
{
    Q_OBJECT
public:
    /// \brief Decides whether a namespace that does not exist yet may be created for a client.
    using NamespaceFilter = std::function<bool(const QString &name, const QJsonObject &auth)>;

    /// \brief A server with the default ServerOptions, not listening yet; the main namespace
    /// "/" exists.
    explicit Server(QObject *parent = nullptr);
    /// \brief A server with \a options, not listening yet; the main namespace "/" exists.
    explicit Server(const ServerOptions &options, QObject *parent = nullptr);
    /// \brief Closes the server (see close()) and destroys its namespaces and sockets.
    ~Server() override;

    /// \brief The options in effect (a copy).
    ServerOptions options() const;
    /// \brief Replaces the options while the server runs.
    ///
    /// The engine's (ping interval and timeout, CORS, transports, path...) apply to requests
    /// and sessions from now on, connectTimeout and maxAttachments to new connections; sessions
    /// already open keep theirs.
    /// maxRoomsPerSocket applies to every join from now on (rooms already joined stay),
    /// cleanupEmptyChildNamespaces whenever a dynamic namespace's last socket leaves from now on.
    /// connectionStateRecovery: turning it off forgets what was stored; its bounds apply at once.
    void setOptions(const ServerOptions &options);

    /// \brief Listens on \a address and \a port (0: any free port, see serverPort()); emits
    /// listeningChanged(). Returns false and sets errorString() on failure.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    /// \brief Serves the connections of the caller's QTcpServer. See EngineServer::bind().
    bool bind(QTcpServer *server);
    /// \brief Disconnects every socket ("server shutting down") and stops listening.
    void close();
    /// \brief Whether listen() succeeded and close() has not been called since.
    bool isListening() const;
    /// \brief The address listen() bound to.
    QHostAddress serverAddress() const;
    /// \brief The port listen() bound to (the one picked when 0 was asked for).
    quint16 serverPort() const;
    /// \brief Why the last listen() failed; empty after a success.
    QString errorString() const;

    /// \brief The Engine.IO server underneath (owned by this server, for its lifetime): request
    /// handler, observers.
    EngineServer *engine() const;

    /// \brief The namespace called \a name ("/" is prepended if missing), created if needed.
    /// Owned by the server; it lives as long as the server.
    Namespace *of(const QString &name);
    Namespace *mainNamespace() const; ///< "/", owned by the server; any thread
    /// \brief The namespace called \a name if it exists, else null (owned by the server).
    Namespace *findNamespace(const QString &name) const;
    /// \brief Every namespace that exists (owned by the server).
    QList<Namespace *> namespaces() const;
    /// \brief Removes the namespace called \a name; false if there is none, or for the main
    /// namespace "/" (which always exists).
    ///
    /// Its sockets leave with ServerNamespaceDisconnect (the client receives a DISCONNECT, as
    /// for Socket::close()), clients still in its middleware get a CONNECT_ERROR "Invalid
    /// namespace"; then namespaceRemoved() is emitted and the namespace is deleted later (a
    /// Namespace* stays valid until control returns to the event loop; Broadcast and
    /// SocketHandle values of it do nothing from now on). A client asking for the name again
    /// gets a new namespace if of() or a dynamic rule creates it, else "Invalid namespace".
    /// Not in socket.io, which has no way to remove a namespace but
    /// ServerOptions::cleanupEmptyChildNamespaces.
    bool removeNamespace(const QString &name);

    /// \brief Dynamic namespaces: a client may create any namespace whose name matches.
    void addDynamicNamespace(const QRegularExpression &pattern);
    /// \brief Dynamic namespaces: a client may create any namespace that \a filter accepts.
    void addDynamicNamespace(NamespaceFilter filter);
    /// \brief CONNECTs refused because ServerOptions::maxNamespaces namespaces existed.
    qint64 refusedNamespaceCount() const;

    /// \brief Middleware of the main namespace, like io.use(). See Namespace::use().
    void use(Namespace::Middleware middleware) { mainNamespace()->use(std::move(middleware)); }
    /// \brief Every namespace with its sockets and rooms, as values.
    QList<NamespaceSnapshot> snapshot() const;
    /// \brief One socket, as a value (an empty snapshot for null).
    SocketSnapshot socketSnapshot(const Socket *socket) const;

    /// To every socket of the main namespace; any thread.
    void emitEvent(const QString &event, const QVariantList &args = {})
    {
        mainNamespace()->emitEvent(event, args);
    }

    /// \brief The adapter of every namespace (socket.io's `adapter` option).
    ///
    /// By default an InMemoryAdapter; SocketIo::RedisAdapter (SocketIoRedis) shares rooms and
    /// broadcasts with other servers. Namespaces that exist already get a new adapter with
    /// their memberships. Each adapter is owned by its namespace; a factory that returns null
    /// leaves the InMemoryAdapter.
    void setAdapterFactory(AdapterFactory factory);
    /// \brief To the main namespace of the other servers (Namespace::serverSideEmit()).
    void serverSideEmit(const QString &event, const QVariantList &args = {})
    {
        mainNamespace()->serverSideEmit(event, args);
    }

Q_SIGNALS:
    /// \brief A namespace was created (by of() or a client's CONNECT to a dynamic namespace).
    void namespaceCreated(SocketIo::Namespace *nsp);
    /// \brief A namespace was removed (removeNamespace() or
    /// ServerOptions::cleanupEmptyChildNamespaces), after its sockets left; findNamespace()
    /// no longer finds it.
    void namespaceRemoved(const QString &name);
    /// \brief Emitted by listen() and close() when isListening() changes (servers passed to
    /// bind() are the application's own).
    void listeningChanged(bool listening);
    /// \brief Every Engine.IO packet in and out, with the Socket.IO fields filled in for
    /// Socket.IO packets.
    ///
    /// The Socket.IO decoding is done only while something is connected. An incoming CONNECT
    /// carries the id of the socket it created (empty when the namespace was refused): it is
    /// reported once the server has handled it, still before any packet that followed it.
    void trafficObserved(const SocketIo::TrafficEvent &event);

protected:
    /// \brief Counts trafficObserved() receivers: packets are decoded only while there are some.
    void connectNotify(const QMetaMethod &signal) override;
    /// \copydoc connectNotify()
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class ServerPrivate;
    friend class Connection;
    friend class NamespacePrivate;
    const std::unique_ptr<ServerPrivate> d;
};

} // namespace SocketIo
