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
    /// maxRoomsPerSocket applies to every join from now on (rooms already joined stay).
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

    /// \brief Dynamic namespaces: a client may create any namespace whose name matches.
    void addDynamicNamespace(const QRegularExpression &pattern);
    /// \brief Dynamic namespaces: a client may create any namespace that \a filter accepts.
    void addDynamicNamespace(NamespaceFilter filter);

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
    const std::unique_ptr<ServerPrivate> d;
};

} // namespace SocketIo
