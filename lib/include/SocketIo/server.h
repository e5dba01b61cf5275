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

namespace SocketIo {

class EngineServer;
class ServerPrivate;

// Socket.IO server options with the reference's defaults (socket.io 4.8).
struct SOCKETIO_EXPORT ServerOptions
{
    ServerOptions(); // engine.path is "/socket.io/"

    EngineOptions engine;
    std::chrono::milliseconds connectTimeout{ 45000 }; // a connection must join a namespace within
    int maxAttachments = 10; // binary attachments per packet
};

// A Socket.IO v5 server (socket.io's Server) on an Engine.IO server: listen(), then handle
// Namespace::socketConnected on of("/") or any other namespace.
//
// Thread safety: create and use it in one thread. From other threads: emitEvent(),
// mainNamespace(), what Namespace allows there, Broadcast and SocketHandle values.
class SOCKETIO_EXPORT Server : public QObject
{
    Q_OBJECT
public:
    // Decides whether a namespace that does not exist yet may be created for a client.
    using NamespaceFilter = std::function<bool(const QString &name, const QJsonObject &auth)>;

    explicit Server(QObject *parent = nullptr);
    explicit Server(const ServerOptions &options, QObject *parent = nullptr);
    ~Server() override;

    ServerOptions options() const;
    // Replaces the options while the server runs: the engine's (ping interval and timeout, CORS,
    // transports, path...) apply to requests and sessions from now on, connectTimeout and
    // maxAttachments to new connections; sessions already open keep theirs.
    void setOptions(const ServerOptions &options);

    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    // See EngineServer::bind().
    bool bind(QTcpServer *server);
    // Disconnects every socket ("server shutting down") and stops listening.
    void close();
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const;

    // The Engine.IO server underneath (owned by this server): request handler, observers.
    EngineServer *engine() const;

    // The namespace called name, created if needed. Owned by the server.
    Namespace *of(const QString &name);
    Namespace *mainNamespace() const; // "/", owned by the server; any thread
    Namespace *findNamespace(const QString &name) const;
    QList<Namespace *> namespaces() const;

    // Dynamic namespaces: a client may create any namespace whose name matches.
    void addDynamicNamespace(const QRegularExpression &pattern);
    void addDynamicNamespace(NamespaceFilter filter);

    // Middleware of the main namespace, like io.use().
    void use(Namespace::Middleware middleware) { mainNamespace()->use(std::move(middleware)); }
    // Every namespace with its sockets and rooms, as values.
    QList<NamespaceSnapshot> snapshot() const;
    SocketSnapshot socketSnapshot(const Socket *socket) const;

    // To every socket of the main namespace; any thread.
    void emitEvent(const QString &event, const QVariantList &args = {})
    {
        mainNamespace()->emitEvent(event, args);
    }

    // The adapter of every namespace (socket.io's `adapter` option): by default an
    // InMemoryAdapter; SocketIo::RedisAdapter (SocketIoRedis) shares rooms and broadcasts with
    // other servers. Namespaces that exist already get a new adapter with their memberships.
    void setAdapterFactory(AdapterFactory factory);
    // To the main namespace of the other servers (Namespace::serverSideEmit()).
    void serverSideEmit(const QString &event, const QVariantList &args = {})
    {
        mainNamespace()->serverSideEmit(event, args);
    }

Q_SIGNALS:
    void namespaceCreated(SocketIo::Namespace *nsp);
    // Emitted by listen() and close() when isListening() changes (servers passed to bind() are
    // the application's own).
    void listeningChanged(bool listening);
    // Every Engine.IO packet in and out, with the Socket.IO fields filled in for Socket.IO
    // packets. The Socket.IO decoding is done only while something is connected. An incoming
    // CONNECT carries the id of the socket it created (empty when the namespace was refused):
    // it is reported once the server has handled it, still before any packet that followed it.
    void trafficObserved(const SocketIo::TrafficEvent &event);

protected:
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;

private:
    friend class ServerPrivate;
    friend class Connection;
    const std::unique_ptr<ServerPrivate> d;
};

} // namespace SocketIo
