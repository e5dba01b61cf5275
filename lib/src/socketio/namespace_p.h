// SPDX-License-Identifier: MIT
#pragma once

#include "adapter/socketemitter.h"
#include "protocol/arguments.h"

#include <SocketIo/adapter.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>

#include <QHash>
#include <QMetaMethod>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace SocketIo {

class Connection;
class RecoveryStore;

// How other threads reach a namespace, shared by the namespace, its Broadcasts and the
// SocketHandles of its sockets. Never hands a pointer to another thread: run() takes a function
// that gets the Namespace in its own thread. Closed by ~Namespace; calls after that do nothing.
//
// std::mutex rather than QMutex: ThreadSanitizer sees pthread mutexes (the suite runs under
// it, scripts/tsan) but not the futex inside an uninstrumented Qt; a lock taken around each post
// and again where the call is delivered (namespace.cpp) tells it what Qt's event queue orders.
class NamespaceMailbox : public std::enable_shared_from_this<NamespaceMailbox>
{
public:
    explicit NamespaceMailbox(Namespace *nsp)
        : m_nsp(nsp)
    { }

    // Calls f(nsp) in the namespace's thread: at once when called there (nothing allocated),
    // else queued to it. False (f dropped) once the namespace is gone; a queued f is dropped
    // too if the namespace goes first.
    template<typename F> bool run(F &&f)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        Namespace *nsp = m_nsp;
        if (!nsp)
            return false;
        if (nsp->thread() == QThread::currentThread()) {
            lock.unlock();
            f(nsp);
            return true;
        }
        post(nsp, std::forward<F>(f)); // under the lock: close() cannot run in between
        return true;
    }
    // The namespace, or null once it is gone: in the namespace's own thread only.
    Namespace *nspInOwnThread() const { return m_nsp; }
    void close(); // ~Namespace

private:
    struct Delivery;
    void post(Namespace *nsp, std::function<void(Namespace *)> f);
    std::mutex m_mutex;
    Namespace *m_nsp; // written under m_mutex, in the namespace's thread
};

struct Next::State
{
    QPointer<Namespace> nsp;
    QPointer<Socket> socket;
    int index = 0;
    bool called = false;
};

class NamespacePrivate final : public SocketEmitter
{
public:
    NamespacePrivate(Namespace *q, const QString &name, Server *server);
    ~NamespacePrivate() override;
    static NamespacePrivate *get(Namespace *nsp) { return nsp ? nsp->d.get() : nullptr; }

    // A client asks to join: run the middleware, then connect (or refuse).
    void add(Connection *connection, const QJsonObject &auth);
    void runMiddleware(Socket *socket, int index);
    void reject(Socket *socket, const QString &message, const QJsonValue &data);
    void doConnect(Socket *socket);
    void remove(Socket *socket);
    // A socket created for a CONNECT that is still in the middleware (its connection waits).
    bool isConnecting(const Socket *socket) const;
    // ServerOptions::cleanupEmptyChildNamespaces: asks the server, in the next event-loop
    // turn, to remove this namespace if it is still empty then.
    void scheduleCleanup();

    // Rooms and broadcasts go through the adapter (socket.io's Adapter). addToRoom() refuses
    // (false, logged once per socket) a room beyond maxRoomsPerSocket.
    bool addToRoom(Socket *socket, const QString &room);
    void removeFromRoom(Socket *socket, const QString &room);
    void removeFromAllRooms(Socket *socket);
    static BroadcastOptions options(const Broadcast &target);
    QList<Socket *> recipients(const Broadcast &broadcast) const; // this server's
    void broadcast(const Broadcast &target, const QString &event, const QVariantList &args);
    void broadcastWithAck(const Broadcast &target, const QString &event, const QVariantList &args,
                          QObject *context, Broadcast::AcksCallback callback);
    QList<Socket *> connectedSockets(const QStringList &ids) const;
    // SocketEmitter, the adapters' view: the sockets, and one packet encoded once and written
    // to each (with an ack id when ack is set).
    const QHash<QString, Socket *> &emitterSockets() const override { return sockets; }
    void deliver(const QList<Socket *> &targets, const EventPacket &packet, bool isVolatile,
                 Adapter::ClientAckCallback ack = {}) override;
    void deliverEncoded(const QList<Socket *> &targets, const EventPacket &packet,
                        const Arguments::Encoded &encoded, Arguments::Format format,
                        bool isVolatile) override;
    // Writes encoded (in format) to socket, or the packet encoded in the socket's own format
    // (made once, into other) when it speaks another (an Engine.IO v3 client of a msgpack server).
    void writeEvent(Socket *socket, const EventPacket &packet, qint64 id, const Arguments::Encoded &encoded,
                    Arguments::Format format, std::optional<Arguments::Encoded> &other, bool isVolatile);
    RecoveryStore *recoveryStore() const override { return recovery.get(); }
    Arguments::Format storeFormat() const override { return parserFormat; }
    // The server's parser for its Engine.IO v4 clients (ServerOptions::parser).
    Arguments::Format parserFormat = Arguments::Format::Json;
    // Connection state recovery: on, off or new bounds (ServerOptions::connectionStateRecovery).
    void setRecovery(const ConnectionStateRecovery &options);
    // The store when recovery is on and the adapter keeps it up to date (an InMemoryAdapter or
    // one derived from it), else null: sessions are persisted and restored only then.
    RecoveryStore *usableRecovery() const;
    // Replaces the adapter, carrying over this server's room memberships without signals.
    void setAdapter(Adapter *replacement);
    qint64 nextAckId() { return m_ackId++; }

    // Class-based handlers.
    void dispatchToHandlers(Socket *socket, const QString &event, const QVariantList &args, const Ack &ack);
    void notifyHandlers(const char *slot, Socket *socket, const QVariantList &args);

    Namespace *const q;
    const std::shared_ptr<NamespaceMailbox> mailbox;
    QString name;
    Server *server;
    QList<Namespace::Middleware> middleware;
    QHash<QString, Socket *> sockets; // connected, by socket id
    Adapter *adapter = nullptr; // a child of q
    QList<QPointer<QObject>> handlers;
    int maxRoomsPerSocket = 0; // ServerOptions::maxRoomsPerSocket (0: no limit)
    EventRateLimit eventRate; // ServerOptions::eventRate
    int maxPendingAcks = 0; // ServerOptions::maxPendingAcks (0: no limit)
    std::unique_ptr<RecoveryStore> recovery; // ServerOptions::connectionStateRecovery, when on
    QTimer *recoveryPurge = nullptr; // purges expired sessions and packets while recovery is on
    bool skipMiddlewares = true; // ConnectionStateRecovery::skipMiddlewares
    bool dynamic = false; // created for a client by a dynamic rule (socket.io's child namespace)
    bool removed = false; // Server::removeNamespace(): deleted later, out of the server's table
    bool cleanupScheduled = false;

private:
    qint64 m_ackId = 0;
};

} // namespace SocketIo
